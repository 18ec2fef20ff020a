import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKCore
import MEDKServer
import MEDKTestSupport
import Testing

@Suite("Web editors: risk profile and roadmap through the pages")
struct WebEditorsTests {
    @Test("a school fills its risk profile in one form: significance of every factor and the chosen ones")
    func riskProfile() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let school = try await Browser.signedIn(client, "school-A")
            _ = try await school.get("/schools/A")
            let created = try await school.post("/items", ["campaign": String(world.campaignID), "school": String(try await world.schoolID("A")),
                                                          "kind": "risk_profile"])
            let path = try #require(created.location)
            var page = try await school.follow(created)
            #expect(page.html.contains("significance_10"))
            var fields: [(String, String)] = []
            for number in 1...10 {
                fields.append(("factor", String(number)))
                fields.append(("significance_\(number)", number == 2 || number == 8 ? "high" : "low"))
            }
            fields += [("chosen", "2"), ("chosen", "8"), ("expectedRevision", revision(page))]
            page = try await school.follow(try await school.post("\(path)/risk-profile", [:], multi: fields))
            #expect(page.html.contains("Рисковый профиль сохранён"))
            let id = try #require(Int64(path.split(separator: "/").last!))
            let profile = try #require(try await world.service.item(id, for: try await world.actor("school-A")).riskProfile)
            #expect(Set(profile.filter(\.chosen).map(\.number)) == [2, 8])
            #expect(profile.first { $0.number == 2 }?.significance == .high)
            // A factor chosen for work without its significance is refused, the choices kept on the page.
            let partial = try await school.post("\(path)/risk-profile", [:], multi: [("factor", "1"), ("factor", "2"), ("significance_1", "medium"),
                                                                                   ("significance_2", ""), ("chosen", "2"),
                                                                                   ("expectedRevision", revision(page))])
            let refused = try await school.follow(partial)
            #expect(refused.html.contains("Укажите значимость фактора № 2: он выбран для работы"))
            #expect(refused.html.contains(#"<option value="medium" selected>"#), "what was chosen is kept")
            #expect(try await world.service.item(id, for: try await world.actor("school-A")).riskProfile?.first { $0.number == 1 }?.significance == .low)
        }
    }

    @Test("a school adds, edits and removes roadmap measures while the roadmap is a draft")
    func roadmapEditor() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let school = try await Browser.signedIn(client, "school-A")
            _ = try await school.get("/schools/A")
            let created = try await school.post("/items", ["campaign": String(world.campaignID), "school": String(try await world.schoolID("A")),
                                                          "kind": "roadmap"])
            let path = try #require(created.location)
            let id = try #require(Int64(path.split(separator: "/").last!))
            var page = try await school.follow(created)
            #expect(page.html.contains("Мероприятий пока нет"))
            let measure = ["task": "Повысить квалификацию", "title": "Курсы для учителей математики", "dueDate": "31.10.2026",
                           "responsible": "Заместитель директора", "expectedResult": "Учителя обучены", "indicator": "Число обученных",
                           "plannedValue": "4", "riskFactor": "3"]
            page = try await school.follow(try await school.post("\(path)/measures", measure.merging(["expectedRevision": revision(page)]) { _, new in new }))
            #expect(page.html.contains("Мероприятие добавлено"))
            #expect(page.html.contains("31.10.2026"))
            let measures = try #require(try await world.service.item(id, for: try await world.actor("school-A")).measures)
            let measureID = try #require(measures.first?.id)
            #expect(measures.first?.dueDate == CalendarDate(year: 2026, month: 10, day: 31))

            var edited = measure
            edited["title"] = "Курсы для учителей математики и физики"
            edited["dueDate"] = "2026-11-15"
            page = try await school.follow(try await school.post("/measures/\(measureID)", edited.merging(["expectedRevision": revision(page)]) { _, new in new }))
            #expect(page.html.contains("математики и физики"))

            let badDate = try await school.post("/measures/\(measureID)", edited.merging(["dueDate": "31 октября", "expectedRevision": revision(page)]) { _, new in new })
            page = try await school.follow(badDate)
            #expect(page.html.contains("не распознан"))
            #expect(try await world.service.measure(measureID, for: try await world.actor("school-A")).dueDate == CalendarDate(year: 2026, month: 11, day: 15))

            page = try await school.follow(try await school.post("/measures/\(measureID)/delete", ["expectedRevision": revision(page)]))
            #expect(page.html.contains("удалено"))
            #expect(try await world.service.item(id, for: try await world.actor("school-A")).measures?.isEmpty == true)

            // The curator sees the roadmap but no editing forms.
            let curator = try await Browser.signedIn(client, "curator1")
            let view = try await curator.get(path)
            #expect(view.status == .ok)
            #expect(!view.html.contains("Добавить мероприятие"))
        }
    }

    @Test("a school ticks measures and gives them a risk factor in one step; «и у всех, где не указано» takes the rest")
    func groupingOnThePage() async throws {
        let world = try await TestWorld()
        let owner = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: owner)
        for title in ["Курсы", "Наставничество", "Собрание"] {
            _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
                task: "Задача", title: title, dueDate: CalendarDate("2026-11-30")!, responsible: "Завуч", expectedResult: "Готово",
                indicator: "Доля", plannedValue: "100 %"), by: owner)
        }
        let ids = try #require(try await world.service.item(roadmap.item.id, for: owner).measures).map(\.id)
        try await withWeb(world) { client in
            let school = try await Browser.signedIn(client, "school-A")
            var page = try await school.get("/items/\(roadmap.item.id)")
            #expect(page.html.contains(#"form="group-form" name="measure" value="\#(ids[0])""#))
            #expect(page.html.contains(#"<option value="factor:2">2. Дефицит педагогических кадров</option>"#))
            page = try await school.follow(try await school.post("/items/\(roadmap.item.id)/measures/group", [:], multi: [
                ("set", "factor:2"), ("measure", String(ids[0])), ("measure", String(ids[2])), ("expectedRevision", revision(page))]))
            #expect(page.html.contains("Изменено мероприятий: 2 — фактор риска № 2."))
            page = try await school.follow(try await school.post("/items/\(roadmap.item.id)/measures/group", [:], multi: [
                ("set", "factor:5"), ("missing", "1"), ("expectedRevision", revision(page))]))
            #expect(page.html.contains("Изменено мероприятий: 1 — фактор риска № 5."))
            let refused = try await school.follow(try await school.post("/items/\(roadmap.item.id)/measures/group", [:], multi: [
                ("set", "factor:5"), ("expectedRevision", revision(page))]))
            #expect(refused.html.contains("Отметьте мероприятия, которым нужно указать фактор риска."))
            #expect(refused.html.contains(#"<option value="factor:5" selected>"#), "the choice is kept on the refused form")
        }
        let factors = try await world.service.campaign(id: world.campaignID).riskFactors
        let number = Dictionary(uniqueKeysWithValues: factors.map { ($0.id, $0.number) })
        #expect(try await world.service.item(roadmap.item.id, for: owner).measures?.map { $0.riskFactorID.flatMap { number[$0] } } == [2, 5, 2])
    }

    @Test("a confirmed document is reopened from its page with the reason; the federal operator reads it without a comment form")
    func reopenAndComment() async throws {
        let world = try await TestWorld()
        let confirmed = try await world.act(.confirm, on: try await world.submittedDocument(school: "A"), by: "curator1")
        try await withWeb(world) { client in
            let school = try await Browser.signedIn(client, "school-A")
            var page = try await school.get("/items/\(confirmed.item.id)")
            #expect(page.html.contains("Зачем нужна новая редакция"))
            #expect(page.html.contains("Добавить комментарий"))
            page = try await school.follow(try await school.post("/items/\(confirmed.item.id)/transitions", [
                "action": "reopen", "expectedState": "confirmed", "expectedRevision": revision(page),
                "comment": "Обновляем после самообследования."]))
            #expect(page.html.contains("черновик"))
            let federal = try await Browser.signedIn(client, "federal")
            let view = try await federal.get("/items/\(confirmed.item.id)")
            #expect(view.status == .ok)
            #expect(!view.html.contains("Добавить комментарий"))
        }
        #expect(try await world.service.item(confirmed.item.id, for: try await world.actor("school-A")).item.state == .draft)
    }

    @Test("an address that does not exist gets the «не найдено» page in a browser and JSON from the API")
    func unknownAddress() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let page = try await client.execute(uri: "/no-such-page", method: .get, headers: [.accept: "text/html,application/xhtml+xml"], body: nil)
            #expect(page.status == .notFound)
            #expect(String(buffer: page.body).contains("Не найдено"))
            let api = try await client.execute(uri: "/api/v1/no-such-thing", method: .get, headers: [.accept: "text/html"], body: nil)
            #expect(api.status == .notFound)
            #expect(api.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }

    private func revision(_ page: Browser.Page) -> String {
        Browser.firstMatch(#"name="expectedRevision" value="(\d+)""#, in: page.html) ?? "0"
    }
}
