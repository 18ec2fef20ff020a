import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKCore
import MEDKServer
import MEDKTestSupport
import Testing

/// Coordinators see how quickly the curators of their territory decide: a page with a chart and
/// the same figures in a table, the downloads, and the API the CLI uses.
@Suite("Reviewers' response times on the pages and in the API")
struct ReviewTimesPageTests {
    /// curator1 confirms A's document after a day and a half; curator2 returns C's after four and
    /// a half days, and D's has waited six days for curator2.
    static func world() async throws -> TestWorld {
        let world = try await TestWorld()
        let a = try await world.submittedDocument(school: "A")
        let c = try await world.submittedDocument(school: "C")
        world.clock.advance(by: 36 * 3600)
        _ = try await world.act(.confirm, on: a, by: "curator1")
        world.clock.advance(by: 3 * 86_400)
        _ = try await world.act(.return, on: c, by: "curator2", comment: "Дополните цели.")
        _ = try await world.submittedDocument(school: "D")
        world.clock.advance(by: 6 * 86_400)
        return world
    }

    @Test("a regional coordinator sees each curator's times, the slowest marked, with a chart beside the table")
    func page() async throws {
        let world = try await Self.world()
        try await withWeb(world) { client in
            let region = try await Browser.signedIn(client, "reg-R1")
            let page = try await region.get("/monitoring/reviewers?region=R1")
            #expect(page.status == .ok)
            #expect(page.html.contains(#"href="/monitoring/reviewers""#), "it is in the menu")
            let slowest = try #require(Browser.firstMatch(#"<tr class="slowest">(.*?)</tr>"#, in: page.html.replacingOccurrences(of: "\n", with: " ")))
            #expect(slowest.contains("Куратор Второй") && slowest.contains("4,5 дн.") && slowest.contains("самый медленный"))
            #expect(slowest.contains(#"class="cell status-late">6 дн."#), "a document waiting six days is marked")
            #expect(page.html.contains("1,5 дн."))
            #expect(page.html.components(separatedBy: #"class="bar-median""#).count - 1 == 2, "one bar per curator who decided")
            #expect(page.html.contains("Всего решений: 2, возвращено: 1"))

            let download = try await region.get("/monitoring/reviewers.xlsx?region=R1")
            #expect(download.status == .ok && download.headers[.contentType] == XLSXWriter.mediaType)
            let workbook = try ExcelDownloadTests.read(download.bytes)
            let row = try #require(workbook.rows.first { $0.first??["value"] == "Куратор Второй" })
            #expect(row[2] == ["type": "number", "value": "1"] && row[5] == ["type": "number", "value": "4.5"], "days are numbers")
            #expect(row[11]?["value"] == "самый медленный")
            let csv = try await region.get("/monitoring/reviewers.csv?region=R1")
            #expect(csv.html.contains("Куратор Второй;curator2;1;1;100,0;4,5;4,5;4,5;1;"))
        }
    }

    @Test("the API answers the same report as JSON; a curator and another region's coordinator are refused")
    func api() async throws {
        let world = try await Self.world()
        try await withAPI(world) { client in
            let region = try await APISession.login(client, "reg-R1")
            let report: ReviewTimesReport = try await region.get("/api/v1/review-times?region=R1&from=2026-03-01&to=2026-03-31")
            #expect(report.reviewers.map(\.login) == ["curator2", "curator1"])
            #expect(report.reviewers[1].figures.medianSeconds == 36 * 3600 && report.totals.waitingNow == 1)
            let (badPeriod, error) = try await region.refusal(.get, "/api/v1/review-times?region=R1&from=2026-03-31&to=2026-03-01")
            #expect(badPeriod == .unprocessableContent && error.code == "invalid_period")
            let (status, _) = try await APISession.login(client, "curator1").refusal(.get, "/api/v1/review-times?region=R1")
            #expect(status == .forbidden)
            let (other, _) = try await APISession.login(client, "reg-R2").refusal(.get, "/api/v1/review-times?region=R1")
            #expect(other == .notFound, "another region is answered like a missing one")
        }
    }
}
