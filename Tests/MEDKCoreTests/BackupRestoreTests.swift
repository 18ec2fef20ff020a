import Foundation
import MEDKCore
import MEDKTestSupport
import Synchronization
import Testing

@Suite("Backup and restore", .enabled(if: TestWorld.onSQLite, "medk backup copies the embedded database; PostgreSQL is backed up by pg_dump"))
struct BackupRestoreTests {
    /// A scratch directory removed when the test ends.
    final class Scratch: Sendable {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("medk-backup-test-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: root) }
        func path(_ name: String) -> URL { root.appendingPathComponent(name) }
        var entries: [String] { (try? FileManager.default.contentsOfDirectory(atPath: root.path).sorted()) ?? [] }
    }

    /// What the writers had acknowledged: audit rows of comments with their text, and uploaded files.
    final class WriteLoad: Sendable {
        let comments = Mutex<[(seq: Int64, text: String)]>([])
        let files = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)
    }

    /// A separate installation initialised in `directory` and closed again; its audit chain.
    static func anotherInstallation(in directory: URL) async throws -> AuditVerification {
        let other = try MEDKService(dataDirectory: directory, hasher: .fastForTests)
        _ = try await other.initialize(adminLogin: "someone", fullName: "Другой", password: TestWorld.password)
        try await other.settleBeforeExit()
        return try await other.verifyAudit()
    }

    static func key(of world: TestWorld) -> URL { world.directory.appendingPathComponent("audit.key") }

    /// A world with a submitted document and a second version uploaded: two stored files.
    static func worldWithFiles() async throws -> (TestWorld, ItemDetail) {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        let draft = try await world.draftDocument(.roadmap, school: "B")
        _ = try await world.service.upload(itemID: draft.item.id, fileName: "карта-v2.pdf", chunks: OneChunk(bytes: TestWorld.pdf("B v2")),
                                           by: try await world.actor("school-B"))
        return (world, item)
    }

    @Test("a backup taken while curators comment and a school uploads restores with every write acknowledged before it began")
    func backupUnderWriteLoad() async throws {
        let world = try await TestWorld()
        let scratch = try Scratch()
        let item = try await world.submittedDocument(school: "A")
        let draft = try await world.draftDocument(.roadmap, school: "B")
        let curator = try await world.actor("curator1"), school = try await world.actor("school-B")
        let load = WriteLoad()
        let writers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        var index = 0
                        while !load.stop.load(ordering: .relaxed) {
                            let text = "Замечание \(writer)-\(index)"
                            let entry = try await world.service.comment(itemID: item.item.id, text: text, by: curator)
                            load.comments.withLock { $0.append((entry.seq, text)) }
                            index += 1
                        }
                    }
                }
                group.addTask {
                    var index = 0
                    while !load.stop.load(ordering: .relaxed) {
                        let bytes = TestWorld.pdf("B версия \(index)")
                        let detail = try await world.service.upload(itemID: draft.item.id, fileName: "карта.pdf", chunks: OneChunk(bytes: bytes),
                                                                    by: school)
                        load.files.withLock { $0.append(detail.files.last!.sha256) }
                        index += 1
                    }
                }
                try await group.waitForAll()
            }
        }
        while load.comments.withLock({ $0.count }) < 60 || load.files.withLock({ $0.count }) < 3 { try await Task.sleep(for: .milliseconds(5)) }
        let before = load.comments.withLock { $0 }, filesBefore = load.files.withLock { $0 }
        let backup = try await world.service.backups.write(to: scratch.path("копия"), includingKey: false, verify: true)
        let afterBackup = load.comments.withLock { $0.count }
        try await Task.sleep(for: .milliseconds(50))
        load.stop.store(true, ordering: .relaxed)
        try await writers.value
        #expect(load.comments.withLock { $0.count } > afterBackup, "writes went on after the backup as well")
        #expect(backup.check?.files == backup.manifest.files.count)

        let restored = try await Backups.restore(from: backup.location, into: scratch.path("восстановлено"), replacing: false,
                                                 auditKeyFile: Self.key(of: world))
        #expect(restored.previousDirectory == nil)
        let service = try MEDKService(dataDirectory: restored.dataDirectory, hasher: .fastForTests)
        let trail = try await TestWorld.auditTrail(of: service)
        let comments = Dictionary(trail.map { ($0.seq, $0.comment) }, uniquingKeysWith: { first, _ in first })
        for write in before {
            #expect(comments[write.seq] == write.text, "comment acknowledged before the backup began is restored (row \(write.seq))")
        }
        // Nothing restored that was never acknowledged: the backup is the log up to one row, no gaps.
        let all = load.comments.withLock { $0 }
        let restoredComments = Set(trail.filter { $0.action == .itemComment }.map(\.seq))
        #expect(restoredComments.isSubset(of: Set(all.map(\.seq))))
        #expect(trail.map(\.seq) == Array(1...Int64(trail.count)))
        let files = try await service.item(draft.item.id, for: try await service.actor(login: "school-B")).files.map(\.sha256)
        #expect(Set(filesBefore).isSubset(of: Set(files)), "every version uploaded before the backup is in it")
        #expect(restored.check.files == backup.manifest.files.count)
        #expect(try await service.verifyAudit() == .intact(rows: trail.count, lastHash: trail.last!.hash))
        // The restored installation goes on: the chain continues under the same key.
        _ = try await service.comment(itemID: item.item.id, text: "После восстановления", by: try await service.actor(login: "curator1"))
        guard case .intact = try await service.verifyAudit() else { Issue.record("the restored chain goes on intact"); return }
    }

    @Test("a directory that holds data is replaced only when asked, and the replaced one is kept beside it")
    func replacingKeepsThePrevious() async throws {
        let (world, _) = try await Self.worldWithFiles()
        let scratch = try Scratch()
        let backup = try await world.service.backups.write(to: scratch.path("копия"), includingKey: true, verify: false)
        let target = scratch.path("данные")
        let otherAudit = try await Self.anotherInstallation(in: target)

        let refused = await #expect(throws: MEDKError.self) {
            _ = try await Backups.restore(from: backup.location, into: target, replacing: false)
        }
        #expect(refused?.code == "data_directory_not_empty")
        #expect(scratch.entries == ["данные", "копия"], "nothing staged is left behind")

        let restored = try await Backups.restore(from: backup.location, into: target, replacing: true)
        let previous = try #require(restored.previousDirectory)
        #expect(try await MEDKService(dataDirectory: previous, hasher: .fastForTests).verifyAudit() == otherAudit,
                "the replaced directory is whole where it was moved")
        #expect(try await MEDKService(dataDirectory: target, hasher: .fastForTests).verifyAudit() == (try await world.service.verifyAudit()))
    }

    @Test("a directory a server has open is not replaced")
    func directoryInUse() async throws {
        let (world, _) = try await Self.worldWithFiles()
        let scratch = try Scratch()
        let backup = try await world.service.backups.write(to: scratch.path("копия"), includingKey: true, verify: false)
        let target = scratch.path("данные")
        let running = try MEDKService(dataDirectory: target, hasher: .fastForTests)
        _ = try await running.initialize(adminLogin: "someone", fullName: "Другой", password: TestWorld.password)
        let audit = try await running.verifyAudit()
        let refused = await #expect(throws: MEDKError.self) {
            _ = try await Backups.restore(from: backup.location, into: target, replacing: true)
        }
        #expect(refused?.code == "data_directory_in_use")
        #expect(try await running.verifyAudit() == audit, "the running server's data is untouched")
        #expect(scratch.entries == ["данные", "копия"])
    }

    @Test("a backup whose document was altered is refused, and nothing is restored")
    func alteredDocument() async throws {
        let (world, _) = try await Self.worldWithFiles()
        let scratch = try Scratch()
        let backup = try await world.service.backups.write(to: scratch.path("копия"), includingKey: true, verify: true)
        let file = try #require(FileManager.default.enumerator(atPath: backup.location.appendingPathComponent("files").path)?
            .compactMap { $0 as? String }.first { $0.count > 60 })
        let url = backup.location.appendingPathComponent("files").appendingPathComponent(file)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: url)
        let verified = await #expect(throws: MEDKError.self) { _ = try await Backups.verify(backup: backup.location) }
        #expect(verified?.code == "file_damaged")
        let restored = await #expect(throws: MEDKError.self) {
            _ = try await Backups.restore(from: backup.location, into: scratch.path("данные"), replacing: false)
        }
        #expect(restored?.code == "file_damaged")
        #expect(scratch.entries == ["копия"], "no restored directory, nothing staged left")

        try FileManager.default.removeItem(at: url)
        let missing = await #expect(throws: MEDKError.self) { _ = try await Backups.verify(backup: backup.location) }
        #expect(missing?.code == "file_missing")
    }

    @Test("a backup whose database file changed after it was written is refused before anything is copied")
    func alteredDatabase() async throws {
        let (world, _) = try await Self.worldWithFiles()
        let scratch = try Scratch()
        let backup = try await world.service.backups.write(to: scratch.path("копия"), includingKey: true, verify: false)
        let handle = try FileHandle(forWritingTo: backup.location.appendingPathComponent("medk.sqlite"))
        try handle.seek(toOffset: 5000)
        try handle.write(contentsOf: Data([0x42]))
        try handle.close()
        let refused = await #expect(throws: MEDKError.self) {
            _ = try await Backups.restore(from: backup.location, into: scratch.path("данные"), replacing: false)
        }
        #expect(refused?.code == "backup_damaged")
        #expect(scratch.entries == ["копия"])
    }

    @Test("a backup without the audit key restores only with the key kept apart from it")
    func keyKeptApart() async throws {
        let (world, _) = try await Self.worldWithFiles()
        let scratch = try Scratch()
        let backup = try await world.service.backups.write(to: scratch.path("копия"), includingKey: false, verify: true)
        #expect(!FileManager.default.fileExists(atPath: backup.location.appendingPathComponent("audit.key").path))
        let refused = await #expect(throws: MEDKError.self) {
            _ = try await Backups.restore(from: backup.location, into: scratch.path("данные"), replacing: false)
        }
        #expect(refused?.code == "audit_key_needed")
        let stranger = try await TestWorld()
        let wrongKey = await #expect(throws: MEDKError.self) {
            _ = try await Backups.restore(from: backup.location, into: scratch.path("данные"), replacing: false,
                                          auditKeyFile: Self.key(of: stranger))
        }
        #expect(wrongKey?.code == "audit_key_missing" || wrongKey?.code == "audit_chain_broken", "another installation's key does not verify the log")
        #expect(scratch.entries == ["копия"])
        let restored = try await Backups.restore(from: backup.location, into: scratch.path("данные"), replacing: false,
                                                 auditKeyFile: Self.key(of: world))
        #expect(try Data(contentsOf: restored.dataDirectory.appendingPathComponent("audit.key")) == (try Data(contentsOf: Self.key(of: world))))
    }

    @Test("the restored log must continue the administrator's checkpoints: an earlier one passes, another installation's or a later one does not")
    func checkpoints() async throws {
        let (world, item) = try await Self.worldWithFiles()
        let scratch = try Scratch()
        let earlier = try await world.service.auditCheckpoint()
        _ = try await world.service.comment(itemID: item.item.id, text: "После точки", by: try await world.actor("curator1"))
        let backup = try await world.service.backups.write(to: scratch.path("копия"), includingKey: true, verify: false)
        _ = try await world.service.comment(itemID: item.item.id, text: "После копии", by: try await world.actor("curator1"))
        let later = try await world.service.auditCheckpoint()
        let foreign = try await TestWorld().service.auditCheckpoint()

        let ahead = await #expect(throws: MEDKError.self) {
            _ = try await Backups.restore(from: backup.location, into: scratch.path("данные"), replacing: false, checkpoints: [later])
        }
        #expect(ahead?.code == "checkpoint_ahead")
        let forged = await #expect(throws: MEDKError.self) {
            _ = try await Backups.restore(from: backup.location, into: scratch.path("данные"), replacing: false, checkpoints: [foreign])
        }
        #expect(forged?.code == "audit_chain_broken")
        #expect(scratch.entries == ["копия"])
        let restored = try await Backups.restore(from: backup.location, into: scratch.path("данные"), replacing: false, checkpoints: [earlier])
        #expect(restored.check.checkpointsContinued == [backup.manifest.audit.lastSeq, earlier.seq])
    }

    @Test("a backup is written beside its name and appears whole or not at all; an existing name is refused")
    func finishedOrAbsent() async throws {
        let (world, _) = try await Self.worldWithFiles()
        let scratch = try Scratch()
        let backup = try await world.service.backups.write(to: scratch.path("копия"), includingKey: false, verify: false)
        #expect(scratch.entries == ["копия"])
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: backup.location.path)) == ["files", "manifest.json", "medk.sqlite"])
        let again = await #expect(throws: MEDKError.self) {
            _ = try await world.service.backups.write(to: scratch.path("копия"), includingKey: false, verify: false)
        }
        #expect(again?.code == "file_exists")
        try FileManager.default.removeItem(at: backup.location.appendingPathComponent("manifest.json"))
        let unfinished = await #expect(throws: MEDKError.self) { _ = try await Backups.verify(backup: backup.location) }
        #expect(unfinished?.code == "not_a_backup")
    }
}
