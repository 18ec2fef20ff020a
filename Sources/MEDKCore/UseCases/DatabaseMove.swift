import Foundation

/// Moving a region that runs on the embedded SQLite onto PostgreSQL (issue 24): the copy, then a
/// verification that does not trust it — row counts on both sides, every file read back from
/// PostgreSQL and hashed, and the audit chain verified where it now lives, with the key carried over.
public enum DatabaseMove {
    public struct Result: Sendable, Hashable {
        public var copy: DatabaseCopyReport
        /// Entries of the audit chain verified on PostgreSQL.
        public var auditEntries: Int
        /// Bytes of files read back from PostgreSQL and hashed.
        public var verifiedFileBytes: Int64
        public var verificationSeconds: Double
    }

    /// Copies the data directory `source` (stopped: what is written after the copy's snapshot
    /// stays behind) into the empty database `url`, and puts the audit key into `dataDirectory`,
    /// the new servers' data directory.
    public static func sqliteToPostgres(from source: URL, to url: String, dataDirectory: URL,
                                        progress: @escaping @Sendable (String) -> Void) async throws -> Result {
        guard FileManager.default.fileExists(atPath: source.appendingPathComponent("medk.sqlite").path) else {
            throw MEDKError.invalid("no_database", "В каталоге \(source.path) нет базы МЭДК (medk.sqlite).")
        }
        guard case .postgres = try DatabaseChoice(argument: url) else {
            throw MEDKError.invalid("invalid_database", "--to: адрес базы PostgreSQL вида postgres://пользователь@сервер/база.")
        }
        try carryAuditKey(from: source, to: dataDirectory)
        let copier = SQLiteToPostgres(source: source, targetURL: url, progress: progress)
        let report: DatabaseCopyReport
        do {
            report = try await Task.detached { try copier.run() }.value
        } catch let error as MEDKError {
            throw error
        } catch {
            // The person moving the database administers it: PostgreSQL's own words help them most.
            throw MEDKError(.conflict, code: "copy_failed", message: "Перенос не выполнен, база PostgreSQL осталась пустой: \(error)")
        }
        progress("Проверка: число строк, файлы, журнал аудита…")
        let started = Date()
        let tables = report.tables.map(\.name)
        let counts = try await Task.detached { try copier.rowCounts(tables: tables) }.value
        for table in tables where counts.sqlite[table] != counts.postgres[table] {
            throw MEDKError(.conflict, code: "copy_mismatch", message: """
                Таблица \(table): в SQLite строк \(counts.sqlite[table] ?? 0), в PostgreSQL \(counts.postgres[table] ?? 0).
                """)
        }
        let service = try MEDKService(dataDirectory: dataDirectory, database: .postgres(url: url, connections: 2))
        let files = try await service.read { store in try store.documentFiles() }
        guard files.count == report.files else {
            throw MEDKError(.conflict, code: "copy_mismatch", message: "Файлов в PostgreSQL \(files.count), перенесено \(report.files).")
        }
        var bytes: Int64 = 0
        for file in files {
            let content = service.files.content(sha256: file.sha256, size: file.size)
            guard case .chunks = content else { continue }
            let (sha256, size) = try await DataCheck.digest(content) ?? ("", -1)
            guard size == file.size, sha256 == file.sha256 else {
                throw MEDKError(.conflict, code: "copy_mismatch", message: "Файл \(file.sha256) в PostgreSQL не совпадает со своим SHA-256.")
            }
            bytes += size
        }
        let expected = report.tables.first { $0.name == "audit_log" }?.rows ?? 0
        switch try await service.verifyAudit() {
        case .intact(let rows, _) where rows == expected:
            return Result(copy: report, auditEntries: rows, verifiedFileBytes: bytes, verificationSeconds: Date().timeIntervalSince(started))
        case .intact(let rows, _):
            throw MEDKError(.conflict, code: "copy_mismatch", message: "В журнале PostgreSQL записей \(rows), перенесено \(expected).")
        case .broken(let seq, let reason):
            throw MEDKError(.conflict, code: "audit_chain_broken", message: "Журнал аудита в PostgreSQL не сходится с записи №\(seq): \(reason).")
        }
    }

    /// The new data directory gets the source's audit key file (the chain cannot be continued or
    /// verified without it); a different key already there is refused rather than overwritten.
    static func carryAuditKey(from source: URL, to dataDirectory: URL) throws {
        let key = source.appendingPathComponent("audit.key"), target = dataDirectory.appendingPathComponent("audit.key")
        try PrivateFiles.makeDirectory(dataDirectory)
        guard FileManager.default.fileExists(atPath: key.path) else { return }  // kept in MEDK_AUDIT_KEY instead
        if FileManager.default.fileExists(atPath: target.path) {
            guard FileManager.default.contentsEqual(atPath: key.path, andPath: target.path) else {
                throw MEDKError(.conflict, code: "audit_key_differs", message: """
                    В \(dataDirectory.path) уже есть другой ключ журнала (audit.key): перенос не перезаписывает ключи. \
                    Укажите пустой каталог данных для серверов на PostgreSQL.
                    """)
            }
            return
        }
        try FileManager.default.copyItem(at: key, to: target)
        PrivateFiles.restrict(target.path)
    }
}
