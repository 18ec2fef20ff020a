import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Roadmaps and measures")
struct RoadmapTests {
    static func measure(_ title: String, due: String = "2026-09-01", risk: Int? = 2, responsible: String = "Директор") -> MeasureInput {
        MeasureInput(task: "Задача", title: title, dueDate: CalendarDate(due)!, responsible: responsible, expectedResult: "Результат",
                     indicator: "Показатель", plannedValue: "100 %", riskFactorNumber: risk)
    }

    @Test("a roadmap goes to review only with a date and someone responsible for every measure")
    func blockingCompleteness() async throws {
        let world = try await TestWorld()
        let school = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: school)
        let empty = await #expect(throws: MEDKError.self) { try await world.act(.submit, on: roadmap, by: "school-A") }
        #expect(empty?.details == ["В дорожной карте нет ни одного мероприятия."])
        let incomplete = try await world.service.addMeasure(roadmapID: roadmap.item.id, Self.measure("Без ответственных", responsible: " "), by: school)
        let refused = await #expect(throws: MEDKError.self) {
            try await world.act(.submit, on: try await world.service.item(roadmap.item.id, for: school), by: "school-A", acceptFindings: true)
        }
        #expect(refused?.code == "incomplete", "seeing the findings does not send a roadmap nobody is responsible for")
        #expect(refused?.details == ["Мероприятие №1 «Без ответственных»: не указаны ответственные."])
        _ = try await world.service.updateMeasure(incomplete.id, Self.measure("Курсы повышения квалификации"), by: school)
        let ready = try await world.service.item(roadmap.item.id, for: school)
        #expect(ready.completenessProblems == [] && ready.completenessFindings == [])
        #expect(try await world.act(.submit, on: ready, by: "school-A").item.state == .submitted)
    }

    @Test("measures can be changed only while the roadmap is a draft or returned")
    func editingWindow() async throws {
        let world = try await TestWorld()
        let school = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: school)
        let measure = try await world.service.addMeasure(roadmapID: roadmap.item.id, Self.measure("М1"), by: school)
        _ = try await world.act(.submit, on: try await world.service.item(roadmap.item.id, for: school), by: "school-A")
        let error = await #expect(throws: MEDKError.self) {
            try await world.service.updateMeasure(measure.id, Self.measure("Другое"), by: school)
        }
        #expect(error?.code == "invalid_transition")
        let other = await #expect(throws: MEDKError.self) {
            try await world.service.addMeasure(roadmapID: roadmap.item.id, Self.measure("М2"), by: try await world.actor("school-B"))
        }
        #expect(other == MEDKError.notVisible, "another school's roadmap is answered like a missing one")
    }

    @Test("a measure is reported with evidence after the roadmap is confirmed, and reviewed on its own")
    func reporting() async throws {
        let world = try await TestWorld()
        let school = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: school)
        let measure = try await world.service.addMeasure(roadmapID: roadmap.item.id, Self.measure("Курсы", due: "2026-04-30"), by: school)
        let tooEarly = await #expect(throws: MEDKError.self) { try await world.service.reportMeasure(measure.id, actualValue: "4", by: school) }
        #expect(tooEarly?.code == "roadmap_not_confirmed")
        let submitted = try await world.act(.submit, on: try await world.service.item(roadmap.item.id, for: school), by: "school-A")
        _ = try await world.act(.confirm, on: submitted, by: "curator1")

        var report = try await world.service.reportMeasure(measure.id, actualValue: "4 учителя", by: school)
        #expect(report.item.kind == .measureReport)
        #expect(report.measure?.actualValue == "4 учителя")
        let noEvidence = await #expect(throws: MEDKError.self) { try await world.act(.submit, on: report, by: "school-A") }
        #expect(noEvidence?.details == ["Не приложено ни одного подтверждающего документа."])
        report = try await world.service.upload(itemID: report.item.id, fileName: "приказ.pdf", chunks: OneChunk(bytes: TestWorld.pdf("p")), by: school)
        report = try await world.act(.submit, on: report, by: "school-A")
        report = try await world.act(.return, on: report, by: "curator1", comment: "Приложите сертификаты.")
        report = try await world.service.upload(itemID: report.item.id, fileName: "сертификаты.pdf", chunks: OneChunk(bytes: TestWorld.pdf("s")), by: school)
        report = try await world.act(.submit, on: try await world.answerRemarks(report, by: "school-A"), by: "school-A")
        report = try await world.act(.confirm, on: report, by: "curator1")
        #expect(report.measure?.reportState == .confirmed)
        #expect(report.measure?.overdue == false)
        let again = try await world.service.reportMeasure(measure.id, actualValue: nil, by: school)
        #expect(again.item.id == report.item.id, "one report per measure")
    }

    @Test("a measure is overdue once its roadmap was sent, its due date has passed in the school's zone and it is not confirmed")
    func overdue() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-04-30 23:30", zone: "Asia/Chita"))
        let school = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: school)
        let measure = try await world.service.addMeasure(roadmapID: roadmap.item.id, Self.measure("М", due: "2026-04-30"), by: school)
        #expect(measure.overdue == false)
        world.clock.set(TestWorld.instant("2026-05-01 00:00", zone: "Asia/Chita"))
        #expect(try await world.service.measure(measure.id, for: school).overdue == false, "a draft is a plan, not yet a promise")
        // Sent with its date just past, which the school was shown as a finding and accepted.
        _ = try await world.act(.submit, on: try await world.service.item(roadmap.item.id, for: school), by: "school-A", acceptFindings: true)
        world.clock.advance(by: 1)
        #expect(try await world.service.measure(measure.id, for: school).overdue)
    }
}

@Suite("A roadmap filled from a table at once")
struct RoadmapTableTests {
    static func input(_ title: String, due: String = "2026-10-01", risk: Int? = 3) -> MeasureInput {
        MeasureInput(task: "Задача", title: title, dueDate: CalendarDate(due)!, responsible: "Директор", expectedResult: "Результат",
                     indicator: "Показатель", plannedValue: "1", riskFactorNumber: risk)
    }

    @Test("all measures are added in order with one new revision and a history line each")
    func addsAll() async throws {
        let world = try await TestWorld()
        let owner = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: owner)
        let added = try await world.service.addMeasures(roadmapID: roadmap.item.id, [Self.input("Первое"), Self.input("Второе"),
                                                                                      Self.input("Третье")], by: owner)
        #expect(added.map(\.title) == ["Первое", "Второе", "Третье"])
        #expect(added.map(\.position) == [1, 2, 3])
        let detail = try await world.service.item(roadmap.item.id, for: owner)
        #expect(detail.item.revision == roadmap.item.revision + 1)
        #expect(detail.history.filter { $0.action == .measureAdd }.count == 3)
    }

    @Test("one wrong row refuses the whole table, naming every wrong row, and adds nothing")
    func refusesAll() async throws {
        let world = try await TestWorld()
        let owner = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: owner)
        let error = await #expect(throws: MEDKError.self) {
            try await world.service.addMeasures(roadmapID: roadmap.item.id, [Self.input("Хорошее"), Self.input("   "),
                                                                              Self.input("Фактор 42", risk: 42)], by: owner)
        }
        #expect(error?.code == "invalid_measure")
        #expect(error?.details == ["Мероприятие 2: Не указано, что за мероприятие: заполните поле «Мероприятие».",
                                  "Мероприятие 3: В каталоге кампании нет фактора риска №42."])
        #expect(try await world.service.item(roadmap.item.id, for: owner).measures?.isEmpty == true)
    }

    @Test("a roadmap stops growing at its ceiling: the table that would pass it is refused whole")
    func ceiling() async throws {
        let world = try await TestWorld()
        let owner = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: owner)
        let table = (1...MEDKService.maximumMeasuresAtOnce).map { Self.input("Мероприятие \($0)") }
        for _ in 0..<(MEDKService.maximumMeasuresPerRoadmap / MEDKService.maximumMeasuresAtOnce) {
            _ = try await world.service.addMeasures(roadmapID: roadmap.item.id, table, by: owner)
        }
        let error = await #expect(throws: MEDKError.self) {
            try await world.service.addMeasures(roadmapID: roadmap.item.id, [Self.input("Лишнее")], by: owner)
        }
        #expect(error?.code == "too_many")
        #expect(try await world.service.item(roadmap.item.id, for: owner).measures?.count == MEDKService.maximumMeasuresPerRoadmap)
    }
}
