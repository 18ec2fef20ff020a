import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// A return holds remarks; the school answers each (done, or why not) before sending again; the
/// curator sees the answers, closes what is settled and keeps open what is not.
@Suite("Remarks tracked to resolution")
struct RemarkTests {
    @Test("a return comment's list items are its remarks; a comment without a list is one", arguments: [
        ("Нет подписи директора.", ["Нет подписи директора."]),
        ("Исправьте:\n1. Нет подписи директора.\n2) Даты не совпадают\nс планом.\n- Нет приложения", ["Нет подписи директора.", "Даты не совпадают\nс планом.", "Нет приложения"]),
        ("Общее: документ неполный.\n- Нет подписи\n- Нет печати", ["Общее: документ неполный.", "Нет подписи", "Нет печати"]),
        ("Оценка 1.5 балла\n2.5 балла за раздел", ["Оценка 1.5 балла\n2.5 балла за раздел"]),
        ("- Только один пункт", ["- Только один пункт"]),
    ])
    func splitting(_ comment: String, _ remarks: [String]) {
        #expect(RemarkList.split(comment) == remarks)
    }

    static func returned(_ world: TestWorld, comment: String) async throws -> ItemDetail {
        let owner = try await world.actor("school-A")
        let item = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .developmentConcept,
                                                              schoolID: try await world.schoolID("A")), by: owner)
        let uploaded = try await world.service.upload(itemID: item.item.id, fileName: "концепция.pdf",
                                                      chunks: OneChunk(bytes: TestWorld.pdf("1")), by: owner)
        let sent = try await world.act(.submit, on: uploaded, by: "school-A")
        return try await world.act(.return, on: sent, by: "curator1", comment: comment)
    }

    @Test("a comment listing more than can be answered one by one is one remark, never a refusal; explicit remarks are bounded")
    func longLists() async throws {
        let world = try await TestWorld()
        let comment = (1...31).map { "\($0). Пункт \($0)" }.joined(separator: "\n")
        let returned = try await Self.returned(world, comment: comment)
        #expect(returned.remarks.map(\.text) == [comment])
        let resent = try await world.act(.submit, on: try await world.answerRemarks(returned, by: "school-A"), by: "school-A")
        let tooMany = await #expect(throws: MEDKError.self) {
            try await world.service.transition(itemID: resent.item.id, TransitionRequest(
                action: .return, expectedState: .submitted, comment: "Исправьте", remarks: (1...31).map { "Пункт \($0)" }),
                by: try await world.actor("curator1"))
        }
        #expect(tooMany?.code == "too_many_remarks")
    }

    @Test("the school cannot send again until it answered every remark; a declined one says why")
    func answerBeforeSending() async throws {
        let world = try await TestWorld()
        let returned = try await Self.returned(world, comment: "- Нет подписи директора\n- Цели не измеримы")
        let owner = try await world.actor("school-A")
        var item = try await world.service.item(returned.item.id, for: owner)
        #expect(item.remarks.map(\.text) == ["Нет подписи директора", "Цели не измеримы"])
        #expect(item.remarks.allSatisfy { $0.state == .open && $0.returnedBy == "Куратор Первый" })

        let unanswered = await #expect(throws: MEDKError.self) { try await world.act(.submit, on: item, by: "school-A") }
        #expect(unanswered?.code == "incomplete" && unanswered?.details.count == 2)
        let whyNot = await #expect(throws: MEDKError.self) {
            try await world.service.remarkAnswers.answer(itemID: item.item.id, [RemarkAnswerInput(remarkID: item.remarks[1].id, answer: .declined)],
                                                         by: owner)
        }
        #expect(whyNot?.fields["text_\(item.remarks[1].id)"] == "Напишите, почему замечание не исправлено.")

        item = try await world.service.remarkAnswers.answer(itemID: item.item.id, [
            RemarkAnswerInput(remarkID: item.remarks[0].id, answer: .done, text: "Подпись добавлена на титульный лист."),
            RemarkAnswerInput(remarkID: item.remarks[1].id, answer: .declined, text: "Цели утверждены приказом, менять нельзя."),
        ], expectedRevision: item.item.revision, by: owner)
        #expect(item.remarks.map(\.state) == [.answered, .answered] && item.remarks[1].answer == .declined)
        #expect(item.remarks[0].answeredBy == "Команда А")
        #expect(try await world.act(.submit, on: item, by: "school-A").item.state == .submitted)
        let curatorSees = try await world.service.item(item.item.id, for: try await world.actor("curator1"))
        #expect(curatorSees.remarks.map(\.answerText) == ["Подпись добавлена на титульный лист.", "Цели утверждены приказом, менять нельзя."])
    }

    @Test("returning again closes the settled remarks and keeps open the one the curator names; confirming closes all")
    func curatorDecides() async throws {
        let world = try await TestWorld()
        let returned = try await Self.returned(world, comment: "1. Нет подписи\n2. Цели не измеримы")
        let owner = try await world.actor("school-A")
        var item = try await world.service.remarkAnswers.answer(itemID: returned.item.id, returned.remarks.map {
            RemarkAnswerInput(remarkID: $0.id, answer: .done, text: "Исправлено.")
        }, by: owner)
        item = try await world.act(.submit, on: item, by: "school-A")
        let measurable = item.remarks[1].id
        let curator = try await world.actor("curator1")
        item = try await world.service.transition(itemID: item.item.id, TransitionRequest(
            action: .return, expectedState: .submitted, expectedRevision: item.item.revision,
            comment: "Цели по-прежнему без чисел.", keepOpen: [measurable]), by: curator)
        item = try await world.service.item(item.item.id, for: owner)
        #expect(item.remarks.map(\.state) == [.closed, .open, .open], "settled closed, kept one reopened, the new one open")
        #expect(item.remarks[1].answer == nil && item.remarks[2].text == "Цели по-прежнему без чисел.")

        let stranger = await #expect(throws: MEDKError.self) {
            try await world.service.remarkAnswers.answer(itemID: item.item.id, [RemarkAnswerInput(remarkID: item.remarks[0].id, answer: .done)],
                                                         by: owner)
        }
        #expect(stranger?.code == "unknown_remark", "a closed remark is not answered again")
        item = try await world.service.remarkAnswers.answer(itemID: item.item.id, item.remarks.dropFirst().map {
            RemarkAnswerInput(remarkID: $0.id, answer: .done, text: "Добавлены числа.")
        }, by: owner)
        item = try await world.act(.submit, on: item, by: "school-A")
        item = try await world.act(.confirm, on: item, by: "curator1")
        #expect(try await world.service.item(item.item.id, for: owner).remarks.allSatisfy { $0.state == .closed })
    }

    @Test("only the owner answers, while the document is theirs to change, and each answer is in the history")
    func whoAnswers() async throws {
        let world = try await TestWorld()
        let returned = try await Self.returned(world, comment: "Нет подписи.")
        let answer = [RemarkAnswerInput(remarkID: returned.remarks[0].id, answer: .done)]
        let curator = await #expect(throws: MEDKError.self) {
            try await world.service.remarkAnswers.answer(itemID: returned.item.id, answer, by: try await world.actor("curator1"))
        }
        #expect(curator?.kind == .forbidden)
        let answered = try await world.service.remarkAnswers.answer(itemID: returned.item.id, answer, by: try await world.actor("school-A"))
        #expect(answered.item.revision == returned.item.revision + 1, "an answer is part of the next version")
        #expect(answered.history.last?.action == .remarkAnswer && answered.history.last?.details["answer"] == "done")
        let sent = try await world.act(.submit, on: answered, by: "school-A")
        let late = await #expect(throws: MEDKError.self) {
            try await world.service.remarkAnswers.answer(itemID: sent.item.id, answer, by: try await world.actor("school-A"))
        }
        #expect(late != nil, "a document on review is not changed by its owner")
    }
}
