import Foundation
import Logging

/// What `medk backup` wrote, and what checking it found.
public struct BackupReport: Sendable, Hashable {
    public var location: URL
    public var manifest: BackupManifest
    /// The backup read back and checked (`--verify`), nil when not asked.
    public var check: DataCheckReport?
}

/// What `medk restore` brought back.
public struct RestoreReport: Sendable, Hashable {
    public var dataDirectory: URL
    public var manifest: BackupManifest
    /// Where the directory that was replaced now is (kept, never deleted), nil when there was none.
    public var previousDirectory: URL?
    public var check: DataCheckReport
}

/// Backups of an embedded (SQLite) installation and their restore (issue 25). A backup is a
/// directory in a data directory's layout — the database copied online, the documents it names,
/// the audit key only when asked — with `manifest.json` written last; it is built beside its final
/// name and renamed into place, so a backup that exists is a finished one. A restore trusts nothing
/// in it: the database's hash and own check, then a copy that is migrated and checked (every
/// document's hash, the audit chain continuing the backup's signed checkpoint and any given) before
/// it replaces anything, and what it replaces is moved aside rather than deleted.
public struct Backups: Sendable {
    let store: any Store
    let files: FileStore
    let auditKeys: AuditKeySource
    let clock: any Clock

    /// Writes a backup of the live database and its documents to `backup` (which must not exist).
    public func write(to backup: URL, includingKey: Bool, verify: Bool,
                      progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> BackupReport {
        let backup = backup.standardizedFileURL
        guard !FileManager.default.fileExists(atPath: backup.path) else {
            throw MEDKError.invalid("file_exists", "«\(backup.path)» уже существует; укажите новый каталог для копии.")
        }
        let staging = Self.sibling(of: backup, named: "incomplete")
        try PrivateFiles.makeDirectory(staging)
        do {
            progress("Копия базы…")
            let database = staging.appendingPathComponent("medk.sqlite")
            try await store.backup(to: database.path)
            PrivateFiles.restrict(database.path)
            let copy = try SQLiteCopy(path: database.path, auditKeys: auditKeys)
            let now = Timestamp.string(clock.now())
            let (kept, checkpoint, lastSeq) = try await copy.read { store in
                let head = try store.auditHead()
                let key = try head.flatMap { head in try store.auditKeys().key(for: head.seq) }
                let checkpoint = try head.flatMap { head in
                    try key.map { key in try AuditCheckpoint.signed(seq: head.seq, hash: head.hash, at: now, with: key) }
                }
                return (try store.documentFiles(), checkpoint, head?.seq ?? 0)
            }
            progress("Копия файлов документов: \(kept.count)…")
            let target = DirectoryFiles(root: staging.appendingPathComponent("files"))
            var fileBytes: Int64 = 0
            for file in kept {
                guard case .localFile(let source) = files.content(sha256: file.sha256, size: file.size) else {
                    throw MEDKError.rejected("backup_by_postgres", "Файлы документов хранятся в PostgreSQL: их копирует pg_dump.")
                }
                fileBytes += try Self.copy(source, to: target, file)
            }
            if includingKey {
                try PrivateFiles.writeDurably(Data(try auditKeys.ring().fileText.utf8), to: staging.appendingPathComponent("audit.key"))
            }
            let (sha256, bytes) = try PrivateFiles.sha256(of: database)
            try PrivateFiles.sync(database)
            let manifest = BackupManifest(
                format: BackupManifest.currentFormat, createdAt: now,
                database: .init(bytes: bytes, sha256: sha256), files: .init(count: kept.count, bytes: fileBytes),
                audit: .init(lastSeq: lastSeq, checkpoint: checkpoint), includesAuditKey: includingKey)
            try manifest.write(to: staging)
            PrivateFiles.syncDirectory(staging)
            try Self.rename(staging, to: backup)
            var report = BackupReport(location: backup, manifest: manifest, check: nil)
            if verify {
                report.check = try await Self.verify(backup: backup, keys: auditKeys, progress: progress)
            }
            return report
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// Reads a finished backup back and checks all of it: the database file against the manifest
    /// and by its own check, every document by its hash, the audit chain against the backup's
    /// signed checkpoint and `checkpoints`. Changes nothing in it.
    /// The key is `auditKeyFile`, else the backup's own, else the one in `dataDirectory`.
    public static func verify(backup: URL, auditKeyFile: URL? = nil, dataDirectory: URL? = nil, checkpoints: [AuditCheckpoint] = [],
                              progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> DataCheckReport {
        _ = try BackupManifest.read(from: backup)  // not a backup: said before asking for its key
        let keys = try KeyChoice(backup: backup, given: auditKeyFile, dataDirectory: dataDirectory).source
        return try await verify(backup: backup, keys: keys, checkpoints: checkpoints, progress: progress)
    }

    static func verify(backup: URL, keys: AuditKeySource, checkpoints: [AuditCheckpoint] = [],
                       progress: @escaping @Sendable (String) -> Void) async throws -> DataCheckReport {
        let manifest = try BackupManifest.read(from: backup)
        let copy = try checkedDatabase(in: backup, manifest: manifest, keys: keys)
        let report = try await DataCheck.run(copy, files: DirectoryFiles(root: backup.appendingPathComponent("files")),
                                             checkpoints: [manifest.audit.checkpoint].compactMap { $0 } + checkpoints,
                                             progress: progress)
        try expect(report, matches: manifest)
        return report
    }

    /// Restores `backup` into `directory`. A directory that holds anything is replaced only when
    /// `replacing`, only when no process uses it, and is kept beside under a new name.
    public static func restore(from backup: URL, into directory: URL, replacing: Bool, auditKeyFile: URL? = nil,
                               checkpoints: [AuditCheckpoint] = [], logger: Logger = Logger(label: "medk.restore"),
                               progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> RestoreReport {
        let backup = backup.standardizedFileURL, directory = directory.standardizedFileURL
        guard backup != directory else {
            throw MEDKError.invalid("same_directory", "Копию нельзя восстановить в её же каталог: укажите каталог данных.")
        }
        let manifest = try BackupManifest.read(from: backup)
        let occupied = try Self.occupied(directory)
        if occupied && !replacing {
            throw MEDKError(.conflict, code: "data_directory_not_empty", message: """
                В каталоге \(directory.path) уже есть данные. Чтобы заменить их копией, добавьте --replace: \
                прежний каталог не удаляется, а переименовывается и остаётся рядом.
                """)
        }
        // Held until the restored directory is in place: no server starts on it meanwhile.
        let lock = occupied ? try DataDirectoryLock.exclusive(directory) : nil
        if occupied && lock == nil {
            throw MEDKError(.conflict, code: "data_directory_in_use", message: """
                Каталогом \(directory.path) сейчас пользуется сервер МЭДК или команда medk: остановите их и повторите.
                """)
        }
        let keys = try KeyChoice(backup: backup, given: auditKeyFile, dataDirectory: directory)
        progress("Проверка базы в копии…")
        let database = try checkedDatabase(in: backup, manifest: manifest, keys: keys.source)
        if let problems = try await database.integrityProblems(), !problems.isEmpty {
            throw MEDKError(.conflict, code: "backup_damaged", message: "База в копии повреждена (integrity_check): \(problems.prefix(3).joined(separator: "; ")).")
        }
        let kept = try await database.read { store in try store.documentFiles() }

        let staging = sibling(of: directory, named: "restoring")
        do {
            try PrivateFiles.makeDirectory(staging)
            progress("Перенос базы и \(kept.count) файлов документов…")
            try PrivateFiles.copyDurably(from: backup.appendingPathComponent("medk.sqlite"), to: staging.appendingPathComponent("medk.sqlite"))
            let source = DirectoryFiles(root: backup.appendingPathComponent("files"))
            let target = DirectoryFiles(root: staging.appendingPathComponent("files"))
            for file in kept {
                _ = try copy(source.url(file.sha256), to: target, file)
            }
            if let text = keys.fileText {
                try PrivateFiles.writeDurably(Data(text.utf8), to: staging.appendingPathComponent("audit.key"))
            }
            // Opened as a server would open it: an older backup's schema is migrated here, on the copy.
            let check = try await checkRestored(staging, continuing: [manifest.audit.checkpoint].compactMap { $0 } + checkpoints,
                                                logger: logger, progress: progress)
            try expect(check, matches: manifest)
            PrivateFiles.syncDirectory(staging)
            var previous: URL?
            if FileManager.default.fileExists(atPath: directory.path) {
                if occupied {
                    let aside = sibling(of: directory, named: "before-restore")
                    try rename(directory, to: aside)
                    previous = aside
                } else {
                    try FileManager.default.removeItem(at: directory)  // empty
                }
            }
            try rename(staging, to: directory)
            withExtendedLifetime(lock) {}
            return RestoreReport(dataDirectory: directory, manifest: manifest, previousDirectory: previous, check: check)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// Opens the restored copy as a server would (an older backup's schema is migrated here, on the
    /// copy), checks it, and closes it again — also when the check fails, so that nothing of it
    /// writes into the directory while it is removed.
    private static func checkRestored(_ staging: URL, continuing checkpoints: [AuditCheckpoint], logger: Logger,
                                      progress: @escaping @Sendable (String) -> Void) async throws -> DataCheckReport {
        let service = try MEDKService(dataDirectory: staging, logger: logger)
        let check: Result<DataCheckReport, any Error>
        do {
            check = .success(try await service.checkData(continuing: checkpoints, progress: progress))
        } catch {
            check = .failure(error)
        }
        try await service.settleBeforeExit()
        return try check.get()
    }

    /// The audit keys a restore checks with, and what goes into the restored directory's
    /// `audit.key`: `MEDK_AUDIT_KEY` when set (as the servers will use it; no file then), else the
    /// file named, else the backup's own copy, else the one already in the data directory.
    struct KeyChoice {
        var source: AuditKeySource
        var fileText: String?

        init(backup: URL, given: URL?, dataDirectory: URL?) throws {
            if let environment = ProcessInfo.processInfo.environment["MEDK_AUDIT_KEY"] {
                source = try AuditKeySource(file: backup.appendingPathComponent("audit.key"), environmentText: environment)
                fileText = nil
                return
            }
            let candidates = [given, backup.appendingPathComponent("audit.key"), dataDirectory?.appendingPathComponent("audit.key")]
            if let given, !FileManager.default.fileExists(atPath: given.path) {
                throw MEDKError.invalid("audit_key_missing", "Файла ключа журнала \(given.path) нет.")
            }
            guard let file = candidates.compactMap({ $0 }).first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
                throw MEDKError.invalid("audit_key_needed", """
                    Нужен ключ журнала аудита: копия сделана без него. Укажите его файл (--audit-key ФАЙЛ) \
                    или задайте MEDK_AUDIT_KEY — без ключа журнал нельзя ни проверить, ни продолжить.
                    """)
            }
            source = try AuditKeySource(file: file, environmentText: nil)
            fileText = try source.ring().fileText
        }
    }

    /// The backup's database file, as the manifest describes it, opened read-only.
    private static func checkedDatabase(in backup: URL, manifest: BackupManifest, keys: AuditKeySource) throws -> SQLiteCopy {
        let database = backup.appendingPathComponent("medk.sqlite")
        guard FileManager.default.fileExists(atPath: database.path) else {
            throw MEDKError(.conflict, code: "backup_damaged", message: "В копии \(backup.path) нет файла базы medk.sqlite.")
        }
        let (sha256, bytes) = try PrivateFiles.sha256(of: database)
        guard sha256 == manifest.database.sha256, bytes == manifest.database.bytes else {
            throw MEDKError(.conflict, code: "backup_damaged", message: """
                Файл базы в копии \(backup.path) изменён или повреждён: его SHA-256 или размер не те, что записаны при копировании.
                """)
        }
        return try SQLiteCopy(path: database.path, auditKeys: keys)
    }

    private static func expect(_ report: DataCheckReport, matches manifest: BackupManifest) throws {
        guard report.files == manifest.files.count, report.fileBytes == manifest.files.bytes else {
            throw MEDKError(.conflict, code: "backup_damaged", message: """
                В копии файлов документов \(report.files), а при копировании их было \(manifest.files.count).
                """)
        }
    }

    /// Copies one kept document into `target`'s layout; its size.
    private static func copy(_ source: URL, to target: DirectoryFiles, _ file: KeptFile) throws -> Int64 {
        let destination = target.url(file.sha256)
        try PrivateFiles.makeDirectory(destination.deletingLastPathComponent())
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw MEDKError(.conflict, code: "file_missing", message: "Нет файла документа \(file.sha256) (\(source.path)).")
        }
        try PrivateFiles.copyDurably(from: source, to: destination)
        return file.size
    }

    /// Whether `directory` holds anything (a database, files, a key) a restore would replace.
    private static func occupied(_ directory: URL) throws -> Bool {
        guard FileManager.default.fileExists(atPath: directory.path) else { return false }
        let entries = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return !entries.isEmpty
    }

    /// A new name beside `url` on the same file system, so that renaming into place is atomic.
    private static func sibling(of url: URL, named purpose: String) -> URL {
        let stamp = Timestamp.string(Date()).replacingOccurrences(of: ":", with: "")
        return url.deletingLastPathComponent().appendingPathComponent("\(url.lastPathComponent).\(purpose)-\(stamp)-\(UUID().uuidString.prefix(8))")
    }

    private static func rename(_ from: URL, to: URL) throws {
        guard Foundation.rename(from.path, to.path) == 0 else {
            throw MEDKError(.internalFailure, code: "rename_failed",
                            message: "Не удалось переименовать \(from.path) в \(to.path): \(String(cString: strerror(errno))).")
        }
        PrivateFiles.syncDirectory(to.deletingLastPathComponent())
    }
}

extension MEDKService {
    /// Backups of this installation (`medk backup`).
    public var backups: Backups { Backups(store: store, files: files, auditKeys: auditKeys, clock: clock) }
}
