import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// A school's team opens MEDK to what is theirs to do: what came back and why, what is missing,
/// what falls due soon, what waits for the curator, whether reminders reach them, and what others
/// did since they were last here.
@Suite("A school's agenda")
struct SchoolAgendaTests {
    /// 20 April 2026, 10:00 in Chita: the risk profile (1 March) is missed; the concept, the
    /// mid-term programme and the anti-risk programmes (30 April) are ten days away.
    static let april20 = TestWorld.instant("2026-04-20 10:00", zone: "Asia/Chita")

    static func document(_ world: TestWorld, _ kind: ItemKind, submit: Bool) async throws -> ItemDetail {
        let owner = try await world.actor("school-A")
        let item = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: kind,
                                                              schoolID: try await world.schoolID("A")), by: owner)
        let uploaded = try await world.service.upload(itemID: item.item.id, fileName: "\(kind.rawValue).pdf",
                                                      chunks: OneChunk(bytes: TestWorld.pdf(kind.rawValue)), by: owner)
        return submit ? try await world.act(.submit, on: uploaded, by: "school-A") : uploaded
    }

    @Test("it says what came back with the curator's remark, what is missing, what falls due in three weeks and what waits for review")
    func whatToDoNow() async throws {
        let world = try await TestWorld(start: Self.april20)
        let concept = try await Self.document(world, .developmentConcept, submit: true)
        _ = try await world.act(.return, on: concept, by: "curator1", comment: "Нет подписи директора на титульном листе.")
        let programme = try await Self.document(world, .midtermProgramme, submit: true)
        _ = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-05-01", "2026-06-30"], left: .draft)

        let agenda = try await world.service.schoolAgendas.agenda(schoolCode: "A", for: try await world.actor("school-A"))
        #expect(agenda.returned.map(\.item.id) == [concept.item.id])
        #expect(agenda.returned.first?.remark == "Нет подписи директора на титульном листе.")
        #expect(agenda.returned.first?.returnedBy == "Куратор Первый")
        #expect(agenda.missing.map(\.title) == ["Выбор рискового профиля"])
        #expect(agenda.dueSoon.map(\.title) == ["Концепция развития", "Программы антирисковых мер", "Мероприятие A-0"],
                "the returned concept and the programmes not started are due in ten days, the measure in eleven; the sent programme waits")
        #expect(agenda.dueSoon.map(\.daysLeft) == [10, 10, 11])
        #expect(agenda.dueSoon[1].stateName == "не начат" && agenda.dueSoon[2].stateName == "отчёт не начат")
        #expect(agenda.waiting.map(\.id) == [programme.item.id])
        #expect(agenda.overdueMeasures.isEmpty, "a draft's measures are not yet promised")
        #expect(agenda.reminders == SchoolAgenda.Reminders(ownAddress: nil, ownRemindersOff: false, teamReached: 0, isTeamMember: true),
                "the team has no address: the page says no one gets reminders")
        #expect(!agenda.isClear)
    }

    @Test("what others did since the person's previous visit is listed, newest first; their own steps are not")
    func changesSinceLastVisit() async throws {
        let world = try await TestWorld(start: Self.april20)
        _ = try await world.service.login("school-A", password: TestWorld.password)
        let concept = try await Self.document(world, .developmentConcept, submit: true)
        world.clock.advance(by: 3600)
        // The team signs in again the next day; meanwhile the curator returned the concept.
        world.clock.advance(by: 86_400)
        _ = try await world.act(.return, on: concept, by: "curator1", comment: "Уточните цели.")
        world.clock.advance(by: 3600)
        _ = try await world.service.login("school-A", password: TestWorld.password)
        let agenda = try await world.service.schoolAgendas.agenda(schoolCode: "A", for: try await world.actor("school-A"))
        #expect(agenda.sinceIsPreviousVisit)
        #expect(agenda.changes.map(\.entry.action) == [.itemReturn])
        #expect(agenda.changes.first?.entry.comment == "Уточните цели." && agenda.changes.first?.itemTitle == concept.item.title)
        let curatorView = try await world.service.schoolAgendas.agenda(schoolCode: "A", for: try await world.actor("curator1"))
        #expect(curatorView.changes.allSatisfy { $0.entry.action != .itemReturn }, "the curator's own return is not news to the curator")
        #expect(!curatorView.reminders.isTeamMember)
    }

    @Test("a school's agenda is its own and its reviewers': another school's team is told the school is not found")
    func onlyForThoseWhoSeeTheSchool() async throws {
        let world = try await TestWorld(start: Self.april20)
        let refused = await #expect(throws: MEDKError.self) {
            try await world.service.schoolAgendas.agenda(schoolCode: "A", for: try await world.actor("school-B"))
        }
        #expect(refused?.kind == .notFound)
    }
}
