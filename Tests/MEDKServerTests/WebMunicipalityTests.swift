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
