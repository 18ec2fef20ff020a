import Foundation
import GRDB
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("SQLite storage", .enabled(if: TestWorld.onSQLite, "tampers with, reads or plans on the SQLite file itself"))
struct StorageTests {
    static let schemaFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schema.sql")

    @Test("schema.sql equals what the migrations produce (MEDK_WRITE_SCHEMA=1 rewrites it)")
    func schemaFileIsCurrent() async throws {
        let world = try await TestWorld()
        let migrated = try await world.service.schemaSQL()
        let header = "-- The canonical current schema of MEDK, produced by the migrations in Sources/MEDKCore/Storage/Migrations.swift.\n-- Do not edit by hand: run `MEDK_WRITE_SCHEMA=1 swift test --filter schemaFileIsCurrent`.\n\n"
        if ProcessInfo.processInfo.environment["MEDK_WRITE_SCHEMA"] == "1" {
            try (header + migrated).write(to: Self.schemaFile, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: Self.schemaFile, encoding: .utf8)
        #expect(committed == header + migrated)
    }

    @Test("decisions commit durably: WAL with synchronous=FULL and foreign keys enforced")
    func durability() async throws {
        let world = try await TestWorld()
        #expect(try world.service.synchronousLevel() == 2)
        let queue = try DatabaseQueue(path: world.service.databasePath)
        #expect(try await queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        try queue.close()
    }

    @Test("the log is copied back in the background, not by a writer: it starts over after a burst of writes")
    func walCheckpointedInBackground() async throws {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        let curator = try await world.actor("curator1")
        let queue = try DatabaseQueue(path: world.service.databasePath)
        defer { try? queue.close() }
        /// Frames in the log now (a passive checkpoint reports them before it copies any).
        func logFrames() async throws -> Int {
            try await queue.writeWithoutTransaction { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")![1] }
        }
        for index in 0..<100 {
            _ = try await world.service.comment(itemID: item.item.id, text: "Замечание \(index)", by: curator)
        }
        // The writers leave checkpoints alone: nothing but the background checkpointer copies the log.
        #expect(try await queue.read { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 1000, "a plain connection's default")
        try await Task.sleep(for: .milliseconds(700))
        _ = try await world.service.comment(itemID: item.item.id, text: "После паузы", by: curator)
        // Once a checkpoint has caught up, the next write rewinds the log: only its own frames are there.
        #expect(try await logFrames() < 40)
    }

    @Test("a consistent backup opens as a full MEDK database, given the audit key kept apart from it")
    func backup() async throws {
        let world = try await TestWorld()
        _ = try await world.submittedDocument(school: "A")
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("medk-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: target) }
        try await world.service.backup(to: target.appendingPathComponent("medk.sqlite").path)
        let missing = #expect(throws: MEDKError.self) { _ = try MEDKService(dataDirectory: target, hasher: .fastForTests) }
        #expect(missing?.code == "audit_key_missing", "a backup without its key does not start a new chain")
        try FileManager.default.copyItem(at: world.service.dataDirectory.appendingPathComponent("audit.key"),
                                         to: target.appendingPathComponent("audit.key"))
        let restored = try MEDKService(dataDirectory: target, hasher: .fastForTests)
        #expect(try await restored.verifyAudit() == (try await world.service.verifyAudit()))
        #expect(try await restored.auditLog(by: .local).total == (try await world.service.auditLog(by: .local).total))
        let again = await #expect(throws: MEDKError.self) { try await world.service.backup(to: target.appendingPathComponent("medk.sqlite").path) }
        #expect(again?.code == "file_exists")
    }
}
