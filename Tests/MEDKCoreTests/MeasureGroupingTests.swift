import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

/// After an import, measures are filed under their factor, track or regional measure in one step,
/// not opened and saved one at a time.
@Suite("Filing several measures at once")
struct MeasureGroupingTests {
    static func municipalRoadmap(_ world: TestWorld, titles: [String]) async throws -> ItemDetail {
        let coordinator = try await world.actor("mun-M1")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 municipalityID: try await world.municipalityID("M1")), by: coordinator)
        for title in titles {
            _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
                task: "Задача", title: title, dueDate: CalendarDate("2026-11-30")!, responsible: "Координатор",
                expectedResult: "Проведено", indicator: "Доля школ", plannedValue: "100 %", regionalMeasure: "1.1"), by: coordinator)
        }
        return try await world.service.item(roadmap.item.id, for: coordinator)
    }

    @Test("a municipality puts the measures it chose on a track at once: one revision, one audit line each, the others untouched")
    func trackAtOnce() async throws {
        let world = try await TestWorld()
        let roadmap = try await Self.municipalRoadmap(world, titles: ["Семинар", "Выезды", "Совещание"])
        let measures = try #require(roadmap.measures)
        let coordinator = try await world.actor("mun-M1")
        let count = try await world.service.measureGrouping.apply(.track(.riskZone), to: [measures[0].id, measures[2].id],
                                                                  roadmapID: roadmap.item.id, expectedRevision: roadmap.item.revision,
                                                                  by: coordinator)
        #expect(count == 2)
        let after = try await world.service.item(roadmap.item.id, for: coordinator)
        #expect(after.measures?.map(\.track) == [.riskZone, nil, .riskZone])
        #expect(after.measures?.map(\.title) == ["Семинар", "Выезды", "Совещание"], "nothing else of a measure changes")
        #expect(after.item.revision == roadmap.item.revision + 1)
        let audit = try await world.service.auditLog(AuditQuery(entityType: .item, entityID: roadmap.item.id),
                                                     by: .user(try await world.actor("federal")))
        #expect(audit.items.filter { $0.action == .measureUpdate && $0.details.contains(#""changed":"track""#) }.count == 2)
    }

    @Test("a stale page, a measure of another roadmap, a factor on a municipal roadmap and an empty choice change nothing")
    func refusals() async throws {
        let world = try await TestWorld()
        let roadmap = try await Self.municipalRoadmap(world, titles: ["Семинар", "Выезды"])
        let other = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-11-30"], left: .draft)
        let coordinator = try await world.actor("mun-M1")
        let ids = try #require(roadmap.measures).map(\.id)
        let grouping = world.service.measureGrouping
        let stale = await #expect(throws: MEDKError.self) {
            try await grouping.apply(.track(.addressSupport), to: ids, roadmapID: roadmap.item.id, expectedRevision: 1, by: coordinator)
        }
        #expect(stale?.code == "stale_revision")
        let stranger = await #expect(throws: MEDKError.self) {
            try await grouping.apply(.track(.addressSupport), to: ids + [try #require(other.measures?.first).id],
                                     roadmapID: roadmap.item.id, by: coordinator)
        }
        #expect(stranger?.code == "measure_not_in_roadmap")
        let factor = await #expect(throws: MEDKError.self) {
            try await grouping.apply(.riskFactor(number: 2), to: ids, roadmapID: roadmap.item.id, by: coordinator)
        }
        #expect(factor?.code == "not_school")
        let none = await #expect(throws: MEDKError.self) {
            try await grouping.apply(.track(.addressSupport), to: [], roadmapID: roadmap.item.id, by: coordinator)
        }
        #expect(none?.code == "no_measures_chosen")
        let curator = await #expect(throws: MEDKError.self) {
            try await grouping.apply(.riskFactor(number: 2), to: try #require(other.measures).map(\.id), roadmapID: other.item.id,
                                     by: try await world.actor("curator1"))
        }
        #expect(curator?.code == "forbidden", "only the roadmap's owner files its measures")
        let after = try await world.service.item(roadmap.item.id, for: coordinator)
        #expect(after.measures?.allSatisfy { $0.track == nil } == true && after.item.revision == roadmap.item.revision)
    }

    @Test("a school files measures under a factor of the campaign's catalogue, which clears the finding")
    func schoolFactor() async throws {
        let world = try await TestWorld()
        let school = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: school)
        for title in ["Курсы", "Наставничество"] {
            _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
                task: "Задача", title: title, dueDate: CalendarDate("2026-11-30")!, responsible: "Завуч", expectedResult: "Готово",
                indicator: "Доля", plannedValue: "100 %"), by: school)
        }
        let before = try await world.service.item(roadmap.item.id, for: school)
        #expect(before.completenessFindings?.count == 2)
        let unknown = await #expect(throws: MEDKError.self) {
            try await world.service.measureGrouping.apply(.riskFactor(number: 42), to: try #require(before.measures).map(\.id),
                                                          roadmapID: roadmap.item.id, by: school)
        }
        #expect(unknown?.code == "unknown_risk_factor")
        try await world.service.measureGrouping.apply(.riskFactor(number: 2), to: try #require(before.measures).map(\.id),
                                                      roadmapID: roadmap.item.id, by: school)
        let after = try await world.service.item(roadmap.item.id, for: school)
        #expect(after.completenessFindings == [] && Set(after.measures?.map(\.riskFactorID) ?? []).count == 1)
    }
}
