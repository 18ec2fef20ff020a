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
}

extension SQLSession {
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
    /// Whether the audit chain's head is a row writers lock (`audit_head`): with several servers
    /// writing at once the log's last row is not enough, while SQLite has one writer at a time.
    var locksAuditHead: Bool
    /// A lock on a text key held until the transaction ends; nil where writes are serial anyway (SQLite).
    var transactionLock: String?
    /// The end of a SELECT that locks the rows it reads until the transaction ends ("" where the
    /// writer is alone anyway).
    var lockingRead: String

    static let sqlite = SQLDialect(
        orderedJoin: "CROSS JOIN",
        locksAuditHead: false, transactionLock: nil, lockingRead: "")

    static let postgres = SQLDialect(
        orderedJoin: "JOIN",
        locksAuditHead: true, transactionLock: "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", lockingRead: " FOR UPDATE")
}
