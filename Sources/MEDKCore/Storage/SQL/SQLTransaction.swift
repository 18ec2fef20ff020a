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
        try session.fetch(sql, arguments, decode)
    }

    func forEach(_ sql: String, _ arguments: SQLArguments, _ body: (SQLRow) throws -> Bool) throws {
        try session.forEach(sql, arguments, body)
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        try session.execute(sql, arguments)
    }

    func attempt<T>(_ body: () throws -> T) throws -> T {
        // The chain's head as this transaction knows it goes back with the rows the part wrote.
        let head = chain.last
        try execute("SAVEPOINT medk_attempt", [])
        do {
            let result = try body()
            try execute("RELEASE SAVEPOINT medk_attempt", [])
            return result
        } catch {
            chain.last = head
            try execute("ROLLBACK TO SAVEPOINT medk_attempt", [])
            try execute("RELEASE SAVEPOINT medk_attempt", [])
            throw error
        }
    }
}
