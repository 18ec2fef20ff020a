import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("A school's document through review")
struct ItemWorkflowTests {
    @Test("submit, return with a comment, fix, resubmit, confirm — with history and files kept")
    func fullCycle() async throws {
        let world = try await TestWorld()
        let submitted = try await world.submittedDocument(school: "A")
        #expect(submitted.item.state == .submitted)
        let queue = try await world.service.queue(for: try await world.actor("curator1"))
        #expect(queue.items.map(\.item.id) == [submitted.item.id])

        let returned = try await world.act(.return, on: submitted, by: "curator1", comment: "Добавьте цели по фактору 3.")
        #expect(returned.item.state == .returned)
        let schoolView = try await world.service.item(submitted.item.id, for: try await world.actor("school-A"))
        #expect(schoolView.history.last?.comment == "Добавьте цели по фактору 3.")
        #expect(schoolView.allowedActions.contains(.submit))

        let school = try await world.actor("school-A")
        let fixed = try await world.service.upload(itemID: returned.item.id, fileName: "концепция-v2.pdf",
                                                   chunks: OneChunk(bytes: TestWorld.pdf("v2")), by: school)
        #expect(fixed.item.state == .returned)
        #expect(fixed.files.map(\.version) == [1, 2])
        let resubmitted = try await world.act(.submit, on: try await world.answerRemarks(fixed, by: "school-A"), by: "school-A")
        let confirmed = try await world.act(.confirm, on: resubmitted, by: "curator1")
        #expect(confirmed.item.state == .confirmed)
        #expect(confirmed.confirmedVersion == 2)
        #expect(confirmed.history.map(\.action) == [.itemCreate, .itemUpload, .itemSubmit, .itemReturn,
                                                    .itemUpload, .remarkAnswer, .itemSubmit, .itemConfirm])
        #expect(confirmed.history.last?.actorName == "Куратор Первый" && confirmed.history.last?.actor == "curator1",
                "people are named as others know them, the login kept beside")
        #expect(confirmed.history.first?.actorName == "Команда А")
        #expect(try await world.service.queue(for: try await world.actor("curator1")).items.isEmpty)
    }

    @Test("returning without a comment is refused and changes nothing")
    func returnNeedsComment() async throws {
        let world = try await TestWorld()
        let submitted = try await world.submittedDocument(school: "A")
        for comment in [nil, "", "   \n"] {
            let error = await #expect(throws: MEDKError.self) {
                try await world.act(.return, on: submitted, by: "curator1", comment: comment)
            }
            #expect(error?.code == "comment_required")
        }
        #expect(try await world.service.item(submitted.item.id, for: try await world.actor("curator1")).item == submitted.item)
    }

    @Test("a curator cannot confirm a school that is not assigned to them")
    func foreignCurator() async throws {
        let world = try await TestWorld()
        let submitted = try await world.submittedDocument(school: "A")
        let error = await #expect(throws: MEDKError.self) { try await world.act(.confirm, on: submitted, by: "curator2") }
        #expect(error == MEDKError.notVisible, "a school that is not theirs is answered like a missing one")
        let after = try await world.service.item(submitted.item.id, for: try await world.actor("curator1"))
        #expect(after.item.state == .submitted)
        #expect(after.history.count == submitted.history.count)
    }

    @Test("a curator who also sits on the school team cannot confirm what they submitted")
    func selfReview() async throws {
        let world = try await TestWorld()
        _ = try await world.service.importCSV(.users, text: "login;full_name;email;role;scope_code\ncurator1;Куратор Первый;;school;A",
                                              dryRun: false, by: .local)
        let draft = try await world.draftDocument(school: "A")
        let submitted = try await world.act(.submit, on: draft, by: "curator1")
        let error = await #expect(throws: MEDKError.self) { try await world.act(.confirm, on: submitted, by: "curator1") }
        #expect(error?.code == "self_review")
    }

    @Test("a decision on an item that changed meanwhile is a conflict")
    func staleDecision() async throws {
        let world = try await TestWorld()
        let seen = try await world.submittedDocument(school: "A")
        // The school withdraws, uploads a new version and resubmits while the curator reads.
        let withdrawn = try await world.act(.withdraw, on: seen, by: "school-A")
        let changed = try await world.service.upload(itemID: seen.item.id, fileName: "new.pdf",
                                                     chunks: OneChunk(bytes: TestWorld.pdf("new")), by: try await world.actor("school-A"))
        _ = try await world.act(.submit, on: changed, by: "school-A")
        #expect(withdrawn.item.state == .draft)
        let error = await #expect(throws: MEDKError.self) { try await world.act(.confirm, on: seen, by: "curator1") }
        #expect(error?.code == "stale_revision")
        #expect(error?.kind == .conflict)
        let staleState = await #expect(throws: MEDKError.self) {
            try await world.service.transition(itemID: seen.item.id, TransitionRequest(action: .confirm, expectedState: .draft),
                                               by: try await world.actor("curator1"))
        }
        #expect(staleState?.code == "stale_state")
    }

    @Test("a document cannot be submitted without a file; a confirmed one cannot be edited until reopened")
    func submissionRules() async throws {
        let world = try await TestWorld()
        let school = try await world.actor("school-A")
        let empty = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .midtermProgramme,
                                                               schoolID: try await world.schoolID("A")), by: school)
        let error = await #expect(throws: MEDKError.self) { try await world.act(.submit, on: empty, by: "school-A") }
        #expect(error?.code == "incomplete")
        #expect(error?.details == ["Не загружен файл документа."])

        let confirmed = try await world.act(.confirm, on: try await world.submittedDocument(school: "A"), by: "curator1")
        let locked = await #expect(throws: MEDKError.self) {
            try await world.service.upload(itemID: confirmed.item.id, fileName: "x.pdf", chunks: OneChunk(bytes: TestWorld.pdf("x")), by: school)
        }
        #expect(locked?.code == "invalid_transition")
        let reopenWithoutReason = await #expect(throws: MEDKError.self) { try await world.act(.reopen, on: confirmed, by: "school-A") }
        #expect(reopenWithoutReason?.code == "comment_required")
        let reopened = try await world.act(.reopen, on: confirmed, by: "school-A", comment: "Уточняем цели на второе полугодие.")
        #expect(reopened.item.state == .draft)
        #expect(reopened.confirmedVersion == 1, "the last confirmed version stays visible during a revision")
        _ = try await world.service.upload(itemID: confirmed.item.id, fileName: "v2.pdf", chunks: OneChunk(bytes: TestWorld.pdf("v2")), by: school)
    }

    @Test("a school cannot create or change another school's documents, nor one outside the campaign")
    func ownership() async throws {
        let world = try await TestWorld()
        let error = await #expect(throws: MEDKError.self) {
            try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .developmentConcept,
                                                       schoolID: try await world.schoolID("B")), by: try await world.actor("school-A"))
        }
        #expect(error?.kind == .notFound)
        let duplicate = try await world.draftDocument(school: "A")
        let again = await #expect(throws: MEDKError.self) {
            try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .developmentConcept,
                                                       schoolID: try await world.schoolID("A")), by: try await world.actor("school-A"))
        }
        #expect(again?.code == "already_exists")
        #expect(duplicate.item.kind == .developmentConcept)
    }

    @Test("risk profile: it starts unassessed; every factor assessed and at least one chosen before it is sent; anti-risk programmes only for chosen risks")
    func riskProfile() async throws {
        let world = try await TestWorld()
        let school = try await world.actor("school-A")
        let schoolID = try await world.schoolID("A")
        let profile = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .riskProfile, schoolID: schoolID), by: school)
        #expect(profile.riskProfile?.isEmpty == true, "nothing is preset that the school must decide")
        let unassessed = await #expect(throws: MEDKError.self) { try await world.act(.submit, on: profile, by: "school-A") }
        #expect(unassessed?.details == ["Не оценены факторы риска № 1, 2, 3, 4, 5, 6, 7, 8, 9, 10: укажите значимость каждого по итогам анкетирования.",
                                        "Не выбран ни один фактор риска для работы."])
        let some = try await world.service.setRiskProfile(itemID: profile.item.id, entries: (1...8).map {
            RiskProfileInput(number: $0, significance: .low, chosen: false)
        }, by: school)
        let nothingChosen = await #expect(throws: MEDKError.self) { try await world.act(.submit, on: some, by: "school-A") }
        #expect(nothingChosen?.details == ["Не оценены факторы риска № 9, 10: укажите значимость каждого по итогам анкетирования.",
                                           "Не выбран ни один фактор риска для работы."])
        let unknown = await #expect(throws: MEDKError.self) {
            try await world.service.setRiskProfile(itemID: profile.item.id, entries: [RiskProfileInput(number: 11, significance: .high, chosen: true)], by: school)
        }
        #expect(unknown?.code == "unknown_factor")
        let filled = try await world.service.setRiskProfile(itemID: profile.item.id, entries: [
            RiskProfileInput(number: 2, significance: .high, chosen: true), RiskProfileInput(number: 8, significance: .high, chosen: true),
            RiskProfileInput(number: 9, significance: .medium, chosen: false), RiskProfileInput(number: 10, significance: .low, chosen: false),
        ], by: school)
        #expect(filled.riskProfile?.filter(\.chosen).map(\.number) == [2, 8])
        _ = try await world.act(.submit, on: filled, by: "school-A")

        let notChosen = await #expect(throws: MEDKError.self) {
            try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .antiriskProgramme, schoolID: schoolID,
                                                       riskFactorID: filled.riskProfile![0].riskFactorID), by: school)
        }
        #expect(notChosen?.code == "risk_not_chosen")
        let programme = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .antiriskProgramme, schoolID: schoolID,
                                                                   riskFactorID: filled.riskProfile![1].riskFactorID), by: school)
        #expect(programme.item.title == "Программа антирисковых мер: Дефицит педагогических кадров")
    }
}
