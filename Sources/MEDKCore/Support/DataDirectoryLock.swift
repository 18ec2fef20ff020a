import Foundation

/// Who is using a data directory, told by an advisory lock on its `medk.lock`: every process that
/// opens MEDK on the directory (servers, local commands) holds it shared for as long as it runs;
/// `medk restore --replace` needs it alone. The kernel drops the lock when the process ends, however
/// it ends (SIGKILL too), so a dead server never leaves the directory looking busy.
final class DataDirectoryLock: Sendable {
    private let descriptor: Int32

    static func fileURL(in directory: URL) -> URL { directory.appendingPathComponent("medk.lock") }

    /// Shared: several processes may use one directory at once (a server and `medk backup`).
    static func shared(_ directory: URL) throws -> DataDirectoryLock {
        guard let lock = try DataDirectoryLock(directory, operation: LOCK_SH) else {
            throw MEDKError(.conflict, code: "data_directory_locked",
                            message: "Каталог данных \(directory.path) сейчас восстанавливается из копии (medk restore): дождитесь конца.")
        }
        return lock
    }

    /// Exclusive, without waiting: nil while any other process uses the directory.
    static func exclusive(_ directory: URL) throws -> DataDirectoryLock? {
        try DataDirectoryLock(directory, operation: LOCK_EX)
    }

    private init?(_ directory: URL, operation: Int32) throws {
        let path = Self.fileURL(in: directory).path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw MEDKError(.internalFailure, code: "data_directory_unusable",
                            message: "Не удалось открыть \(path): \(String(cString: strerror(errno))).")
        }
        guard flock(descriptor, operation | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}
