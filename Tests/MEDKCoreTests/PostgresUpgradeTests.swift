import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// PostgreSQL's schema versions with data in them: the latest SQLite fixture copied into a
/// database at each older PostgreSQL version (the tables that version has), then opened by today's
/// MEDK, which upgrades it in one transaction.
@Suite("PostgreSQL: upgrades from every released schema", .enabled(if: ScratchPostgres.available))
struct PostgresUpgradeTests {
    static var versions: [Int] { Array(1..<PGSchema.migrations.count) }

    @Test("a PostgreSQL database of each older version upgrades to today's: every row kept, the audit chain intact", arguments: versions)
    func upgradesKeepingEverything(version: Int) async throws {
        let fixture = try UpgradeFixtures.copy(Migrations.steps.count)
        defer { try? FileManager.default.removeItem(at: fixture) }
        let scratch = try ScratchPostgres()
        defer { scratch.drop() }
        let copy = SQLiteToPostgres(source: fixture, targetURL: scratch.url) { _ in }
        let report = try copy.run(migrations: Array(PGSchema.migrations.prefix(version)))
        let connection = try PGConnection(url: scratch.url)
        #expect(try PGMigrator.applied(connection) == Array(1...version))
        let before = try Dictionary(uniqueKeysWithValues: report.tables.map { table in
            (table.name, try connection.query("SELECT count(*) FROM \(table.name)").first?.integer(0) ?? -1)
        })
        #expect(before.values.allSatisfy { $0 > 0 }, "data in every table at v\(version): \(before.filter { $0.value <= 0 })")

        let servers = FileManager.default.temporaryDirectory.appendingPathComponent("medk-pg-upgrade-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: servers) }
        try FileManager.default.createDirectory(at: servers, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("audit.key"), to: servers.appendingPathComponent("audit.key"))
        let service = try MEDKService(dataDirectory: servers, database: .postgres(url: scratch.url, connections: 2), hasher: .fastForTests)
        #expect(try PGMigrator.applied(connection) == PGSchema.migrations.map(\.version))
        for (table, rows) in before {
            let now = try connection.query("SELECT count(*) FROM \(table)").first?.integer(0) ?? -1
            #expect(now >= rows, "v\(version): \(table) had \(rows) rows, has \(now)")
        }
        if report.files > 0 {
            let check = try await service.checkData()
            #expect(check.files == report.files)
        }
        switch try await service.verifyAudit() {
        case .intact(let rows, _): #expect(Int64(rows) == before["audit_log"])
        case .broken(let seq, let reason): Issue.record("v\(version): audit chain broken at \(seq): \(reason)")
        }
        _ = try await service.login("admin", password: DemoData.password)
    }

    @Test("a PostgreSQL upgrade whose last version fails leaves the database at the version it had")
    func failedUpgradeChangesNothing() async throws {
        let scratch = try ScratchPostgres()
        defer { scratch.drop() }
        let connection = try PGConnection(url: scratch.url)
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        try PGMigrator.migrate(connection, at: start, migrations: Array(PGSchema.migrations.prefix(3)))
        let tables = { try connection.query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1").compactMap { $0.text(0) } }
        let before = try tables()
        let failing = PGSchema.Migration(version: 99, name: "failing", sql: "CREATE TABLE half_done (id integer); SELECT 1/0")
        #expect(throws: (any Error).self) { try PGMigrator.migrate(connection, at: start, migrations: PGSchema.migrations + [failing]) }
        #expect(try PGMigrator.applied(connection) == [1, 2, 3], "versions 4… are not applied without the last one")
        #expect(try tables() == before, "audit_head (dropped by v4) is still there; half_done is not")
        try PGMigrator.migrate(connection, at: start)
        try connection.query("INSERT INTO medk_schema_versions (version, name, applied_at) VALUES (99, 'future', 'x')")
        let tooNew = #expect(throws: MEDKError.self) { try PGMigrator.migrate(connection, at: start) }
        #expect(tooNew?.code == "database_too_new")
    }
}
