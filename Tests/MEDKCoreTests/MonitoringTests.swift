import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Deadline compliance")
struct MonitoringTests {
    func cell(_ report: ComplianceReport, school: String, _ kind: ItemKind) -> MilestoneCell? {
        report.schools?.items.first { $0.schoolCode == school }?.milestones.first { $0.kind == kind }
    }

    @Test("an upload and submission at 23:30 Chita time on the due date is on time; at 00:30 the next day it is late")
    func chitaMidnight() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-04-30 23:30", zone: "Asia/Chita"))
        let onTime = try await world.submittedDocument(school: "A")
        world.clock.set(TestWorld.instant("2026-05-01 00:30", zone: "Asia/Chita"))
        _ = try await world.submittedDocument(school: "B")
        _ = try await world.act(.confirm, on: onTime, by: "curator1")
        let report = try await world.service.deadlines(DeadlinesQuery(regionCode: "R1"), for: try await world.actor("reg-R1"))
        #expect(cell(report, school: "A", .developmentConcept)?.status == .onTime)
        #expect(cell(report, school: "B", .developmentConcept)?.status == .late)
        #expect(cell(report, school: "C", .developmentConcept)?.status == .missing)
        #expect(cell(report, school: "A", .finalReport)?.status == .notDue)
        #expect(report.schools?.items.map(\.schoolCode) == ["A", "B", "C", "D"])
    }

    @Test("as of an earlier date, states are rebuilt from the history")
    func asOf() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-04-20 10:00", zone: "Asia/Chita"))
        let item = try await world.submittedDocument(school: "A")
        world.clock.set(TestWorld.instant("2026-05-05 10:00", zone: "Asia/Chita"))
        _ = try await world.act(.confirm, on: item, by: "curator1")
        let actor = try await world.actor("mun-M1")
        let before = try await world.service.deadlines(DeadlinesQuery(asOf: CalendarDate("2026-04-25")), for: actor)
        #expect(cell(before, school: "A", .developmentConcept)?.status == .awaitingReview)
        #expect(cell(before, school: "B", .developmentConcept)?.status == .notDue)
        let earlier = try await world.service.deadlines(DeadlinesQuery(asOf: CalendarDate("2026-04-19")), for: actor)
        #expect(cell(earlier, school: "A", .developmentConcept)?.status == .notDue)
        let now = try await world.service.deadlines(DeadlinesQuery(), for: actor)
        #expect(cell(now, school: "A", .developmentConcept)?.status == .onTime)
        #expect(now.scope == "Балейский округ")
        #expect(now.schools?.items.map(\.schoolCode) == ["A", "B", "C"])
    }

    @Test("a regional coordinator sees the shifted milestones of their own region only; the federal operator sees all")
    func overridesOfOwnRegion() async throws {
        let world = try await TestWorld()
        for (login, region) in [("reg-R1", "R1"), ("reg-R2", "R2")] {
            try await world.service.shiftMilestone(by: .user(try await world.actor(login)), campaignCode: "C2026",
                                                   kind: .developmentConcept, regionCode: region, dueDate: CalendarDate("2026-05-10")!)
        }
        let own = try await world.service.milestoneOverrides(campaignCode: "C2026", for: try await world.actor("reg-R1"))
        #expect(own.map(\.regionCode) == ["R1"])
        let all = try await world.service.milestoneOverrides(campaignCode: "C2026", for: try await world.actor("federal"))
        #expect(Set(all.map(\.regionCode)) == ["R1", "R2"])
    }

    @Test("a region's shifted milestone applies to its schools only")
    func shiftedMilestone() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-05-02 10:00", zone: "Asia/Chita"))
        try await world.service.shiftMilestone(by: .user(try await world.actor("reg-R1")), campaignCode: "C2026",
                                               kind: .developmentConcept, regionCode: "R1", dueDate: CalendarDate("2026-05-10")!)
        let refused = await #expect(throws: MEDKError.self) {
            try await world.service.shiftMilestone(by: .user(try await world.actor("reg-R1")), campaignCode: "C2026",
                                                   kind: .developmentConcept, regionCode: "R2", dueDate: CalendarDate("2026-05-10")!)
        }
        // Another region is, to its coordinator, what a missing one is.
        #expect(refused?.kind == .notFound)
        let federal = try await world.actor("federal")
        let region1 = try await world.service.deadlines(DeadlinesQuery(regionCode: "R1"), for: federal)
        #expect(cell(region1, school: "A", .developmentConcept)?.status == .notDue)
        #expect(cell(region1, school: "A", .developmentConcept)?.dueDate == CalendarDate("2026-05-10"))
        let region2 = try await world.service.deadlines(DeadlinesQuery(regionCode: "R2"), for: federal)
        #expect(cell(region2, school: "E", .developmentConcept)?.status == .missing)
        let country = try await world.service.deadlines(DeadlinesQuery(), for: federal)
        let concept = country.totals.milestones.first { $0.kind == .developmentConcept }
        #expect(concept?.dueDate == nil, "the regions' due dates differ, so the country has none")
        #expect(concept?.counts.notDue == 4)
        #expect(concept?.counts.missing == 1)
    }

    @Test("per curator: items waiting and the oldest wait")
    func curatorLoad() async throws {
        let world = try await TestWorld()
        _ = try await world.submittedDocument(school: "A")
        world.clock.advance(by: 5 * 3600)
        _ = try await world.submittedDocument(school: "B")
        _ = try await world.submittedDocument(.midtermProgramme, school: "B")
        world.clock.advance(by: 3600)
        let report = try await world.service.deadlines(DeadlinesQuery(regionCode: "R1"), for: try await world.actor("reg-R1"))
        let curator1 = report.curators.first { $0.login == "curator1" }
        #expect(curator1?.waiting == 3)
        #expect(curator1?.schools == 2)
        #expect(curator1?.oldestWaitHours == 6)
        #expect(report.curators.first { $0.login == "curator2" }?.waiting == 0)
    }

    @Test("coordinators see only their territory")
    func scope() async throws {
        let world = try await TestWorld()
        let municipal = try await world.actor("mun-M1")
        let error = await #expect(throws: MEDKError.self) {
            try await world.service.deadlines(DeadlinesQuery(municipalityCode: "M2"), for: municipal)
        }
        #expect(error?.kind == .notFound, "a neighbouring municipality is answered like a missing one")
        // Its own region it works in: told why not.
        let region = await #expect(throws: MEDKError.self) {
            try await world.service.deadlines(DeadlinesQuery(regionCode: "R1"), for: municipal)
        }
        #expect(region?.kind == .forbidden)
        await #expect(throws: MEDKError.self) { try await world.service.deadlines(DeadlinesQuery(regionCode: "R2"), for: try await world.actor("reg-R1")) }
        await #expect(throws: MEDKError.self) { try await world.service.deadlines(DeadlinesQuery(), for: try await world.actor("school-A")) }
        await #expect(throws: MEDKError.self) { try await world.service.deadlines(DeadlinesQuery(), for: try await world.actor("curator1")) }
        let country = try await world.service.deadlines(DeadlinesQuery(), for: try await world.actor("federal"))
        #expect(country.level == .country)
        #expect(country.totals.schools == 5)
        #expect(country.parts.map(\.code) == ["R1", "R2"])
        #expect(country.schools == nil, "the country is summed by region, never listed school by school")
    }
}
