import Foundation

/// `manifest.json` of a backup directory: what was copied, so that a restore can tell a whole
/// backup from a damaged or partial one before it touches anything. A backup directory is a data
/// directory's layout (`medk.sqlite`, `files/ab/cd/<sha256>`, optionally `audit.key`) plus this file,
/// written last: a directory without it is not a finished backup.
public struct BackupManifest: Codable, Sendable, Hashable {
    public static let fileName = "manifest.json"
    public static let currentFormat = 1

    public var format: Int
    public var createdAt: String
    public var database: DatabaseFile
    public var files: Files
    public var audit: Audit
    /// Whether `audit.key` was copied into the backup (`--include-key`); by default it is not: the
    /// key is kept apart from the data, so that whoever holds a backup cannot rewrite its log.
    public var includesAuditKey: Bool

    public struct DatabaseFile: Codable, Sendable, Hashable {
        public var bytes: Int64
        public var sha256: String
    }

    public struct Files: Codable, Sendable, Hashable {
        public var count: Int
        public var bytes: Int64
    }

    public struct Audit: Codable, Sendable, Hashable {
        /// The copy's last audit row (0 for an empty log).
        public var lastSeq: Int64
        /// The copy's last row, signed with the key in use (nil for an empty or unkeyed log): the
        /// restore proves the restored log is exactly this one.
        public var checkpoint: AuditCheckpoint?
    }

    static func read(from backup: URL) throws -> BackupManifest {
        let url = backup.appendingPathComponent(fileName)
        guard let data = try? Data(contentsOf: url) else {
            throw MEDKError.invalid("not_a_backup", """
                В \(backup.path) нет \(fileName): это не копия МЭДК или её запись не закончилась (medk backup пишет этот файл последним).
                """)
        }
        guard let manifest = try? JSONDecoder().decode(BackupManifest.self, from: data) else {
            throw MEDKError(.conflict, code: "backup_damaged", message: "Файл \(url.path) повреждён: это не описание копии МЭДК.")
        }
        guard manifest.format <= currentFormat else {
            throw MEDKError.invalid("backup_too_new", "Копия записана более новой версией МЭДК (формат \(manifest.format)): восстановите её той же или более новой.")
        }
        return manifest
    }

    func write(to backup: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try PrivateFiles.writeDurably(try encoder.encode(self), to: backup.appendingPathComponent(Self.fileName))
    }
}
