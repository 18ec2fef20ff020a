import Crypto
import Foundation

/// What a check of MEDK's data found whole: the database by its own check, every stored document
/// by its SHA-256, and the audit chain by its key — continuing every checkpoint given.
public struct DataCheckReport: Sendable, Hashable {
    /// False where the backend has no check of its own to run here (PostgreSQL).
    public var databaseChecked: Bool
    public var files: Int
    public var fileBytes: Int64
    public var auditEntries: Int
    public var lastAuditHash: String
    /// The checkpoints the log was proven to continue, by their row.
    public var checkpointsContinued: [Int64]
    public var seconds: Double
}

/// Checks data without trusting it: a backup before it is restored, a restored directory before
/// it replaces anything, a live data directory (`medk check`, also on PostgreSQL after
/// `pg_restore`). Stops at the first problem and names it; changes nothing.
enum DataCheck {
    static func run(_ database: any CheckableDatabase, files: any FileKeeping, checkpoints: [AuditCheckpoint],
                    progress: @Sendable (String) -> Void = { _ in }) async throws -> DataCheckReport {
        let started = Date()
        progress("Проверка базы…")
        let problems = try await database.integrityProblems()
        if let problems, !problems.isEmpty {
            throw MEDKError(.conflict, code: "database_damaged", message: "База повреждена (integrity_check): "
                            + problems.prefix(5).joined(separator: "; ") + (problems.count > 5 ? "; …" : "") + ".")
        }
        let kept = try await database.read { store in try store.documentFiles() }
        progress("Проверка файлов документов: \(kept.count)…")
        var bytes: Int64 = 0
        for file in kept {
            bytes += try await hash(files.content(file.sha256, size: file.size), of: file)
        }
        progress("Проверка журнала аудита…")
        var continued: [Int64] = []
        var verification = AuditVerification.intact(rows: 0, lastHash: "")
        // Each checkpoint's verification walks the whole chain; without one, it is walked once.
        for checkpoint in checkpoints.isEmpty ? [nil] : checkpoints.map(Optional.some) {
            if let checkpoint, let head = try await database.read({ store in try store.auditHead() }), checkpoint.seq > head.seq {
                throw MEDKError(.conflict, code: "checkpoint_ahead", message: """
                    Контрольная точка №\(checkpoint.seq) от \(checkpoint.at) новее этих данных (в журнале записей до №\(head.seq)): \
                    проверьте их точкой, сделанной раньше.
                    """)
            }
            verification = try await database.read { store in try store.verifyAudit(extending: checkpoint) }
            guard case .intact = verification else { break }
            if let checkpoint { continued.append(checkpoint.seq) }
        }
        switch verification {
        case .intact(let rows, let lastHash):
            return DataCheckReport(databaseChecked: problems != nil, files: kept.count, fileBytes: bytes, auditEntries: rows,
                                   lastAuditHash: lastHash, checkpointsContinued: continued,
                                   seconds: Date().timeIntervalSince(started))
        case .broken(let seq, let reason):
            throw MEDKError(.conflict, code: "audit_chain_broken", message: "Журнал аудита не сходится с записи №\(seq): \(reason).")
        }
    }

    /// Hashes one kept file as it is read (never whole in memory); its size in bytes.
    private static func hash(_ content: FileContent, of file: KeptFile) async throws -> Int64 {
        guard let (sha256, size) = try await digest(content) else {
            let place = if case .localFile(let url) = content { " (\(url.path))" } else { "" }
            throw MEDKError(.conflict, code: "file_missing", message: "Нет файла документа \(file.sha256)\(place).")
        }
        guard size == file.size, sha256 == file.sha256 else {
            throw MEDKError(.conflict, code: "file_damaged",
                            message: "Файл документа \(file.sha256) не совпадает со своим SHA-256 или размером: он изменён или повреждён.")
        }
        return size
    }

    /// SHA-256 (hex) and size of a kept file's bytes, read a piece at a time; nil when a local file is not there.
    static func digest(_ content: FileContent) async throws -> (sha256: String, bytes: Int64)? {
        switch content {
        case .localFile(let url):
            guard FileManager.default.isReadableFile(atPath: url.path) else { return nil }
            return try PrivateFiles.sha256(of: url)
        case .chunks(let chunks):
            var hasher = SHA256(), size: Int64 = 0
            for try await chunk in chunks {
                hasher.update(data: chunk)
                size += Int64(chunk.count)
            }
            return (hasher.finalize().hexString, size)
        }
    }
}

extension MEDKService {
    /// Checks this data directory's database, files and audit chain (`medk check`).
    public func checkData(continuing checkpoints: [AuditCheckpoint] = [],
                          progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> DataCheckReport {
        try await DataCheck.run(store, files: files.kept, checkpoints: checkpoints, progress: progress)
    }
}
