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

    static func chunkCount(_ size: Int64) -> Int { Int((size + Int64(chunkSize) - 1) / Int64(chunkSize)) }

    func contains(_ sha256: String) async throws -> Bool {
        try await PostgresStore.mapping(logger) {
            try await database.withConnection { connection in
                try !connection.query("SELECT 1 FROM file_blobs WHERE sha256 = $1", [.text(sha256)]).isEmpty
            }
        }
    }

    func keep(_ temporary: URL, sha256: String, size: Int64) async throws {
        try await PostgresStore.mapping(logger) {
            try await database.write { connection in
                if let written = try Self.write(temporary, sha256: sha256, size: size, on: connection), written != size {
                    throw MEDKError(.internalFailure, code: "storage_failed", message: "Не удалось сохранить файл.")
                }
            }
        }
    }

    /// Writes `file`'s row and chunks inside the caller's transaction on `connection`, reading the
    /// file to its end one chunk at a time and handing each to `reading` (the copy between
    /// databases hashes them); the bytes written, or nil when the file is kept already — two
    /// servers keeping the same file at once: the second waits for the first's row and then finds
    /// it there (or, if the first rolled back, writes it itself).
    static func write(_ file: URL, sha256: String, size: Int64, on connection: PGConnection,
                      reading: (Data) -> Void = { _ in }) throws -> Int64? {
        let claimed = try connection.query("""
            INSERT INTO file_blobs (sha256, size, chunk_count) VALUES ($1, $2, $3)
            ON CONFLICT (sha256) DO NOTHING RETURNING sha256
            """, [.text(sha256), .integer(size), .integer(Int64(chunkCount(size)))])
        guard !claimed.isEmpty else { return nil }
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var written: Int64 = 0, seq: Int64 = 0
        while let data = try handle.read(upToCount: chunkSize), !data.isEmpty {
            reading(data)
            written += Int64(data.count)
            try connection.query("INSERT INTO file_chunks (sha256, seq, data) VALUES ($1, $2, $3)",
                                 [.text(sha256), .integer(seq), .bytes([UInt8](data))])
            seq += 1
        }
        return written
    }

    func content(_ sha256: String, size: Int64) -> FileContent {
        .chunks(KeptFileChunks(count: Self.chunkCount(size)) { [database, logger] index in
            // One statement outside a transaction: a file's chunks never change once kept.
            try await PostgresStore.mapping(logger) {
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
}
