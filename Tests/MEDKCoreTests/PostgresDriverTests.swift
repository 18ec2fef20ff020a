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

    @Test("the schema has every table and column SQLite's has, with the chain's head and the kept files beside them")
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
            #expect(postgres["audit_head"] == ["id", "seq", "hash"])
            #expect(postgres["medk_schema_versions"] != nil)
            #expect(postgres["file_blobs"] == ["sha256", "size", "chunk_count"] && postgres["file_chunks"] == ["sha256", "seq", "data"],
                    "files, a directory beside SQLite's database, are in PostgreSQL's")
            postgres["audit_head"] = nil
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

    @Test("the triggers keep what SQLite's keep: tallies by state, review rounds with their wait, committed measures")
    func triggers() async throws {
        try await ScratchPostgres.with { scratch in
            let c = try PGConnection(url: scratch.url)
            try c.execute("""
                INSERT INTO regions (id, code, name, time_zone) VALUES (1, '75', 'Забайкальский край', 'Asia/Chita');
                INSERT INTO municipalities (id, region_id, code, name) VALUES (1, 1, '75001', 'Чита');
                INSERT INTO schools (id, municipality_id, code, name) VALUES (1, 1, '750010001', 'Школа № 1');
                INSERT INTO users (id, login, full_name, created_at) VALUES (1, 'School-1', 'Школа', '2026-01-01 00:00:00.000');
                INSERT INTO campaigns (id, code, name, year) VALUES (1, '2026', 'Кампания', 2026);
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

    @Test("writers on many connections that lock the chain's head append one unbroken chain")
    func oneChainUnderConcurrency() async throws {
        try await ScratchPostgres.with { scratch in
            let database = PGDatabase(url: scratch.url, connections: 8)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for entry in 0..<25 {
                            try await database.write { c in
                                let head = try #require(try c.query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").first)
                                let seq = try #require(head.integer(0)), previous = try #require(head.text(1))
                                let hash = "\(writer)-\(entry)-\(seq)"
                                try c.query("""
                                    INSERT INTO audit_log (seq, at, actor_login, action, entity_type, prev_hash, hash)
                                    VALUES ($1, '2026-01-01 00:00:00.000', 'w', 'test', 'item', $2, $3)
                                    """, [.integer(seq), .text(previous), .text(hash)])
                                try c.query("UPDATE audit_head SET hash = $1 WHERE id = 1", [.text(hash)])
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let rows = try await database.read { c in try c.query("SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq") }
            #expect(rows.count == 200 && rows.map { $0.integer(0) } == (1...200).map { Int64($0) })
            #expect(zip(rows.dropFirst(), rows).allSatisfy { $0.text(1) == $1.text(2) }, "each entry names the one before it")
        }
    }
}
