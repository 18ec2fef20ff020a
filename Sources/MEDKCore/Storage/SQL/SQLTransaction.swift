import Foundation

/// The operations of one transaction, written once for both databases (`*+SQL.swift`): the
/// domain-named store interface over a SQL session (GRDB on SQLite, libpq on PostgreSQL). Write
/// operations see constraint failures as `MEDKError` refusals at once (the sessions map them), so
/// a use case that checks every row of an import can report and go on.
struct SQLTransaction: StoreWriting, SQLSession {
    let session: any SQLSession
    /// The audit chain's last row, once this transaction has read or written it.
    let chain: ChainHead

    var dialect: SQLDialect { session.dialect }

    func fetch<T>(_ sql: String, _ arguments: SQLArguments, _ decode: (SQLRow) throws -> T) throws -> [T] {
        try flushAuditBeforeReading(sql)
        return try session.fetch(sql, arguments, decode)
    }

    func forEach(_ sql: String, _ arguments: SQLArguments, _ body: (SQLRow) throws -> Bool) throws {
        try flushAuditBeforeReading(sql)
        try session.forEach(sql, arguments, body)
    }

    /// A transaction that reads the audit log after appending to it sees its own records.
    private func flushAuditBeforeReading(_ sql: String) throws {
        if !chain.pending.isEmpty && sql.contains("audit_log") { try flushAudit() }
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        try session.execute(sql, arguments)
    }

    func executeWithCommit(_ sql: String, _ arguments: SQLArguments) throws {
        try session.executeWithCommit(sql, arguments)
    }

    func rows(after first: String, _ firstArguments: SQLArguments, _ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        try session.rows(after: first, firstArguments, sql, arguments)
    }

    func attempt<T>(_ body: () throws -> T) throws -> T {
        // The chain's head as this transaction knows it goes back with the rows the part wrote;
        // records waiting from before the part are written first, so the part cannot take them along.
        try flushAudit()
        let head = chain.last, pending = chain.pending.count
        try execute("SAVEPOINT medk_attempt", [])
        do {
            let result = try body()
            try execute("RELEASE SAVEPOINT medk_attempt", [])
            return result
        } catch {
            chain.last = head
            chain.pending.removeSubrange(pending...)
            try execute("ROLLBACK TO SAVEPOINT medk_attempt", [])
            try execute("RELEASE SAVEPOINT medk_attempt", [])
            throw error
        }
    }
}
