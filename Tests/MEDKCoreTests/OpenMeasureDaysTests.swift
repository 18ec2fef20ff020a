import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

/// A region's and the country's overdue totals are summed from open measures by due date
/// (`open_measure_days`, kept by triggers); a school's or a municipality's are counted directly. The
/// two must always agree with the rows the list actually holds.
@Suite("Overdue totals summed by due date")
struct OpenMeasureDaysTests {
    /// Every overdue measure the actor's list holds, read page by page, and the total its first page stated.
    static func listed(_ world: TestWorld, _ login: String, _ query: OverdueQuery = OverdueQuery()) async throws -> (rows: Int, total: Int) {
        let actor = try await world.actor(login)
        var page = query
        page.page = PageRequest(limit: 2)
        let first = try await world.service.overdueMeasures(page, for: actor)
        var rows = first.measures.items.count
        var next = first.measures.nextCursor
        while let cursor = next {
            page.page = PageRequest(limit: 2, after: cursor, countsTotal: false)
            let more = try await world.service.overdueMeasures(page, for: actor)
            rows += more.measures.items.count
            next = more.measures.nextCursor
        }
        #expect(!first.measures.totalIsLowerBound)
        return (rows, first.measures.total)
    }

    /// The total each way of looking agrees with the rows, and the region's parts add up to it.
    static func agree(_ world: TestWorld, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let country = try await listed(world, "federal")
        #expect(country.total == country.rows, "the country's sum", sourceLocation: sourceLocation)
        var parts = 0
        for (login, region) in [("reg-R1", "R1"), ("reg-R2", "R2")] {
            let whole = try await listed(world, login)
            #expect(whole.total == whole.rows, "\(region)'s sum", sourceLocation: sourceLocation)
            let asked = try await listed(world, "federal", OverdueQuery(regionCode: region))
            #expect(asked.total == whole.total, "\(region) asked by the federal operator", sourceLocation: sourceLocation)
            parts += whole.total
        }
        #expect(parts == country.total, sourceLocation: sourceLocation)
        var schools = 0
        for school in ["A", "B", "C", "D", "E"] {
            schools += try await listed(world, "federal", OverdueQuery(schoolCode: school)).total
        }
        #expect(schools == country.total, "counted school by school", sourceLocation: sourceLocation)
        return country.total
    }

    @Test("measures added, moved, removed and reported keep every summed total equal to the list")
    func sumsFollowEveryChange() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-05-10 10:00", zone: "Asia/Chita"))
        var roadmaps: [String: ItemDetail] = [:]
        for (school, due) in [("A", ["2026-05-01", "2026-05-01", "2026-06-01"]), ("D", ["2026-05-02", "2026-07-01"]),
                              ("E", ["2026-05-01", "2026-05-09", "2026-05-10"])] {
            roadmaps[school] = try await OverdueMeasuresTests.roadmap(world, school: school, due: due, left: .returned)
        }
        // 10 May 10:00 in Chita is 10 May 04:00 in Moscow: A's two and D's one, E's two (not the one due today).
        #expect(try await Self.agree(world) == 5)

        let ownerA = try await world.actor("school-A")
        let measuresA = try #require(try await world.service.item(roadmaps["A"]!.item.id, for: ownerA).measures)
        var moved = MeasureInput(task: measuresA[2].task, title: measuresA[2].title, dueDate: CalendarDate("2026-05-03")!,
                                 responsible: measuresA[2].responsible, expectedResult: measuresA[2].expectedResult,
                                 indicator: measuresA[2].indicator, plannedValue: measuresA[2].plannedValue, riskFactorNumber: 1)
        _ = try await world.service.updateMeasure(measuresA[2].id, moved, by: ownerA)
        #expect(try await Self.agree(world) == 6, "a deadline moved into the past joins the list")
        moved.dueDate = CalendarDate("2026-09-01")!
        _ = try await world.service.updateMeasure(measuresA[2].id, moved, by: ownerA)
        #expect(try await Self.agree(world) == 5, "and leaves it when moved out again")
        try await world.service.removeMeasure(measuresA[0].id, by: ownerA)
        #expect(try await Self.agree(world) == 4, "a removed measure leaves the day it shared with another")

        // A report confirmed for the first time closes its measure for good.
        var roadmap = try await world.act(.submit, on: try await world.answerRemarks(try await world.service.item(roadmaps["A"]!.item.id, for: ownerA), by: "school-A"), by: "school-A")
        roadmap = try await world.act(.confirm, on: roadmap, by: "curator1")
        var report = try await world.service.reportMeasure(measuresA[1].id, actualValue: "1", by: ownerA)
        report = try await world.service.upload(itemID: report.item.id, fileName: "приказ.pdf", chunks: OneChunk(bytes: TestWorld.pdf("п")),
                                                by: ownerA)
        report = try await world.act(.submit, on: report, by: "school-A")
        #expect(try await Self.agree(world) == 4, "a report waiting for review leaves the measure overdue")
        report = try await world.act(.confirm, on: report, by: "curator1")
        #expect(try await Self.agree(world) == 3)
        _ = try await world.act(.reopen, on: report, by: "school-A", comment: "Уточняем значение")
        #expect(try await Self.agree(world) == 3, "a confirmed report under revision still counts as done")

        // Each region's own midnight: at 20:30 UTC it is already 11 May in Chita and still 10 May in Moscow.
        world.clock.set(TestWorld.instant("2026-05-10 23:30", zone: "Europe/Moscow"))
        #expect(try await Self.agree(world) == 3)
        world.clock.set(TestWorld.instant("2026-05-11 00:30", zone: "Europe/Moscow"))
        #expect(try await Self.agree(world) == 4, "E's measure due 10 May is overdue once Moscow's 10 May is over")
    }
}
