import Foundation
import GRDB
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("The audit log is append-only and tamper-evident", .enabled(if: TestWorld.onSQLite, "tampers with, reads or plans on the SQLite file itself"))
struct AuditTamperTests {
    /// A world with some history, and a copy of its database (with its key file) to tamper with.
    /// The tampering gets the installation's audit keys, as an intruder who stole them would.
    static func tamperedCopy(checkpoint: Bool = false, _ tamper: @escaping @Sendable (Database, AuditKeyRing) throws -> Void)
        async throws -> (AuditVerification, [AuditEntry]) {
        let world = try await TestWorld()
        let submitted = try await world.submittedDocument(school: "A")
        _ = try await world.act(.return, on: submitted, by: "curator1", comment: "Исправьте")
        let original = try await world.auditTrail()
        #expect(try await world.service.verifyAudit() == .intact(rows: original.count, lastHash: original.last!.hash))
        let point = checkpoint ? try await world.service.auditCheckpoint() : nil

        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("medk-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: copy) }
        try await world.service.backup(to: copy.appendingPathComponent("medk.sqlite").path)
        let keyFile = world.service.dataDirectory.appendingPathComponent("audit.key")
        try FileManager.default.copyItem(at: keyFile, to: copy.appendingPathComponent("audit.key"))
        let keys = try AuditKeyRing(parsing: try String(contentsOf: keyFile, encoding: .utf8))
        let queue = try DatabaseQueue(path: copy.appendingPathComponent("medk.sqlite").path)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete")
            try tamper(db, keys)
        }
        try queue.close()
        let reopened = try MEDKService(dataDirectory: copy, hasher: .fastForTests)
        return (try await reopened.verifyAudit(extending: point), original)
    }

    static func entries(_ db: Database, from seq: Int64) throws -> [AuditEntry] {
        try Row.fetchAll(db, sql: """
            SELECT seq, at, actor_id, actor_login, actor_role, action, entity_type, entity_id, from_state, to_state, comment,
                   details, prev_hash, hash FROM audit_log WHERE seq >= ? ORDER BY seq
            """, arguments: [seq]).map { row in
            AuditEntry(seq: row[0], at: row[1], actorID: row[2], actorLogin: row[3], actorRole: (row[4] as String?).flatMap(Role.init),
                       action: AuditAction(rawValue: row[5])!, entityType: AuditEntity(rawValue: row[6])!,
                       entityID: (row[7] as String?).flatMap { Int64($0) }, fromState: row[8], toState: row[9], comment: row[10],
                       details: row[11], prevHash: row[12], hash: row[13])
        }
    }

    /// Recomputes every hash from `seq` on, the way an intruder re-chains a rewritten suffix:
    /// with `keys` (stolen) or without (plain SHA-256, all one can do without the key).
    static func rechain(_ db: Database, from seq: Int64, keys: AuditKeyRing?) throws {
        var previous = try String.fetchOne(db, sql: "SELECT hash FROM audit_log WHERE seq = ?", arguments: [seq - 1])
            ?? AuditEntry.genesisHash
        for var entry in try entries(db, from: seq) {
            entry.prevHash = previous
            entry.hash = entry.computedHash(key: keys?.key(for: entry.seq))
            try db.execute(sql: "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", arguments: [entry.prevHash, entry.hash, entry.seq])
            previous = entry.hash
        }
    }

    @Test("an edited row is named")
    func edited() async throws {
        let (result, original) = try await Self.tamperedCopy { db, _ in
            try db.execute(sql: "UPDATE audit_log SET comment = 'Всё хорошо' WHERE action = 'item.return'")
        }
        let returned = original.first { $0.action == .itemReturn }!
        guard case .broken(let seq, let reason) = result else { Issue.record("tampering not detected"); return }
        #expect(seq == returned.seq)
        #expect(reason.contains("изменено"))
    }

    @Test("a deleted row is named by the gap it leaves")
    func deleted() async throws {
        let (result, _) = try await Self.tamperedCopy { db, _ in try db.execute(sql: "DELETE FROM audit_log WHERE seq = 5") }
        guard case .broken(let seq, let reason) = result else { Issue.record("tampering not detected"); return }
        #expect(seq == 6)
        #expect(reason.contains("удалены"))
    }

    @Test("a row slipped into the middle, even with a hash computed with the stolen key, breaks the chain right after it")
    func insertedInTheMiddle() async throws {
        let (result, _) = try await Self.tamperedCopy { db, keys in
            let rows = try Row.fetchAll(db, sql: "SELECT seq FROM audit_log WHERE seq >= 5 ORDER BY seq DESC")
            for row in rows { try db.execute(sql: "UPDATE audit_log SET seq = seq + 1 WHERE seq = ?", arguments: [row["seq"] as Int64]) }
            let previous = try String.fetchOne(db, sql: "SELECT hash FROM audit_log WHERE seq = 4")!
            var forged = AuditEntry(seq: 5, at: "2026-03-15T12:00:00.000Z", actorID: nil, actorLogin: "intruder", actorRole: .admin,
                                    action: .itemConfirm, entityType: .item, entityID: 1, fromState: "submitted",
                                    toState: "confirmed", comment: nil, details: "{}", prevHash: previous, hash: "")
            forged.hash = forged.computedHash(key: keys.key(for: 5))
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
        let (result, original) = try await Self.tamperedCopy { db, _ in
            let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")!
            try db.execute(sql: """
                INSERT INTO audit_log (seq, at, actor_login, action, entity_type, details, prev_hash, hash)
                VALUES (?, '2026-03-16T00:00:00.000Z', 'intruder', 'item.confirm', 'item', '{}', ?, 'deadbeef')
                """, arguments: [(last["seq"] as Int64) + 1, last["hash"] as String])
        }
        guard case .broken(let seq, _) = result else { Issue.record("tampering not detected"); return }
        #expect(seq == Int64(original.count + 1))
    }

    @Test("a row appended by plain INSERT with a correctly recomputed SHA-256 hash is named: without the key no hash fits")
    func appendedWithRecomputedHash() async throws {
        let (result, original) = try await Self.tamperedCopy { db, _ in
            let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")!
            var forged = AuditEntry(seq: (last["seq"] as Int64) + 1, at: "2026-03-16T00:00:00.000Z", actorID: nil, actorLogin: "curator1",
                                    actorRole: .curator, action: .itemConfirm, entityType: .item, entityID: 1, fromState: "submitted",
                                    toState: "confirmed", comment: nil, details: "{}", prevHash: last["hash"], hash: "")
            forged.hash = forged.computedHash(key: nil)
            try db.execute(sql: """
                INSERT INTO audit_log (seq, at, actor_login, actor_role, action, entity_type, entity_id, from_state, to_state, details,
                                       prev_hash, hash)
                VALUES (?, ?, 'curator1', 'curator', 'item.confirm', 'item', '1', 'submitted', 'confirmed', '{}', ?, ?)
                """, arguments: [forged.seq, forged.at, forged.prevHash, forged.hash])
        }
        guard case .broken(let seq, let reason) = result else { Issue.record("forgery not detected"); return }
        #expect(seq == Int64(original.count + 1))
        #expect(reason.contains("без ключа"))
    }

    @Test("a rewritten suffix re-chained without the key is named at its first row")
    func rechainedSuffix() async throws {
        let (result, _) = try await Self.tamperedCopy { db, _ in
            try db.execute(sql: "UPDATE audit_log SET comment = NULL WHERE action = 'item.return'")
            let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM audit_log WHERE action = 'item.return'")!
            try Self.rechain(db, from: seq, keys: nil)
        }
        guard case .broken = result else { Issue.record("re-chained suffix not detected"); return }
    }

    @Test("a row inserted in the middle with renumbering and every later hash recomputed is named")
    func insertedAndRenumbered() async throws {
        let (result, _) = try await Self.tamperedCopy { db, _ in
            let rows = try Row.fetchAll(db, sql: "SELECT seq FROM audit_log WHERE seq >= 5 ORDER BY seq DESC")
            for row in rows { try db.execute(sql: "UPDATE audit_log SET seq = seq + 1 WHERE seq = ?", arguments: [row["seq"] as Int64]) }
            try db.execute(sql: """
                INSERT INTO audit_log (seq, at, actor_login, actor_role, action, entity_type, entity_id, details, prev_hash, hash)
                VALUES (5, '2026-03-15T12:00:00.000Z', 'intruder', 'admin', 'user.set_password', 'user', '1', '{}', '', '')
                """)
            try Self.rechain(db, from: 5, keys: nil)
        }
        guard case .broken(let seq, _) = result else { Issue.record("insertion not detected"); return }
        #expect(seq == 5)
    }

    @Test("cutting off the last rows is caught by a checkpoint taken before")
    func truncated() async throws {
        let (result, original) = try await Self.tamperedCopy(checkpoint: true) { db, _ in
            try db.execute(sql: "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)")
        }
        guard case .broken(let seq, let reason) = result else { Issue.record("truncation not detected"); return }
        #expect(seq == Int64(original.count))
        #expect(reason.contains("укорочен"))
    }

    @Test("even with the stolen key, rewriting history before a checkpoint is caught by it")
    func rewrittenWithTheKey() async throws {
        let (result, _) = try await Self.tamperedCopy(checkpoint: true) { db, keys in
            try db.execute(sql: "UPDATE audit_log SET comment = NULL WHERE action = 'item.return'")
            let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM audit_log WHERE action = 'item.return'")!
            try Self.rechain(db, from: seq, keys: keys)
        }
        guard case .broken(_, let reason) = result else { Issue.record("rewriting with the key not detected"); return }
        #expect(reason.contains("не продолжает контрольную точку"))
    }

    @Test("a checkpoint is believed only with this installation's signature")
    func forgedCheckpoint() async throws {
        let world = try await TestWorld()
        _ = try await world.draftDocument(school: "A")
        var point = try await world.service.auditCheckpoint()
        #expect(try await world.service.verifyAudit(extending: point) == .intact(rows: Int(point.seq), lastHash: point.hash))
        point.seq -= 1
        guard case .broken(_, let reason) = try await world.service.verifyAudit(extending: point) else {
            Issue.record("altered checkpoint accepted"); return
        }
        #expect(reason.contains("не подписана"))
        let other = try await TestWorld()
        _ = try await other.draftDocument(school: "A")
        let foreign = try await other.service.auditCheckpoint()
        guard case .broken = try await world.service.verifyAudit(extending: foreign) else {
            Issue.record("another installation's checkpoint accepted"); return
        }
    }

    @Test("after a key rotation old and new rows verify, the rotation is in the log, and the key file keeps both keys")
    func rotation() async throws {
        let world = try await TestWorld()
        _ = try await world.draftDocument(school: "A")
        let before = try await world.service.auditCheckpoint()
        let key = try await world.service.rotateAuditKey(by: .local)
        _ = try await world.submittedDocument(.midtermProgramme, school: "B")
        let trail = try await world.auditTrail()
        #expect(trail.contains { $0.action == .auditKeyRotated && $0.seq == key.fromSeq - 1 })
        #expect(try await world.service.verifyAudit(extending: before) == .intact(rows: trail.count, lastHash: trail.last!.hash))
        let file = try String(contentsOf: world.service.dataDirectory.appendingPathComponent("audit.key"), encoding: .utf8)
        #expect(try AuditKeyRing(parsing: file).keys.count == 2)
        let after = try await world.service.auditCheckpoint()
        #expect(after.keyID == key.id, "checkpoints are signed with the key in use")
        #expect(try await world.service.verifyAudit(extending: after) == .intact(rows: trail.count, lastHash: trail.last!.hash))
    }

    @Test("a log whose key file is gone refuses to open and names the key, rather than starting a new chain")
    func missingKey() async throws {
        let world = try await TestWorld()
        _ = try await world.draftDocument(school: "A")
        let keyFile = world.service.dataDirectory.appendingPathComponent("audit.key")
        let moved = keyFile.deletingLastPathComponent().appendingPathComponent("audit.key.elsewhere")
        try FileManager.default.moveItem(at: keyFile, to: moved)
        let error = #expect(throws: MEDKError.self) { _ = try MEDKService(dataDirectory: world.service.dataDirectory, hasher: .fastForTests) }
        #expect(error?.code == "audit_key_missing")
        #expect(!FileManager.default.fileExists(atPath: keyFile.path), "no new key was made up")
    }

    @Test("the key file is private to the server's account")
    func keyFileMode() async throws {
        let world = try await TestWorld()
        let attributes = try FileManager.default.attributesOfItem(atPath: world.service.dataDirectory.appendingPathComponent("audit.key").path)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
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
