import Foundation
import GRDB
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("The audit log is append-only and tamper-evident")
struct AuditTamperTests {
    /// A world with some history, and a copy of its database to tamper with.
    static func tamperedCopy(_ tamper: @escaping @Sendable (Database) throws -> Void) async throws -> (AuditVerification, [AuditEntry]) {
        let world = try await TestWorld()
        let submitted = try await world.submittedDocument(school: "A")
        _ = try await world.act(.return, on: submitted, by: "curator1", comment: "Исправьте")
        let original = try await world.auditTrail()
        #expect(try await world.service.verifyAudit() == .intact(rows: original.count, lastHash: original.last!.hash))

        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("medk-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: copy) }
        try await world.service.backup(to: copy.appendingPathComponent("medk.sqlite").path)
        let queue = try DatabaseQueue(path: copy.appendingPathComponent("medk.sqlite").path)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete")
            try tamper(db)
        }
        try queue.close()
        let reopened = try MEDKService(dataDirectory: copy, hasher: .fastForTests)
        return (try await reopened.verifyAudit(), original)
    }

    @Test("an edited row is named")
    func edited() async throws {
        let (result, original) = try await Self.tamperedCopy { db in
            try db.execute(sql: "UPDATE audit_log SET comment = 'Всё хорошо' WHERE action = 'item.return'")
        }
        let returned = original.first { $0.action == .itemReturn }!
        guard case .broken(let seq, let reason) = result else { Issue.record("tampering not detected"); return }
        #expect(seq == returned.seq)
        #expect(reason.contains("изменено"))
    }

    @Test("a deleted row is named by the gap it leaves")
    func deleted() async throws {
        let (result, _) = try await Self.tamperedCopy { db in try db.execute(sql: "DELETE FROM audit_log WHERE seq = 5") }
        guard case .broken(let seq, let reason) = result else { Issue.record("tampering not detected"); return }
        #expect(seq == 6)
        #expect(reason.contains("удалены"))
    }

    @Test("a row slipped into the middle, even with a correctly computed hash, breaks the chain right after it")
    func insertedInTheMiddle() async throws {
        let (result, _) = try await Self.tamperedCopy { db in
            let rows = try Row.fetchAll(db, sql: "SELECT seq FROM audit_log WHERE seq >= 5 ORDER BY seq DESC")
            for row in rows { try db.execute(sql: "UPDATE audit_log SET seq = seq + 1 WHERE seq = ?", arguments: [row["seq"] as Int64]) }
            let previous = try String.fetchOne(db, sql: "SELECT hash FROM audit_log WHERE seq = 4")!
            var forged = AuditEntry(seq: 5, at: "2026-03-15T12:00:00.000Z", actorID: nil, actorLogin: "intruder", actorRole: .admin,
                                    action: .itemConfirm, entityType: .item, entityID: 1, fromState: "submitted",
                                    toState: "confirmed", comment: nil, details: "{}", prevHash: previous, hash: "")
            forged.hash = forged.computedHash()
            try db.execute(sql: """
                INSERT INTO audit_log (seq, at, actor_id, actor_login, actor_role, action, entity_type, entity_id, from_state,
                                       to_state, comment, details, prev_hash, hash)
                VALUES (5, ?, NULL, 'intruder', 'admin', 'item.confirm', 'item', '1', 'submitted', 'confirmed', NULL, '{}', ?, ?)
                """, arguments: [forged.at, forged.prevHash, forged.hash])
        }
        guard case .broken(let seq, _) = result else { Issue.record("tampering not detected"); return }
        #expect(seq == 6)
    }

    @Test("a row appended at the end with a made-up hash is named")
    func appended() async throws {
        let (result, original) = try await Self.tamperedCopy { db in
            let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")!
            try db.execute(sql: """
                INSERT INTO audit_log (seq, at, actor_login, action, entity_type, details, prev_hash, hash)
                VALUES (?, '2026-03-16T00:00:00.000Z', 'intruder', 'item.confirm', 'item', '{}', ?, 'deadbeef')
                """, arguments: [(last["seq"] as Int64) + 1, last["hash"] as String])
        }
        guard case .broken(let seq, _) = result else { Issue.record("tampering not detected"); return }
        #expect(seq == Int64(original.count + 1))
    }

    @Test("the database itself refuses to update or delete audit rows")
    func appendOnly() async throws {
        let world = try await TestWorld()
        _ = try await world.draftDocument(school: "A")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("medk-copy-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: copy) }
        try await world.service.backup(to: copy.path)
        let queue = try DatabaseQueue(path: copy.path)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE audit_log SET comment = 'x'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM audit_log") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM item_files") } }
    }
}
