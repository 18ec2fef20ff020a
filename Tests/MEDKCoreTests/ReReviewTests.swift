import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// A document sent again is reviewed by what changed since the last decision, each measure's
/// field from what to what, as the journals of OpenProject and Redmine show it.
@Suite("Re-review: what changed since the last decision")
struct ReReviewTests {
    static func input(_ measure: Measure, _ change: (inout MeasureInput) -> Void) -> MeasureInput {
        var input = MeasureInput(task: measure.task, title: measure.title, dueDate: measure.dueDate!, responsible: measure.responsible,
                                 expectedResult: measure.expectedResult, indicator: measure.indicator, plannedValue: measure.plannedValue,
                                 riskFactorNumber: 1)
        change(&input)
        return input
    }

    @Test("a measure's change is kept field by field, old → new, in words; saving it unchanged changes nothing")
    func fieldByField() async throws {
        let world = try await TestWorld()
        let roadmap = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-05-10"], left: .draft)
        let owner = try await world.actor("school-A")
        let measure = try #require(roadmap.measures?.first)
        _ = try await world.service.updateMeasure(measure.id, Self.input(measure) {
            $0.dueDate = CalendarDate("2026-09-30")!
            $0.responsible = "Заместитель директора по УВР"
            $0.riskFactorNumber = 2
        }, by: owner)
        let after = try await world.service.item(roadmap.item.id, for: owner)
        let line = try #require(after.history.last)
        #expect(line.action == .measureUpdate)
        let factors = try await world.service.read { try $0.riskFactors(campaignID: world.campaignID) }
        let name = { (number: Int) in factors.first { $0.number == number }.map { "\($0.number). \($0.title)" } ?? "" }
        #expect(MeasureChanges.parse(line.details) == [
            MeasureFieldChange(field: .dueDate, old: "10.05.2026", new: "30.09.2026"),
            MeasureFieldChange(field: .responsible, old: "Директор", new: "Заместитель директора по УВР"),
            MeasureFieldChange(field: .riskFactor, old: name(1), new: name(2)),
        ])
        #expect(HistoryWords.details(line).contains("Срок: «10.05.2026» → «30.09.2026»"))

        let changed = try #require(after.measures?.first)
        _ = try await world.service.updateMeasure(changed.id, Self.input(changed) { $0.riskFactorNumber = 2 }, by: owner)
        let unchanged = try await world.service.item(roadmap.item.id, for: owner)
        #expect(unchanged.item.revision == after.item.revision && unchanged.historyTotal == after.historyTotal,
                "the same values saved again are no change")
    }

    @Test("a roadmap sent again shows its reviewer what changed since the return: a measure field by field, a new one, the answers")
    func sinceTheReturn() async throws {
        let world = try await TestWorld()
        let sent = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-05-10", "2026-06-10"])
        let curator = try await world.actor("curator1")
        #expect(try await world.service.item(sent.item.id, for: curator).changesSinceDecision == nil, "a first submission is read whole")
        var roadmap = try await world.act(.return, on: sent, by: "curator1", comment: "Уточните сроки.")
        let owner = try await world.actor("school-A")
        let first = try #require(roadmap.measures?.first)
        _ = try await world.service.updateMeasure(first.id, Self.input(first) { $0.dueDate = CalendarDate("2026-05-29")! }, by: owner)
        _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
            task: "Задача", title: "Новое мероприятие", dueDate: CalendarDate("2026-07-01")!, responsible: "Директор",
            expectedResult: "Результат", indicator: "Показатель", plannedValue: "1", riskFactorNumber: 1), by: owner)
        roadmap = try await world.answerRemarks(try await world.service.item(roadmap.item.id, for: owner), by: "school-A")
        _ = try await world.act(.submit, on: roadmap, by: "school-A", acceptFindings: true)

        let seen = try #require(try await world.service.item(roadmap.item.id, for: curator).changesSinceDecision)
        #expect(seen.decision.action == .itemReturn && seen.decision.comment == "Уточните сроки.")
        #expect(seen.changes.map(\.action) == [.measureUpdate, .measureAdd, .remarkAnswer])
        #expect(MeasureChanges.parse(seen.changes[0].details) == [MeasureFieldChange(field: .dueDate, old: "10.05.2026", new: "29.05.2026")])
        #expect(!seen.truncated)

        // Once confirmed, the next round counts from the confirmation.
        let confirmed = try await world.act(.confirm, on: try await world.service.item(roadmap.item.id, for: curator), by: "curator1")
        #expect(confirmed.changesSinceDecision == nil, "only a document waiting for review has changes to review")
    }

    @Test("a document sent again unchanged says so, and its file versions at the decision and now are named")
    func sameFileAgain() async throws {
        let world = try await TestWorld()
        let returned = try await world.act(.return, on: try await world.submittedDocument(school: "A"), by: "curator1", comment: "Нет подписи")
        var item = try await world.answerRemarks(returned, by: "school-A")
        item = try await world.act(.submit, on: item, by: "school-A")
        let curator = try await world.actor("curator1")
        var seen = try #require(try await world.service.item(item.item.id, for: curator).changesSinceDecision)
        #expect(seen.changes.map(\.action) == [.remarkAnswer] && seen.versionAtDecision == 1)
        item = try await world.act(.return, on: try await world.service.item(item.item.id, for: curator), by: "curator1", comment: "Всё ещё нет подписи")
        item = try await world.service.upload(itemID: item.item.id, fileName: "концепция v2.pdf", chunks: OneChunk(bytes: TestWorld.pdf("v2")),
                                              by: try await world.actor("school-A"))
        item = try await world.act(.submit, on: try await world.answerRemarks(item, by: "school-A"), by: "school-A")
        seen = try #require(try await world.service.item(item.item.id, for: curator).changesSinceDecision)
        #expect(seen.changes.map(\.action) == [.itemUpload, .remarkAnswer] && seen.versionAtDecision == 1)
    }
}
