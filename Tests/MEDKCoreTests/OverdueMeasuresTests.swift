import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Overdue measures")
struct OverdueMeasuresTests {
    /// A roadmap of `school` with one measure per due date, in draft.
    /// Where a test's roadmap is left: a draft (its measures are no commitments yet), sent to review,
    /// or sent and returned by the curator (commitments the school may still edit).
    enum Left { case draft, sent, returned }

    /// A school's roadmap with measures due on `due`, left as `left` says.
    static func roadmap(_ world: TestWorld, school: String, due: [String], left: Left = .sent) async throws -> ItemDetail {
        let owner = try await world.actor("school-\(school)")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID(school)), by: owner)
        for (index, date) in due.enumerated() {
            _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
                task: "Задача \(index)", title: "Мероприятие \(school)-\(index)", dueDate: CalendarDate(date)!, responsible: "Директор",
                expectedResult: "Результат", indicator: "Показатель", plannedValue: "1", riskFactorNumber: 1), by: owner)
        }
        let drafted = try await world.service.item(roadmap.item.id, for: owner)
        guard left != .draft else { return drafted }
        let sent = try await world.act(.submit, on: drafted, by: "school-\(school)", acceptFindings: true)
        guard left == .returned else { return sent }
        return try await world.act(.return, on: sent, by: ["A", "B"].contains(school) ? "curator1" : "curator2", comment: "Уточните сроки.")
    }

    static func titles(_ list: OverdueList) -> [String] { list.measures.items.map(\.title) }

    @Test("a measure due 1 June is overdue in Chita at 05:00 on 2 June, while in Moscow it is still 1 June")
    func zones() async throws {
        // 2026-06-01 20:00 UTC: 2 June 05:00 in Chita, 1 June 23:00 in Moscow.
        let world = try await TestWorld(start: Date(timeIntervalSince1970: 1_780_344_000))
        _ = try await Self.roadmap(world, school: "A", due: ["2026-06-01", "2026-05-20", "2026-06-02"])
        _ = try await Self.roadmap(world, school: "E", due: ["2026-06-01", "2026-05-31"])
        let list = try await world.service.overdueMeasures(OverdueQuery(), for: try await world.actor("federal"))
        #expect(Self.titles(list) == ["Мероприятие A-1", "Мероприятие E-1", "Мероприятие A-0"])
        #expect(list.measures.total == 3)
        #expect(list.measures.items.map(\.daysOverdue) == [13, 1, 1])
        #expect(list.measures.items.first?.reportState == nil)
        #expect(list.measures.items.first?.schoolCode == "A")
    }

    @Test("confirmed reports leave the list and stay out while a revision is under way; others stay with their state")
    func confirmedLeaves() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-05-10 10:00", zone: "Asia/Chita"))
        let owner = try await world.actor("school-A")
        var roadmap = try await Self.roadmap(world, school: "A", due: ["2026-06-01", "2026-06-10"], left: .draft)
        roadmap = try await world.act(.submit, on: roadmap, by: "school-A", acceptFindings: true)
        _ = try await world.act(.confirm, on: roadmap, by: "curator1")
        let measures = try #require(try await world.service.item(roadmap.item.id, for: owner).measures)
        var report = try await world.service.reportMeasure(measures[0].id, actualValue: "1", by: owner)
        report = try await world.service.upload(itemID: report.item.id, fileName: "приказ.pdf", chunks: OneChunk(bytes: TestWorld.pdf("п")), by: owner)
        report = try await world.act(.submit, on: report, by: "school-A")
        var second = try await world.service.reportMeasure(measures[1].id, actualValue: "1", by: owner)
        second = try await world.service.upload(itemID: second.item.id, fileName: "акт.pdf", chunks: OneChunk(bytes: TestWorld.pdf("а")), by: owner)
        second = try await world.act(.submit, on: second, by: "school-A")
        report = try await world.act(.confirm, on: report, by: "curator1")
        world.clock.set(TestWorld.instant("2026-06-20 10:00", zone: "Asia/Chita"))
        let coordinator = try await world.actor("reg-R1")
        var list = try await world.service.overdueMeasures(OverdueQuery(), for: coordinator)
        #expect(Self.titles(list) == ["Мероприятие A-1"])
        #expect(list.measures.items.first?.reportState == .submitted)
        _ = try await world.act(.reopen, on: report, by: "school-A", comment: "Уточняем значение")
        list = try await world.service.overdueMeasures(OverdueQuery(), for: coordinator)
        #expect(Self.titles(list) == ["Мероприятие A-1"], "a confirmed report under revision still counts as done")
    }

    @Test("each sees only what they may open; a coordinator narrows by school or curator; three orders")
    func filtersAndOrders() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-09-01 10:00", zone: "Asia/Chita"))
        _ = try await Self.roadmap(world, school: "A", due: ["2026-06-30", "2026-08-15"])
        _ = try await Self.roadmap(world, school: "C", due: ["2026-07-31"])
        _ = try await Self.roadmap(world, school: "D", due: ["2026-05-31"])
        let school = try await world.service.overdueMeasures(OverdueQuery(), for: try await world.actor("school-A"))
        #expect(Self.titles(school) == ["Мероприятие A-0", "Мероприятие A-1"])
        let curator = try await world.service.overdueMeasures(OverdueQuery(), for: try await world.actor("curator2"))
        #expect(Self.titles(curator) == ["Мероприятие D-0", "Мероприятие C-0"])
        let municipal = try await world.service.overdueMeasures(OverdueQuery(), for: try await world.actor("mun-M1"))
        #expect(Self.titles(municipal) == ["Мероприятие A-0", "Мероприятие C-0", "Мероприятие A-1"])
        let region = try await world.actor("reg-R1")
        #expect(Self.titles(try await world.service.overdueMeasures(OverdueQuery(curatorLogin: "curator1"), for: region))
                == ["Мероприятие A-0", "Мероприятие A-1"])
        #expect(Self.titles(try await world.service.overdueMeasures(OverdueQuery(schoolCode: "C"), for: region)) == ["Мероприятие C-0"])
        #expect(Self.titles(try await world.service.overdueMeasures(OverdueQuery(municipalityCode: "M2"), for: region)) == ["Мероприятие D-0"])
        #expect(Self.titles(try await world.service.overdueMeasures(OverdueQuery(sort: .recent), for: region))
                == ["Мероприятие A-1", "Мероприятие C-0", "Мероприятие A-0", "Мероприятие D-0"])
        #expect(Self.titles(try await world.service.overdueMeasures(OverdueQuery(sort: .school), for: region))
                == ["Мероприятие A-0", "Мероприятие A-1", "Мероприятие C-0", "Мероприятие D-0"])
        #expect(try await world.service.overdueMeasures(OverdueQuery(), for: try await world.actor("reg-R2")).measures.total == 0)
    }

    @Test("the curator filter names only curators of the actor's territory: another region's coordinator cannot probe logins or read names")
    func curatorFilterDoesNotLeakAccounts() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-09-01 10:00", zone: "Asia/Chita"))
        _ = try await Self.roadmap(world, school: "A", due: ["2026-06-30"])
        let own = try await world.service.overdueMeasures(OverdueQuery(curatorLogin: "curator1"), for: try await world.actor("reg-R1"))
        #expect(own.measures.total == 1)
        let foreign = try await world.actor("reg-R2")
        let missing = await #expect(throws: MEDKError.self) {
            _ = try await world.service.overdueMeasures(OverdueQuery(curatorLogin: "curator1"), for: foreign)
        }
        let absent = await #expect(throws: MEDKError.self) {
            _ = try await world.service.overdueMeasures(OverdueQuery(curatorLogin: "nobody-at-all"), for: foreign)
        }
        #expect(missing?.code == absent?.code && missing?.code == "not_found", "an existing foreign curator looks like no one")
        #expect(missing?.message.contains("curator1") == true && absent?.message.contains("nobody-at-all") == true)
        await #expect(throws: MEDKError.self) {
            _ = try await world.service.overdueMeasures(OverdueQuery(curatorLogin: "admin"), for: try await world.actor("school-A"))
        }
        #expect(try await world.service.overdueMeasures(OverdueQuery(curatorLogin: "curator1"), for: try await world.actor("curator1"))
                    .measures.total == 1)
    }
}

@Suite("Paged lists")
struct PagedListTests {
    @Test("pages follow each other without gaps or repeats, even while items leave the queue")
    func keysetPaging() async throws {
        let world = try await TestWorld()
        var submitted: [ItemDetail] = []
        for kind in [ItemKind.developmentConcept, .midtermProgramme, .interimReport, .finalReport] {
            for school in ["A", "B"] {
                submitted.append(try await world.submittedDocument(kind, school: school))
                world.clock.advance(by: 60)
            }
        }
        let curator = try await world.actor("curator1")
        let first = try await world.service.queue(for: curator, page: PageRequest(limit: 3))
        #expect(first.total == 8)
        #expect(first.items.map(\.item.id) == submitted.prefix(3).map(\.item.id))
        // The curator confirms the first page; the next page still starts right after it.
        for entry in first.items {
            _ = try await world.act(.confirm, on: try await world.service.item(entry.item.id, for: curator), by: "curator1")
        }
        let second = try await world.service.queue(for: curator, page: PageRequest(limit: 3, after: first.nextCursor))
        #expect(second.items.map(\.item.id) == submitted[3..<6].map(\.item.id))
        #expect(second.total == 5)
        let third = try await world.service.queue(for: curator, page: PageRequest(limit: 3, after: second.nextCursor))
        #expect(third.items.map(\.item.id) == submitted[6..<8].map(\.item.id))
        #expect(third.nextCursor == nil)
    }

    @Test("a forged or foreign cursor and a page size out of bounds are refused with a clear error")
    func badInput() async throws {
        let world = try await TestWorld()
        let curator = try await world.actor("curator1")
        for forged in ["%%%", String(repeating: "A", count: 600), PageCursor(key: ["x", "y", "z"]).description,
                       PageCursor(key: ["not-a-number"]).description] {
            let error = await #expect(throws: MEDKError.self) {
                let cursor = try PageCursor(parsing: forged)
                _ = try await world.service.items(for: curator, page: PageRequest(limit: 5, after: cursor))
            }
            #expect(error?.code == "invalid_cursor")
        }
        for limit in [0, 501, -3] {
            let error = #expect(throws: MEDKError.self) { try PageRequest.validated(limit: limit, after: nil) }
            #expect(error?.code == "invalid_limit")
        }
    }

    @Test("users and organisations are searched in any case, Cyrillic included, and paged by code")
    func search() async throws {
        let world = try await TestWorld()
        let found = try await world.service.schools(OrganisationQuery(search: "школа"), page: PageRequest(limit: 2))
        #expect(found.total == 5)
        #expect(found.items.map(\.code) == ["A", "B"])
        let rest = try await world.service.schools(OrganisationQuery(search: "ШКОЛА"), page: PageRequest(limit: 10, after: found.nextCursor))
        #expect(rest.items.map(\.code) == ["C", "D", "E"])
        let users = try await world.service.users(UserQuery(search: "КУРАТОР"), by: .local)
        #expect(users.items.map(\.login) == ["curator1", "curator2"])
        let curatorsOfR1 = try await world.service.users(UserQuery(role: .curator, regionID: try await world.service.region(code: "R1").id),
                                                         by: .user(try await world.actor("reg-R1")))
        #expect(curatorsOfR1.items.map(\.login) == ["curator1", "curator2"])
        await #expect(throws: MEDKError.self) {
            _ = try await world.service.users(UserQuery(), by: .user(try await world.actor("reg-R1")))
        }
    }
}
