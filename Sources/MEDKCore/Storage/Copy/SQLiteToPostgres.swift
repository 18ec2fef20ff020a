import Crypto
import Foundation
import GRDB

/// Moves a whole SQLite data directory into an empty PostgreSQL database: every table row for row
/// (the schemas keep the same tables, columns and value kinds), the audit chain as it is, and
/// every document file into `file_blobs`/`file_chunks`, each file's SHA-256 checked on the way.
///
/// One read transaction on SQLite (a consistent snapshot) and one write transaction on PostgreSQL:
/// a copy that fails anywhere — a damaged file, a row PostgreSQL refuses — leaves the target as
/// empty as it was. Rows go by `COPY … FROM STDIN`, streamed from a SQLite cursor, so memory stays
/// flat whatever the size; the target's own triggers (which keep the derived tallies) are off
/// during the copy, because the tallies are copied as they are.
struct SQLiteToPostgres {
    let source: URL
    let targetURL: String
    let progress: @Sendable (String) -> Void

    /// Tables only PostgreSQL has: its schema versions, the chain's head, the kept files.
    static let postgresOnly: Set<String> = ["medk_schema_versions", "file_blobs", "file_chunks"]

    /// The source database, read only.
    private func openSource() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: source.appendingPathComponent("medk.sqlite").path, configuration: configuration)
    }

    /// - Parameter migrations: the target's schema; an older one than today's only in the tests of
    ///   upgrades (`PostgresUpgradeTests`), which then copy the tables that version has.
    func run(migrations: [PGSchema.Migration] = PGSchema.migrations) throws -> DatabaseCopyReport {
        let started = Date()
        let sqlite = try openSource()
        let target = try PGConnection(url: targetURL)
        _ = try PGMigrator.migrate(target, at: Date(), migrations: migrations)
        let present = Set(try target.query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()")
            .compactMap { $0.text(0) })
        return try sqlite.read { db in
            guard try Migrations.migrator.hasCompletedMigrations(db) else {
                throw MEDKError.rejected("source_not_migrated", "База в \(source.path) старой версии: сначала medk migrate --data-dir \(source.path).")
            }
            let tables = try Self.tables(db).filter(present.contains)
            try target.execute("BEGIN")
            do {
                try refuseUnlessEmpty(target, tables: tables)
                let foreignKeys = try Self.dropForeignKeys(target)
                for table in tables { try target.execute("ALTER TABLE \(table) DISABLE TRIGGER USER") }
                var counts: [DatabaseCopyReport.Table] = []
                for table in tables {
                    let rows = try copy(table, from: db, to: target)
                    counts.append(.init(name: table, rows: rows))
                    progress("  \(table): \(rows)")
                }
                for table in tables { try target.execute("ALTER TABLE \(table) ENABLE TRIGGER USER") }
                progress("  внешние ключи: проверка всех строк")
                for key in foreignKeys {
                    try target.execute("ALTER TABLE \(key.table) ADD CONSTRAINT \(key.name) \(key.definition)")
                }
                try Self.advanceIdentities(target)
                let (files, bytes) = present.contains("file_blobs") ? try copyFiles(db, to: target) : (0, 0)
                try target.execute("COMMIT")
                // Statistics for the planner and the visibility map for index-only scans, now rather
                // than from autovacuum while the first servers work (pg_restore's advice too).
                progress("  VACUUM ANALYZE")
                do {
                    try target.execute("VACUUM (ANALYZE)")
                } catch {
                    progress("  VACUUM ANALYZE не выполнен (\(error)); данные перенесены, выполните его сами")
                }
                return DatabaseCopyReport(tables: counts, files: files, fileBytes: bytes, seconds: Date().timeIntervalSince(started))
            } catch {
                if target.isUsable { try? target.execute("ROLLBACK") }
                throw error
            }
        }
    }

    /// Tables of SQLite's schema (every one of them is in PostgreSQL's too).
    static func tables(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name
            """)
    }

    /// The target's foreign keys, dropped for the copy and added again after it: the tables refer to
    /// each other in a cycle (a measure's report is an item, a roadmap's measure names its item),
    /// so no order of tables satisfies them row by row; adding them again checks every row at once.
    struct ForeignKey {
        var table: String, name: String, definition: String
    }

    static func dropForeignKeys(_ target: PGConnection) throws -> [ForeignKey] {
        let keys = try target.query("""
            SELECT conrelid::regclass::text, conname::text, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype = 'f' AND connamespace = current_schema()::regnamespace ORDER BY 1, 2
            """).map { ForeignKey(table: $0.text(0)!, name: $0.text(1)!, definition: $0.text(2)!) }
        for key in keys { try target.execute("ALTER TABLE \(key.table) DROP CONSTRAINT \(key.name)") }
        return keys
    }

    private func refuseUnlessEmpty(_ target: PGConnection, tables: [String]) throws {
        for table in tables + ["file_blobs"] where try target.query("SELECT to_regclass($1)::text", [.text(table)]).first?.text(0) != nil {
            guard try target.query("SELECT 1 FROM \(table) LIMIT 1").isEmpty else {
                throw MEDKError(.conflict, code: "target_not_empty", message: """
                    В базе PostgreSQL уже есть данные (таблица \(table)): переносят в пустую базу (createdb), \
                    и до переноса на ней не запускают сервер.
                    """)
            }
        }
    }

    /// One table by COPY: its SQLite columns by name, values in COPY's text format.
    private func copy(_ table: String, from db: Database, to target: PGConnection) throws -> Int {
        let columns = try db.columns(in: table).map(\.name)
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        var rows = 0
        try target.copyIn("COPY \(table) (\(list)) FROM STDIN") { send in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20)
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(list) FROM \(table)")
            while let row = try cursor.next() {
                for index in 0..<columns.count {
                    if index > 0 { buffer.append(UInt8(ascii: "\t")) }
                    Self.append(row[index] as DatabaseValue, to: &buffer)
                }
                buffer.append(UInt8(ascii: "\n"))
                rows += 1
                if buffer.count >= 1 << 20 {
                    try send(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            if !buffer.isEmpty { try send(buffer) }
        }
        return rows
    }

    /// A value in COPY's text format: `\N` for NULL, backslash escapes in text, `\\x…` for bytes.
    static func append(_ value: DatabaseValue, to buffer: inout [UInt8]) {
        switch value.storage {
        case .null:
            buffer += [UInt8(ascii: "\\"), UInt8(ascii: "N")]
        case .int64(let number):
            buffer += Array(String(number).utf8)
        case .double(let number):
            buffer += Array("\(number)".utf8)
        case .string(let text):
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case UInt8(ascii: "\t"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case UInt8(ascii: "\n"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case UInt8(ascii: "\r"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                default: buffer.append(byte)
                }
            }
        case .blob(let data):
            buffer += Array(#"\\x"#.utf8)
            let digits = Array("0123456789abcdef".utf8)
            for byte in data {
                buffer.append(digits[Int(byte >> 4)])
                buffer.append(digits[Int(byte & 0x0F)])
            }
        }
    }

    /// Identity columns continue after the copied rows, as SQLite's rowids would.
    static func advanceIdentities(_ target: PGConnection) throws {
        let identities = try target.query("""
            SELECT table_name::text, column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND is_identity = 'YES'
            """)
        for identity in identities {
            let table = identity.text(0)!, column = identity.text(1)!
            try target.query("""
                SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(\(column)) FROM \(table)), 0) + 1, false)
                """, [.text(table), .text(column)])
        }
    }

    /// Every file a document version names, from the data directory into PostgreSQL's chunks, its
    /// SHA-256 recomputed on the way: a missing or altered file stops the copy.
    private func copyFiles(_ db: Database, to target: PGConnection) throws -> (Int, Int64) {
        let directory = DirectoryFiles(root: source.appendingPathComponent("files"))
        let files = try Row.fetchAll(db, sql: "SELECT sha256, max(size) FROM item_files GROUP BY sha256 ORDER BY sha256")
        var bytes: Int64 = 0
        for (index, file) in files.enumerated() {
            let sha256: String = file[0], size: Int64 = file[1]
            let url = directory.url(sha256)
            guard FileManager.default.isReadableFile(atPath: url.path) else {
                throw MEDKError(.conflict, code: "file_missing", message: "Нет файла \(url.path), на который ссылается версия документа.")
            }
            var hasher = SHA256()
            // The target was empty, so every file is written here (nil would mean it was there already).
            let read = try PostgresFiles.write(url, sha256: sha256, size: size, on: target) { hasher.update(data: $0) }
            guard read == size, hasher.finalize().hexString == sha256 else {
                throw MEDKError(.conflict, code: "file_altered", message: "Файл \(url.path) не совпадает со своим SHA-256 или размером: он изменён или повреждён.")
            }
            bytes += size
            if (index + 1) % 1000 == 0 { progress("  файлы: \(index + 1) из \(files.count)") }
        }
        return (files.count, bytes)
    }

    /// Rows of every table on both sides, for the verification after the copy.
    func rowCounts(tables: [String]) throws -> (sqlite: [String: Int], postgres: [String: Int]) {
        let sqlite = try openSource()
        let target = try PGConnection(url: targetURL)
        var left: [String: Int] = [:], right: [String: Int] = [:]
        try sqlite.read { db in
            for table in tables { left[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
        }
        for table in tables { right[table] = Int(try target.query("SELECT count(*) FROM \(table)").first?.integer(0) ?? -1) }
        return (left, right)
    }
}

/// What a copy moved.
public struct DatabaseCopyReport: Sendable, Hashable {
    public struct Table: Sendable, Hashable {
        public var name: String
        public var rows: Int
    }
    public var tables: [Table]
    public var files: Int
    public var fileBytes: Int64
    public var seconds: Double
}
