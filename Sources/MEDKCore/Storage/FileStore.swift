import Crypto
import Foundation

/// A stored blob: what the database row records about an uploaded file.
public struct StoredBlob: Sendable, Hashable {
    public var sha256: String
    public var size: Int64
    public var mediaType: AllowedMediaType
}

/// Files kept by their SHA-256 under `root/ab/cd/<hash>`: a version is never overwritten,
/// and identical uploads share one copy.
public struct FileStore: Sendable {
    public let root: URL
    /// Largest upload accepted, checked while the bytes arrive.
    public let maxBytes: Int64

    public static let defaultMaxBytes: Int64 = 25 * 1024 * 1024

    public init(root: URL, maxBytes: Int64 = FileStore.defaultMaxBytes) throws {
        self.root = root
        self.maxBytes = maxBytes
        try PrivateFiles.makeDirectory(root)
        try PrivateFiles.makeDirectory(root.appendingPathComponent("tmp"))
    }

    /// Where uploads are written before they are complete (`store`) and web forms put their files.
    public var temporaryDirectory: URL { root.appendingPathComponent("tmp") }

    public func url(forHash hash: String) -> URL {
        let prefix = hash.prefix(2), second = hash.dropFirst(2).prefix(2)
        return root.appendingPathComponent(String(prefix)).appendingPathComponent(String(second))
            .appendingPathComponent(hash)
    }

    /// Streams chunks to a temporary file (refusing past `maxBytes`), checks the type by the
    /// bytes, lets `inspect` look at the whole file (and refuse it), syncs, and only then moves the
    /// file into place. The caller writes the database row afterwards, so a row never points at a
    /// file that is not fully on disk.
    public func store<Chunks: AsyncSequence>(_ chunks: Chunks, fileName: String,
                                             inspect: (URL, AllowedMediaType) async throws -> Void = { _, _ in }) async throws -> StoredBlob
    where Chunks.Element == [UInt8] {
        let temporary = root.appendingPathComponent("tmp").appendingPathComponent(UUID().uuidString)
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: PrivateFiles.fileMode]) else {
            throw MEDKError(.internalFailure, code: "storage_failed", message: "Не удалось сохранить файл.")
        }
        var moved = false
        defer { if !moved { try? FileManager.default.removeItem(at: temporary) } }
        let handle = try FileHandle(forWritingTo: temporary)
        var hasher = SHA256()
        var size: Int64 = 0
        var head: [UInt8] = []
        do {
            for try await chunk in chunks {
                size += Int64(chunk.count)
                if size > maxBytes { throw MEDKError.fileTooLarge(limit: maxBytes) }
                if head.count < 4096 { head += chunk.prefix(4096 - head.count) }
                hasher.update(data: chunk)
                try handle.write(contentsOf: chunk)
            }
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        guard size > 0 else {
            throw MEDKError.rejected("empty_file", "Файл пуст.")
        }
        let mediaType = try sniff(temporary, head: head, fileName: fileName)
        try await inspect(temporary, mediaType)
        let hash = hasher.finalize().hexString
        let destination = url(forHash: hash)
        let directory = destination.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: PrivateFiles.directoryMode])
        if FileManager.default.fileExists(atPath: destination.path) {
            // Same content already stored: keep the existing copy untouched.
            return StoredBlob(sha256: hash, size: size, mediaType: mediaType)
        }
        guard rename(temporary.path, destination.path) == 0 else {
            throw MEDKError(.internalFailure, code: "storage_failed", message: "Не удалось сохранить файл.")
        }
        moved = true
        Self.syncDirectory(directory)
        return StoredBlob(sha256: hash, size: size, mediaType: mediaType)
    }

    /// Removes temporary files nothing is writing any more: uploads and forms cut off by a crash
    /// or a kill. Files younger than `age` are left alone (another process may be writing them).
    @discardableResult
    public func removeAbandonedTemporaryFiles(olderThan age: TimeInterval, now: Date = Date()) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporaryDirectory.path)) ?? []
        var removed = 0
        for name in names {
            let url = temporaryDirectory.appendingPathComponent(name)
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
                  now.timeIntervalSince(modified) > age else { continue }
            if (try? FileManager.default.removeItem(at: url)) != nil { removed += 1 }
        }
        return removed
    }

    public func store(bytes: [UInt8], fileName: String) async throws -> StoredBlob {
        try await store(OneChunk(bytes: bytes), fileName: fileName)
    }

    public func read(hash: String) throws -> Data {
        try Data(contentsOf: url(forHash: hash))
    }

    private func sniff(_ file: URL, head: [UInt8], fileName: String) throws -> AllowedMediaType {
        // Containers (ZIP, OLE) name their parts anywhere in the file; only those are read whole.
        var whole: Data?
        let detected = MediaTypeSniffer.detect(head: head, fileName: fileName) { needle in
            if whole == nil { whole = (try? Data(contentsOf: file, options: .alwaysMapped)) ?? Data() }
            return whole!.range(of: Data(needle.utf8)) != nil
        }
        guard let detected else {
            throw MEDKError(.unsupportedMediaType, code: "unsupported_media_type",
                            message: "Формат файла «\(fileName)» не поддерживается. Допустимы: \(AllowedMediaType.russianList).")
        }
        return detected
    }

    private static func syncDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }
}

extension MEDKError {
    public static func fileTooLarge(limit: Int64) -> MEDKError {
        MEDKError(.tooLarge, code: "file_too_large",
                  message: "Файл больше допустимого размера (\(limit / 1024 / 1024) МБ).")
    }
}
