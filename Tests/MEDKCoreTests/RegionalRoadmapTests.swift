import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

/// The region's own roadmap (the regional complex of measures): kept by the region's coordinator,
/// reviewed by FIOCO, seen by nobody below the region.
@Suite("The regional roadmap")
struct RegionalRoadmapTests {
    static func start(_ world: TestWorld, region: String = "R1", by login: String = "reg-R1") async throws -> ItemDetail {
        let regionID = try await world.service.regions().first { $0.code == region }!.id
        return try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap, regionID: regionID),
                                                  by: try await world.actor(login))
    }

    static func measure(_ title: String, task: String = "Задача 1: методическая поддержка школ") -> MeasureInput {
        MeasureInput(task: task, title: title, dueDate: CalendarDate(year: 2026, month: 10, day: 30)!, responsible: "Министерство образования края",
                     expectedResult: "Школы получили адресную помощь", indicator: "", plannedValue: "",
                     stage: "Первый этап: 2026 – 2027 гг.", normativeDocument: "Приказ министерства № 1")
    }

    @Test("the region's coordinator starts it once and fills it; FIOCO confirms it; the coordinator cannot decide on it")
    func keptByTheRegionReviewedByFIOCO() async throws {
        let world = try await TestWorld()
        var roadmap = try await Self.start(world)
        #expect(roadmap.item.owner == .region && roadmap.item.municipalityID == nil && roadmap.item.ownerName == "Забайкальский край")
        #expect(roadmap.completenessProblems == ["В дорожной карте нет ни одного мероприятия."])
        let again = await #expect(throws: MEDKError.self) { try await Self.start(world) }
        #expect(again?.code == "already_exists")

        // Indicators, tracks and risk factors are not asked of a regional measure.
        _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, Self.measure("Выезды в школы с низкими результатами"),
                                               by: try await world.actor("reg-R1"))
        roadmap = try await world.service.item(roadmap.item.id, for: try await world.actor("reg-R1"))
        #expect(roadmap.completenessProblems == [])
        roadmap = try await world.act(.submit, on: roadmap, by: "reg-R1")
        #expect(roadmap.item.state == .submitted)

        let federalQueue = try await world.service.queue(for: try await world.actor("federal")).items.map(\.item.id)
        #expect(federalQueue.contains(roadmap.item.id))
        for login in ["reg-R1", "reg-R2", "mun-M1", "curator1"] {
            let queue = try await world.service.queue(for: try await world.actor(login)).items.map(\.item.id)
            #expect(!queue.contains(roadmap.item.id), "\(login)")
        }
        let refused = await #expect(throws: MEDKError.self) { try await world.act(.confirm, on: roadmap, by: "reg-R1") }
        #expect(refused?.message == "Региональную дорожную карту проверяет федеральный оператор (ФИОКО).")
        roadmap = try await world.act(.confirm, on: roadmap, by: "federal")
        #expect(roadmap.item.state == .confirmed)
        let trail: [AuditAction] = try await world.auditTrail().filter { $0.entityType == .item && $0.entityID == roadmap.item.id }.map(\.action)
        #expect(trail == [.itemCreate, .measureAdd, .transition(.submit), .transition(.confirm)])
    }

    @Test("the region's coordinator and FIOCO see it; another region, its municipalities, curators and schools are told it does not exist")
    func whoSeesIt() async throws {
        let world = try await TestWorld()
        let roadmap = try await Self.start(world)
        for login in ["reg-R1", "federal"] {
            #expect(try await world.service.item(roadmap.item.id, for: try await world.actor(login)).item.id == roadmap.item.id)
            let view = try await world.service.regionalRoadmap(regionCode: "R1", for: try await world.actor(login))
            #expect(view.roadmap?.id == roadmap.item.id && !view.canStart, "\(login)")
        }
        let listed = try await world.service.items(for: try await world.actor("reg-R1")).items.map(\.id)
        #expect(listed.contains(roadmap.item.id))
        for login in ["reg-R2", "mun-M1", "mun-M2", "curator1", "school-A"] {
            let error = await #expect(throws: MEDKError.self) {
                try await world.service.item(roadmap.item.id, for: try await world.actor(login))
            }
            #expect(error?.code == "not_found", "\(login)")
            let list = try await world.service.items(for: try await world.actor(login)).items.map(\.id)
            #expect(!list.contains(roadmap.item.id), "\(login)")
        }
        let elsewhere = await #expect(throws: MEDKError.self) {
            try await world.service.regionalRoadmap(regionCode: "R1", for: try await world.actor("reg-R2"))
        }
        #expect(elsewhere?.code == "not_found")
        let fresh = try await world.service.regionalRoadmap(regionCode: "R2", for: try await world.actor("reg-R2"))
        #expect(fresh.roadmap == nil && fresh.canStart)
        #expect(try await world.service.regionalRoadmap(regionCode: "R2", for: try await world.actor("federal")).canStart == false)
    }

    @Test("only the region's own coordinator starts it, and a region keeps no school's documents")
    func onlyTheRegionStartsOnlyARoadmap() async throws {
        let world = try await TestWorld()
        for login in ["reg-R2", "federal", "mun-M1"] {
            let error = await #expect(throws: MEDKError.self) { try await Self.start(world, by: login) }
            #expect(error != nil, "\(login)")
        }
        let regionID = try await world.service.regions().first { $0.code == "R1" }!.id
        let concept = await #expect(throws: MEDKError.self) {
            try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .developmentConcept, regionID: regionID),
                                               by: try await world.actor("reg-R1"))
        }
        #expect(concept?.code == "kind_not_for_region")
        let twoOwners = await #expect(throws: MEDKError.self) {
            try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap, municipalityID: try await world.municipalityID("M1"),
                                                       regionID: regionID), by: try await world.actor("reg-R1"))
        }
        #expect(twoOwners?.code == "one_owner")
    }

    @Test("a regional measure takes a stage and a normative document, which FIOCO looks for before review, and no track, risk factor or link to a regional measure")
    func regionalMeasureFields() async throws {
        let world = try await TestWorld()
        let roadmap = try await Self.start(world)
        let coordinator = try await world.actor("reg-R1")
        var input = Self.measure("Семинар для директоров")
        input.track = .addressSupport
        let error = await #expect(throws: MEDKError.self) {
            try await world.service.addMeasure(roadmapID: roadmap.item.id, input, by: coordinator)
        }
        #expect(error?.code == "invalid_measure")

        input.track = nil
        input.normativeDocument = nil
        let added = try await world.service.addMeasure(roadmapID: roadmap.item.id, input, by: coordinator)
        #expect(added.stage == "Первый этап: 2026 – 2027 гг." && added.normativeDocument == nil)
        var detail = try await world.service.item(roadmap.item.id, for: coordinator)
        #expect(detail.completenessProblems == [])
        #expect(detail.completenessFindings == ["Мероприятие №1 «Семинар для директоров»: не указан нормативный документ, на котором основано мероприятие."])

        input.stage = nil  // not sent: the stage stays as it was
        input.normativeDocument = "Распоряжение правительства края № 45-р"
        let edited = try await world.service.updateMeasure(added.id, input, by: coordinator)
        #expect(edited.stage == "Первый этап: 2026 – 2027 гг." && edited.normativeDocument == "Распоряжение правительства края № 45-р")
        detail = try await world.service.item(roadmap.item.id, for: coordinator)
        #expect(detail.completenessProblems == [] && detail.completenessFindings == [])

        let school = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap, schoolID: try await world.schoolID("A")),
                                                        by: try await world.actor("school-A"))
        let misplaced = await #expect(throws: MEDKError.self) {
            try await world.service.addMeasure(roadmapID: school.item.id, input, by: try await world.actor("school-A"))
        }
        #expect(misplaced?.code == "invalid_measure")
    }

    @Test("the region's deadline table lists its municipalities only, and the regional roadmap above them, not among theirs")
    func notAMunicipality() async throws {
        let world = try await TestWorld()
        let roadmap = try await Self.start(world)
        _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, Self.measure("Выезды в школы"), by: try await world.actor("reg-R1"))
        let report = try await world.service.deadlines(DeadlinesQuery(regionCode: "R1"), for: try await world.actor("reg-R1"))
        #expect(report.parts.map(\.code) == ["M1", "M2"])
        #expect(report.parts.allSatisfy { $0.municipalRoadmap?.roadmapID == nil })
        // Above them, the region's own roadmap, counted today; as of a date before it was started, said not started.
        #expect(report.regionalRoadmap?.roadmapID == roadmap.item.id && report.regionalRoadmap?.measures.total == 1)
        #expect(report.regionalRoadmap?.state == .draft)
        let past = try await world.service.deadlines(DeadlinesQuery(regionCode: "R1", asOf: CalendarDate(year: 2026, month: 3, day: 1)),
                                                     for: try await world.actor("reg-R1"))
        #expect(past.regionalRoadmap != nil && past.regionalRoadmap?.roadmapID == nil)
    }

    @Test("a municipal measure names the regional measure it implements by choosing it from the region's confirmed roadmap; a measure so named cannot be removed")
    func municipalMeasuresLinkByReference() async throws {
        let world = try await TestWorld()
        var regional = try await Self.start(world)
        let seminar = try await world.service.addMeasure(roadmapID: regional.item.id, Self.measure("Семинар для директоров"),
                                                         by: try await world.actor("reg-R1"))
        let municipal = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                   municipalityID: try await world.municipalityID("M1")),
                                                           by: try await world.actor("mun-M1"))
        let coordinator = try await world.actor("mun-M1")
        #expect(try await world.service.regionalMeasureChoices(roadmapID: municipal.item.id, for: coordinator).isEmpty,
                "nothing to choose before FIOCO confirms the regional roadmap")

        regional = try await world.service.item(regional.item.id, for: try await world.actor("reg-R1"))
        regional = try await world.act(.submit, on: regional, by: "reg-R1")
        regional = try await world.act(.confirm, on: regional, by: "federal")
        let choices = try await world.service.regionalMeasureChoices(roadmapID: municipal.item.id, for: coordinator)
        #expect(choices.map(\.id) == [seminar.id])
        #expect(choices.first?.label == "№1. Семинар для директоров (Задача 1: методическая поддержка школ)")

        var input = MeasureInput(task: "Адресная помощь", title: "Участие директоров в семинаре", dueDate: CalendarDate(year: 2026, month: 11, day: 15)!,
                                 responsible: "Управление образования", expectedResult: "Директора обучены", indicator: "Доля директоров",
                                 plannedValue: "100%", track: .addressSupport, regionalMeasureID: seminar.id)
        let linked = try await world.service.addMeasure(roadmapID: municipal.item.id, input, by: coordinator)
        #expect(linked.regionalMeasureID == seminar.id && linked.regionalMeasureTitle == "Семинар для директоров")
        let detail = try await world.service.item(municipal.item.id, for: coordinator)
        #expect(!(detail.completenessProblems ?? []).contains { $0.contains("нет связи с мероприятием региональной дорожной карты") })

        input.regionalMeasureID = linked.id  // a municipal measure is not a regional one
        let wrong = await #expect(throws: MEDKError.self) {
            try await world.service.addMeasure(roadmapID: municipal.item.id, input, by: coordinator)
        }
        #expect(wrong?.code == "invalid_measure")
        let stranger = await #expect(throws: MEDKError.self) {
            try await world.service.regionalMeasureChoices(roadmapID: municipal.item.id, for: try await world.actor("mun-M2"))
        }
        #expect(stranger?.code == "not_found")

        regional = try await world.act(.reopen, on: regional, by: "reg-R1", comment: "Уточняем сроки")
        let removal = await #expect(throws: MEDKError.self) {
            try await world.service.removeMeasure(seminar.id, by: try await world.actor("reg-R1"))
        }
        #expect(removal?.code == "measure_linked")
        #expect(try await world.service.regionalMeasureChoices(roadmapID: municipal.item.id, for: coordinator).map(\.id) == [seminar.id],
                "a revision in progress keeps what was confirmed linkable")
    }
}
