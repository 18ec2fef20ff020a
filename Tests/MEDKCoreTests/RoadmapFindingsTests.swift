import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// Completeness helps, it does not wall off: what monitoring cannot do without blocks a roadmap,
/// FIOCO's other criteria are findings its sender sees before sending and its reviewer beside the
/// decision.
@Suite("Roadmap findings")
struct RoadmapFindingsTests {
    static func measure(_ title: String, position: Int = 1, due: String? = "2026-09-01", responsible: String = "Директор",
                        task: String = "Задача", committed: Bool = false) -> Measure {
        var measure = Measure(id: Int64(position), roadmapID: 1, position: position, riskFactorID: 2, track: .addressSupport,
                              task: task, title: title, dueDate: due.flatMap { CalendarDate($0) }, deadlineText: nil, series: nil,
                              responsible: responsible, expectedResult: "Результат", indicator: "Показатель", plannedValue: "100 %",
                              actualValue: nil, regionalMeasure: "1.1", stage: nil, goal: nil, section: nil, normativeDocument: "Приказ",
                              regionalMeasureID: nil, regionalMeasureTitle: nil, reportItemID: nil, reportState: nil, overdue: false)
        measure.committed = committed
        return measure
    }

    @Test("a missing date or responsible person blocks; a missing task is a finding, for every kind of roadmap",
          arguments: [OwnerLevel.school, .municipality, .region])
    func whatBlocksAndWhatIsFound(_ owner: OwnerLevel) {
        let check = RoadmapCompleteness.check([
            Self.measure("Без срока", position: 1, due: nil),
            Self.measure("Без ответственных", position: 2, responsible: ""),
            Self.measure("Без задачи", position: 3, task: " "),
        ], owner: owner)
        #expect(check.blocking == ["Мероприятие №1 «Без срока»: не указан срок.", "Мероприятие №2 «Без ответственных»: не указаны ответственные."])
        #expect(check.findings.contains("Мероприятие №3 «Без задачи»: не указана задача."))
        #expect(!check.findings.contains { $0.contains("№1") || $0.contains("№2") })
    }

    @Test("a date already past is a finding while the measure is not yet promised, and no longer once it is")
    func pastDates() {
        let today = CalendarDate("2026-10-01")!
        let fresh = RoadmapCompleteness.check([Self.measure("Семинар", due: "2026-09-01")], owner: .school, today: today)
        #expect(fresh.findings.count == 1 && fresh.findings[0].contains("Срок уже прошёл у 1 мероприятия: №1 «Семинар» — 01.09.2026"))
        #expect(fresh.blocking.isEmpty)
        let promised = RoadmapCompleteness.check([Self.measure("Семинар", due: "2026-09-01", committed: true)], owner: .school, today: today)
        #expect(promised.isEmpty, "a commitment already late is the overdue list's business, not a finding")
        let onTime = RoadmapCompleteness.check([Self.measure("Семинар", due: "2026-10-01")], owner: .school, today: today)
        #expect(onTime.isEmpty, "due today is not past")
    }

    @Test("a roadmap with findings goes to review only when its sender says so, and its reviewer sees them")
    func sendingWithFindings() async throws {
        let world = try await TestWorld()
        let school = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: school)
        _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
            task: "Задача", title: "Курсы", dueDate: CalendarDate("2026-09-01")!, responsible: "Завуч", expectedResult: "Все прошли",
            indicator: "Доля", plannedValue: "100 %"), by: school)
        let draft = try await world.service.item(roadmap.item.id, for: school)
        let finding = "Мероприятие №1 «Курсы»: не указан фактор риска (антирисковая программа)."
        #expect(draft.completenessProblems == [] && draft.completenessFindings == [finding])
        let refused = await #expect(throws: MEDKError.self) { try await world.act(.submit, on: draft, by: "school-A") }
        #expect(refused?.code == "findings_not_accepted" && refused?.details == [finding])
        #expect(try await world.service.item(roadmap.item.id, for: school).item.state == .draft, "refused, nothing changed")

        let sent = try await world.act(.submit, on: draft, by: "school-A", acceptFindings: true)
        #expect(sent.item.state == .submitted)
        let reviewed = try await world.service.item(roadmap.item.id, for: try await world.actor("curator1"))
        #expect(reviewed.completenessFindings == [finding], "the curator decides knowing what FIOCO's criteria miss")
        let audit = try await world.service.auditLog(AuditQuery(entityType: .item, entityID: roadmap.item.id),
                                                     by: .user(try await world.actor("federal")))
        #expect(audit.items.contains { $0.action == .itemSubmit && $0.details.contains(#""accepted_findings":"1""#) },
                "the audit says the roadmap was sent with one finding seen")
    }
}
