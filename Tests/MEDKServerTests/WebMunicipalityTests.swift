import Foundation
import HummingbirdTesting
import MEDKCore
import MEDKServer
import MEDKTestSupport
import Testing

@Suite("The municipality's page")
struct WebMunicipalityTests {
    @Test("the municipal coordinator finds the package from the menu, starts its parts there and sees what is missing; the region only looks")
    func package() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let coordinator = try await Browser.signedIn(client, "mun-M1")
            let home = try await coordinator.get("/items")
            #expect(home.html.contains("href=\"/municipality\""))
            let redirect = try await coordinator.get("/municipality")
            #expect(redirect.location == "/municipalities/M1")
            var page = try await coordinator.follow(redirect)
            #expect(page.html.contains("Пакет муниципалитета") && page.html.contains("Нет документа «Аналитическая справка»."))
            #expect(page.html.contains("name=\"kind\" value=\"analytical_note\""))
            let created = try await coordinator.post("/items", ["campaign": String(world.campaignID),
                                                                "municipality": String(try await world.municipalityID("M1")),
                                                                "kind": "analytical_note"])
            #expect(created.location?.hasPrefix("/items/") == true)
            page = try await coordinator.get("/municipalities/M1")
            #expect(!page.html.contains("Нет документа «Аналитическая справка»."))
            #expect(page.html.contains("Добавить ещё"))

            let monitoring = try await coordinator.get("/monitoring?municipality=M1")
            #expect(monitoring.html.contains("Дорожная карта муниципалитета не начата.") && monitoring.html.contains("href=\"/municipalities/M1\""))

            let region = try await Browser.signedIn(client, "reg-R1")
            let seen = try await region.get("/municipalities/M1")
            #expect(seen.status == .ok && seen.html.contains("Аналитическая справка") && !seen.html.contains("name=\"kind\""))
            let other = try await Browser.signedIn(client, "mun-M2")
            #expect(try await other.get("/municipalities/M1").status == .notFound)
        }
    }
}

@Suite("The regional roadmap's page")
struct WebRegionalRoadmapTests {
    @Test("the regional coordinator finds it in the menu and starts it there; FIOCO reaches it from the region's deadline table; another region is told it does not exist")
    func regionalRoadmap() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let coordinator = try await Browser.signedIn(client, "reg-R1")
            let home = try await coordinator.get("/items")
            #expect(home.html.contains("href=\"/regional-roadmap\""))
            let redirect = try await coordinator.get("/regional-roadmap")
            #expect(redirect.location == "/regions/R1/roadmap")
            var page = try await coordinator.follow(redirect)
            #expect(page.html.contains("Региональная дорожная карта в этой кампании ещё не начата."))
            #expect(page.html.contains("Начать региональную дорожную карту"))
            let regionID = try await world.service.regions().first { $0.code == "R1" }!.id
            let created = try await coordinator.post("/items", ["campaign": String(world.campaignID), "region": String(regionID), "kind": "roadmap"])
            #expect(created.location?.hasPrefix("/items/") == true)
            let item = try await coordinator.follow(created)
            #expect(item.html.contains("Забайкальский край") && item.html.contains("региональный уровень"))
            // A regional measure is placed in a stage and rests on a normative document; it has no risk factor or track.
            #expect(item.html.contains("name=\"stage\"") && item.html.contains("name=\"normativeDocument\""))
            #expect(!item.html.contains("name=\"riskFactor\"") && !item.html.contains("name=\"track\""))
            page = try await coordinator.get("/regions/R1/roadmap")
            #expect(page.html.contains("href=\"\(created.location!)\"") && !page.html.contains("Начать региональную дорожную карту"))
            #expect(page.html.contains("В дорожной карте нет ни одного мероприятия."))

            let federal = try await Browser.signedIn(client, "federal")
            let table = try await federal.get("/monitoring?region=R1")
            #expect(table.html.contains("href=\"/regions/R1/roadmap?campaign="))
            #expect(table.html.contains("Региональная дорожная карта (черновик): мероприятий 0"))
            let seen = try await federal.get("/regions/R1/roadmap")
            #expect(seen.status == .ok && seen.html.contains("href=\"\(created.location!)\"") && !seen.html.contains("name=\"kind\""))

            let other = try await Browser.signedIn(client, "reg-R2")
            #expect(try await other.get("/regions/R1/roadmap").status == .notFound)
            #expect(try await other.get(created.location!).status == .notFound)
        }
    }

    @Test("once FIOCO confirms the regional roadmap, the municipal coordinator picks the regional measure from a list on her roadmap's page")
    func municipalMeasureChoosesRegionalOne() async throws {
        let world = try await TestWorld()
        let regionID = try await world.service.regions().first { $0.code == "R1" }!.id
        let reg = try await world.actor("reg-R1")
        var regional = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap, regionID: regionID), by: reg)
        let seminar = try await world.service.addMeasure(roadmapID: regional.item.id, MeasureInput(
            task: "Задача 1", title: "Семинар для директоров", dueDate: CalendarDate(year: 2026, month: 10, day: 30)!,
            responsible: "Министерство", expectedResult: "Проведён", indicator: "", plannedValue: "", normativeDocument: "Приказ № 1"), by: reg)
        regional = try await world.service.item(regional.item.id, for: reg)
        regional = try await world.act(.submit, on: regional, by: "reg-R1")
        _ = try await world.act(.confirm, on: regional, by: "federal")
        let municipal = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                   municipalityID: try await world.municipalityID("M1")),
                                                           by: try await world.actor("mun-M1"))
        try await withWeb(world) { client in
            let coordinator = try await Browser.signedIn(client, "mun-M1")
            var page = try await coordinator.get("/items/\(municipal.item.id)")
            #expect(page.html.contains("name=\"regionalMeasureID\"") && page.html.contains("№1. Семинар для директоров (Задача 1)"))
            #expect(!page.html.contains("name=\"riskFactor\""))
            let added = try await coordinator.post("/items/\(municipal.item.id)/measures", [
                "expectedRevision": String(municipal.item.revision), "task": "Адресная помощь", "title": "Участие в семинаре",
                "dueDate": "2026-11-15", "responsible": "Управление образования", "expectedResult": "Обучены",
                "indicator": "Доля", "plannedValue": "100%", "track": "1", "regionalMeasureID": String(seminar.id)])
            #expect(added.location?.hasPrefix("/items/\(municipal.item.id)") == true)
            page = try await coordinator.follow(added)
            #expect(page.html.contains("<option value=\"\(seminar.id)\" selected>"))
        }
    }
}

@Suite("The menu")
struct WebMenuTests {
    @Test("everyone who decides on documents finds the review queue in the menu: curators, regional coordinators and FIOCO; a school team and a municipal coordinator do not")
    func reviewQueueForReviewers() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            for (login, expected) in [("curator1", true), ("reg-R1", true), ("federal", true), ("school-A", false), ("mun-M1", false)] {
                let page = try await Browser.signedIn(client, login).get("/items")
                #expect(page.html.contains("href=\"/queue\"") == expected, "\(login)")
            }
        }
    }
}
