import Foundation
import Logging

/// Files kept in PostgreSQL, so that every server behind the balancer serves every file and the
/// database's backup holds them: `file_blobs` names a whole file by its SHA-256, `file_chunks`
/// holds its bytes in chunks of `chunkSize`. A file is written in one transaction — its row and
/// all its chunks, read from the temporary file one chunk at a time — so a half-written file is
/// never seen, and read back one chunk per statement as the client takes the bytes, so a slow
/// download holds neither a whole file in memory nor a connection between chunks.
struct PostgresFiles: FileKeeping {
    let database: PGDatabase
    let logger: Logger
    /// 256 KiB: a 25 MB file is a hundred rows; each travels in one round trip, and the chunks are
    /// stored uncompressed (documents are compressed already).
    static let chunkSize = 256 * 1024

    func contains(_ sha256: String) async throws -> Bool {
        try await mapped {
            try await database.withConnection { connection in
                try !connection.query("SELECT 1 FROM file_blobs WHERE sha256 = $1", [.text(sha256)]).isEmpty
            }
        }
    }

    func keep(_ temporary: URL, sha256: String, size: Int64) async throws {
        let chunkSize = Self.chunkSize
        let chunkCount = Int((size + Int64(chunkSize) - 1) / Int64(chunkSize))
        try await mapped { try await database.write { connection in
            // Two servers keeping the same file at once: the second waits for the first's row and
            // then finds it there (or, if the first rolled back, writes it itself).
            let claimed = try connection.query("""
                INSERT INTO file_blobs (sha256, size, chunk_count) VALUES ($1, $2, $3)
                ON CONFLICT (sha256) DO NOTHING RETURNING sha256
                """, [.text(sha256), .integer(size), .integer(Int64(chunkCount))])
            guard !claimed.isEmpty else { return }
            let handle = try FileHandle(forReadingFrom: temporary)
            defer { try? handle.close() }
            var written: Int64 = 0
            for index in 0..<chunkCount {
                guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else { break }
                written += Int64(data.count)
                try connection.query("INSERT INTO file_chunks (sha256, seq, data) VALUES ($1, $2, $3)",
                                     [.text(sha256), .integer(Int64(index)), .bytes([UInt8](data))])
            }
            guard written == size else {
                throw MEDKError(.internalFailure, code: "storage_failed", message: "Не удалось сохранить файл.")
            }
        } }
    }

    func content(_ sha256: String, size: Int64) -> FileContent {
        let count = Int((size + Int64(Self.chunkSize) - 1) / Int64(Self.chunkSize))
        return .chunks(KeptFileChunks(count: count) { [self] index in
            // One statement outside a transaction: a file's chunks never change once kept.
            try await mapped {
                try await database.withConnection { connection in
                    guard let bytes = try connection.binaryValue("SELECT data FROM file_chunks WHERE sha256 = $1 AND seq = $2",
                                                                 [.text(sha256), .integer(Int64(index))]) else {
                        throw MEDKError(.internalFailure, code: "file_missing", message: "Файл не найден в хранилище.")
                    }
                    return bytes
                }
            }
        })
    }

    private func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw PostgresStore.mapped(error, logger: logger)
        }
    }
}
