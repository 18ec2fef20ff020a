import Foundation
import HummingbirdTesting
import MEDKAPI
import MEDKCore
import MEDKServer
import MEDKTestSupport
import NIOCore
import Testing

/// The deadline table downloads as Excel from the page and the API; openpyxl (what a script would
/// use) reads the counts as numbers and the codes as text, with the filter written above.
@Suite("Deadline tables as Excel workbooks")
struct ExcelDownloadTests {
    /// What openpyxl reads from `bytes`: the frozen pane and each row's cells as [type: value].
    static func read(_ bytes: [UInt8]) throws -> (frozen: String?, rows: [[[String: String]?]]) {
        try WorkbookCells.read(bytes)
    }

    @Test("a region's municipalities download from its page as a workbook of numbers, the filter on top")
    func regionParts() async throws {
        let world = try await TestWorld()
        _ = try await world.submittedDocument(school: "A")
        try await withWeb(world) { client in
            let region = try await Browser.signedIn(client, "reg-R1")
            let page = try await region.get("/monitoring?region=R1")
            #expect(page.html.contains("href=\"/monitoring.xlsx?region=R1&amp;table=parts\"") || page.html.contains("/monitoring.xlsx?region=R1&table=parts"))
            let download = try await region.get("/monitoring.xlsx?region=R1&table=parts")
            #expect(download.status == .ok && download.headers[.contentType] == XLSXWriter.mediaType)
            // RFC 6266: the Russian name percent-encoded, an ASCII stand-in for old clients.
            let expected = "Сроки — C2026 — Забайкальский край — по муниципалитетам.xlsx"
            let disposition = download.headers[.contentDisposition] ?? ""
            #expect(disposition.hasPrefix("attachment; filename=\"medk.xlsx\"; filename*=UTF-8''"), "\(disposition)")
            #expect(disposition.components(separatedBy: "UTF-8''").last?.removingPercentEncoding == expected)
            let workbook = try Self.read(download.bytes)
            #expect(workbook.rows[0].first??["value"] == "Соблюдение сроков: Забайкальский край")
            #expect(workbook.rows[1].first??["value"] == "Кампания: 500+ 2026 (C2026); территория: Забайкальский край.")
            let headerIndex = try #require(workbook.rows.firstIndex { $0.first??["value"] == "Муниципалитет" })
            #expect(workbook.frozen == "A\(headerIndex + 2)", "the header stays in view")
            let baley = try #require(workbook.rows.first { $0.first??["value"] == "Балейский округ" })
            #expect(baley[1]?["type"] == "text" && baley[1]?["value"] == "M1", "a code stays text")
            #expect(baley[2] == ["type": "number", "value": "3"], "schools are counted as a number")
        }
    }

    @Test("the API gives a municipality's schools as a workbook, only the lagging ones when asked, and says so on top")
    func apiSchools() async throws {
        let world = try await TestWorld()
        try await withAPI(world) { client in
            let coordinator = try await APISession.login(client, "mun-M1")
            let response = try await coordinator.raw(.get, "/api/v1/deadlines?municipality=M1&format=xlsx&lagging=true")
            #expect(response.status == .ok && response.headers[.contentType] == XLSXWriter.mediaType)
            let workbook = try Self.read(Array(response.body.readableBytesView))
            #expect(workbook.rows.contains { $0.first??["value"] == "Только школы с отставанием." })
            #expect(workbook.rows.contains { $0.first??["value"] == "Регион" && $0[2]?["value"] == "Код ОО" })
        }
    }

    @Test("the overdue list downloads whole as a workbook with real dates and day counts, and leaves no file behind")
    func overdue() async throws {
        let world = try await WebMonitoringTests.world()
        try await withWeb(world) { client in
            let region = try await Browser.signedIn(client, "reg-R1")
            #expect(try await region.get("/monitoring/overdue").html.contains("/monitoring/overdue.xlsx"))
            let download = try await region.get("/monitoring/overdue.xlsx?sort=due")
            #expect(download.status == .ok && download.headers[.contentType] == XLSXWriter.mediaType)
            let workbook = try Self.read(download.bytes)
            #expect(workbook.rows.contains { $0.first??["value"] == "Просрочено мероприятий: 2; срок — по времени школы." })
            let first = try #require(workbook.rows.first { $0[4]?["value"] == "Курсы учителей 0" })
            #expect(first[2] == ["type": "text", "value": "A"])
            #expect(first[5] == ["type": "datetime", "value": "2026-06-30T00:00"], "the due date is a date")
            #expect(first[6] == ["type": "number", "value": "63"], "the days overdue are a number")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: world.service.files.temporaryDirectory.path)
            #expect(!leftovers.contains { $0.hasPrefix("medk-xlsx-") }, "the workbook is removed once sent")
        }
        try await withAPI(world) { client in
            let curator = try await APISession.login(client, "curator1")
            let response = try await curator.raw(.get, "/api/v1/overdue-measures?format=xlsx&curator=curator1")
            let workbook = try Self.read(Array(response.body.readableBytesView))
            #expect(workbook.rows.contains { $0.first??["value"] == "Отбор: куратор curator1." })
            #expect(workbook.rows.filter { $0[4]?["value"]?.hasPrefix("Курсы учителей") == true }.count == 2)
        }
    }

    @Test("a curator's documents download whole as a workbook from the list page and the API, filtered as shown")
    func items() async throws {
        let world = try await TestWorld()
        _ = try await world.submittedDocument(school: "A")
        _ = try await world.submittedDocument(school: "B")
        _ = try await world.submittedDocument(school: "D")
        try await withWeb(world) { client in
            let curator = try await Browser.signedIn(client, "curator1")
            let list = try await curator.get("/items?state=submitted")
            #expect(list.html.contains("href=\"/items.xlsx?state=submitted\""))
            let download = try await curator.get("/items.xlsx?state=submitted")
            #expect(download.status == .ok && download.headers[.contentType] == XLSXWriter.mediaType)
            let workbook = try Self.read(download.bytes)
            #expect(workbook.rows.contains { $0.first??["value"] == "Отбор: состояние «на проверке»." })
            let schools = workbook.rows.compactMap { $0[4]?["value"] }.filter { ["A", "B", "D"].contains($0) }
            #expect(schools.sorted() == ["A", "B"], "only the curator's own schools: \(schools)")
            let row = try #require(workbook.rows.first { $0[4]?["value"] == "A" })
            #expect(row[0]?["type"] == "number" && row[9]?["type"] == "datetime", "the number is a number, the sending a time")
        }
        try await withAPI(world) { client in
            let federal = try await APISession.login(client, "federal")
            let response = try await federal.raw(.get, "/api/v1/items?format=xlsx&kind=development_concept")
            let workbook = try Self.read(Array(response.body.readableBytesView))
            #expect(workbook.rows.contains { $0.first??["value"] == "Документов: 3; время — по часовому поясу региона каждой организации." })
        }
    }

    @Test("a document's history downloads from its page as a workbook: each step with its time, person, states, comment and details in words")
    func history() async throws {
        let world = try await TestWorld()
        let submitted = try await world.submittedDocument(school: "A")
        world.clock.advance(by: 3600)
        _ = try await world.act(.return, on: submitted, by: "curator1", comment: "Уточните цели; поле «задачи» пусто.")
        try await withWeb(world) { client in
            let school = try await Browser.signedIn(client, "school-A")
            let page = try await school.get("/items/\(submitted.item.id)")
            #expect(page.html.contains("/items/\(submitted.item.id)/history.xlsx"))
            let download = try await school.get("/items/\(submitted.item.id)/history.xlsx")
            #expect(download.status == .ok && download.headers[.contentType] == XLSXWriter.mediaType)
            let workbook = try Self.read(download.bytes)
            let steps = workbook.rows.filter { $0.first??["type"] == "number" }
            #expect(steps.map { $0[5]?["value"] } == ["создание", "загрузка файла", "отправка на проверку", "возврат на доработку"])
            let returned = try #require(steps.last)
            #expect(returned[1]?["type"] == "datetime" && returned[2]?["value"] == "curator1" && returned[3]?["value"] == "Куратор Первый")
            #expect(returned[6]?["value"] == "на проверке" && returned[7]?["value"] == "на доработке")
            #expect(returned[8]?["value"] == "Уточните цели; поле «задачи» пусто.")
            #expect(returned[9]?["value"] == "замечаний: 1", "details in words")
            #expect(steps[1][9]?["value"]?.hasPrefix("версия 1, «концепция.pdf», ") == true, "no media types or checksums: \(steps[1])")
            let stranger = try await Browser.signedIn(client, "school-B")
            #expect(try await stranger.get("/items/\(submitted.item.id)/history.xlsx").status == .notFound, "another school's history is not there")
        }
    }
}
