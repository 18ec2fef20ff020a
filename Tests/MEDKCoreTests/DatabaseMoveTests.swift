import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// Moving a region from SQLite to PostgreSQL (`medk copy`): needs the test cluster, runs in the
/// SQLite pass (the source is always a SQLite directory).
@Suite("Moving a region from SQLite to PostgreSQL")
struct DatabaseMoveTests {
    static var cluster: Bool { TestWorld.onSQLite && ProcessInfo.processInfo.environment["MEDK_TEST_POSTGRES_URL"] != nil }

    /// A region on SQLite with a returned, answered and resubmitted document (files, remarks, mail,
    /// audit), a roadmap with measures: the cycle of items and measures included.
    static func sourceWorld() async throws -> TestWorld {
        let world = try await TestWorld(database: .embedded)
        let returned = try await world.act(.return, on: try await world.submittedDocument(school: "A"), by: "curator1",
                                           comment: "- Нет подписи\n- Нет печати")
        _ = try await world.act(.submit, on: try await world.answerRemarks(returned, by: "school-A"), by: "school-A")
        _ = try await world.service.importMeasures(roadmapID: try await MeasureImportTests.roadmap(world, school: "B"),
                                                   fileName: "план.csv", programmeYear: 2023, by: try await world.actor("school-B")) {
            MeasureImportTests.schoolCSV
        }
        return world
    }

    @Test("everything moves: the same rows, the same files byte for byte, the audit chain verified and continued there",
          .enabled(if: cluster))
    func moves() async throws {
        let world = try await Self.sourceWorld()
        let url = try #require(try TestWorld.scratchPostgresURL())
        let target = world.directory.deletingLastPathComponent().appendingPathComponent("medk-moved-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: target) }
        let sourceAudit = try await world.auditTrail().count
        let result = try await DatabaseMove.sqliteToPostgres(from: world.directory, to: url, dataDirectory: target) { _ in }
        #expect(result.auditEntries == sourceAudit)
        #expect(result.copy.files >= 1 && result.copy.fileBytes > 0 && result.verifiedFileBytes == result.copy.fileBytes)
        #expect(result.copy.tables.first { $0.name == "measures" }?.rows ?? 0 >= 18)

        // The moved region works on PostgreSQL: the same documents, and the next decision continues the chain.
        let moved = try MEDKService(dataDirectory: target, database: .postgres(url: url, connections: 2), clock: world.clock,
                                    hasher: .fastForTests)
        let curator = try await world.actor("curator1")
        let queue = try await moved.queue(for: curator, filter: ItemFilter(), page: PageRequest(limit: 50))
        let before = try await world.service.queue(for: curator, filter: ItemFilter(), page: PageRequest(limit: 50))
        #expect(queue.items.map(\.item.id) == before.items.map(\.item.id) && !queue.items.isEmpty)
        let submitted = try await moved.item(try #require(queue.items.first).item.id, for: curator)
        let file = try #require(submitted.files.last)
        let (_, content) = try await moved.fileVersion(itemID: submitted.item.id, version: file.version, for: curator)
        guard case .chunks(let chunks) = content else { Issue.record("files are in PostgreSQL"); return }
        #expect(try await chunks.collected() == [UInt8](try await world.service.files.read(hash: file.sha256, size: file.size)))
        _ = try await moved.transition(itemID: submitted.item.id, TransitionRequest(action: .confirm, expectedState: .submitted), by: curator)
        guard case .intact(let rows, _) = try await moved.verifyAudit() else { Issue.record("the chain broke after the move"); return }
        #expect(rows == sourceAudit + 1)
    }

    @Test("an altered file stops the copy, and the target stays empty for the next attempt", .enabled(if: cluster))
    func alteredFile() async throws {
        let world = try await Self.sourceWorld()
        let url = try #require(try TestWorld.scratchPostgresURL())
        let target = world.directory.deletingLastPathComponent().appendingPathComponent("medk-moved-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: target) }
        let detail = try await world.service.item(try await world.submittedDocument(school: "C").item.id, for: try await world.actor("school-C"))
        let file = try #require(detail.files.last)
        guard case .localFile(let path) = world.service.files.content(sha256: file.sha256, size: file.size) else { return }
        let original = try Data(contentsOf: path)
        try Data("%PDF-1.4 подменён".utf8).write(to: path)
        let refusal = await #expect(throws: MEDKError.self) {
            try await DatabaseMove.sqliteToPostgres(from: world.directory, to: url, dataDirectory: target) { _ in }
        }
        #expect(refusal?.code == "file_altered")
        try original.write(to: path)
        let result = try await DatabaseMove.sqliteToPostgres(from: world.directory, to: url, dataDirectory: target) { _ in }
        #expect(result.auditEntries == (try await world.auditTrail().count), "the failed attempt left nothing behind")
    }

    @Test("a database that is not empty is refused, and a different audit key in the new data directory is never overwritten",
          .enabled(if: cluster))
    func refusals() async throws {
        let world = try await Self.sourceWorld()
        let url = try #require(try TestWorld.scratchPostgresURL())
        let target = world.directory.deletingLastPathComponent().appendingPathComponent("medk-moved-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: target) }
        _ = try await DatabaseMove.sqliteToPostgres(from: world.directory, to: url, dataDirectory: target) { _ in }
        let again = await #expect(throws: MEDKError.self) {
            try await DatabaseMove.sqliteToPostgres(from: world.directory, to: url, dataDirectory: target) { _ in }
        }
        #expect(again?.code == "target_not_empty")

        let other = try await TestWorld(database: .embedded)
        let fresh = try #require(try TestWorld.scratchPostgresURL())
        let differentKey = await #expect(throws: MEDKError.self) {
            try await DatabaseMove.sqliteToPostgres(from: other.directory, to: fresh, dataDirectory: target) { _ in }
        }
        #expect(differentKey?.code == "audit_key_differs")
    }
}
