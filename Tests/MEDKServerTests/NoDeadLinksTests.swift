import Foundation
import HTTPTypes
import MEDKCore
import MEDKTestSupport
import Testing

/// Every link a page shows its person leads somewhere they may go: no «Нет доступа», no «Не найдено».
@Suite("No link leads a person to a refusal")
struct NoDeadLinksTests {
    /// Pages reached by following links from each role's first page, breadth first, up to this many.
    static let pagesPerRole = 120

    @Test("following every link from each role's first page never ends in 403, 404 or an error", arguments: [
        "school-A", "curator1", "mun-M1", "reg-R1", "federal", "admin",
    ])
    func everyLinkOpens(_ login: String) async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-05-20 10:00", zone: "Asia/Chita"))
        // Some work to link to: a returned document, a submitted one, a school's roadmap.
        _ = try await world.act(.return, on: try await world.submittedDocument(school: "A"), by: "curator1", comment: "- Нет подписи\n- Нет печати")
        _ = try await world.submittedDocument(.midtermProgramme, school: "B")
        let owner = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: owner)
        _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
            task: "Задача", title: "Семинар", dueDate: CalendarDate("2026-05-10")!, responsible: "Директор", expectedResult: "Проведён",
            indicator: "Число", plannedValue: "1", riskFactorNumber: 1), by: owner)
        _ = try await world.act(.submit, on: try await world.service.item(roadmap.item.id, for: owner), by: "school-A", acceptFindings: true)
        try await withWeb(world) { client in
            let person = try await Browser.signedIn(client, login)
            var queue = ["/"]
            var seen: Set<String> = ["/"]
            var visited = 0
            while !queue.isEmpty && visited < Self.pagesPerRole {
                let path = queue.removeFirst()
                var page = try await person.get(path)
                var hops = 0
                while let next = page.location, [.seeOther, .found, .movedPermanently].contains(page.status), hops < 3 {
                    page = try await person.get(next)
                    hops += 1
                }
                visited += 1
                #expect(![.forbidden, .notFound, .internalServerError].contains(page.status), "\(login): \(path) answered \(page.status.code)")
                guard page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                for link in Self.links(page.html) where seen.insert(link).inserted {
                    queue.append(link)
                }
            }
            #expect(visited > 5, "\(login) reached only \(visited) pages")
        }
    }

    /// The page's own links that a GET may follow: not downloads, not signing out.
    static func links(_ html: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: ##"<a [^>]*href="(/[^"#]*)"##) else { return [] }
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap { match in
            Range(match.range(at: 1), in: html).map { String(html[$0]).replacingOccurrences(of: "&amp;", with: "&") }
        }.filter { link in
            !link.hasPrefix("/logout") && !link.contains(".csv") && !link.contains(".xlsx") && !link.contains("/files/")
                && !link.hasPrefix("/static/") && !link.hasPrefix("/openapi")
        }
    }
}
