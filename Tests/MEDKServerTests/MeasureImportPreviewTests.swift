import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKAPI
import MEDKCore
import MEDKServer
import MEDKTestSupport
import NIOCore
import Testing

/// A school checks how its roadmap table will be read and then imports it, through the API (the
/// CLI's way) and the pages.
@Suite("Previewing and applying a roadmap table import")
struct MeasureImportPreviewTests {
    static let csv: [UInt8] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MEDKCoreTests/Fixtures/import/roadmap-school-cp1251.csv")
        return Array(try! Data(contentsOf: url))
    }()

    /// 10 January 2023: the fixtures' 2023 plans are ahead, as when they were written.
    static let january2023 = Date(timeIntervalSince1970: 1_673_352_000)

    static func roadmap(_ world: TestWorld, school: String = "A") async throws -> Int64 {
        try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap, schoolID: try await world.schoolID(school)),
                                           by: try await world.actor("school-\(school)")).item.id
    }

    @Test("the API shows every measure as read and saves nothing; only the roadmap's owner may have a file read for it")
    func api() async throws {
        let world = try await TestWorld(start: Self.january2023)
        let id = try await Self.roadmap(world)
        try await withAPI(world) { client in
            let school = try await APISession.login(client, "school-A")
            let response = try await school.raw(.post, "/api/v1/items/\(id)/measures/import-preview?fileName=plan.csv&year=2023",
                                                body: ByteBuffer(bytes: Self.csv), contentType: "application/octet-stream")
            #expect(response.status == .ok)
            let preview = try APISession.decoder.decode(RoadmapImportPreview.self, from: Data(buffer: response.body))
            #expect(preview.measures.count == 6 && preview.flaggedCount == 1 && preview.programmeYear == 2023)
            #expect(preview.measures[3].dueDates.map(\.description) == ["2023-04-21", "2023-10-31"])
            #expect(try await world.service.item(id, for: try await world.actor("school-A")).measures?.isEmpty == true)

            let curator = try await APISession.login(client, "curator1")
            let (status, error) = try await curator.refusal(.post, "/api/v1/items/\(id)/measures/import-preview?fileName=plan.csv",
                                                           rawBody: ByteBuffer(bytes: Self.csv))
            #expect(status == .forbidden && error.code == "forbidden")

            let (badYear, yearError) = try await school.refusal(.post, "/api/v1/items/\(id)/measures/import-preview?fileName=plan.csv&year=1800",
                                                                rawBody: ByteBuffer(bytes: Self.csv))
            #expect(badYear == .unprocessableContent && yearError.code == "invalid_year")
            let (notTable, tableError) = try await school.refusal(.post, "/api/v1/items/\(id)/measures/import-preview?fileName=plan.pdf",
                                                                  rawBody: ByteBuffer(bytes: Array("%PDF-1.7 …".utf8)))
            #expect(notTable == .unprocessableContent && tableError.code == "unsupported_file")
        }
    }

    @Test("a municipal order's preview shows each row's planned value and the regional measure it names")
    func municipalPreview() async throws {
        let world = try await TestWorld(start: Self.january2023)
        let coordinator = try await world.actor("mun-M1")
        let id = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                            municipalityID: try await world.municipalityID("M1")), by: coordinator).item.id
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MEDKCoreTests/Fixtures/import/roadmap-municipal-linked.docx")
        try await withWeb(world) { client in
            let coordinator = try await Browser.signedIn(client, "mun-M1")
            #expect(try await coordinator.get("/items/\(id)").html.contains("/items/\(id)/measures/import"))
            let page = try await coordinator.follow(try await coordinator.upload(
                "/items/\(id)/measures/import", fileName: "приказ.docx", bytes: Array(try Data(contentsOf: url)), fields: ["year": "2023"]))
            #expect(page.status == .ok)
            #expect(page.html.contains("Доля заполненных анкет — план: не менее 80 %"))
            #expect(page.html.contains("региональная мера: 2.1. Методическое сопровождение школ"))
        }
    }

    @Test("the roadmap page offers the table import; the preview page marks the rows that need a person")
    func pages() async throws {
        let world = try await TestWorld(start: Self.january2023)
        let id = try await Self.roadmap(world)
        try await withWeb(world) { client in
            let school = try await Browser.signedIn(client, "school-A")
            let card = try await school.get("/items/\(id)")
            #expect(card.html.contains("/items/\(id)/measures/import"))
            let posted = try await school.upload("/items/\(id)/measures/import", fileName: "план.csv", bytes: Self.csv, fields: ["year": "2023"])
            #expect(posted.status == .seeOther, "post, redirect, get: the preview can be reloaded without sending the file again")
            let page = try await school.follow(posted)
            #expect(page.status == .ok)
            #expect(page.html.contains("Мероприятий: 6, требуют внимания: <strong>1</strong>"))
            #expect(page.html.contains("Анализ рискового профиля школы по итогам анкетирования и обсуждение на педагогическом совете"))
            #expect(page.html.contains("21.04.2023, 31.10.2023"))
            #expect(page.html.contains("class=\"import-flagged\""))
            #expect(page.html.contains("Задача: Работа с педагогами"), "a section row of a table without a task column is the task")

            let curator = try await Browser.signedIn(client, "curator1")
            #expect(!(try await curator.get("/items/\(id)")).html.contains("/measures/import"))
            let refused = try await curator.upload("/items/\(id)/measures/import", fileName: "план.csv", bytes: Self.csv)
            #expect(refused.status == .forbidden)
        }
    }

    @Test("the API imports the table all at once and answers what it saved; a stale revision saves nothing")
    func apiApply() async throws {
        let world = try await TestWorld()
        let id = try await Self.roadmap(world)
        try await withAPI(world) { client in
            let school = try await APISession.login(client, "school-A")
            let (stale, staleError) = try await school.refusal(
                .post, "/api/v1/items/\(id)/measures/import?fileName=plan.csv&year=2023&expectedRevision=5", rawBody: ByteBuffer(bytes: Self.csv))
            #expect(stale == .conflict && staleError.code == "stale_revision")
            let response = try await school.raw(.post, "/api/v1/items/\(id)/measures/import?fileName=plan.csv&year=2023&expectedRevision=1",
                                                body: ByteBuffer(bytes: Self.csv), contentType: "application/octet-stream")
            #expect(response.status == .created)
            let result = try APISession.decoder.decode(MeasureImportResult.self, from: Data(buffer: response.body))
            #expect(result.measuresCreated == 18 && result.rows == 6 && result.undated == 1 && result.revision == 2)
            let detail: ItemDetail = try await school.get("/api/v1/items/\(id)")
            #expect(detail.measures?.count == 18)
            #expect(detail.measures?.contains { $0.dueDate == nil && $0.deadlineText == "По мере необходимости" } == true)
            #expect(detail.measures?.filter { $0.series?.recurrence == .monthly }.count == 12)
        }
    }

    @Test("on the pages a school checks the table, imports it as checked, and sees the undated measure to fix")
    func pagesApply() async throws {
        let world = try await TestWorld(start: Self.january2023)
        let id = try await Self.roadmap(world)
        try await withWeb(world) { client in
            let school = try await Browser.signedIn(client, "school-A")
            _ = try await school.get("/items/\(id)")
            let preview = try await school.follow(
                try await school.upload("/items/\(id)/measures/import", fileName: "план.csv", bytes: Self.csv, fields: ["year": "2023"]))
            #expect(preview.html.contains("Импортировать в дорожную карту: 18 мероприятий"))
            let token = try #require(Browser.firstMatch("name=\"token\" value=\"([0-9a-f-]{36})\"", in: preview.html))

            // What the page showed downloads as a workbook, read again from the kept file; nothing is saved.
            let link = try #require(Browser.firstMatch(#"href="(/items/\d+/measures/import/preview\.xlsx\?[^"]+)""#, in: preview.html))
                .replacingOccurrences(of: "&amp;", with: "&")
            #expect(link.contains("fileName=%D0%BF%D0%BB%D0%B0%D0%BD.csv") && link.hasSuffix("&year=2023"))
            let workbook = try await school.get(link)
            #expect(workbook.status == .ok && workbook.headers[.contentType] == XLSXWriter.mediaType)
            let rows = try ExcelDownloadTests.read(workbook.bytes).rows
            #expect(rows.filter { $0.first??["type"] == "number" }.count == 6, "one row a measure of the table")
            #expect(rows.contains { $0.count > 3 && $0[3]?["value"] == "Обмен опытом с кураторами" && $0[2]?["value"] == "да" })

            let stranger = try await Browser.signedIn(client, "school-B")
            _ = try await stranger.get("/")
            #expect(try await stranger.get(link).status != .ok, "a staged table is its importer's alone")
            let refused = try await stranger.post("/items/\(id)/measures/import/apply",
                                                  ["token": token, "fileName": "план.csv", "year": "2023"])
            #expect(refused.status == .forbidden || refused.status == .notFound)

            let applied = try await school.post("/items/\(id)/measures/import/apply",
                                                ["token": token, "fileName": "план.csv", "year": "2023", "expectedRevision": "1"])
            #expect(applied.status == .seeOther)
            let card = try await school.follow(applied)
            #expect(card.html.contains("Импортировано мероприятий: 18 (строк таблицы: 6). Без срока: 1"))
            #expect(card.html.contains("Мероприятий без срока: 1."))
            #expect(card.html.contains("нет срока</span>"))
            #expect(card.html.contains("в таблице: «По мере необходимости»"))
            #expect(card.html.contains("(ежемесячно 12 из 12)"))
            #expect(card.html.contains("не указан срок (в таблице: «По мере необходимости»)"))

            let again = try await school.post("/items/\(id)/measures/import/apply",
                                              ["token": token, "fileName": "план.csv", "year": "2023"])
            #expect(again.status == .notFound)
            // Back to the preview after applying: it is gone, and the person is told so on the roadmap.
            let back = try await school.get(link.replacingOccurrences(of: "/preview.xlsx?", with: "/preview?"))
            #expect(back.status == .seeOther)
            #expect(try await school.follow(back).html.contains("Эта проверка таблицы больше не действует: таблица уже импортирована"))

            // The same table checked again: the page says the roadmap has it all and offers only new rows, or replacing.
            _ = try await school.get("/items/\(id)")
            let second = try await school.follow(
                try await school.upload("/items/\(id)/measures/import", fileName: "план.csv", bytes: Self.csv, fields: ["year": "2023"]))
            #expect(second.html.contains("В дорожной карте уже есть мероприятий: 18; из них в этой таблице — 18"))
            #expect(second.html.contains(#"value="new" checked"#) && second.html.contains("Добавить только новые строки (0 из 18)"))
            #expect(second.html.contains(#"name="mode" value="replace""#))
            let newToken = try #require(Browser.firstMatch("name=\"token\" value=\"([0-9a-f-]{36})\"", in: second.html))
            let nothing = try await school.follow(try await school.post(
                "/items/\(id)/measures/import/apply", ["token": newToken, "fileName": "план.csv", "year": "2023", "mode": "new"]))
            #expect(nothing.html.contains("Все мероприятия таблицы уже есть в дорожной карте: добавлять нечего."))
            let replaced = try await school.follow(try await school.post(
                "/items/\(id)/measures/import/apply", ["token": newToken, "fileName": "план.csv", "year": "2023", "mode": "replace"]))
            #expect(replaced.html.contains("Импортировано мероприятий: 18 (строк таблицы: 6). Прежние заменены: 18."))
        }
    }

    @Test("a plan for a year already past is flagged in the preview: its measures would be overdue the moment they are sent")
    func pastDatesFlagged() async throws {
        let world = try await TestWorld()
        let id = try await Self.roadmap(world)
        try await withWeb(world) { client in
            let school = try await Browser.signedIn(client, "school-A")
            _ = try await school.get("/items/\(id)")
            let page = try await school.follow(
                try await school.upload("/items/\(id)/measures/import", fileName: "план.csv", bytes: Self.csv, fields: ["year": "2023"]))
            #expect(page.html.contains("Срок уже прошёл у 5 строк таблицы"))
            #expect(page.html.contains("Мероприятий: 6, требуют внимания: <strong>6</strong>"))
            #expect(page.html.contains("Срок 31.01.2023 уже прошёл"))
        }
    }
}
