import Metrics
import Crypto
import Foundation

/// A stored blob: what the database row records about an uploaded file.
public struct StoredBlob: Sendable, Hashable {
    public var sha256: String
    public var size: Int64
    public var mediaType: AllowedMediaType
}

/// Uploaded files: received into a temporary file of this server (refused past `maxBytes` while
/// the bytes arrive), checked by their bytes, hashed, and only then kept by their SHA-256 where
/// every server finds them (`FileKeeping`): a version is never overwritten, and identical uploads
/// share one copy.
public struct FileStore: Sendable {
    public let root: URL
    /// Largest upload accepted, checked while the bytes arrive.
    public let maxBytes: Int64
    let kept: any FileKeeping
    /// Uploads being received now, for the operator's metrics.
    let uploadsInProgress: Meter?

    public static let defaultMaxBytes: Int64 = 25 * 1024 * 1024

    /// Files kept in `root` itself (the embedded default).
    public init(root: URL, maxBytes: Int64 = FileStore.defaultMaxBytes) throws {
        try self.init(root: root, maxBytes: maxBytes, keeping: DirectoryFiles(root: root))
    }

    /// Temporary files in `root/tmp`, finished ones where `keeping` keeps them.
    init(root: URL, maxBytes: Int64, keeping: any FileKeeping, uploadsInProgress: Meter? = nil) throws {
        self.root = root
        self.maxBytes = maxBytes
        self.kept = keeping
        self.uploadsInProgress = uploadsInProgress
        try PrivateFiles.makeDirectory(root)
        try PrivateFiles.makeDirectory(root.appendingPathComponent("tmp"))
    }

    /// Where uploads are written before they are complete (`store`) and web forms put their files:
    /// a request's own, on the server that receives it.
    public var temporaryDirectory: URL { root.appendingPathComponent("tmp") }

    /// The bytes of a kept file, for sending.
    public func content(sha256: String, size: Int64) -> FileContent { kept.content(sha256, size: size) }

    /// Whether a file is kept whole.
    public func contains(sha256: String) async throws -> Bool { try await kept.contains(sha256) }

    /// Streams chunks to a temporary file (refusing past `maxBytes`), checks the type by the
    /// bytes, lets `inspect` look at the whole file (and refuse it), syncs, and only then hands it
    /// to where files are kept. The caller writes the database row afterwards, so a row never
    /// points at a file that is not kept whole.
    public func store<Chunks: AsyncSequence>(_ chunks: Chunks, fileName: String,
                                             inspect: (URL, AllowedMediaType) async throws -> Void = { _, _ in }) async throws -> StoredBlob
    where Chunks.Element == [UInt8] {
        uploadsInProgress?.increment()
        defer { uploadsInProgress?.decrement() }
        let temporary = root.appendingPathComponent("tmp").appendingPathComponent(UUID().uuidString)
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: PrivateFiles.fileMode]) else {
            throw MEDKError(.internalFailure, code: "storage_failed", message: "Не удалось сохранить файл.")
        }
        // Kept files are moved away or copied; whatever is left goes.
        defer { try? FileManager.default.removeItem(at: temporary) }
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
        // A copy already kept stays untouched (`keep` finds it): no separate look beforehand.
        try await kept.keep(temporary, sha256: hash, size: size)
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

    /// The whole kept file (tests, small files).
    public func read(hash: String, size: Int64) async throws -> Data {
        switch content(sha256: hash, size: size) {
        case .localFile(let url): try Data(contentsOf: url)
        case .chunks(let chunks): Data(try await chunks.collected())
        }
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
}

extension MEDKError {
    public static func fileTooLarge(limit: Int64) -> MEDKError {
        MEDKError(.tooLarge, code: "file_too_large",
                  message: "Файл больше допустимого размера (\(limit / 1024 / 1024) МБ).")
    }
}
