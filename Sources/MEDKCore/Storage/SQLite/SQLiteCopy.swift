import Foundation
import GRDB

/// A backup's database read where it lies, opened read-only: checking a backup changes nothing in
/// it, not even its journal mode. Its schema is the one the backup was taken with — the version of
/// MEDK that wrote it, which is the version checking it (`medk backup --verify`) or one it restores
/// with before migrating.
final class SQLiteCopy: CheckableDatabase {
    private let queue: DatabaseQueue
    private let auditKeys: AuditKeySource

    init(path: String, auditKeys: AuditKeySource) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA trusted_schema = OFF")
            db.add(function: SearchFolding.makeFunction())
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
        } catch {
            throw MEDKError(.conflict, code: "backup_damaged", message: "Файл \(path) — не база SQLite или повреждён.")
        }
        self.auditKeys = auditKeys
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReading) throws -> T) async throws -> T {
        let keys = auditKeys
        return try await queue.read { db in try body(SQLTransaction(session: GRDBSession(db: db), chain: ChainHead(keys: keys))) }
    }

    func integrityProblems() async throws -> [String]? {
        let found = try await queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return found == ["ok"] ? [] : found
    }
}
