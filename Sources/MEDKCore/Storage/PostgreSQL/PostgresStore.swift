import Foundation
import Logging

/// The store on PostgreSQL: the same operations as on SQLite (`SQLTransaction`), each transaction
/// on a connection of the pool (`PGDatabase`). Several servers may share the database: the audit
/// chain's head is a locked row, migrations run once under an advisory lock.
final class PostgresStore: Store {
    let database: PGDatabase
    let auditKeys: AuditKeySource
    private let url: String
    private let logger: Logger
    /// While a bulk load runs, commits do not wait for the disk (`synchronous_commit = off`).
    private let bulk = BulkLoadFlag()
    private let trace: (@Sendable (String) -> Void)?

    init(url: String, connections: Int, migrate: Bool = true, auditKeys: AuditKeySource, logger: Logger, at moment: Date = Date(),
         trace: (@Sendable (String) -> Void)? = nil) throws {
        self.url = url
        self.trace = trace
        self.database = PGDatabase(url: url, connections: connections)
        self.auditKeys = auditKeys
        self.logger = logger
        if migrate {
            do {
                let connection = try PGConnection(url: url)
                try PGMigrator.migrate(connection, at: moment)
                try connection.execute("BEGIN")
                // One bootstrap at a time whichever server starts first.
                try connection.query("SELECT pg_advisory_xact_lock($1)", [.integer(PGMigrator.lockKey)])
                try auditKeys.bootstrap(PGSession(connection: connection))
                try connection.execute("COMMIT")
            } catch {
                throw Self.mapped(error, logger: logger)
            }
        }
    }

    func fileKeeping(directory: URL) -> any FileKeeping { PostgresFiles(database: database, logger: logger) }

    /// The URL without its password, for people and logs.
    var location: String { url.replacingOccurrences(of: #"://([^:/@]+):[^@]*@"#, with: "://$1:***@", options: .regularExpression) }

    /// A transaction's operations on `connection`, with this store's audit keys and statement trace.
    private var operations: @Sendable (PGConnection) -> SQLTransaction {
        let keys = auditKeys, trace = trace
        return { connection in SQLTransaction(session: PGSession(connection: connection, trace: trace), chain: ChainHead(keys: keys)) }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReading) throws -> T) async throws -> T {
        let operations = operations
        return try await Self.mapping(logger) { try await database.read { connection in try body(operations(connection)) } }
    }

    func readEachStatement<T: Sendable>(_ body: @escaping @Sendable (any StoreReading) throws -> T) async throws -> T {
        let operations = operations
        // Outside a transaction block every statement commits on its own: nothing to begin or end.
        return try await Self.mapping(logger) { try await database.withConnection { connection in try body(operations(connection)) } }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriting) throws -> T) async throws -> T {
        try await write(dryRun: false, body)
    }

    func write<T: Sendable>(dryRun: Bool, _ body: @escaping @Sendable (any StoreWriting) throws -> T) async throws -> T {
        let operations = operations, bulk = bulk
        return try await Self.mapping(logger) {
            try await database.write(dryRun: dryRun) { connection in
                if bulk.isOn { try connection.execute("SET LOCAL synchronous_commit = off") }
                let transaction = operations(connection)
                let result = try body(transaction)
                // A dry run rolls back: its records are written like any statement, nothing goes with COMMIT.
                try transaction.flushAudit(beforeCommit: !dryRun)
                return result
            }
        }
    }

    func backup(to path: String) async throws {
        throw MEDKError.rejected("backup_by_postgres", "База МЭДК — в PostgreSQL: её копируют средствами PostgreSQL (pg_dump, "
                                 + "pg_basebackup с архивом WAL), см. docs/postgresql.md.")
    }

    /// PostgreSQL checks its pages itself (data checksums, `amcheck` for an administrator): the
    /// check of a restored database here is the files' hashes and the audit chain.
    func integrityProblems() async throws -> [String]? { nil }

    func schemaDescription() async throws -> String {
        try await database.read { connection in
            let rows = try connection.query("""
                SELECT table_name::text, string_agg(column_name::text || ' ' || data_type::text, ', ' ORDER BY ordinal_position)
                FROM information_schema.columns WHERE table_schema = current_schema() GROUP BY table_name ORDER BY table_name
                """)
            return rows.map { "\($0.text(0) ?? "") (\($0.text(1) ?? ""))" }.joined(separator: "\n") + "\n"
        }
    }

    /// 2 when a commit waits for the WAL to reach the disk (`synchronous_commit` on, remote_write
    /// or remote_apply), as SQLite's FULL; 1 when it does not.
    func durabilityLevel() throws -> Int {
        let connection = try PGConnection(url: url)
        let setting = try connection.query("SHOW synchronous_commit").first?.text(0) ?? ""
        let fsync = try connection.query("SHOW fsync").first?.text(0) ?? ""
        return fsync == "on" && ["on", "remote_write", "remote_apply"].contains(setting) ? 2 : 1
    }

    func optimize() async throws {
        try await database.withConnection { connection in try connection.execute("ANALYZE") }
    }

    func rebuildProgress() async throws -> Int {
        try await Self.mapping(logger) { try await database.write { connection in try ProgressRebuild.rebuildAll(PGSession(connection: connection)) } }
    }

    /// Every commit is PostgreSQL's already; its connections close with the process.
    func settleBeforeExit() async throws {}

    func beginBulkLoad() async throws { bulk.set(true) }

    func finishBulkLoad() async throws {
        bulk.set(false)
        try await optimize()
    }

    /// Runs `body` with its failures as `mapped` makes them.
    static func mapping<T>(_ logger: Logger, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw mapped(error, logger: logger)
        }
    }

    /// Database failures become what a person may read; anything unexpected is logged and hidden.
    static func mapped(_ error: any Error, logger: Logger) -> any Error {
        if error is MEDKError { return error }
        if let error = error as? PGError {
            if error.isRetryable {
                return MEDKError(.conflict, code: "busy", message: "База данных занята, повторите попытку.")
            }
            if case .connection = error {
                logger.error("PostgreSQL unreachable", metadata: ["error": "\(error)"])
                return MEDKError(.unavailable, code: "database_unavailable", message: "База данных недоступна. Повторите через минуту.",
                                 retryAfter: 30)
            }
        }
        logger.error("unexpected storage failure", metadata: ["error": "\(String(reflecting: error))"])
        return MEDKError.internalFailure
    }
}

/// A switch several threads read and one sets.
final class BulkLoadFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var on = false

    var isOn: Bool { lock.withLock { on } }
    func set(_ value: Bool) { lock.withLock { on = value } }
}
