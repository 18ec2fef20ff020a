import Foundation

/// A fixed number of connections, each used by one transaction at a time on a thread of its own
/// (`BlockingWork` of the same width, so a transaction never waits here for a connection: the
/// gate in front has already queued it). A broken connection is dropped and the next checkout
/// opens a new one, so a restarted database server costs the transactions in flight, not the process.
final class PGConnectionPool: @unchecked Sendable {
    let url: String
    let size: Int
    private let lock = NSCondition()
    private var idle: [PGConnection] = []
    private var open = 0

    init(url: String, size: Int) {
        self.url = url
        self.size = size
    }

    /// Runs `body` with a connection of the pool, returning it afterwards unless it broke.
    func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let connection = try checkOut()
        defer { checkIn(connection) }
        return try body(connection)
    }

    private func checkOut() throws -> PGConnection {
        lock.lock()
        while idle.isEmpty && open >= size { lock.wait() }
        if let connection = idle.popLast() {
            lock.unlock()
            return connection
        }
        open += 1
        lock.unlock()
        do {
            return try PGConnection(url: url)
        } catch {
            lock.lock()
            open -= 1
            lock.signal()
            lock.unlock()
            throw error
        }
    }

    private func checkIn(_ connection: PGConnection) {
        lock.lock()
        if connection.isUsable {
            idle.append(connection)
        } else {
            open -= 1
        }
        lock.signal()
        lock.unlock()
    }
}
