import Foundation
import HummingbirdTesting
import MEDKCore
import MEDKServer
import MEDKTestSupport
import Testing

@Suite("The school's first page says what to do now")
struct SchoolAgendaPageTests {
    /// 20 April 2026, 10:00 in Chita: the concept (30 April) is ten days away.
    static let april20 = TestWorld.instant("2026-04-20 10:00", zone: "Asia/Chita")
    @Test("the team sees the curator's remark, the missed and coming deadlines, that nobody gets reminders, and the anti-risk row's «Начать»")
    func cabinet() async throws {
        let world = try await TestWorld(start: Self.april20)
        let owner = try await world.actor("school-A")
        let created = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .developmentConcept,
                                                                 schoolID: try await world.schoolID("A")), by: owner)
        let uploaded = try await world.service.upload(itemID: created.item.id, fileName: "концепция.pdf",
                                                      chunks: OneChunk(bytes: TestWorld.pdf("концепция")), by: owner)
        let concept = try await world.act(.submit, on: uploaded, by: "school-A")
        _ = try await world.act(.return, on: concept, by: "curator1", comment: "Нет подписи директора на титульном листе.")
        let profile = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .riskProfile,
                                                                 schoolID: try await world.schoolID("A")), by: try await world.actor("school-A"))
        _ = try await world.service.setRiskProfile(itemID: profile.item.id, entries: (1...10).map {
            RiskProfileInput(number: $0, significance: $0 == 2 ? .high : .low, chosen: $0 == 2)
        }, by: try await world.actor("school-A"))
        try await withWeb(world) { client in
            let school = try await Browser.signedIn(client, "school-A")
            let page = try await school.get("/schools/A")
            #expect(page.html.contains("Что сделать сейчас"))
            #expect(page.html.contains("Вернули на доработку — ответьте на замечания, исправьте и отправьте снова"))
            #expect(page.html.contains("<strong>Без ответа: 1 замечание</strong> — <a href=\"/items/\(concept.item.id)#remarks\">ответить</a>"))
            #expect(page.html.contains("Нет подписи директора на титульном листе."))
            #expect(page.html.contains("Кто вернул: Куратор Первый, 20.04.2026"))
            #expect(page.html.contains("Сроки в ближайшие 21 день"))
            #expect(page.html.contains("(осталось 10 дней) — документ <a href=\"/items/\(concept.item.id)\">"))
            #expect(page.html.contains("У вас не указан адрес электронной почты, и напоминаний о сроках не получает никто из команды школы."))
            #expect(page.html.contains(##"<a href="#new-risk" class="button-link">Начать: выберите фактор</a>"##))
            #expect(!page.html.contains("(UTC+9, Asia/Chita)"), "the zone is named once, at the top")
        }
    }

    @Test("a curator's first page lists their own schools with where each stands, in words, across regions")
    func curatorsSchools() async throws {
        let world = try await TestWorld(start: Self.april20)
        let curated = try await world.service.curatedSchools(for: try await world.actor("curator2"))
        #expect(curated.schools.map(\.schoolCode).sorted() == ["C", "D", "E"], "a curator's schools in two regions")
        #expect(try await world.service.curatedSchools(for: try await world.actor("school-A")).schools.isEmpty)
        try await withWeb(world) { client in
            let curator = try await Browser.signedIn(client, "curator1")
            let page = try await curator.get("/queue")
            #expect(page.html.contains("Мои школы — 500+ 2026"))
            #expect(page.html.contains(#"<a href="/schools/A">Школа А</a>"#) && page.html.contains(#"<a href="/schools/B">"#))
            #expect(!page.html.contains(#"<a href="/schools/C">"#), "another curator's school is not listed")
            #expect(page.html.contains("<strong>не представлено: 1</strong>"), "the risk profile missed on 1 March, in words")
        }
    }

    @Test("a curator's queue says what their schools did since the curator's previous visit, not what the curator did")
    func curatorsChanges() async throws {
        let world = try await TestWorld(start: Self.april20)
        let first = try await world.service.login("curator1", password: TestWorld.password)
        _ = try await world.service.authenticate(token: first.token)
        world.clock.advance(by: 86_400)
        let sent = try await world.submittedDocument(school: "B")
        _ = try await world.act(.return, on: try await world.submittedDocument(.midtermProgramme, school: "A"), by: "curator1", comment: "Нет подписи")
        _ = try await world.submittedDocument(school: "C")
        world.clock.advance(by: 3600)
        let recent = try await world.service.curatorChanges.changes(for: try await world.actor("curator1"))
        #expect(recent.sinceIsPreviousVisit == false, "no sign-in since the first one: the last week")
        _ = try await world.service.login("curator1", password: TestWorld.password)
        let since = try await world.service.curatorChanges.changes(for: try await world.actor("curator1"))
        #expect(since.sinceIsPreviousVisit)
        let lines = since.changes.map { "\($0.entry.action.rawValue) \($0.itemTitle)" }
        #expect(lines.contains("item.submit Концепция развития — Школа Б") && lines.contains { $0.hasPrefix("item.submit Среднесрочная") })
        #expect(!lines.contains { $0.hasPrefix("item.return") }, "the curator's own return is not news to them")
        #expect(!lines.contains { $0.hasSuffix("Школа В") }, "another curator's school is not theirs")
        #expect(since.changes.first?.itemID != nil && sent.item.id > 0)
        try await withWeb(world) { client in
            let page = try await Browser.signedIn(client, "curator1").get("/queue")
            #expect(page.html.contains("Что изменилось в ваших школах с вашего прошлого визита"))
        }
    }
}
