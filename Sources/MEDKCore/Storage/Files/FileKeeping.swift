import Foundation

/// Where finished files are kept, by their SHA-256: a directory of the data directory on the
/// embedded default (`DirectoryFiles`), the database every server shares on PostgreSQL
/// (`PostgresFiles`). Uploads are received, checked and hashed in a temporary file first
/// (`FileStore.store`); only a whole, checked file is handed over here, before any row names it.
protocol FileKeeping: Sendable {
    /// Whether the file with this hash is kept whole.
    func contains(_ sha256: String) async throws -> Bool
    /// Keeps the complete file at `temporary` under its hash; a copy already kept stays untouched.
    /// `temporary` may be moved away (the caller removes whatever is left).
    func keep(_ temporary: URL, sha256: String, size: Int64) async throws
    /// The bytes of a kept file, for sending.
    func content(_ sha256: String, size: Int64) -> FileContent
}

/// The bytes of a kept file as the server sends them: a local file (sent by the file system's
/// means), or chunks read one at a time as the client takes them — never a whole file in memory.
public enum FileContent: Sendable {
    case localFile(URL)
    case chunks(KeptFileChunks)
}

/// A kept file's chunks in order, each read when the previous one has been sent.
public struct KeptFileChunks: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let count: Int
    let chunk: @Sendable (Int) async throws -> [UInt8]

    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        let chunks: KeptFileChunks
        var next = 0

        public mutating func next() async throws -> [UInt8]? {
            guard next < chunks.count else { return nil }
            defer { next += 1 }
            return try await chunks.chunk(next)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: self) }

    /// The whole file at once (tests; small files).
    public func collected() async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in self { bytes += chunk }
        return bytes
    }
}

/// Files under `root/ab/cd/<hash>`: a version is never overwritten, identical uploads share one
/// copy, and a file is renamed into place only once it is whole and synced.
struct DirectoryFiles: FileKeeping {
    let root: URL

    func url(_ sha256: String) -> URL {
        let prefix = sha256.prefix(2), second = sha256.dropFirst(2).prefix(2)
        return root.appendingPathComponent(String(prefix)).appendingPathComponent(String(second)).appendingPathComponent(sha256)
    }

    func contains(_ sha256: String) async throws -> Bool {
        FileManager.default.fileExists(atPath: url(sha256).path)
    }

    func keep(_ temporary: URL, sha256: String, size: Int64) async throws {
        let destination = url(sha256)
        let directory = destination.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: PrivateFiles.directoryMode])
        // Same content already stored: keep the existing copy untouched.
        if FileManager.default.fileExists(atPath: destination.path) { return }
        guard rename(temporary.path, destination.path) == 0 else {
            throw MEDKError(.internalFailure, code: "storage_failed", message: "Не удалось сохранить файл.")
        }
        PrivateFiles.syncDirectory(directory)
    }

    func content(_ sha256: String, size: Int64) -> FileContent { .localFile(url(sha256)) }
}
