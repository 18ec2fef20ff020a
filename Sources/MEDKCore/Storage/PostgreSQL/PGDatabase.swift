import Foundation

/// Transactions on PostgreSQL the way the store runs them on SQLite: a closure of synchronous
/// statements, on a thread off the cooperative pool, committed whole or rolled back whole.
///
/// Writes run at READ COMMITTED and take the row locks their rules need (an item's row before its
/// state changes, the audit chain's head before an entry is appended): each statement then sees
/// what committed before it, and a transaction waits for a row another holds rather than failing
/// — the measured alternative, SERIALIZABLE with retries, collapses under contention on the one
/// row every write touches, the chain's head (docs/postgresql.md). A deadlock or serialization
/// failure still rolls the transaction back and runs it again, a bounded number of times.
final class PGDatabase: Sendable {
    let pool: PGConnectionPool
    private let work: BlockingWork
    static let retries = 5

    /// - Parameter connections: connections (and threads) of this process; the server's
    ///   `max_connections` bounds the sum over all processes.
    init(url: String, connections: Int) {
        pool = PGConnectionPool(url: url, size: connections)
        work = BlockingWork(label: "medk.postgres", width: connections, queueLimit: 4_096, refusal: MEDKError(
            .unavailable, code: "busy", message: "Сервер сейчас перегружен. Повторите через минуту.", retryAfter: 30))
    }

    /// A consistent snapshot for reading (REPEATABLE READ, READ ONLY: every statement sees the same data).
    func read<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", end: .commitReadOnly, body)
    }

    /// One transaction that commits, or rolls back when `dryRun` (everything checked, nothing kept).
    func write<T: Sendable>(dryRun: Bool = false, _ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL READ COMMITTED", end: dryRun ? .rollback : .commit, body)
    }

    /// Runs statements outside a transaction (DDL that must not run in one, maintenance).
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        let pool = pool
        return try await work.run { try pool.withConnection(body) }
    }

    private enum Ending { case commit, commitReadOnly, rollback }

    private func transaction<T: Sendable>(_ begin: String, end: Ending,
                                          _ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        let pool = pool
        return try await work.run {
            var attempt = 0
            while true {
                attempt += 1
                do {
                    return try pool.withConnection { connection in
                        // BEGIN goes with the first statement, the last write with COMMIT; a read does not
                        // wait for its COMMIT's answer (`PGConnection`).
                        connection.begin(begin)
                        do {
                            let result = try body(connection)
                            switch end {
                            case .commit: try connection.commit()
                            case .commitReadOnly: try connection.commitReadOnly()
                            case .rollback: try connection.rollback()
                            }
                            return result
                        } catch {
                            // A broken connection cannot roll back; the pool drops it either way.
                            if connection.isUsable { try? connection.rollback() } else { connection.forgetTransaction() }
                            throw error
                        }
                    }
                } catch let error as PGError where error.isRetryable && attempt < Self.retries {
                    continue
                }
            }
        }
    }
}
