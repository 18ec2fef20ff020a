import Metrics
import Foundation
import GRDB

/// Group commit: writes that arrive while a transaction is committing wait for it, then run
/// together in the next transaction, one after another, each inside its own savepoint, and are
/// made durable by that transaction's single fsync. Every caller is answered only after the
/// commit that holds its change, so a confirmed decision is on disk before anyone hears of it.
///
/// A write that fails rolls back to its savepoint and fails alone; the others commit. If the
/// commit itself fails, every write of the batch fails and nothing of it is stored. Running the
/// writes in sequence inside one transaction is exactly as if they had run one by one, so every
/// rule a write checks (the state it expects, the audit chain's last row) holds as before.
///
/// Why: the single SQLite writer spent most of each review decision waiting for its own fsync;
/// batching turns eight concurrent decisions into one fsync instead of eight.
actor WriteBatcher {
    private let pool: DatabasePool
    private var pending: [PendingWrite] = []
    private var draining = false

    private let batchSizes: Recorder?

    init(pool: DatabasePool, batchSizes: Recorder? = nil) {
        self.pool = pool
        self.batchSizes = batchSizes
    }

    /// Runs `body` in the next batch; returns its result once that batch has committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result = ResultBox<T>()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pending.append(PendingWrite(perform: { db in result.value = try body(db) }, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
        return result.value!
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            batchSizes?.record(batch.count)
            // While this batch commits the actor is free again: new writes gather for the next one.
            let outcomes = await Self.run(batch, on: pool)
            for (write, outcome) in zip(batch, outcomes) {
                switch outcome {
                case .success: write.continuation.resume()
                case .failure(let error): write.continuation.resume(throwing: error)
                }
            }
        }
        draining = false
    }

    private static func run(_ batch: [PendingWrite], on pool: DatabasePool) async -> [Result<Void, any Error>] {
        let outcomes = OutcomeBox(count: batch.count)
        do {
            try await pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    for (index, write) in batch.enumerated() {
                        do {
                            try db.inSavepoint {
                                try write.perform(db)
                                return .commit
                            }
                            outcomes.values[index] = .success(())
                        } catch {
                            outcomes.values[index] = .failure(error)
                        }
                    }
                    return .commit
                }
            }
            return outcomes.values
        } catch {
            // Nothing of the batch was committed: every write of it fails with the reason.
            return batch.map { _ in .failure(error) }
        }
    }

    private struct PendingWrite: Sendable {
        let perform: @Sendable (Database) throws -> Void
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// A write's result, set on the writer's thread before its caller is resumed.
    private final class ResultBox<T>: @unchecked Sendable {
        var value: T?
    }

    private final class OutcomeBox: @unchecked Sendable {
        var values: [Result<Void, any Error>]
        init(count: Int) { values = Array(repeating: .success(()), count: count) }
    }
}
