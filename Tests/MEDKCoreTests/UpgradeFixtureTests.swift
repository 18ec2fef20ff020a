import Foundation
import GRDB
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// Databases of every schema version MEDK has shipped (Tests/MEDKCoreTests/Fixtures/upgrades), and
/// what must hold when today's MEDK opens one: it upgrades in one step to today's schema, keeps every
/// row of every table, and its audit chain verifies. How the fixtures were made: see their README.
@Suite("Upgrades from every released schema", .enabled(if: TestWorld.onSQLite, "the fixtures are SQLite files"))
struct UpgradeFixtureTests {
    static var versions: [Int] { Array(1...Migrations.steps.count) }
    static func name(_ version: Int) -> String { UpgradeFixtures.name(version) }
    static func copy(_ version: Int) throws -> URL { try UpgradeFixtures.copy(version) }
    static var unpacked: URL { UpgradeFixtures.unpacked }
    static var archive: URL { UpgradeFixtures.archive }

    /// Rows of every table (GRDB's bookkeeping and SQLite's own aside).
    static func rowCounts(_ path: String) throws -> [String: Int] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            var counts: [String: Int] = [:]
            for table in try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
                """) {
                counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(table)\"") ?? 0
            }
            return counts
        }
    }

    @Test("there is a fixture for every schema version, with data in every one of its tables", arguments: versions)
    func fixtureIsComplete(version: Int) throws {
        let path = Self.unpacked.appendingPathComponent(Self.name(version)).appendingPathComponent("medk.sqlite").path
        let queue = try DatabaseQueue(path: path)
        let applied = try queue.read { db in try Migrations.appliedSteps(db) }
        try queue.close()
        #expect(applied == Set(Migrations.steps.prefix(version).map(\.id)), "the fixture is at version \(version), no further")
        let empty = try Self.rowCounts(path).filter { $0.value == 0 }.map(\.key).sorted()
        #expect(empty.isEmpty, "tables without rows at \(Self.name(version)): \(empty)")
    }

    @Test("a database of each released schema upgrades to today's: every row kept, every file and the audit chain intact", arguments: versions)
    func upgradesKeepingEverything(version: Int) async throws {
        let directory = try Self.copy(version)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("medk.sqlite").path
        let before = try Self.rowCounts(database)
        let service = try MEDKService(dataDirectory: directory, hasher: .fastForTests)
        let after = try Self.rowCounts(database)
        for (table, rows) in before {
            #expect((after[table] ?? -1) >= rows, "\(Self.name(version)): \(table) had \(rows) rows, has \(after[table] ?? 0)")
        }
        #expect(try await service.schemaSQL() == (try await TestWorld().service.schemaSQL()), "the schema is today's")
        let check = try await service.checkData()
        #expect(check.auditEntries == before["audit_log"], "\(Self.name(version)): the upgrade writes nothing into the log")
        #expect(check.files > 0, "every document's file is there, with its hash")
        // The people in it can still sign in, and the installation goes on writing its chain.
        let admin = try await service.login("admin", password: DemoData.password)
        _ = try await service.authenticate(token: admin.token)
        try await service.settleBeforeExit()
        guard case .intact = try await service.verifyAudit() else { Issue.record("the chain goes on after sign-in"); return }
    }

    @Test("an upgrade whose last step fails leaves the database exactly as the previous version left it")
    func failedUpgradeChangesNothing() throws {
        let version = 15
        let directory = try Self.copy(version)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("medk.sqlite").path
        let schema = { (queue: DatabaseQueue) in
            try queue.read { db in try String.fetchAll(db, sql: "SELECT coalesce(sql, name) FROM sqlite_master ORDER BY type, name") }
        }
        let queue = try DatabaseQueue(path: database)
        let schemaBefore = try schema(queue), rowsBefore = try Self.rowCounts(database)
        let failing = Migrations.Step("v99_failing") { db in
            try db.execute(sql: "CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
            throw MEDKError(.internalFailure, code: "step_failed", message: "Шаг схемы не выполнен.")
        }
        let error = #expect(throws: MEDKError.self) { try Migrations.upgrade(queue, steps: Migrations.steps + [failing]) }
        #expect(error?.code == "step_failed")
        #expect(try schema(queue) == schemaBefore, "not one of the ten steps before the failing one stays applied")
        #expect(try queue.read { db in try Migrations.appliedSteps(db) } == Set(Migrations.steps.prefix(version).map(\.id)))
        try queue.close()
        #expect(try Self.rowCounts(database) == rowsBefore)
        // And a newer MEDK's database is not opened by an older one.
        let newer = try DatabaseQueue(path: database)
        try Migrations.upgrade(newer)
        try newer.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99_from_the_future')") }
        let tooNew = #expect(throws: MEDKError.self) { try Migrations.upgrade(newer) }
        #expect(tooNew?.code == "database_too_new")
        try newer.close()
    }

    // MARK: - Making the fixtures

    /// Rebuilds the fixtures (`MEDK_WRITE_UPGRADE_FIXTURES=1 swift test --filter writeFixtures`): see
    /// the README beside them. Run once when a schema step is added, for that step's version; the
    /// older versions' files stay as they were.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["MEDK_WRITE_UPGRADE_FIXTURES"] == "1"))
    func writeFixtures() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("medk-fixtures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let source = work.appendingPathComponent("today")
        let service = try MEDKService(dataDirectory: source, hasher: .fastForTests)
        #expect(try await DemoData.seed(into: service))
        _ = try? await service.login("admin", password: "not the password", client: ClientAddress("192.0.2.1")!)
        _ = try await service.login("admin", password: DemoData.password)
        try await service.settleBeforeExit()
        try FixtureSource.fillTablesTheDemoLeavesEmpty(source.appendingPathComponent("medk.sqlite").path)
        let output = work.appendingPathComponent("out")
        // The versions not asked for stay as they were committed.
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: Self.archive.path) {
            for version in Self.versions where FileManager.default.fileExists(atPath: Self.unpacked.appendingPathComponent(Self.name(version)).path) {
                try FileManager.default.copyItem(at: Self.unpacked.appendingPathComponent(Self.name(version)),
                                                 to: output.appendingPathComponent(Self.name(version)))
            }
        }
        for version in Self.versions where ProcessInfo.processInfo.environment["MEDK_FIXTURE_VERSIONS"].map({
            $0.split(separator: ",").contains(Substring(String(version)))
        }) ?? true {
            try? FileManager.default.removeItem(at: output.appendingPathComponent(Self.name(version)))
            let empty = try FixtureSource.write(version: version, from: source, to: output.appendingPathComponent(Self.name(version)))
            #expect(empty.isEmpty, "\(Self.name(version)): no rows for \(empty)")
        }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.environment = ["XZ_OPT": "-9e"]
        tar.arguments = ["--sort=name", "--owner=0", "--group=0", "--mtime=2026-12-08 00:00Z", "-cJf", Self.archive.path, "-C", output.path]
            + Self.versions.map(Self.name)
        try processLaunch.withLock { _ in try tar.run() }
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
    }
}

/// How a fixture of an older version is made from a database of today's: the older schema built by
/// the steps up to that version, today's rows copied into the columns that existed then (a row the
/// older constraints refuse is left out), and the audit chain re-linked and re-hashed as that
/// version's MEDK would have written it (before v4, without a key).
enum FixtureSource {
    /// Returns the tables left without rows.
    static func write(version: Int, from source: URL, to target: URL) throws -> [String] {
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let path = target.appendingPathComponent("medk.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: Migrations.steps[version - 1].id)
        let keyed = try queue.read { db in try db.tableExists("audit_keys") }
        try queue.writeWithoutTransaction { db in
            // Foreign keys on: a row whose parent the older schema refused (a regional document
            // before v10 knew them) is refused in turn.
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "ATTACH DATABASE ? AS today", arguments: [source.appendingPathComponent("medk.sqlite").path])
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
                ORDER BY rowid
                """)
            try db.inTransaction {
                // Tables come in the order they were made, not in the order their keys need (v2 rebuilt
                // `items` after `item_files` was made): a row refused for a missing parent is tried again
                // after the others, until a pass adds nothing.
                var waiting: [(table: String, columns: [String], rows: [Row])] = []
                for table in tables where try db.tableExists(table, in: "today") {
                    let then = try Row.fetchAll(db, sql: "PRAGMA main.table_info(\"\(table)\")").map { $0["name"] as String }
                    let now = Set(try Row.fetchAll(db, sql: "PRAGMA today.table_info(\"\(table)\")").map { $0["name"] as String })
                    let names = then.filter(now.contains)
                    let rows = try Row.fetchAll(db, sql: "SELECT \(names.map { "\"\($0)\"" }.joined(separator: ", ")) FROM today.\"\(table)\"")
                    waiting.append((table, names, rows))
                }
                var reasons: [String: (Int, String)] = [:]
                for _ in 0..<6 {
                    var next: [(table: String, columns: [String], rows: [Row])] = []
                    reasons = [:]
                    for (table, names, rows) in waiting {
                        var refused: [Row] = []
                        for row in rows {
                            if let reason = insert(db, table, names, row) {
                                refused.append(row)
                                reasons[table] = ((reasons[table]?.0 ?? 0) + 1, reason)
                            }
                        }
                        if !refused.isEmpty { next.append((table, names, refused)) }
                    }
                    let progress = next.map(\.rows.count).reduce(0, +) < waiting.map(\.rows.count).reduce(0, +)
                    waiting = next
                    if !progress { break }
                }
                for (table, (count, reason)) in reasons.sorted(by: { $0.key < $1.key }) {
                    print("v\(version) \(table): \(count) rows left out: \(reason.prefix(200))")
                }
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE today")
            let orphans = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            #expect(orphans.isEmpty, "v\(version): rows pointing nowhere: \(orphans.prefix(3))")
        }
        var ring = AuditKeyRing()
        if keyed {
            let key = source.appendingPathComponent("audit.key")
            try FileManager.default.copyItem(at: key, to: target.appendingPathComponent("audit.key"))
            ring = try AuditKeyRing(parsing: String(contentsOf: key, encoding: .utf8))
        }
        try relink(path, keys: ring)
        // The documents the rows name, where a data directory keeps them.
        let kept = DirectoryFiles(root: source.appendingPathComponent("files")), copied = DirectoryFiles(root: target.appendingPathComponent("files"))
        for sha256 in try queue.read({ db in try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM item_files") }) {
            try FileManager.default.createDirectory(at: copied.url(sha256).deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: kept.url(sha256), to: copied.url(sha256))
        }
        try queue.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
        let empty = try queue.read { db in
            try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
                """).filter { table in try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(table)\"") == 0 }
        }
        try queue.close()
        return empty
    }

    /// Inserts one of today's rows into the older table; why not, when it is refused (a row the older
    /// constraints refuse is given that version's shape where it is known, `olderShape`).
    static func insert(_ db: Database, _ table: String, _ names: [String], _ row: Row) -> String? {
        let sql = "INSERT INTO main.\"\(table)\" (\(names.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))"
        do {
            try db.execute(sql: sql, arguments: StatementArguments(row.databaseValues))
            return nil
        } catch {
            if let (olderNames, older) = olderShape(table, names, Array(row.databaseValues)),
               (try? db.execute(sql: "INSERT INTO main.\"\(table)\" (\(olderNames.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: olderNames.count).joined(separator: ", ")))",
                                arguments: StatementArguments(older))) != nil {
                return nil
            }
            return "\(error)"
        }
    }

    /// Today's row as an older version kept it, where the shape changed: before v2 a school's
    /// document named its school only (its municipality came with v2's denormalisation); v13 kept
    /// each person's unsubscribe token itself, which v14 replaced by links of each message.
    static func olderShape(_ table: String, _ columns: [String], _ values: [DatabaseValue]) -> ([String], [DatabaseValue])? {
        var values = values
        switch table {
        case "items":
            guard let school = columns.firstIndex(of: "school_id"), let municipality = columns.firstIndex(of: "municipality_id"),
                  !values[school].isNull else { return nil }
            values[municipality] = .null
            return (columns, values)
        case "mail_preferences":
            return (columns + ["unsubscribe_token"], values + [SessionToken.randomURLSafe().databaseValue])
        default:
            return nil
        }
    }

    /// Numbers the log's rows 1, 2, 3… in their order (rows the older schema refused leave gaps),
    /// and links and hashes them with `keys` — computed over the rows as today's MEDK reads them
    /// after the upgrade, which is what `audit verify` will recompute.
    static func relink(_ path: String, keys: AuditKeyRing) throws {
        let scratch = path + ".upgraded"
        try? FileManager.default.removeItem(atPath: scratch)
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.writeWithoutTransaction { db in
            let triggers = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
            let names = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
            try db.inTransaction {
                for name in names { try db.execute(sql: "DROP TRIGGER \"\(name)\"") }
                let seqs = try Int64.fetchAll(db, sql: "SELECT seq FROM audit_log ORDER BY seq")
                for (index, seq) in seqs.enumerated() where seq != Int64(index + 1) {
                    try db.execute(sql: "UPDATE audit_log SET seq = ? WHERE seq = ?", arguments: [index + 1, seq])
                }
                return .commit
            }
            // The rows as they will read after the upgrade: a copy upgraded to today.
            try db.execute(sql: "VACUUM INTO ?", arguments: [scratch])
            let upgraded = try DatabaseQueue(path: scratch)
            try Migrations.migrator.migrate(upgraded)
            let entries = try upgraded.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT seq, at, actor_id, actor_login, actor_role, action, entity_type, entity_id, from_state, to_state,
                           comment, details FROM audit_log ORDER BY seq
                    """).map { row in
                    AuditEntry(seq: row[0], at: row[1], actorID: row[2], actorLogin: row[3], actorRole: (row[4] as String?).flatMap(Role.init),
                               action: AuditAction(rawValue: row[5])!, entityType: AuditEntity(rawValue: row[6])!,
                               entityID: (row[7] as String?).flatMap { Int64($0) }, fromState: row[8], toState: row[9],
                               comment: row[10], details: row[11], prevHash: "", hash: "")
                }
            }
            try upgraded.close()
            try FileManager.default.removeItem(atPath: scratch)
            try db.inTransaction {
                var previous = AuditEntry.genesisHash
                for var entry in entries {
                    entry.prevHash = previous
                    entry.hash = entry.computedHash(key: keys.key(for: entry.seq))
                    try db.execute(sql: "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
                                   arguments: [entry.prevHash, entry.hash, entry.seq])
                    previous = entry.hash
                }
                for trigger in triggers { try db.execute(sql: trigger) }
                return .commit
            }
        }
    }

    /// The tables the demonstration leaves empty, given a few plausible rows of today's schema.
    static func fillTablesTheDemoLeavesEmpty(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.write { db in
            let admin = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE login = 'admin'")!
            let region = try Int64.fetchOne(db, sql: "SELECT id FROM regions ORDER BY id LIMIT 1")!
            let (campaign, municipality) = try Row.fetchOne(db, sql: "SELECT campaign_id, municipality_id FROM items WHERE municipality_id IS NOT NULL LIMIT 1")
                .map { ($0[0] as Int64, $0[1] as Int64) }!
            let milestone = try Int64.fetchOne(db, sql: "SELECT id FROM milestones ORDER BY id LIMIT 1")!
            try db.execute(sql: "INSERT OR IGNORE INTO form_drafts (id, user_id, created_at, body) VALUES ('fixture-draft', ?, '2026-11-20 10:00:00.000', '{\"comment\":\"черновик\"}')",
                           arguments: [admin])
            try db.execute(sql: "INSERT INTO login_failures (login, address, at_ms, settled) VALUES ('admin', '192.0.2.1', 1795000000000, 0)")
            try db.execute(sql: "INSERT OR REPLACE INTO mail_lease (id, holder, expires_at) VALUES (1, 'fixture-host:1', '2026-11-20 10:01:00.000')")
            try db.execute(sql: "INSERT OR IGNORE INTO milestone_overrides (milestone_id, region_id, due_date) VALUES (?, ?, '2027-06-01')",
                           arguments: [milestone, region])
            try db.execute(sql: """
                INSERT INTO package_evaluations (campaign_id, municipality_id, region_id, version, evaluated_at, evaluator_id, evaluator_role,
                                                 total, maximum, findings)
                VALUES (?, ?, ?, 1, '2026-11-20 11:00:00.000', ?, 'federal', 3, 4, '[]')
                """, arguments: [campaign, municipality, region, admin])
            let evaluation = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO package_evaluation_scores (evaluation_id, position, score, comment) VALUES (?, '1', 2, 'Соответствует'), (?, '2', 1, 'Частично')",
                           arguments: [evaluation, evaluation])
            try db.execute(sql: "INSERT OR IGNORE INTO region_reminder_settings (region_id, days_before, review_working_days, escalation_days) VALUES (?, '7,1', 5, '3,10')",
                           arguments: [region])
            try db.execute(sql: "INSERT OR IGNORE INTO reminder_plans (region_id, plan_date, planned_at) VALUES (?, '2026-11-20', '2026-11-20 06:00:00.000')",
                           arguments: [region])
            try db.execute(sql: "INSERT OR IGNORE INTO staged_imports (token, owner_id, staged_at, data) VALUES ('fixture-stage', ?, '2026-11-20 12:00:00.000', x'00')",
                           arguments: [admin])
        }
    }
}
