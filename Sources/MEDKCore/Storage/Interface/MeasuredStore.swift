import Foundation

/// A store whose transactions are timed (`OperationMetrics`): the one place both backends'
/// reads and writes pass, so the figures mean the same on SQLite and PostgreSQL — from asking for
/// the transaction to its end, waiting for a connection or a group commit included.
final class MeasuredStore: Store {
    let base: any Store
    let metrics: OperationMetrics

    init(_ base: any Store, metrics: OperationMetrics) {
        self.base = base
        self.metrics = metrics
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReading) throws -> T) async throws -> T {
        try await OperationMetrics.timed(metrics.readSeconds) { try await base.read(body) }
    }

    func readEachStatement<T: Sendable>(_ body: @escaping @Sendable (any StoreReading) throws -> T) async throws -> T {
        try await OperationMetrics.timed(metrics.readSeconds) { try await base.readEachStatement(body) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriting) throws -> T) async throws -> T {
        try await OperationMetrics.timed(metrics.writeSeconds) { try await base.write(body) }
    }

    func write<T: Sendable>(dryRun: Bool, _ body: @escaping @Sendable (any StoreWriting) throws -> T) async throws -> T {
        try await OperationMetrics.timed(metrics.writeSeconds) { try await base.write(dryRun: dryRun, body) }
    }

    func integrityProblems() async throws -> [String]? { try await base.integrityProblems() }
    func fileKeeping(directory: URL) -> any FileKeeping { base.fileKeeping(directory: directory) }
    var location: String { base.location }
    func backup(to path: String) async throws { try await base.backup(to: path) }
    func schemaDescription() async throws -> String { try await base.schemaDescription() }
    func durabilityLevel() throws -> Int { try base.durabilityLevel() }
    func optimize() async throws { try await base.optimize() }
    func settleBeforeExit() async throws { try await base.settleBeforeExit() }
    func rebuildProgress() async throws -> Int { try await base.rebuildProgress() }
    func beginBulkLoad() async throws { try await base.beginBulkLoad() }
    func finishBulkLoad() async throws { try await base.finishBulkLoad() }
}
