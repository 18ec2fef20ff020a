import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

/// The country's report reuses each region's part while nothing of the region changed
/// (`RegionPartsCache`): after any change it must say exactly what a server that never saw
/// the country before says.
@Suite("The country's compliance report kept by region")
struct CountryComplianceCacheTests {
    /// The country's totals and regions as `service` reports them now.
    static func country(_ service: MEDKService) async throws -> ([TerritoryCompliance], TerritoryCompliance) {
        let federal = try await service.actor(login: "federal")
        let report = try await service.deadlines(DeadlinesQuery(), for: federal)
        return (report.parts, report.totals)
    }

    /// What a server starting now on the same database reports: every region judged afresh.
    static func fresh(_ world: TestWorld) async throws -> ([TerritoryCompliance], TerritoryCompliance) {
        let other = try MEDKService(dataDirectory: world.directory, database: world.database, clock: world.clock, hasher: .fastForTests)
        return try await country(other)
    }

    @Test("after a review step, a regional milestone date, a new day and a school moved, the kept report is the fresh one")
    func keptReportFollowsEveryChange() async throws {
        let world = try await TestWorld()
        let first = try await Self.country(world.service)
        #expect(first == (try await Self.fresh(world)))
        #expect(try await Self.country(world.service) == first, "nothing changed: the same answer")

        // A document sent to review in R1 (a school's stored progress changes).
        _ = try await world.submittedDocument(school: "A")
        let afterSubmit = try await Self.country(world.service)
        #expect(afterSubmit != first, "the sent document shows")
        #expect(afterSubmit == (try await Self.fresh(world)))

        // The curator returns it: the school's progress again.
        let waiting = try #require(try await world.service.queue(for: try await world.actor("curator1")).items.first)
        let item = try await world.service.item(waiting.item.id, for: try await world.actor("curator1"))
        _ = try await world.act(.return, on: item, by: "curator1", comment: "- уточнить цели")
        #expect(try await Self.country(world.service) == (try await Self.fresh(world)))

        // R2 moves a milestone for its schools: no school's data changes, its deadline does.
        try await world.service.shiftMilestone(by: .user(try await world.actor("reg-R2")), campaignCode: "C2026", kind: .developmentConcept,
                                               regionCode: "R2", dueDate: CalendarDate(year: 2026, month: 3, day: 20)!)
        let shifted = try await Self.country(world.service)
        #expect(shifted == (try await Self.fresh(world)))

        // Days pass: milestones fall due without a single write.
        world.clock.advance(by: 120 * 86_400)
        let later = try await Self.country(world.service)
        #expect(later != shifted, "a deadline passed and shows")
        #expect(later == (try await Self.fresh(world)))

        // A school moves to another region's municipality (an import updates it).
        _ = try await world.service.importCSV(.schools, text: """
            code;name;municipality_code;low_results;hard_social;programme_years
            D;Школа Г;M3;да;нет;2026
            """, dryRun: false, by: .local)
        let moved = try await Self.country(world.service)
        #expect(moved != later, "the school counts in its new region")
        #expect(moved == (try await Self.fresh(world)))
    }

    @Test("a report as of a past day is judged in full and does not disturb the kept one")
    func asOfReportsBypassTheParts() async throws {
        let world = try await TestWorld()
        _ = try await world.submittedDocument(school: "E")
        let federal = try await world.actor("federal")
        let today = try await Self.country(world.service)
        let past = try await world.service.deadlines(DeadlinesQuery(asOf: CalendarDate(year: 2026, month: 3, day: 1)!), for: federal)
        #expect(past.totals != today.1, "before the document existed")
        #expect(try await Self.country(world.service) == today)
    }

    /// The country's dashboard as `service` shows it now: its trend, its week ahead and its totals.
    static func dashboard(_ service: MEDKService) async throws -> ([OverduePoint], [DueThisWeek], TerritoryCompliance) {
        let board = try await service.dashboard(DeadlinesQuery(), for: try await service.actor(login: "federal"))
        return (board.trend, board.dueThisWeek, board.report.totals)
    }

    static func freshDashboard(_ world: TestWorld) async throws -> ([OverduePoint], [DueThisWeek], TerritoryCompliance) {
        try await dashboard(try MEDKService(dataDirectory: world.directory, database: world.database, clock: world.clock, hasher: .fastForTests))
    }

    @Test("the country's dashboard kept by region follows a municipality's roadmap sent with late measures, and the days passing")
    func keptDashboardFollowsMeasures() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-06-01 10:00", zone: "Asia/Chita"))
        let before = try await Self.dashboard(world.service)
        #expect(before == (try await Self.freshDashboard(world)))

        // A municipality's own roadmap: its measures are in no school's progress.
        let coordinator = try await world.actor("mun-M1")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 municipalityID: try await world.municipalityID("M1")), by: coordinator)
        // All late but the first, which falls in the week ahead.
        for (index, track) in MunicipalTrack.allCases.enumerated() {
            _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
                task: "Задача", title: "Мера \(track.rawValue)", dueDate: CalendarDate(index == 0 ? "2026-06-04" : "2026-05-20")!,
                responsible: "Координатор",
                expectedResult: "Проведено", indicator: "Доля школ", plannedValue: "100 %", track: track, regionalMeasure: "1.1"),
                by: coordinator)
        }
        _ = try await world.act(.submit, on: try await world.service.item(roadmap.item.id, for: coordinator), by: "mun-M1", acceptFindings: true)
        world.clock.advance(by: 60)
        let sent = try await Self.dashboard(world.service)
        #expect(sent.1 != before.1, "the measure due in the week ahead shows at once")
        #expect(sent == (try await Self.freshDashboard(world)))

        // The trend counts mornings: the late measures show from the next one on.
        world.clock.advance(by: 86_400)
        let nextDay = try await Self.dashboard(world.service)
        #expect(nextDay.0.last?.overdue == before.0.last.map { $0.overdue + MunicipalTrack.allCases.count - 1 },
                "the sent roadmap's late measures show in the trend")
        #expect(nextDay == (try await Self.freshDashboard(world)))
        world.clock.advance(by: 9 * 86_400)
        #expect(try await Self.dashboard(world.service) == (try await Self.freshDashboard(world)))
    }
}
