import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// The same randomly made world on SQLite and on PostgreSQL gives the same answers (issue 24): the
/// same steps — documents sent, returned with remarks, answered, sent again, confirmed, commented,
/// roadmaps imported, days passing — are taken on both, and then every person's queue, lists,
/// overdue measures, compliance, every card and the whole audit chain are compared. Needs the
/// test cluster; runs in the SQLite pass.
@Suite("SQLite and PostgreSQL answer alike")
struct BackendEquivalenceTests {
    static var cluster: Bool { TestWorld.onSQLite && ProcessInfo.processInfo.environment["MEDK_TEST_POSTGRES_URL"] != nil }

    static let people = ["curator1", "curator2", "mun-M1", "mun-M2", "reg-R1", "reg-R2", "federal", "school-A", "school-C", "school-E"]

    @Test("the same random world, the same answers to every question", .enabled(if: cluster), arguments: [1, 2, 3] as [UInt64])
    func sameAnswers(seed: UInt64) async throws {
        let sqlite = try await TestWorld(database: .embedded)
        let postgres = try await TestWorld(database: .postgres(url: try #require(try TestWorld.scratchPostgresURL()), connections: 2))
        var random = SeededRandom(seed: seed)
        for school in ["A", "D"] {
            for world in [sqlite, postgres] {
                let roadmap = try await MeasureImportTests.roadmap(world, school: school)
                _ = try await world.service.importMeasures(roadmapID: roadmap, fileName: "план.csv", programmeYear: 2023,
                                                           by: try await world.actor("school-\(school)")) { MeasureImportTests.schoolCSV }
            }
        }
        for step in 0..<40 {
            let choice = random.int(0...99), school = random.pick(["A", "B", "C", "D", "E"]), hours = Double(random.int(1...96))
            let pick = random.next()
            let outcomes = try await [sqlite, postgres].asyncMap { world in
                try await Self.step(choice: choice, school: school, pick: pick, step: step, in: world)
            }
            #expect(outcomes[0] == outcomes[1], "step \(step): \(outcomes[0]) on SQLite, \(outcomes[1]) on PostgreSQL")
            for world in [sqlite, postgres] { world.clock.advance(by: hours * 3600) }
        }
        for login in Self.people {
            let answers = try await [sqlite, postgres].asyncMap { world in try await Self.answers(of: login, in: world) }
            for (question, answer) in answers[0] {
                #expect(answer == answers[1][question], "\(login), \(question): the backends differ")
            }
        }
        // Each world has its own audit key, so the hashes differ; every other field is the same.
        let chains = try await [sqlite, postgres].asyncMap { world in
            try await world.auditTrail().map { entry in
                var entry = entry
                entry.hash = ""
                entry.prevHash = ""
                return entry
            }
        }
        #expect(chains[0].count == chains[1].count && chains[0].count > 100)
        let first = zip(chains[0], chains[1]).first { $0 != $1 }
        #expect(first == nil, "the audit chains part at \(String(describing: first))")
        for world in [sqlite, postgres] {
            guard case .intact = try await world.service.verifyAudit() else {
                Issue.record("the chain on \(world.database) does not verify")
                continue
            }
        }
    }

    /// One step of the story, the same on both worlds; what it did, in words, to compare.
    static func step(choice: Int, school: String, pick: UInt64, step: Int, in world: TestWorld) async throws -> String {
        let owner = try await world.actor("school-\(school)")
        let mine = try await world.service.items(for: owner, filter: ItemFilter(), page: PageRequest(limit: 100)).items
            .filter { $0.kind != .roadmap }
        func one(_ state: ReviewState) -> ItemSummary? {
            let candidates = mine.filter { $0.state == state }
            return candidates.isEmpty ? nil : candidates[Int(pick % UInt64(candidates.count))]
        }
        let curator = school == "A" || school == "B" ? "curator1" : "curator2"
        switch choice {
        case 0..<35:
            let kind = [ItemKind.analyticalNote, .order, .meetingProtocol][Int(pick % 3)]
            let sent = try await world.submittedDocument(kind, school: school)
            return "sent \(sent.item.id)"
        case 35..<55:
            guard let item = one(.submitted) else { return "nothing to return" }
            let detail = try await world.service.item(item.id, for: try await world.actor(curator))
            let returned = try await world.act(.return, on: detail, by: curator, comment: "- Нет подписи \(step)\n- Нет печати")
            return "returned \(returned.item.id)"
        case 55..<75:
            guard let item = one(.submitted) else { return "nothing to confirm" }
            let detail = try await world.service.item(item.id, for: try await world.actor(curator))
            return "confirmed \(try await world.act(.confirm, on: detail, by: curator).item.id)"
        case 75..<90:
            guard let item = one(.returned) else { return "nothing to answer" }
            let detail = try await world.answerRemarks(try await world.service.item(item.id, for: owner), by: "school-\(school)")
            return "resent \(try await world.act(.submit, on: detail, by: "school-\(school)").item.id)"
        default:
            guard let item = mine.first else { return "nothing to comment" }
            _ = try await world.service.comment(itemID: item.id, text: "Комментарий \(step) «\(school)»", by: owner)
            return "commented \(item.id)"
        }
    }

    /// Every question a person may ask of the lists, as JSON to compare.
    static func answers(of login: String, in world: TestWorld) async throws -> [String: String] {
        let actor = try await world.actor(login)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        func attempt(_ body: () async throws -> String) async -> String {
            do { return try await body() } catch let error as MEDKError { return "refused: \(error.code)" } catch { return "\(error)" }
        }
        var answers: [String: String] = [:]
        answers["queue"] = await attempt { try json(try await world.service.queue(for: actor, page: PageRequest(limit: 100))) }
        answers["items"] = await attempt { try json(try await world.service.items(for: actor, page: PageRequest(limit: 100))) }
        answers["items by state"] = await attempt {
            try json(try await world.service.items(for: actor, filter: ItemFilter(state: .returned), page: PageRequest(limit: 100)))
        }
        answers["overdue"] = await attempt {
            try json(try await world.service.overdueMeasures(OverdueQuery(campaignCode: "C2026", page: PageRequest(limit: 100)), for: actor))
        }
        answers["compliance"] = await attempt { try json(try await world.service.deadlines(DeadlinesQuery(campaignCode: "C2026"), for: actor)) }
        answers["dashboard"] = await attempt { String(reflecting: try await world.service.dashboard(DeadlinesQuery(campaignCode: "C2026"), for: actor)) }
        for item in (try? await world.service.items(for: actor, page: PageRequest(limit: 100)).items) ?? [] {
            answers["item \(item.id)"] = await attempt { try json(try await world.service.item(item.id, for: actor)) }
        }
        return answers
    }
}

extension Array {
    /// One after the other, in order (the two worlds are driven alike, not at once).
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
