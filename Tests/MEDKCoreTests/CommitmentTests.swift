import Foundation
import GRDB
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// Only commitments are overdue: a roadmap's measures become promises when the roadmap is sent to
/// review with them, and only then can their deadlines be missed — in the overdue list, in every
/// total, in the school's compliance, as of any date.
@Suite("Only commitments are overdue")
struct CommitmentTests {
    static func overdueIDs(_ world: TestWorld, _ actor: String = "reg-R1") async throws -> [Int64] {
        try await world.service.overdueMeasures(OverdueQuery(page: PageRequest(limit: 500)), for: try await world.actor(actor))
            .measures.items.map(\.measureID)
    }

    static func schoolOverdue(_ world: TestWorld, asOf: CalendarDate? = nil) async throws -> Int {
        let report = try await world.service.deadlines(DeadlinesQuery(regionCode: "R1", asOf: asOf, allSchools: true),
                                                      for: try await world.actor("reg-R1"))
        return report.schools?.items.first(where: { $0.schoolCode == "A" })?.measures.overdue ?? -1
    }

    @Test("a draft's late measures are not overdue; sent, they are; returned, they stay so; one added to the returned roadmap counts once it is sent again")
    func lifecycle() async throws {
        // 1 June 2026 in Chita: school A plans two measures already past their dates.
        let world = try await TestWorld(start: TestWorld.instant("2026-06-01 10:00", zone: "Asia/Chita"))
        let draft = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-05-20", "2026-05-25"], left: .draft)
        #expect(try await Self.overdueIDs(world).isEmpty)
        #expect(try await Self.schoolOverdue(world) == 0)
        #expect(try await OpenMeasureDaysTests.agree(world) == 0)

        world.clock.set(TestWorld.instant("2026-06-02 10:00", zone: "Asia/Chita"))
        let sent = try await world.act(.submit, on: draft, by: "school-A", acceptFindings: true)
        world.clock.advance(by: 60)
        #expect(try await Self.overdueIDs(world).count == 2)
        #expect(try await Self.schoolOverdue(world) == 2)
        #expect(try await OpenMeasureDaysTests.agree(world) == 2)
        // As of the day before it was sent, nothing was late.
        #expect(try await Self.schoolOverdue(world, asOf: CalendarDate("2026-06-01")!) == 0)

        var returned = try await world.act(.return, on: sent, by: "curator1", comment: "Добавьте мероприятие по фактору 2")
        #expect(try await Self.overdueIDs(world).count == 2, "a returned roadmap's promises stand")
        let owner = try await world.actor("school-A")
        let added = try await world.service.addMeasure(roadmapID: returned.item.id, MeasureInput(
            task: "Задача", title: "Новое", dueDate: CalendarDate("2026-05-30")!, responsible: "Директор", expectedResult: "Результат",
            indicator: "Показатель", plannedValue: "1", riskFactorNumber: 2), by: owner)
        let listedNow = try await Self.overdueIDs(world)
        #expect(!added.overdue && !listedNow.contains(added.id), "added to a revision not yet sent: a plan")
        #expect(try await OpenMeasureDaysTests.agree(world) == 2)

        returned = try await world.service.item(returned.item.id, for: owner)
        _ = try await world.act(.submit, on: try await world.answerRemarks(returned, by: "school-A"), by: "school-A", acceptFindings: true)
        world.clock.advance(by: 60)
        #expect(try await Self.overdueIDs(world).contains(added.id))
        #expect(try await Self.schoolOverdue(world) == 3)
        #expect(try await OpenMeasureDaysTests.agree(world) == 3)
        #expect(try await SchoolProgressTests.rebuiltEqualsStored(world.service) > 0)
    }

    @Test("a municipality's roadmap never sent adds nothing to the region's overdue list or totals")
    func municipalDraft() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-06-01 10:00", zone: "Asia/Chita"))
        let coordinator = try await world.actor("mun-M1")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 municipalityID: try await world.municipalityID("M1")), by: coordinator)
        for track in MunicipalTrack.allCases {
            _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
                task: "Задача", title: "Мера \(track.rawValue)", dueDate: CalendarDate("2025-07-20")!, responsible: "Координатор",
                expectedResult: "Проведено", indicator: "Доля школ", plannedValue: "100 %", track: track, regionalMeasure: "1.1"),
                by: coordinator)
        }
        #expect(try await Self.overdueIDs(world).isEmpty, "311 days late on a plan nobody sent is not late")
        let region = try await world.service.deadlines(DeadlinesQuery(regionCode: "R1"), for: try await world.actor("reg-R1"))
        #expect(region.parts.first { $0.code == "M1" }?.municipalRoadmap?.measures.overdue == 0)
        _ = try await world.act(.submit, on: try await world.service.item(roadmap.item.id, for: coordinator), by: "mun-M1", acceptFindings: true)
        world.clock.advance(by: 60)
        #expect(try await Self.overdueIDs(world).count == 3)
    }

    @Test("the overdue list counts each measure once, page after page, whatever reaches it twice")
    func eachMeasureOnce() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-06-01 10:00", zone: "Asia/Chita"))
        let roadmap = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-05-01", "2026-05-02", "2026-05-03"], left: .draft)
        _ = try await world.act(.confirm, on: try await world.act(.submit, on: roadmap, by: "school-A", acceptFindings: true), by: "curator1")
        // Reports on two of them: a measure with a report item is still one measure.
        let owner = try await world.actor("school-A")
        for measure in try #require(try await world.service.item(roadmap.item.id, for: owner).measures).prefix(2) {
            _ = try await world.service.reportMeasure(measure.id, actualValue: "1", by: owner)
        }
        _ = try await OverdueMeasuresTests.roadmap(world, school: "D", due: ["2026-05-04", "2026-05-05"])
        world.clock.advance(by: 60)
        // The regional coordinator reaches school A's measures as the region's and as the municipality's: once.
        var seen: [Int64] = []
        var page = PageRequest(limit: 2)
        var total = 0
        while true {
            let list = try await world.service.overdueMeasures(OverdueQuery(page: page), for: try await world.actor("reg-R1")).measures
            seen += list.items.map(\.measureID)
            total = list.total ?? total
            guard let next = list.nextCursor else { break }
            page = PageRequest(limit: 2, after: next)
        }
        #expect(seen.count == Set(seen).count, "a measure listed twice: \(seen)")
        #expect(seen.count == 5 && total == 5)
    }

    @Test("before the migration, a measure became a commitment at its roadmap's first submission after it was added", .enabled(if: TestWorld.onSQLite, "reads the SQLite file directly"))
    func backfill() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-05-01 10:00", zone: "Asia/Chita"))
        let sent = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-05-10"], left: .returned)
        world.clock.set(TestWorld.instant("2026-05-03 10:00", zone: "Asia/Chita"))
        let owner = try await world.actor("school-A")
        _ = try await world.service.addMeasure(roadmapID: sent.item.id, MeasureInput(
            task: "Задача", title: "Позже", dueDate: CalendarDate("2026-05-12")!, responsible: "Директор", expectedResult: "Результат",
            indicator: "Показатель", plannedValue: "1", riskFactorNumber: 1), by: owner)
        world.clock.set(TestWorld.instant("2026-05-05 10:00", zone: "Asia/Chita"))
        _ = try await world.act(.submit, on: try await world.answerRemarks(try await world.service.item(sent.item.id, for: owner), by: "school-A"), by: "school-A", acceptFindings: true)
        let queue = try ItemTalliesTests.openBeside(world.directory.appendingPathComponent("medk.sqlite").path)
        let kept = try await queue.read { db in try Row.fetchAll(db, sql: "SELECT CAST(id AS TEXT), committed_at FROM measures ORDER BY id").map { [$0[0], $0[1]] as [String?] } }
        try await queue.write { db in
            try db.execute(sql: "UPDATE measures SET committed_at = NULL")
            try db.execute(sql: Migrations.v16Backfill)
        }
        let rebuilt = try await queue.read { db in try Row.fetchAll(db, sql: "SELECT CAST(id AS TEXT), committed_at FROM measures ORDER BY id").map { [$0[0], $0[1]] as [String?] } }
        #expect(rebuilt == kept)
        #expect(Set(rebuilt.map { $0[1] }).count == 2, "the first at the first submission, the later one at the second")
    }
}
