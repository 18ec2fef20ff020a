import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKCore
import MEDKServer
import MEDKTestSupport
import Testing

@Suite("Web pages: sessions, CSRF, access and rendering")
struct WebPagesTests {
    @Test("an anonymous visitor is sent to the login page and comes back after logging in")
    func loginRedirect() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let browser = Browser(client)
            let page = try await browser.get("/items?kind=roadmap")
            #expect(page.status == .seeOther)
            #expect(page.location == "/login?next=%2Fitems%3Fkind%3Droadmap")
            let login = try await browser.follow(page)
            #expect(login.html.contains("Вход в МЭДК"))
            #expect(login.html.contains(#"lang="ru""#))
            let signedIn = try await browser.post("/login", ["login": "curator1", "password": TestWorld.password, "next": "/items?kind=roadmap"])
            #expect(signedIn.location == "/items?kind=roadmap")
            let session = try #require(browser.lastSetCookies.first { $0.hasPrefix("medk_session=") })
            #expect(session.contains("HttpOnly"))
            #expect(session.contains("SameSite=Lax"))
            #expect(!session.contains("Secure"), "plain HTTP in tests: Secure only behind TLS")
        }
    }

    @Test("the session cookie is Secure when the request came over TLS through a proxy")
    func secureCookie() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let login = try await client.execute(uri: "/login", method: .get, headers: [.init("X-Forwarded-Proto")!: "https"], body: nil)
            let cookies = login.headers[values: .setCookie]
            #expect(cookies.contains { $0.hasPrefix("medk_login_csrf=") }, "the login page sets its form cookie")
            #expect(!cookies.isEmpty && cookies.allSatisfy { $0.contains("Secure") })
        }
    }

    @Test("a wrong password shows the login page again with the reason, and no session")
    func wrongPassword() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let browser = Browser(client)
            let page = try await browser.login("curator1", password: "не тот пароль")
            #expect(page.status == .unauthorized)
            #expect(page.html.contains("Не удалось войти"))
            #expect(page.html.contains(#"value="curator1""#))
            #expect(browser.cookies["medk_session"] == nil)
        }
    }

    @Test("a next parameter pointing elsewhere is ignored after login")
    func noOpenRedirect() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let browser = Browser(client)
            _ = try await browser.get("/login")
            let page = try await browser.post("/login", ["login": "curator1", "password": TestWorld.password, "next": "//evil.example/"])
            #expect(page.location == "/queue")
        }
    }

    @Test("logging out revokes the session: the old cookie no longer opens pages")
    func logout() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let browser = try await Browser.signedIn(client, "school-A")
            let token = try #require(browser.cookies["medk_session"])
            _ = try await browser.get("/items")
            let out = try await browser.post("/logout", [:])
            #expect(out.location == "/login")
            let replay = try await client.execute(uri: "/items", method: .get, headers: [.cookie: "medk_session=\(token)"], body: nil)
            #expect(replay.status == .seeOther)
        }
    }

    @Test("a form posted without the CSRF token changes nothing")
    func csrfRequired() async throws {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        try await withWeb(world) { client in
            let curator = try await Browser.signedIn(client, "curator1")
            _ = try await curator.get("/items/\(item.item.id)")
            let fields = ["action": "confirm", "expectedState": "submitted", "expectedRevision": String(item.item.revision)]
            let without = try await curator.post("/items/\(item.item.id)/transitions", fields, csrf: false)
            #expect(without.status == .forbidden)
            #expect(without.html.contains("Форма устарела"))
            let forged = try await curator.post("/items/\(item.item.id)/transitions", fields.merging(["_csrf": String(repeating: "0", count: 64)]) { _, new in new }, csrf: false)
            #expect(forged.status == .forbidden)
            let upload = try await Browser.signedIn(client, "school-B")
            let draft = try await world.draftDocument(school: "B")
            _ = try await upload.get("/items/\(draft.item.id)")
            let refused = try await upload.upload("/items/\(draft.item.id)/files", fileName: "x.pdf", bytes: TestWorld.pdf("x"), csrf: false)
            #expect(refused.status == .forbidden)
            #expect(try await world.service.item(draft.item.id, for: try await world.actor("school-B")).files.count
                    == draft.files.count)
        }
        let after = try await world.service.item(item.item.id, for: try await world.actor("curator1"))
        #expect(after.item == item.item)
        #expect(after.history.count == item.history.count)
    }

    @Test("the login form itself needs its token")
    func loginCSRF() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let browser = Browser(client)
            let page = try await browser.post("/login", ["login": "curator1", "password": TestWorld.password], csrf: false)
            #expect(page.status == .forbidden)
            #expect(browser.cookies["medk_session"] == nil)
        }
    }

    @Test("a curator of another school finds the item «не найдено», exactly like one that does not exist, and it stays as it was")
    func otherCurator() async throws {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        try await withWeb(world) { client in
            let other = try await Browser.signedIn(client, "curator2")
            let page = try await other.get("/items/\(item.item.id)")
            let missing = try await other.get("/items/999999")
            #expect(page.status == .notFound)
            #expect(missing.status == .notFound)
            #expect(page.html == missing.html, "a foreign item must not be told apart from a missing one")
            _ = try await other.get("/queue")
            let post = try await other.post("/items/\(item.item.id)/transitions",
                                            ["action": "confirm", "expectedState": "submitted", "expectedRevision": String(item.item.revision)])
            #expect(post.status == .notFound)
            #expect(try await other.get("/items/\(item.item.id)/files/1").status == .notFound)
        }
        #expect(try await world.service.item(item.item.id, for: try await world.actor("curator1")).item == item.item)
    }

    @Test("returning without a comment is refused with the reason on the page, and nothing changes")
    func returnNeedsComment() async throws {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        try await withWeb(world) { client in
            let curator = try await Browser.signedIn(client, "curator1")
            _ = try await curator.get("/items/\(item.item.id)")
            let refused = try await curator.post("/items/\(item.item.id)/transitions",
                                                 ["action": "return", "expectedState": "submitted", "expectedRevision": String(item.item.revision), "comment": "  "])
            #expect(refused.status == .seeOther)
            let shown = try await curator.follow(refused)
            #expect(shown.html.contains("Не выполнено."))
            #expect(shown.html.contains("комментари"))
        }
        #expect(try await world.service.item(item.item.id, for: try await world.actor("curator1")).item.state == .submitted)
    }

    @Test("text from users is escaped in pages")
    func escaping() async throws {
        let world = try await TestWorld()
        let school = try await world.actor("school-A")
        let item = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .order, schoolID: try await world.schoolID("A"),
                                                             title: "<script>alert(1)</script> & «приказ»"), by: school)
        try await withWeb(world) { client in
            let browser = try await Browser.signedIn(client, "school-A")
            let page = try await browser.get("/items/\(item.item.id)")
            #expect(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; «приказ»"))
            #expect(!page.html.contains("<script>alert"))
            #expect(page.headers[.init("Content-Security-Policy")!]?.contains("default-src 'self'") == true)
        }
    }

    @Test("dates are shown in the owner's region time with the zone named")
    func zoneNamed() async throws {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        try await withWeb(world) { client in
            let curator = try await Browser.signedIn(client, "curator1")
            let page = try await curator.get("/queue")
            // 15 March 2026 12:00 UTC is 21:00 in Chita.
            #expect(page.html.contains("15.03.2026 21:00 (UTC+9, Asia/Chita)"))
            #expect(page.html.contains("/items/\(item.item.id)"))
        }
    }

    @Test("bulk confirm from the queue confirms what still can be and says which could not")
    func bulkConfirm() async throws {
        let world = try await TestWorld()
        let first = try await world.submittedDocument(school: "A")
        let second = try await world.submittedDocument(school: "B")
        try await withWeb(world) { client in
            let curator = try await Browser.signedIn(client, "curator1")
            _ = try await curator.get("/queue")
            let stale = try await curator.post("/queue/confirm", [:], multi: [
                ("item", "\(first.item.id):\(first.item.revision)"), ("item", "\(second.item.id):\(second.item.revision - 1)")])
            #expect(try await curator.follow(stale).html.contains("Подтверждено документов: 1 из 2. Не подтверждено: «Концепция развития» (Школа Б)"))
            #expect(try await world.service.item(first.item.id, for: try await world.actor("curator1")).item.state == .confirmed)
            #expect(try await world.service.item(second.item.id, for: try await world.actor("curator1")).item.state == .submitted)
            _ = try await curator.get("/queue")
            let rest = try await curator.post("/queue/confirm", [:], multi: [("item", "\(second.item.id):\(second.item.revision)")])
            #expect(try await curator.follow(rest).html.contains("Подтверждено документов: 1."))
        }
        for item in [first, second] {
            #expect(try await world.service.item(item.item.id, for: try await world.actor("curator1")).item.state == .confirmed)
        }
    }

    @Test("the whole review story through the pages: upload, return with comment, v2, resubmit, confirm, on time")
    func story() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let school = try await Browser.signedIn(client, "school-A")
            let cabinet = try await school.follow(try await school.get("/school"))
            #expect(cabinet.html.contains("Школа А"))
            #expect(cabinet.html.contains("Контрольные точки"))
            let created = try await school.post("/items", ["campaign": String(world.campaignID), "school": String(try await world.schoolID("A")),
                                                          "kind": "development_concept"])
            let itemPath = try #require(created.location)
            let id = try #require(Int64(itemPath.split(separator: "/").last!))
            var page = try await school.follow(created)
            #expect(page.html.contains("Файл ещё не загружен"))
            page = try await school.follow(try await school.upload("\(itemPath)/files", fileName: "Концепция развития.pdf",
                                                                   bytes: TestWorld.pdf("v1"), fields: ["expectedRevision": "1"]))
            #expect(page.html.contains("загружен как версия 1"))
            #expect(page.html.contains("Концепция развития.pdf"))
            page = try await school.follow(try await school.post("\(itemPath)/transitions", ["action": "submit", "expectedState": "draft", "expectedRevision": revision(page)]))
            #expect(Self.state(page) == "на проверке", "the state badge, not a flash message, says so")

            let curator = try await Browser.signedIn(client, "curator1")
            let queue = try await curator.get("/queue")
            #expect(queue.html.contains("/items/\(id)"))
            page = try await curator.get(itemPath)
            #expect(page.html.contains("Подтвердить"))
            #expect(page.html.contains("/items/\(id)/files/1/preview"))
            page = try await curator.follow(try await curator.post("\(itemPath)/transitions", [
                "action": "return", "expectedState": "submitted", "expectedRevision": revision(page),
                "comment": "Свяжите цели с выбранными рисками."]))
            #expect(page.html.contains("Очередь проверки пуста."), "after a decision, on to the queue")
            #expect(Self.state(try await curator.get(itemPath)) == "на доработке", "the state badge, not a flash message, says so")

            page = try await school.get(itemPath)
            #expect(page.html.contains("Замечания проверяющего (1)"))
            #expect(page.html.contains("Свяжите цели с выбранными рисками."))
            page = try await school.follow(try await school.upload("\(itemPath)/files", fileName: "Концепция v2.pdf",
                                                                   bytes: TestWorld.pdf("v2"), fields: ["expectedRevision": revision(page)]))
            #expect(page.html.contains("Предыдущая версия 1"))
            // An answer written without saying whether the remark was fixed is refused and kept.
            let remark = try #require(Browser.firstMatch(#"name="remark" value="(\d+)""#, in: page.html))
            page = try await school.follow(try await school.post("\(itemPath)/remarks", [
                "remark": remark, "text_\(remark)": "Цели связаны с фактором 3.", "expectedRevision": revision(page)]))
            #expect(page.html.contains("Отметьте, исправлено ли это замечание."))
            #expect(page.html.contains(">Цели связаны с фактором 3.</textarea>"), "what was typed is still there")
            page = try await school.follow(try await school.post("\(itemPath)/remarks", [
                "remark": remark, "answer_\(remark)": "done", "text_\(remark)": "Цели связаны с фактором 3.",
                "expectedRevision": revision(page)]))
            #expect(page.html.contains("На все замечания есть ответ"))
            page = try await school.follow(try await school.post("\(itemPath)/transitions", ["action": "submit", "expectedState": "returned", "expectedRevision": revision(page)]))
            #expect(Self.state(page) == "на проверке", "the state badge, not a flash message, says so")

            page = try await curator.get(itemPath)
            #expect(page.html.contains("Ответ: исправлено") && page.html.contains("Цели связаны с фактором 3."))
            #expect(page.html.contains("name=\"keepOpen\" value=\"\(remark)\""), "the return form offers to keep it open")
            page = try await curator.follow(try await curator.post("\(itemPath)/transitions", [
                "action": "confirm", "expectedState": "submitted", "expectedRevision": revision(page)]))
            #expect(Self.state(try await curator.get(itemPath)) == "подтверждено", "the state badge, not a flash message, says so")
            let preview = try await curator.get("/items/\(id)/files/2/preview")
            #expect(preview.status == .ok)
            #expect(preview.headers[.contentDisposition]?.hasPrefix("inline") == true)
            let download = try await curator.get("/items/\(id)/files/2")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)

            let coordinator = try await Browser.signedIn(client, "mun-M1")
            let monitoring = try await coordinator.get("/monitoring")
            let row = try #require(Browser.firstMatch(#"(<th scope="row"><a href="/schools/A">[\s\S]*?</tr>)"#, in: monitoring.html))
            #expect(row.contains(#"class="cell status-ok"><a href="/items/\#(id)">в срок</a><div class="cell-state">сейчас: подтверждено</div>"#),
                    "the cell opens the document and says where it stands now")
            let csv = try await coordinator.get("/monitoring.csv")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.html.contains("Школа А"))
        }
    }

    @Test("an import is previewed row by row and changes nothing until applied")
    func importPreview() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let admin = try await Browser.signedIn(client, "admin")
            _ = try await admin.get("/admin/import")
            let csv = "code;name;municipality_code;low_results;hard_social;programme_years\nF;Школа Е;M1;да;нет;2026\nA;Школа А;M1;да;нет;2026\n"
            let preview = try await admin.upload("/admin/import", fileName: "schools.csv", bytes: Array(csv.utf8), fields: ["kind": "schools"])
            #expect(preview.status == .ok)
            #expect(preview.html.contains("будет создано"))
            #expect(preview.html.contains("без изменений"))
            #expect(try await world.service.schools(OrganisationQuery(search: "F")).items.contains { $0.code == "F" } == false)
            #expect(preview.html.contains("Скачать проверку (Excel)"))
            let workbook = try await admin.post("/admin/import", ["kind": "schools", "format": "xlsx", "fileName": "schools.csv", "csv": csv])
            #expect(workbook.status == .ok && workbook.headers[.contentType] == XLSXWriter.mediaType)
            let cells = try ExcelDownloadTests.read(workbook.bytes)
            #expect(cells.rows.contains { $0.contains { $0?["value"] == "будет создано" } && $0.contains { $0?["value"] == "F" } })
            #expect(cells.rows.contains { $0.contains { $0?["value"] == "будет создано" } && $0.first??["type"] == "number" })
            #expect(try await world.service.schools(OrganisationQuery(search: "F")).items.contains { $0.code == "F" } == false,
                    "downloading the check changes nothing")
            let applied = try await admin.post("/admin/import", ["kind": "schools", "apply": "1", "csv": csv])
            #expect(try await admin.follow(applied).html.contains("Импорт выполнен"))
            #expect(try await world.service.schools(OrganisationQuery(search: "F")).items.contains { $0.code == "F" })
            let bad = try await admin.upload("/admin/import", fileName: "bad.csv", bytes: Array("code;name\nX;Y\n".utf8), fields: ["kind": "schools"])
            #expect(try await admin.follow(bad).html.contains("Не выполнено."))
        }
    }

    @Test("each role's pages render; pages of other roles say «нет доступа», schools and territories out of reach «не найдено»")
    func rolePages() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let pages: [(String, [String], [String])] = [
                ("admin", ["/admin/users", "/admin/organisations", "/admin/import", "/admin/assignments", "/admin/milestones", "/monitoring", "/monitoring/overdue"], []),
                ("reg-R1", ["/monitoring", "/monitoring/overdue", "/admin/assignments", "/admin/milestones", "/schools/A"], ["/admin/users", "/admin/import", "/schools/E"]),
                ("mun-M1", ["/monitoring", "/schools/A"], ["/admin/milestones", "/schools/D", "/monitoring?municipality=M2"]),
                ("curator1", ["/queue", "/items", "/schools/A"], ["/monitoring", "/admin/users", "/schools/C"]),
                ("school-A", ["/schools/A", "/items"], ["/monitoring", "/schools/B", "/admin/organisations"]),
            ]
            for (login, allowed, refused) in pages {
                let browser = try await Browser.signedIn(client, login)
                for path in allowed {
                    let page = try await browser.get(path)
                    #expect(page.status == .ok, "\(login) \(path): \(page.status)")
                    #expect(page.html.contains("</html>"))
                }
                for path in refused {
                    let page = try await browser.get(path)
                    // A school's page shows its documents, and a territory named by its code what is in it:
                    // out of reach, each is answered like a missing one.
                    let hidden = path.hasPrefix("/schools/") || path.contains("municipality=") || path.contains("region=")
                    #expect(page.status == (hidden ? .notFound : .forbidden), "\(login) \(path): \(page.status)")
                    #expect(page.html.contains(hidden ? "Не найдено" : "Нет доступа"))
                }
            }
        }
    }

    /// The item's state as its badge shows it (the flash message above it says the same words).
    static func state(_ page: Browser.Page) -> String? {
        Browser.firstMatch(#"<span class="badge big [^"]*">([^<]*)</span>"#, in: page.html)
    }

    private func revision(_ page: Browser.Page) -> String {
        Browser.firstMatch(#"name="expectedRevision" value="(\d+)""#, in: page.html) ?? "0"
    }
}

