import Metrics
import Foundation
import GRDB
import Logging

/// The store on one SQLite file, opened the way every part of MEDK needs it: WAL, foreign keys
/// on, migrated, and `synchronous=FULL` so that a confirmed decision and its audit row survive
/// a power cut, not just a process crash.
final class SQLiteStore: Store {
    let pool: DatabasePool
    private let batcher: WriteBatcher
    private let checkpointer: WALCheckpointer
    private let logger: Logger

    /// - Parameter trace: receives the SQL of every statement executed (tests check query plans).
    /// Where the audit chain's keys come from (see `AuditKeySource`).
    let auditKeys: AuditKeySource

    /// - Parameter groupCommitWrites: receives how many writes each commit carried.
    init(path: String, migrate: Bool = true, auditKeys: AuditKeySource, groupCommitWrites: Recorder? = nil, logger: Logger,
         trace: (@Sendable (String) -> Void)? = nil) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        // Two cores: more readers than that only queue; each keeps an 8 MB page cache (the default
        // 2 MB made every list re-read its index pages from the OS), 32 MB in all.
        configuration.maximumReaderCount = 4
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA trusted_schema = OFF; PRAGMA cache_size = -8000")
            db.add(function: SearchFolding.makeFunction())
            if let trace {
                db.trace(options: .statement) { event in
                    if case .statement(let statement) = event { trace(statement.sql) }
                }
            }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // DatabasePool sets NORMAL on its writer after prepareDatabase; set FULL afterwards. The
        // writer leaves checkpoints to `WALCheckpointer`. Its page cache is 64 MB: it stays valid
        // from one commit to the next, and with 8 MB a country's review decisions re-read index
        // pages from the OS on every write (1,251 → 1,509 decisions/s at c=8 on the country).
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -65536")
        }
        if migrate {
            try Migrations.upgrade(pool)
            try pool.write { db in try auditKeys.bootstrap(GRDBSession(db: db)) }
        }
        self.auditKeys = auditKeys
        self.pool = pool
        self.batcher = WriteBatcher(pool: pool, batchSizes: groupCommitWrites)
        self.checkpointer = try WALCheckpointer(path: path, logger: logger)
        self.logger = logger
    }

    deinit { checkpointer.stop() }

    var location: String { pool.path }

    func fileKeeping(directory: URL) -> any FileKeeping { DirectoryFiles(root: directory) }

    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReading) throws -> T) async throws -> T {
        let keys = auditKeys
        do {
            return try await pool.read { db in try body(SQLTransaction(session: GRDBSession(db: db), chain: ChainHead(keys: keys))) }
        } catch {
            throw mapped(error)
        }
    }

    func readEachStatement<T: Sendable>(_ body: @escaping @Sendable (any StoreReading) throws -> T) async throws -> T {
        try await read(body)
    }

    /// Commits with the writes that arrive meanwhile (group commit, see `WriteBatcher`).
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriting) throws -> T) async throws -> T {
        let keys = auditKeys
        do {
            return try await batcher.write { db in try body(SQLTransaction(session: GRDBSession(db: db), chain: ChainHead(keys: keys))) }
        } catch {
            throw mapped(error)
        }
    }

    func write<T: Sendable>(dryRun: Bool, _ body: @escaping @Sendable (any StoreWriting) throws -> T) async throws -> T {
        let keys = auditKeys
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction {
                    result = try body(SQLTransaction(session: GRDBSession(db: db), chain: ChainHead(keys: keys)))
                    return dryRun ? .rollback : .commit
                }
                return result!
            }
        } catch {
            throw mapped(error)
        }
    }

    func backup(to path: String) async throws {
        do {
            let destination = try DatabaseQueue(path: path)
            try pool.backup(to: destination)
            // One self-contained file: a copy in WAL mode could not be opened read-only for checking
            // without its shared-memory file beside it.
            try destination.inDatabase { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try destination.close()
        } catch {
            throw mapped(error)
        }
    }

    func integrityProblems() async throws -> [String]? {
        do {
            let found = try await pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            return found == ["ok"] ? [] : found
        } catch {
            throw mapped(error)
        }
    }

    func schemaDescription() async throws -> String {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT type, name, sql FROM sqlite_master
                WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
                ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name
                """)
            return rows.map { ($0["sql"] as String) + ";" }.joined(separator: "\n\n") + "\n"
        }
    }

    func durabilityLevel() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    func rebuildProgress() async throws -> Int {
        do {
            return try await pool.write { db in try ProgressRebuild.rebuildAll(GRDBSession(db: db)) }
        } catch {
            throw mapped(error)
        }
    }

    /// Indexes only reads use (lists, reports, histories), not the rules writes check: a bulk load
    /// drops them and builds them again at the end, by one sort each instead of millions of inserts
    /// at random places. Uniqueness indexes stay, so every rule still holds while loading, and so
    /// does `items_school`, by which a write checks the school's chosen risks.
    static let indexesDeferredInBulk = ["items_municipality", "items_region", "items_region_newest", "items_campaign",
                                        "measures_open_by_school", "measures_open_by_municipality", "measures_open_by_region",
                                        "measures_open_by_campaign", "measures_open_by_place", "measures_school", "audit_log_entity"]

    /// A bulk load (`medk generate`) writes millions of rows in large transactions: read-side indexes
    /// are set aside, a big page cache spares re-reading pages, and commits skip fsync (a crashed
    /// load is simply run again, into a new directory). `finishBulkLoad` restores all of it.
    func beginBulkLoad() async throws {
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA cache_size = -1048576; PRAGMA synchronous = OFF")
            let names = Self.indexesDeferredInBulk
            let definitions = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN (\(SQLList.placeholders(names.count)))
                """, arguments: StatementArguments(names))
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS bulk_load_deferred_indexes (name TEXT PRIMARY KEY, sql TEXT NOT NULL)")
            for row in definitions {
                try db.execute(sql: "INSERT OR REPLACE INTO bulk_load_deferred_indexes (name, sql) VALUES (?, ?)", arguments: [row[0], row[1]])
                try db.execute(sql: "DROP INDEX \(row[0] as String)")
            }
        }
    }

    func finishBulkLoad() async throws {
        try await pool.writeWithoutTransaction { db in
            if try db.tableExists("bulk_load_deferred_indexes") {
                for row in try Row.fetchAll(db, sql: "SELECT sql FROM bulk_load_deferred_indexes ORDER BY name") {
                    try db.execute(sql: row[0] as String)
                }
                try db.execute(sql: "DROP TABLE bulk_load_deferred_indexes")
            }
            try db.execute(sql: "PRAGMA cache_size = -2000; PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// A full ANALYZE: the planner's statistics, six seconds on the national database. A sampled
    /// one (`analysis_limit`) was tried and wrote counts wrong by two orders of magnitude, which
    /// sent lists to the wrong index; run this after bulk loads, not at every start.
    func optimize() async throws {
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "ANALYZE")
        }
    }

    /// The background checkpoints stopped, then everything in the log copied into the database and
    /// the log emptied (TRUNCATE): a stopped server leaves one file to back up or move, and the
    /// next start has no log to replay. The pool stays open — a late read still works.
    func settleBeforeExit() async throws {
        await checkpointer.stopAndWait()
        try await pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    /// Database errors become what a person may read; anything unexpected is logged and hidden.
    private func mapped(_ error: any Error) -> any Error {
        if error is MEDKError { return error }
        if let error = error as? DatabaseError, let known = MEDKError.fromDatabase(error) { return known }
        logger.error("unexpected storage failure", metadata: ["error": "\(String(reflecting: error))"])
        return MEDKError.internalFailure
    }
}

extension MEDKError {
    /// The refusals a constraint or a busy database means, in words.
    static func fromDatabase(_ error: DatabaseError) -> MEDKError? {
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return MEDKError(.conflict, code: "already_exists", message: "Такая запись уже существует.")
        case .SQLITE_CONSTRAINT_FOREIGNKEY:
            return MEDKError(.conflict, code: "still_referenced",
                             message: "Запись связана с другими данными и не может быть изменена или удалена.")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return MEDKError(.conflict, code: "busy", message: "База данных занята, повторите попытку.")
        default:
            return nil
        }
    }
}
