import Crypto
import Foundation

/// The data directory holds personal data and decisions: its directories are 0700 and its files
/// 0600 whatever the umask, so other accounts on the server cannot read them.
enum PrivateFiles {
    static let directoryMode: Int16 = 0o700
    static let fileMode: Int16 = 0o600

    /// Creates the directory (and missing parents) as 0700, and tightens it if it existed.
    static func makeDirectory(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: directoryMode])
        try? FileManager.default.setAttributes([.posixPermissions: directoryMode], ofItemAtPath: url.path)
    }

    /// Makes existing files 0600 (those that do not exist are skipped). SQLite creates its WAL and
    /// shared-memory files with the database file's mode, so restricting that file is enough for them.
    static func restrict(_ paths: String...) {
        for path in paths where FileManager.default.fileExists(atPath: path) {
            try? FileManager.default.setAttributes([.posixPermissions: fileMode], ofItemAtPath: path)
        }
    }

    /// Writes a new private file and syncs it before returning (a backup's manifest, a key).
    static func writeDurably(_ data: Data, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: fileMode]) else {
            throw MEDKError(.internalFailure, code: "write_failed", message: "Не удалось записать файл \(url.path).")
        }
        try sync(url)
    }

    /// Copies a file into a new private file, synced (documents into a backup and back).
    static func copyDurably(from source: URL, to destination: URL) throws {
        try FileManager.default.copyItem(at: source, to: destination)
        restrict(destination.path)
        try sync(destination)
    }

    /// Makes a file's bytes durable.
    static func sync(_ url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.synchronize()
    }

    /// Makes a directory's entries (files created or renamed in it) durable.
    static func syncDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }

    /// SHA-256 (hex) and size of a file, read in 1 MiB pieces.
    static func sha256(of url: URL) throws -> (sha256: String, bytes: Int64) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256(), bytes: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += Int64(chunk.count)
        }
        return (hasher.finalize().hexString, bytes)
    }
}
