import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKCore
import MEDKServer
import MEDKTestSupport
import Testing

@Suite("Web monitoring: drill-down from the country to a school, the overdue list")
struct WebMonitoringTests {
    /// School A's roadmap with measures already overdue on 1 September.
    /// School A's roadmap of two measures sent on 1 June; then 1 September 2026, 10:00 in Chita.
    static func world() async throws -> TestWorld {
        let world = try await TestWorld(start: TestWorld.instant("2026-06-01 10:00", zone: "Asia/Chita"))
        let owner = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: owner)
        for (index, due) in ["2026-06-30", "2026-08-15"].enumerated() {
            _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
                task: "Задача", title: "Курсы учителей \(index)", dueDate: CalendarDate(due)!, responsible: "Заместитель директора",
                expectedResult: "Обучены", indicator: "Число", plannedValue: "4", riskFactorNumber: 3), by: owner)
        }
        _ = try await world.act(.submit, on: try await world.service.item(roadmap.item.id, for: owner), by: "school-A")
        world.clock.set(TestWorld.instant("2026-09-01 10:00", zone: "Asia/Chita"))
        _ = try await world.submittedDocument(school: "B")
        return world
    }

    @Test("the federal operator sees regions, opens a region, then a municipality, then a school")
    func drillDown() async throws {
        let world = try await Self.world()
        try await withWeb(world) { client in
            let federal = try await Browser.signedIn(client, "federal")
            let country = try await federal.get("/monitoring")
            #expect(country.status == .ok)
            #expect(country.html.contains("По регионам"))
            let regionLink = try #require(Browser.firstMatch(#"<a href="(/monitoring\?[^"]*region=R1[^"]*)">Забайкальский край</a>"#, in: country.html))
            #expect(!country.html.contains(#"<a href="/schools/A">"#), "the country lists regions, not schools")
            let region = try await federal.get(regionLink.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(region.html.contains("По муниципалитетам"))
            #expect(region.html.contains(#"<a href="/schools/A">Школа А</a>"#))
            let municipalityLink = try #require(Browser.firstMatch(#"<a href="(/monitoring\?[^"]*municipality=M1[^"]*)">Балейский округ</a>"#, in: region.html))
            let municipality = try await federal.get(municipalityLink.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(municipality.html.contains("Школа В"))
            #expect(!municipality.html.contains("Школа Г"), "school D is in another municipality")
            #expect(municipality.html.contains("Вся доступная территория"), "a way back up")
            let lagging = try await federal.get(municipalityLink.replacingOccurrences(of: "&amp;", with: "&") + "&lagging=1")
            #expect(lagging.html.contains("Школы с отставанием"))
            // Every count opens what it counts: a municipality's late concepts list the school that sent it late.
            let tally = try #require(Browser.firstMatch(
                #"<a href="(/monitoring\?kind=development_concept&amp;municipality=M1&amp;status=late[^"]*)" class="badge status-late"#,
                in: region.html))
            let filtered = try await federal.get(tally.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(filtered.html.contains("Только школы, у которых «Концепция развития» — с опозданием."))
            #expect(filtered.html.contains(#"<a href="/schools/B">Школа Б</a>"#) && !filtered.html.contains(#"<a href="/schools/A">Школа А</a>"#))
            // A school's cell opens its document and says where it stands now.
            #expect(Browser.firstMatch(#"<td class="cell status-late"><a href="(/items/\d+)">с опозданием</a><div class="cell-state">сейчас: на проверке</div>"#,
                                       in: filtered.html) != nil)
            // Column headings order the tables: the schools by a milestone, furthest behind first.
            let byConcept = try await federal.get("/monitoring?region=R1&sort=development_concept")
            #expect(byConcept.html.contains(#"aria-sort="other"><a href="/monitoring?region=R1&amp;sort=development_concept#schools">"#))
            let at = { (code: String) in byConcept.html.range(of: #"<a href="/schools/\#(code)">"#)?.lowerBound }
            let (a, b, c) = (try #require(at("A")), try #require(at("B")), try #require(at("C")))
            #expect(a < c && c < b, "missing concepts (A, C by place) before the late one (B)")
            #expect(byConcept.html.contains("Сначала школы, у которых «Концепция развития» дальше всего от срока"))
            let byLagging = try await federal.get("/monitoring?region=R1&order=lagging")
            #expect(byLagging.html.contains(#"aria-sort="descending"><a href="/monitoring?region=R1&amp;order=lagging#parts">"#))
            // The documents list orders by its columns too; choosing the order in force again goes back to newest first.
            let byTitle = try await federal.get("/items?sort=title")
            #expect(byTitle.html.contains(#"aria-sort="ascending"><a href="/items">Документ</a>"#))
            #expect(byTitle.html.contains(#"aria-sort="none"><a href="/items?sort=updated">Изменён</a>"#))
            let byWaiting = try await federal.get("/monitoring?region=R1&curators=waiting")
            #expect(byWaiting.html.contains(#"aria-sort="descending"><a href="/monitoring?region=R1&amp;curators=waiting#curators">Ждут решения</a>"#))
            let parts = try await federal.get("/monitoring.csv?region=R1&table=parts")
            #expect(parts.html.contains("Балейский округ"))
            #expect(parts.html.hasPrefix("\u{FEFF}Муниципалитет;Код;Школ;С отставанием"))
        }
    }

    @Test("the overdue page lists measures with days overdue, narrows by curator and school, downloads all")
    func overduePage() async throws {
        let world = try await Self.world()
        try await withWeb(world) { client in
            let region = try await Browser.signedIn(client, "reg-R1")
            let page = try await region.get("/monitoring/overdue")
            #expect(page.status == .ok)
            #expect(page.html.contains("Курсы учителей 0"))
            #expect(page.html.contains("Курсы учителей 1"))
            #expect(page.html.contains("63 дня"), "30 June to 1 September in Chita")
            #expect(page.html.contains("отчёт не начат"))
            #expect(try await region.get("/monitoring/overdue?curator=curator2").html.contains("Ничего не найдено"))
            #expect(page.html.contains(#"<option value="A">Школа А, Балейский округ</option>"#), "schools are offered by name")
            #expect(page.html.contains(#"<option value="curator1">Куратор Первый</option>"#), "curators too")
            #expect(try await region.get("/monitoring/overdue?school=A&sort=recent").html.contains("Курсы учителей 1"))
            let csv = try await region.get("/monitoring/overdue.csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.html.contains("Курсы учителей 0;30.06.2026;63"))
            let other = try await Browser.signedIn(client, "reg-R2")
            #expect(try await other.get("/monitoring/overdue").html.contains("Ничего не найдено"))
        }
    }

    @Test("lists page by cursor: a second page follows the first without repeats")
    func pagedQueue() async throws {
        let world = try await TestWorld()
        for kind in [ItemKind.developmentConcept, .midtermProgramme] {
            for school in ["A", "B"] {
                _ = try await world.submittedDocument(kind, school: school)
                world.clock.advance(by: 60)
            }
        }
        try await withWeb(world) { client in
            let curator = try await Browser.signedIn(client, "curator1")
            let items = try await curator.get("/items")
            #expect(items.html.contains("Показаны 1–4 из 4."))
            let queue = try await curator.get("/queue")
            #expect(queue.html.contains("Ждут вашего решения: <strong>4</strong>"))
            let forged = try await curator.get("/items?cursor=%25%25")
            #expect(forged.status == .unprocessableContent)
            #expect(forged.html.contains("откройте список с начала"))
        }
    }
}
