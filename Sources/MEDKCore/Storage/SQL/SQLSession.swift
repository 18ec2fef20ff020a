import Foundation

/// What the store's operations need from one transaction of a database: statements with `?`
/// placeholders, in the SQL both SQLite and PostgreSQL speak (`coalesce`, `count(*) FILTER (WHERE …)`,
/// `ON CONFLICT`, `RETURNING`); what differs is in `dialect`. GRDB implements it on SQLite, libpq on
/// PostgreSQL; the operations above it (`*+SQL.swift`) are written once.
protocol SQLSession {
    var dialect: SQLDialect { get }
    /// Every row of a statement, decoded by `decode` where the cursor stands.
    func fetch<T>(_ sql: String, _ arguments: SQLArguments, _ decode: (SQLRow) throws -> T) throws -> [T]
    /// The rows one by one until `body` returns false: for scans too large to hold (the audit log).
    func forEach(_ sql: String, _ arguments: SQLArguments, _ body: (SQLRow) throws -> Bool) throws
    /// Runs a statement and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int
    /// Runs the transaction's last statement, whose result nobody needs: a session may keep it and
    /// send it with COMMIT (PostgreSQL: one round trip fewer), its failure then being the commit's.
    /// Nothing may be read or written after it.
    func executeWithCommit(_ sql: String, _ arguments: SQLArguments) throws
    /// Runs `first` (a lock; its result unread), then returns the rows of `sql`, which sees what
    /// committed while `first` waited. A session may send both in one trip (PostgreSQL).
    func rows(after first: String, _ firstArguments: SQLArguments, _ sql: String, _ arguments: SQLArguments) throws -> [SQLRow]
}

extension SQLSession {
    func executeWithCommit(_ sql: String, _ arguments: SQLArguments) throws {
        _ = try execute(sql, arguments)
    }

    func rows(after first: String, _ firstArguments: SQLArguments, _ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        try forEach(first, firstArguments) { _ in false }
        return try rows(sql, arguments)
    }

    func rows(_ sql: String, _ arguments: SQLArguments = []) throws -> [SQLRow] {
        try fetch(sql, arguments) { $0.copied() }
    }

    func row(_ sql: String, _ arguments: SQLArguments = []) throws -> SQLRow? {
        var first: SQLRow?
        try forEach(sql, arguments) { row in
            first = row.copied()
            return false
        }
        return first
    }

    /// The first column of the first row, nil when there is no row or the value is NULL.
    func value<T: SQLReadable>(_ type: T.Type, _ sql: String, _ arguments: SQLArguments = []) throws -> T? {
        var result: T?
        try forEach(sql, arguments) { row in
            if !row.isNull(0) { result = try row.decode(T.self, at: 0) }
            return false
        }
        return result
    }

    /// The first column of every row.
    func values<T: SQLReadable>(_ type: T.Type, _ sql: String, _ arguments: SQLArguments = []) throws -> [T] {
        try fetch(sql, arguments) { try $0.decode(T.self, at: 0) }
    }

    /// Inserts one row and returns its new `id` (the statement is given without `RETURNING`).
    func insert(_ sql: String, _ arguments: SQLArguments) throws -> Int64 {
        guard let id = try value(Int64.self, sql + " RETURNING id", arguments) else {
            throw MEDKError.internalFailure
        }
        return id
    }
}

/// The few places where the two databases' SQL differs.
struct SQLDialect: Sendable {
    /// A join whose tables are read in the order written: SQLite's planner keeps a CROSS JOIN's
    /// order (and takes an ON with it); PostgreSQL's chooses well by itself and allows no ON there.
    var orderedJoin: String
    /// Whether a writer locks the audit chain (`transactionLock` on "medk.audit_chain") before it
    /// reads the log's last row and appends: several servers write at once, while SQLite has one
    /// writer at a time. A lock rather than a row every writer updates (`audit_head` until
    /// PostgreSQL's v4): that one row had grown to 31 pages of dead versions after 59 000 decisions,
    /// and every writer went through them.
    var locksAuditChain: Bool { transactionLock != nil }
    /// A lock on a text key held until the transaction ends; nil where writes are serial anyway (SQLite).
    var transactionLock: String?
    /// The end of a SELECT that locks the rows it reads until the transaction ends ("" where the
    /// writer is alone anyway).
    var lockingRead: String

    static let sqlite = SQLDialect(
        orderedJoin: "CROSS JOIN", transactionLock: nil, lockingRead: "")

    static let postgres = SQLDialect(
        orderedJoin: "JOIN", transactionLock: "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", lockingRead: " FOR UPDATE")
}
