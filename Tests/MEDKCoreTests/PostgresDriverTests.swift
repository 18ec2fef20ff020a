import Foundation
import GRDB
import Logging
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// A database of its own in the cluster `scripts/test.sh` starts (MEDK_TEST_POSTGRES_URL), dropped
/// afterwards; without the variable these tests are skipped, and `scripts/test.sh` always sets it.
struct ScratchPostgres {
    static let clusterURL = ProcessInfo.processInfo.environment["MEDK_TEST_POSTGRES_URL"]
    static var available: Bool { clusterURL != nil }

    let url: String
    private let name: String

    init() throws {
        let cluster = try #require(Self.clusterURL)
        name = "medk_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        try PGConnection(url: cluster).execute("CREATE DATABASE \(name)")
        url = cluster.replacingOccurrences(of: #"/[^/?]+(\?|$)"#, with: "/\(name)$1", options: .regularExpression)
    }

    func drop() {
        guard let cluster = Self.clusterURL else { return }
        try? PGConnection(url: cluster).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// A migrated database for the body, dropped afterwards whatever happens.
    static func with<T>(_ body: (ScratchPostgres) async throws -> T) async throws -> T {
        let scratch = try ScratchPostgres()
        defer { scratch.drop() }
        try PGMigrator.migrate(try PGConnection(url: scratch.url), at: Date(timeIntervalSince1970: 1_780_000_000))
        return try await body(scratch)
    }
}

@Suite("PostgreSQL: the connection, the schema and its triggers", .enabled(if: ScratchPostgres.available))
struct PostgresDriverTests {
    @Test("values go to PostgreSQL and come back the same: integers, doubles, Cyrillic text, bytes, null, booleans")
    func valuesRoundTrip() async throws {
        try await ScratchPostgres.with { scratch in
            let connection = try PGConnection(url: scratch.url)
            let bytes: [UInt8] = Array(0...255) + [0, 0, 255]
            let row = try #require(try connection.query("SELECT $1::bigint, $2::float8, $3::text, $4::bytea, $5::text, $6::bool",
                                                        [.integer(-9_007_199_254_740_993), .real(0.1 + 0.2), .text("Школа №1 «Ёлка»\n"),
                                                         .bytes(bytes), .null, .bool(true)]).first)
            #expect(row.values == [.integer(-9_007_199_254_740_993), .real(0.1 + 0.2), .text("Школа №1 «Ёлка»\n"), .bytes(bytes), .null, .bool(true)])
            #expect(try connection.query("SELECT 1 WHERE false").isEmpty)
        }
    }

    @Test("a refused statement names its SQLSTATE and constraint, and the transaction leaves nothing behind")
    func refusalLeavesNothing() async throws {
        try await ScratchPostgres.with { scratch in
            let database = PGDatabase(url: scratch.url, connections: 2)
            let refused = await #expect(throws: PGError.self) {
                try await database.write { connection in
                    try connection.query("INSERT INTO regions (code, name, time_zone) VALUES ('75', 'Забайкальский край', 'Asia/Chita')")
                    try connection.query("INSERT INTO regions (code, name, time_zone) VALUES ('75', 'Дубль', 'Asia/Chita')")
                }
            }
            #expect(refused?.sqlState == "23505", "unique_violation")
            if case .server(_, _, _, let constraint, _)? = refused { #expect(constraint == "regions_code_key") }
            let count = try await database.read { connection in try connection.query("SELECT count(*) FROM regions").first?.integer(0) }
            #expect(count == 0, "neither insert was kept")
        }
    }

    @Test("the schema has every table and column SQLite's has, with the kept files and the schema's versions beside them")
    func schemaMatchesSQLite() async throws {
        try await ScratchPostgres.with { scratch in
            let connection = try PGConnection(url: scratch.url)
            var postgres: [String: Set<String>] = [:]
            for row in try connection.query("""
                SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'
                """) {
                postgres[row.text(0)!, default: []].insert(row.text(1)!)
            }
            let sqlite = try DatabaseQueue()
            try Migrations.migrator.migrate(sqlite)
            var expected: [String: Set<String>] = [:]
            try sqlite.read { db in
                for table in try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
                    """) {
                    expected[table] = Set(try db.columns(in: table).map(\.name))
                }
            }
            #expect(postgres["medk_schema_versions"] != nil)
            #expect(postgres["file_blobs"] == ["sha256", "size", "chunk_count"] && postgres["file_chunks"] == ["sha256", "seq", "data"],
                    "files, a directory beside SQLite's database, are in PostgreSQL's")
            postgres["file_blobs"] = nil
            postgres["file_chunks"] = nil
            postgres["medk_schema_versions"] = nil
            for table in Set(expected.keys).union(postgres.keys).sorted() {
                #expect(postgres[table] == expected[table], "\(table)")
            }
        }
    }

    @Test("servers starting together migrate once; a later start finds nothing to do")
    func migrationsRunOnce() async throws {
        let scratch = try ScratchPostgres()
        defer { scratch.drop() }
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<3 {
                group.addTask { try PGMigrator.migrate(try PGConnection(url: scratch.url), at: Date()) }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        // The servers finish in any order (one may apply v1 and v2, another v3): which applied what is theirs to share.
        #expect(applied.sorted() == PGSchema.migrations.map(\.version), "each version applied by exactly one of them")
        #expect(try PGMigrator.migrate(try PGConnection(url: scratch.url), at: Date()).isEmpty)
        #expect(try PGMigrator.applied(try PGConnection(url: scratch.url)) == PGSchema.migrations.map(\.version))
    }

    /// A region with one municipality, its schools, a user and a campaign, all with id 1 (schools 1…n).
    static func oneMunicipality(schools: Int, login: String = "school-1") -> String {
        let values = (1...schools).map { "(\($0), 1, '7500100\(String(format: "%02d", $0))', 'Школа № \($0)')" }.joined(separator: ", ")
        return """
            INSERT INTO regions (id, code, name, time_zone) VALUES (1, '75', 'Забайкальский край', 'Asia/Chita');
            INSERT INTO municipalities (id, region_id, code, name) VALUES (1, 1, '75001', 'Чита');
            INSERT INTO schools (id, municipality_id, code, name) VALUES \(values);
            INSERT INTO users (id, login, full_name, created_at) VALUES (1, '\(login)', 'Школа', '2026-01-01 00:00:00.000');
            INSERT INTO campaigns (id, code, name, year) VALUES (1, '2026', 'Кампания', 2026);

            """
    }

    @Test("the triggers keep what SQLite's keep: tallies by state, review rounds with their wait, committed measures")
    func triggers() async throws {
        try await ScratchPostgres.with { scratch in
            let c = try PGConnection(url: scratch.url)
            try c.execute(Self.oneMunicipality(schools: 1, login: "School-1") + """
                INSERT INTO items (id, campaign_id, kind, school_id, municipality_id, region_id, title, state, created_at, created_by, updated_at)
                    VALUES (1, 1, 'roadmap', 1, 1, 1, 'Дорожная карта', 'draft', '2026-01-01 00:00:00.000', 1, '2026-01-01 00:00:00.000');
                INSERT INTO measures (roadmap_id, campaign_id, school_id, municipality_id, region_id, position, task, title, due_date,
                    responsible, expected_result, indicator, planned_value, created_at, updated_at)
                    VALUES (1, 1, 1, 1, 1, 1, 'Задача', 'Мероприятие', '2026-04-30', 'Директор', 'Результат', 'Показатель', '1',
                            '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000');
                """)
            #expect(try c.query("SELECT count(*) FROM users WHERE login = 'school-1'").first?.integer(0) == 1, "logins compare without case")
            #expect(try c.query("SELECT state, item_count FROM item_tallies").map(\.values) == [[.text("draft"), .integer(1)]])
            try c.execute("""
                UPDATE items SET state = 'submitted', submitted_at = '2026-01-02 10:00:00.000', updated_at = '2026-01-02 10:00:00.000' WHERE id = 1
                """)
            #expect(try c.query("SELECT count(*) FROM measures WHERE committed_at = '2026-01-02 10:00:00.000'").first?.integer(0) == 1)
            #expect(try c.query("SELECT open_count FROM open_measure_days").first?.integer(0) == 1)
            try c.execute("""
                UPDATE items SET state = 'confirmed', decided_at = '2026-01-02 11:30:05.000', decided_by = 1 WHERE id = 1
                """)
            #expect(try c.query("SELECT round, outcome, wait_seconds FROM review_rounds").map(\.values)
                    == [[.integer(1), .text("confirmed"), .integer(5_405)]])
            #expect(try c.query("SELECT state, item_count FROM item_tallies").map(\.values) == [[.text("confirmed"), .integer(1)]])
            try c.execute("INSERT INTO audit_log (seq, at, actor_login, action, entity_type, prev_hash, hash) VALUES (1, 'x', 'a', 'b', 'c', 'd', 'e')")
            for tampering in ["UPDATE audit_log SET hash = 'f'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
                #expect(throws: PGError.self, "the audit log is append-only: \(tampering)") { try c.execute(tampering) }
            }
            #expect(try c.query("SELECT count(*) FROM audit_log").first?.integer(0) == 1)
        }
    }

    @Test("a document taken back locks the tallies in key order: waiting for the draft tally, it holds the submitted one not yet")
    func talliesLockedInKeyOrder() async throws {
        try await ScratchPostgres.with { scratch in
            let setup = try PGConnection(url: scratch.url)
            try setup.execute(Self.oneMunicipality(schools: 2) + """
                INSERT INTO items (id, campaign_id, kind, school_id, municipality_id, region_id, title, state, created_at, created_by, updated_at)
                    VALUES (1, 1, 'roadmap', 1, 1, 1, 'Дорожная карта', 'draft', '2026-01-01 00:00:00.000', 1, '2026-01-01 00:00:00.000'),
                           (2, 1, 'roadmap', 2, 1, 1, 'Дорожная карта', 'draft', '2026-01-01 00:00:00.000', 1, '2026-01-01 00:00:00.000');
                UPDATE items SET state = 'submitted', submitted_at = '2026-01-02 10:00:00.000' WHERE id = 2;
                """)
            // Another writer holds the draft tally (as one sending school 1's roadmap would, between its two tallies).
            let holder = try PGConnection(url: scratch.url)
            try holder.execute("BEGIN")
            try holder.query("SELECT item_count FROM item_tallies WHERE state = 'draft' FOR UPDATE")
            // School 2's roadmap is taken back (submitted → draft) meanwhile, and has to wait.
            let mover = try PGConnection(url: scratch.url)
            let moverID = try #require(try mover.query("SELECT pg_backend_pid()").first?.integer(0))
            let moved = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                _ = try? mover.execute("UPDATE items SET state = 'draft', updated_at = '2026-01-02 11:00:00.000' WHERE id = 2")
                moved.signal()
            }
            var waiting = false
            for _ in 0..<200 where !waiting {
                try await Task.sleep(for: .milliseconds(25))
                waiting = try setup.query("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", [.integer(moverID)]).first?.text(0) == "Lock"
            }
            #expect(waiting, "the change waits for the draft tally")
            // Had it taken the submitted tally down first, it would hold that row now, and a writer sending
            // another document (draft down, then submitted up) would close the circle.
            let probe = try PGConnection(url: scratch.url)
            try probe.execute("BEGIN")
            #expect(throws: Never.self, "the submitted tally is free while the change waits") {
                try probe.query("SELECT item_count FROM item_tallies WHERE state = 'submitted' FOR UPDATE NOWAIT")
            }
            try probe.execute("ROLLBACK")
            try holder.execute("COMMIT")
            #expect(moved.wait(timeout: .now() + 10) == .success)
            #expect(try setup.query("SELECT state, item_count FROM item_tallies ORDER BY state").map(\.values) == [[.text("draft"), .integer(2)]])
        }
    }

    @Test("writers of two servers on one database, eight connections each, append one unbroken chain")
    func oneChainUnderConcurrency() async throws {
        try await ScratchPostgres.with { scratch in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medk-chain-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let keys = try AuditKeySource(file: directory.appendingPathComponent("audit.key"), environmentText: nil)
            let servers = try (0..<2).map { _ in
                try PostgresStore(url: scratch.url, connections: 8, auditKeys: keys, logger: Logger(label: "test"))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<16 {
                    group.addTask {
                        for entry in 0..<25 {
                            try await servers[writer % 2].write { transaction in
                                // Two records a transaction: the second follows the first, whoever else writes.
                                for part in 0..<2 {
                                    try transaction.appendAudit(AuditActor(userID: nil, login: "writer-\(writer)", role: nil),
                                                                at: Date(timeIntervalSince1970: 1_780_000_000),
                                                                AuditRecord(action: .login, entityType: .user,
                                                                            details: ["entry": "\(entry)", "part": "\(part)"]))
                                }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let verification = try await servers[1].read { try $0.verifyAudit(extending: nil) }
            guard case .intact(let rows, _) = verification else {
                Issue.record("the chain broke: \(verification)")
                return
            }
            #expect(rows == 16 * 25 * 2)
            let pairs = try PGConnection(url: scratch.url).query("SELECT seq, actor_login, details FROM audit_log ORDER BY seq")
            #expect(pairs.count == 800)
            for pair in stride(from: 0, to: pairs.count, by: 2) {
                let first = (login: pairs[pair].text(1) ?? "", details: pairs[pair].text(2) ?? "")
                let second = (login: pairs[pair + 1].text(1) ?? "", details: pairs[pair + 1].text(2) ?? "")
                #expect(first.login == second.login && first.details.contains(#""part":"0""#) && second.details.contains(#""part":"1""#)
                        && first.details.replacingOccurrences(of: #""part":"0""#, with: #""part":"1""#) == second.details,
                        "a transaction's records are adjacent in the chain (seq \(pair + 1))")
            }
        }
    }

}
