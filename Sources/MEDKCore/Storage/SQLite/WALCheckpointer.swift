import Foundation
import GRDB
import Logging

/// Copies the write-ahead log back into the database from a connection of its own, so that the
/// single writer never does it.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold: that commit
/// (and every write queued behind it in the group commit) waits while a thousand pages are copied
/// and the database file is synced — a tenth of the writer's time under a stream of review
/// transitions, and their slowest answers. Here the writer's automatic checkpoint is off and a
/// passive checkpoint runs every `interval` on another thread: it never blocks the writer or the
/// readers, and the writer rewinds the log once a checkpoint has caught up.
final class WALCheckpointer: Sendable {
    private let task: Task<Void, Never>

    init(path: String, interval: Duration = .milliseconds(200), logger: Logger) throws {
        var configuration = Configuration()
        configuration.label = "medk.checkpoint"
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        // The checkpoint syncs the database file as durably as the writer syncs the log.
        try connection.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        task = Task.detached(priority: .utility) {
            var failures = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                do {
                    try await connection.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
                    failures = 0
                } catch {
                    // GRDB answers a cancelled task with CancellationError or an interrupted
                    // statement: the store is closing, nothing failed.
                    if Task.isCancelled { break }
                    // Busy (a closing connection's own checkpoint, a backup) is retried next time;
                    // anything else is told once.
                    if let error = error as? DatabaseError, error.resultCode == .SQLITE_BUSY { continue }
                    failures += 1
                    if failures == 1 { logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"]) }
                }
            }
            try? connection.close()
        }
    }

    /// Ends the loop; the last connection to close checkpoints what is left.
    func stop() {
        task.cancel()
    }

    /// Ends the loop and waits until its connection is closed (a checkpoint of its own no longer
    /// in the way).
    func stopAndWait() async {
        task.cancel()
        await task.value
    }

    deinit { task.cancel() }
}
