import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKCore
import MEDKServer
import MEDKTestSupport
import Testing

/// The coordinator's first page: charts drawn on the server, with the same numbers in tables.
@Suite("The coordinator's dashboard")
struct DashboardTests {
    @Test("a regional coordinator lands on the dashboard: milestones, the weekly trend of overdue measures, who is behind, the week ahead")
    func dashboard() async throws {
        // School A's roadmap sent on 10 February; then 15 March 2026, 21:00 in Chita.
        let world = try await TestWorld(start: TestWorld.instant("2026-02-10 10:00", zone: "Asia/Chita"))
        let owner = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: owner)
        for (index, due) in ["2026-03-01", "2026-03-10", "2026-03-17", "2026-04-20"].enumerated() {
            _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
                task: "Задача", title: "Мероприятие \(index)", dueDate: CalendarDate(due)!, responsible: "Директор",
                expectedResult: "Результат", indicator: "Показатель", plannedValue: "1", riskFactorNumber: 1), by: owner)
        }
        _ = try await world.act(.submit, on: try await world.service.item(roadmap.item.id, for: owner), by: "school-A")
        world.clock.set(TestWorld.defaultStart)
        try await withWeb(world) { client in
            let region = try await Browser.signedIn(client, "reg-R1")
            let landing = try await region.login("reg-R1", password: TestWorld.password)
            #expect(landing.location == "/dashboard", "a coordinator's first page")
            let page = try await region.get("/dashboard?region=R1")
            #expect(page.status == .ok)
            let html = page.html.replacingOccurrences(of: "\n", with: " ")
            #expect(html.contains(#"<svg viewBox="0 0 860"#) && html.contains("class=\"seg status-"), "the milestone bars are drawn")
            #expect(html.contains(#"<tr><td>15.03.2026</td><td class="num">2</td></tr>"#), "two measures overdue this morning")
            #expect(html.contains(#"<tr><td>08.03.2026</td><td class="num">1</td></tr>"#), "one a week before")
            #expect(html.contains(#"<tr><td>01.03.2026</td><td class="num">0</td></tr>"#))
            #expect(html.contains("За неделю больше на 1: было 1, стало 2."))
            #expect(html.contains("Муниципалитеты, дальше всех от сроков"))
            #expect(try Browser.firstMatch(#"<a href="/dashboard\?campaign=C2026&amp;municipality=M1">Балейский округ</a></td><td class="num">(\d+)</td>"#, in: html) == "2")
            #expect(html.contains("Срок на этой неделе: 1 мероприятие"))
            #expect(html.contains(#"<a href="/schools/A?campaign=C2026">Школа А</a></td><td class="num">1</td>"#))

            let municipality = try await region.get("/dashboard?municipality=M1")
            #expect(municipality.html.contains("Школы, дальше всех от сроков"))
            let school = try await Browser.signedIn(client, "school-A")
            #expect(try await school.get("/dashboard").status == .forbidden)
        }
    }

    @Test("the trend adds, to each morning, the commitments still open and those confirmed since")
    func trend() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let morning = { (date: CalendarDate) in calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))! }
        let mornings = OverdueTrend.mornings(today: CalendarDate("2026-03-15")!, weeks: 2, startOfDay: morning)
        #expect(mornings.map(\.day.russian) == ["01.03.2026", "08.03.2026", "15.03.2026"])
        let points = OverdueTrend.points(mornings, openAt: [0, 1, 3], confirmedAfter: [1, 1, 0])
        #expect(points.map(\.overdue) == [1, 2, 3])
        #expect(OverdueTrend.sum([points, points]).map(\.overdue) == [2, 4, 6])
    }
}
