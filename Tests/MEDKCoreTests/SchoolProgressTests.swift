import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// Each school's stored progress is kept up to date write by write; it must always equal what
/// rebuilding it from the rows it summarises gives, or compliance would drift from the data.
@Suite("Per-school progress")
struct SchoolProgressTests {
    static func rebuiltEqualsStored(_ service: MEDKService) async throws -> Int {
        try await service.read { store in
            var checked = 0
            for campaign in try store.campaigns() {
                try store.forEachParticipant(campaignID: campaign.id, in: .country, onlySchoolID: nil) { school, stored in
                    let rebuilt = try store.rebuiltProgress(campaignID: campaign.id, schoolID: school.place.school.id)
                    #expect(stored == rebuilt, "school \(school.place.school.code)")
                    checked += 1
                }
            }
            return checked
        }
    }

    @Test("after a generated spring of work — creations, uploads, returns, fixes, roadmaps, reports — stored equals rebuilt")
    func generatedHistory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medk-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let service = try MEDKService(dataDirectory: directory, hasher: .fastForTests)
        let accounts = try await service.generate(.demo, seed: 7, password: "пароль-для-тестов")
        #expect(accounts.federal == "fioco")
        #expect(try await Self.rebuiltEqualsStored(service) == 12)
        if case .broken(let seq, let reason) = try await service.verifyAudit() { Issue.record("audit broken at \(seq): \(reason)") }
        // Items in every state, as the design wants of a realistic dataset.
        let states = try await service.read { store in
            Set(try store.items(.init(reaches: [.everything]), ItemListFilter(), page: PageRequest(limit: 500)).items.map(\.state))
        }
        #expect(states.count >= 3)
    }

    @Test("the same seed gives the same dataset")
    func deterministic() async throws {
        var trails: [[String]] = []
        for _ in 0..<2 {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medk-gen-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let service = try MEDKService(dataDirectory: directory, hasher: .fastForTests)
            _ = try await service.generate(.demo, seed: 3, password: "пароль-для-тестов")
            // Password hashes are salted afresh; everything after setting them up is the seed's.
            trails.append(try await TestWorld.auditTrail(of: service).filter { $0.entityType == .item }
                .map { "\($0.at) \($0.actorLogin) \($0.action.rawValue) \($0.entityID ?? 0) \($0.details)" })
        }
        #expect(trails[0] == trails[1])
        #expect(trails[0].count > 1000)
    }

    @Test("moving a school to another municipality moves its items in every list")
    func schoolMoves() async throws {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        #expect(try await world.service.items(for: try await world.actor("mun-M1")).items.map(\.id) == [item.item.id])
        _ = try await world.service.importCSV(.schools, text: "code;name;municipality_code\nA;Школа А;M2\n", dryRun: false, by: .local)
        #expect(try await world.service.items(for: try await world.actor("mun-M1")).items.isEmpty)
        #expect(try await world.service.items(for: try await world.actor("mun-M2")).items.map(\.id) == [item.item.id])
        let moved = try await world.service.item(item.item.id, for: try await world.actor("mun-M2"))
        #expect(moved.item.municipalityName == "Город Чита")
    }

    @Test("the stored form reads back what was written, and damaged bytes are refused, never trusted")
    func codec() throws {
        var random = SeededRandom(seed: 11)
        for _ in 0..<50 {
            var progress = SchoolProgress(chosenRiskCount: random.int(0...10))
            var id: Int64 = Int64(random.int(1...1_000_000))
            for _ in 0..<random.int(0...60) {
                id += Int64(random.int(1...5_000))
                let created = Date(timeIntervalSince1970: TimeInterval(random.int(1_700_000_000...1_800_000_000)))
                let changes = (0..<random.int(0...6)).map { step in
                    StateChange(at: created.addingTimeInterval(TimeInterval(step * random.int(-100...90_000))),
                                action: random.pick([.submit, .confirm, .return, .withdraw, .reopen]))
                }
                progress.items.append(ItemProgress(id: id, kind: random.pick(ItemKind.allCases), createdAt: created, changes: changes))
            }
            for _ in 0..<random.int(0...80) {
                id += Int64(random.int(1...50))
                progress.measures.append(MeasureProgress(
                    id: id, dueDate: CalendarDate(dayNumber: random.int(19_000...22_000)),
                    createdAt: Date(timeIntervalSince1970: TimeInterval(random.int(1_700_000_000...1_800_000_000))),
                    reportItemID: random.chance(0.5) ? Int64(random.int(1...9_000_000)) : nil))
            }
            let bytes = ProgressCodec.encode(progress)
            let decoded = try bytes.withUnsafeBytes { try ProgressCodec.decode($0) }
            #expect(decoded == progress)
            // Every truncation is refused.
            for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 17)) {
                #expect(throws: MEDKError.self) { try Array(bytes.prefix(cut)).withUnsafeBytes { try ProgressCodec.decode($0) } }
            }
            // A flipped byte may decode to something else, but it never crashes or reads out of bounds.
            var damaged = bytes
            damaged[random.int(0...(bytes.count - 1))] ^= 0xA5
            _ = try? damaged.withUnsafeBytes { try ProgressCodec.decode($0) }
        }
    }

    @Test("a school whose item went through review a hundred and fifty thousand times keeps a readable digest")
    func longReviewHistory() throws {
        let created = Date(timeIntervalSince1970: 1_780_000_000)
        let changes = (0..<150_000).map { step in
            StateChange(at: created.addingTimeInterval(TimeInterval(step)), action: step.isMultiple(of: 2) ? .submit : .withdraw)
        }
        let progress = SchoolProgress(items: [ItemProgress(id: 7, kind: .order, createdAt: created, changes: changes)], chosenRiskCount: 3)
        let bytes = ProgressCodec.encode(progress)
        #expect(try bytes.withUnsafeBytes { try ProgressCodec.decode($0) } == progress)
        // A count larger than the bytes left could hold is refused before anything is reserved.
        var inflated = bytes
        inflated.replaceSubrange(2...2, with: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(throws: MEDKError.self) { try inflated.withUnsafeBytes { try ProgressCodec.decode($0) } }
    }
}
