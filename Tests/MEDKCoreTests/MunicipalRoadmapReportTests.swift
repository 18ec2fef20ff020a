import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

/// A municipality's compliance report carries its own roadmap next to its schools.
@Suite("The municipal roadmap in the municipality's report")
struct MunicipalRoadmapReportTests {
    @Test("a draft's measures are counted but never overdue; once the roadmap is sent the late ones are listed longest first")
    func roadmapInReport() async throws {
        // Drafted from 25 April 2026, sent on 8 May, seen on 10 May at 10:00 in Chita.
        let world = try await TestWorld(start: TestWorld.instant("2026-04-25 10:00", zone: "Asia/Chita"))
        let coordinator = try await world.actor("mun-M1")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 municipalityID: try await world.municipalityID("M1")), by: coordinator)
        for (title, due, track) in [("Семинар", "2026-05-01", MunicipalTrack.addressSupport), ("Собеседование", "2026-04-20", .riskZone),
                                    ("Итоговый совет", "2026-06-01", .failurePrevention)] {
            _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
                task: "Задача", title: title, dueDate: CalendarDate(due)!, responsible: "Координатор", expectedResult: "Проведено",
                indicator: "Доля школ", plannedValue: "100 %", track: track, regionalMeasure: "Мера 1.1"), by: coordinator)
        }
        let drafted = try #require(try await world.service.deadlines(DeadlinesQuery(municipalityCode: "M1"), for: coordinator).municipalRoadmap)
        #expect(drafted.roadmapID == roadmap.item.id && drafted.state == .draft)
        #expect(drafted.measures.total == 3 && drafted.measures.overdue == 0 && drafted.overdue.isEmpty, "a plan being drafted is not late")
        world.clock.set(TestWorld.instant("2026-05-08 12:00", zone: "Asia/Chita"))
        _ = try await world.act(.submit, on: try await world.service.item(roadmap.item.id, for: coordinator), by: "mun-M1",
                                acceptFindings: true)  // two of its dates already past
        world.clock.set(TestWorld.instant("2026-05-10 10:00", zone: "Asia/Chita"))
        let report = try await world.service.deadlines(DeadlinesQuery(municipalityCode: "M1"), for: coordinator)
        let status = try #require(report.municipalRoadmap)
        #expect(status.roadmapID == roadmap.item.id && status.state == .submitted)
        #expect(status.measures.total == 3 && status.measures.overdue == 2 && status.measures.confirmed == 0)
        #expect(status.overdue.map(\.title) == ["Собеседование", "Семинар"])
        #expect(status.overdue.map(\.daysOverdue) == [20, 9])

        let other = try await world.service.deadlines(DeadlinesQuery(municipalityCode: "M2"), for: try await world.actor("mun-M2"))
        #expect(other.municipalRoadmap?.roadmapID == nil && other.municipalRoadmap != nil, "not started is said, not hidden")
        // The region sees every municipality's roadmap in one table.
        let region = try await world.service.deadlines(DeadlinesQuery(regionCode: "R1"), for: try await world.actor("reg-R1"))
        #expect(region.municipalRoadmap == nil)
        let byCode = Dictionary(uniqueKeysWithValues: region.parts.map { ($0.code, $0.municipalRoadmap) })
        #expect(byCode["M1"]??.measures.total == 3 && byCode["M1"]??.measures.overdue == 2 && byCode["M1"]??.state == .submitted)
        #expect(byCode["M2"]??.roadmapID == nil && byCode["M2"]! != nil, "M2 has not started one")
        var table = ComplianceTable.territoryRows(region)
        #expect(table[0].suffix(5) == ["Дорожная карта МО", "Её мероприятий", "Из них просрочено", "Оценка пакета", "Из"])
        #expect(table.first { $0.first == "Балейский округ" }?.suffix(5) == ["на проверке", "3", "2", "не оценён", "14"])
        // …and, beside each roadmap, its package as FIOCO last evaluated it.
        _ = try await world.service.evaluatePackage(
            municipalityCode: "M1",
            scores: EvaluationPosition.allCases.map { PositionScore(position: $0, score: $0 == .tracks ? 1 : 2, comment: "Один трек") },
            by: try await world.actor("reg-R1"))
        let evaluated = try await world.service.deadlines(DeadlinesQuery(regionCode: "R1"), for: try await world.actor("reg-R1"))
        #expect(evaluated.parts.first { $0.code == "M1" }?.packageEvaluation?.total == 13)
        #expect(evaluated.parts.first { $0.code == "M2" }?.packageEvaluation?.version == nil)
        table = ComplianceTable.territoryRows(evaluated)
        #expect(table.first { $0.first == "Балейский округ" }?.suffix(2) == ["13", "14"])
        let regional = try await world.service.deadlines(DeadlinesQuery(municipalityCode: "M1"), for: try await world.actor("reg-R1"))
        #expect(regional.municipalRoadmap?.measures.overdue == 2, "the region sees its municipality's roadmap")
        // As of a past date the roadmaps are shown as they stood then: on 5 May a draft, nothing late;
        // on 9 May sent, the two measures due before then late; on 20 April not yet started.
        let regionPast = try await world.service.deadlines(DeadlinesQuery(regionCode: "R1", asOf: CalendarDate("2026-05-05")!),
                                                           for: try await world.actor("reg-R1"))
        let pastM1 = try #require(regionPast.parts.first { $0.code == "M1" }?.municipalRoadmap)
        #expect(pastM1.state == .draft && pastM1.measures.total == 3 && pastM1.measures.overdue == 0)
        let sentPast = try await world.service.deadlines(DeadlinesQuery(municipalityCode: "M1", asOf: CalendarDate("2026-05-09")!),
                                                         for: coordinator)
        #expect(sentPast.municipalRoadmap?.state == .submitted && sentPast.municipalRoadmap?.measures.overdue == 2)
        #expect(sentPast.municipalRoadmap?.overdue.map(\.daysOverdue) == [19, 8], "days counted to the as-of day")
        let before = try await world.service.deadlines(DeadlinesQuery(municipalityCode: "M1", asOf: CalendarDate("2026-04-20")!),
                                                       for: coordinator)
        #expect(before.municipalRoadmap != nil && before.municipalRoadmap?.roadmapID == nil, "not started then")
    }
}
