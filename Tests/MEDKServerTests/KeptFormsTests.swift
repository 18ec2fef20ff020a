import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKAPI
import MEDKCore
@testable import MEDKServer
import MEDKTestSupport
import Testing

/// Nothing a person types is lost: a refused form comes back as it was sent, with the reason beside
/// the field it concerns, and a sign-in that ends while someone writes keeps what they wrote.
@Suite("Refused forms come back as they were typed")
struct KeptFormsTests {
    static func draft(_ action: String, _ fields: [(String, String)], files: [(String, String)] = [],
                      refusal: MEDKError = .rejected("invalid", "Неверно.")) -> FormDraft {
        FormDraft(userID: 1, action: action, fields: fields.map { FormDraft.Field(name: $0.0, value: $0.1) },
                  files: files.map { FormDraft.Field(name: $0.0, value: $0.1) }, refusal: refusal, createdAt: Date())
    }

    static let page = """
        <details><summary>Изменить</summary>
        <form method="post" action="/items/7/transitions" class="form">
          <input type="hidden" name="_csrf" value="t"><input type="hidden" name="action" value="confirm">
          <input type="hidden" name="expectedRevision" value="5">
          <textarea id="c1" name="comment" rows="2"></textarea><button>Подтвердить</button>
        </form>
        <form method="post" action="/items/7/transitions" class="form">
          <input type="hidden" name="_csrf" value="t"><input type="hidden" name="action" value="return">
          <input type="hidden" name="expectedRevision" value="5">
          <textarea id="c2" name="comment" rows="4" required></textarea><button>Вернуть</button>
        </form>
        </details>
        <form method="post" action="/measures/3" class="form">
          <input name="title" value="Старое">
          <input name="dueDate" type="date" value="2026-01-01">
          <select name="riskFactor"><option value="" selected>—</option><option value="2">Фактор 2</option></select>
          <input type="checkbox" name="chosen" value="1" checked><input type="checkbox" name="chosen" value="2">
          <input type="password" name="password">
          <input type="file" name="file">
        </form>
        """

    @Test("the form whose choices agree gets the text: a return comment goes to «Вернуть», not to «Подтвердить»; the <details> opens")
    func chooseTheForm() {
        let draft = Self.draft("/items/7/transitions", [("action", "return"), ("expectedRevision", "4"), ("comment", "Нет <подписи> & печати")])
        let html = FormRestorer.restore(draft, in: Self.page)
        #expect(html.contains(#"<textarea id="c2" name="comment" rows="4" required>Нет &lt;подписи&gt; &amp; печати</textarea>"#))
        #expect(html.contains(#"<textarea id="c1" name="comment" rows="2"></textarea>"#))
        #expect(html.contains(#"name="expectedRevision" value="5""#) && !html.contains(#"value="4""#),
                "hidden fields keep the page's fresh values")
        #expect(html.hasPrefix("<details open>"))
        #expect(html.contains(#"id="draft" role="alert""#))
    }

    @Test("text, dates, choices and boxes come back as chosen; a password never; a file is asked for again; problems beside their fields")
    func everyKindOfField() {
        let refusal = MEDKError.rejected("invalid_measure", "Мероприятие заполнено неверно.", details: ["Поле «Мероприятие» длиннее 2000 символов."],
                                         fields: ["title": "Поле «Мероприятие» длиннее 2000 символов."])
        let draft = Self.draft("/measures/3", [("title", "Новое \"название\""), ("dueDate", "2026-12-31"), ("riskFactor", "2"),
                                               ("chosen", "2"), ("password", "секрет")], files: [("file", "отчёт.pdf")], refusal: refusal)
        #expect(draft.values("password").isEmpty, "a password is never kept")
        let html = FormRestorer.restore(draft, in: Self.page)
        #expect(html.contains(#"<input name="title" value="Новое &quot;название&quot;" aria-describedby="draft-error-title" aria-invalid="true">"#))
        #expect(html.contains(#"<p class="field-error" id="draft-error-title">Поле «Мероприятие» длиннее 2000 символов.</p>"#))
        #expect(html.contains(#"value="2026-12-31""#))
        #expect(html.contains(#"<option value="">—</option><option value="2" selected>Фактор 2</option>"#))
        #expect(html.contains(#"<input type="checkbox" name="chosen" value="1">"#) && html.contains(#"name="chosen" value="2" checked"#))
        #expect(html.contains("Файл «отчёт.pdf» не сохранён: выберите его снова."))
        #expect(!html.contains("секрет"))
        // The problem is said once, beside its field, not again in the box.
        #expect(html.components(separatedBy: "длиннее 2000 символов").count == 2)
    }

    @Test("a refusal whose form is no longer on the page is said at the top, not dropped")
    func formGone() {
        let html = FormRestorer.restore(Self.draft("/items/9/comments", [("text", "Мой текст")]), in: "<h1>Документ</h1>")
        #expect(html.hasPrefix(#"<div class="flash flash-error form-error" id="draft""#) && html.hasSuffix("<h1>Документ</h1>"))
    }

    static func measureForm(_ overrides: [String: String] = [:]) -> [String: String] {
        ["task": "Повысить квалификацию учителей", "title": "Курсы по функциональной грамотности", "dueDate": "2026-10-31",
         "responsible": "Заместитель директора по УВР", "expectedResult": "Все учителя прошли курсы", "indicator": "Доля учителей",
         "plannedValue": "100 %"].merging(overrides) { $1 }
    }

    @Test("adding a measure refused for one over-long field comes back with all seven fields as typed and the problem beside «Мероприятие»")
    func measureKept() async throws {
        let world = try await TestWorld()
        let owner = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: owner)
        try await withWeb(world) { client in
            let school = try await Browser.signedIn(client, "school-A")
            _ = try await school.get("/items/\(roadmap.item.id)")
            let long = String(repeating: "очень длинное название ", count: 100)
            let refused = try await school.post("/items/\(roadmap.item.id)/measures",
                                                Self.measureForm(["title": long, "riskFactor": "2", "expectedRevision": "\(roadmap.item.revision)"]))
            #expect(refused.status == .seeOther)
            #expect(refused.location?.contains("draft=") == true && refused.location?.hasSuffix("#draft") == true)
            let page = try await school.follow(refused)
            #expect(page.status == .ok)
            for (name, value) in Self.measureForm() where name != "title" {
                #expect(page.html.contains("name=\"\(name)\"") && page.html.contains("value=\"\(FormRestorer.escape(value))\""), "\(name) lost")
            }
            #expect(page.html.contains("value=\"\(FormRestorer.escape(long))\""))
            #expect(page.html.contains("<option value=\"2\" selected>"), "the risk factor chosen")
            #expect(page.html.contains(#"id="draft-error-title">Поле «Мероприятие» длиннее 2000 символов"#))
            #expect(!page.html.contains("название»"), "the problem names the field as the form does")
            #expect(try await world.service.item(roadmap.item.id, for: owner).measures?.isEmpty == true)
            // Another person cannot open the draft by its address.
            let other = try await Browser.signedIn(client, "school-B")
            let path = String(refused.location!.split(separator: "#")[0])
            #expect(!(try await other.get(path)).html.contains("очень длинное название"))
        }
    }

    @Test("a curator's return comment survives a change the school made meanwhile, and the page says what changed")
    func returnCommentKept() async throws {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        try await withWeb(world) { client in
            let curator = try await Browser.signedIn(client, "curator1")
            let opened = try await curator.get("/items/\(item.item.id)")
            let seen = try #require(Browser.firstMatch(#"name="seenSeq" value="(\d+)""#, in: opened.html))
            // Meanwhile the school withdraws the document, uploads a new version and sends it again.
            let school = try await world.actor("school-A")
            var changed = try await world.service.transition(itemID: item.item.id, item.transition(.withdraw), by: school)
            changed = try await world.service.upload(itemID: item.item.id, fileName: "концепция-2.pdf",
                                                     chunks: OneChunk(bytes: TestWorld.pdf("v2")), by: school)
            _ = try await world.service.transition(itemID: item.item.id, changed.transition(.submit), by: school)
            let comment = "Раздел 3 не соответствует рисковому профилю: переработайте меры по фактору 2."
            let refused = try await curator.post("/items/\(item.item.id)/transitions", [
                "action": "return", "expectedState": "submitted", "expectedRevision": "\(item.item.revision)", "seenSeq": seen,
                "comment": comment])
            let page = try await curator.follow(refused)
            #expect(page.html.contains(">\(comment)</textarea>"), "the comment is still there")
            #expect(page.html.contains("Что изменилось, пока страница была открыта"))
            #expect(page.html.contains("концепция-2.pdf"), "the new version is named among the changes")
            #expect(!page.html.contains("редакция") && !page.html.contains("Объект"))
            // Sent again from the restored form, it goes through.
            let revision = try #require(Browser.firstMatch(#"name="action" value="return"><input type="hidden" name="expectedState" value="submitted"><input type="hidden" name="expectedRevision" value="(\d+)""#, in: page.html))
            let done = try await curator.post("/items/\(item.item.id)/transitions", [
                "action": "return", "expectedState": "submitted", "expectedRevision": revision, "comment": comment])
            #expect(try await curator.follow(done).html.contains("теперь «на доработке»"))
        }
    }

    @Test("an evaluation refused for one missing comment keeps all seven scores and comments")
    func evaluationKept() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let region = try await Browser.signedIn(client, "reg-R1")
            _ = try await region.get("/municipalities/M1/evaluation")
            var fields: [String: String] = ["expectedVersion": "0", "campaign": "C2026"]
            for (index, position) in EvaluationPosition.allCases.enumerated() {
                fields["score.\(position.rawValue)"] = index == 2 ? "1" : "2"
                fields["comment.\(position.rawValue)"] = index == 2 ? "" : "Комментарий \(index)"
            }
            let page = try await region.follow(try await region.post("/municipalities/M1/evaluation", fields))
            for (index, position) in EvaluationPosition.allCases.enumerated() where index != 2 {
                #expect(page.html.contains(">Комментарий \(index)</textarea>"), "comment \(index) lost")
            }
            #expect(page.html.contains("draft-error-comment.\(EvaluationPosition.allCases[2].rawValue)"))
            #expect(page.html.components(separatedBy: "<option value=\"1\" selected>").count == 2, "the score of 1 kept")
        }
    }

    @Test("reminder settings and a new user refused keep what was typed (never the password)")
    func adminFormsKept() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let region = try await Browser.signedIn(client, "reg-R1")
            _ = try await region.get("/admin/reminders?region=R1")
            let reminders = try await region.follow(try await region.post("/admin/reminders", [
                "region": "R1", "daysBefore": "10, 5, 2", "reviewWorkingDays": "40", "escalationDays": "4, 9, 30"]))
            #expect(reminders.html.contains(#"value="10, 5, 2""#) && reminders.html.contains(#"value="4, 9, 30""#))
            #expect(reminders.html.contains("draft-error-reviewWorkingDays"))
            let admin = try await Browser.signedIn(client, "admin")
            _ = try await admin.get("/admin/users")
            let users = try await admin.follow(try await admin.post("/admin/users", [
                "login": "новый пользователь!", "fullName": "Новикова Анна Петровна", "email": "anna@school.example", "role": "curator", "scope": "R1",
                "password": "секретный-пароль-1"]))
            #expect(users.html.contains(#"value="Новикова Анна Петровна""#) && users.html.contains(#"value="anna@school.example""#))
            #expect(users.html.contains("draft-error-login") && !users.html.contains("секретный-пароль-1"))
        }
    }

    @Test("an administrator edits a user on their own page: a refused role keeps the typed name; deactivation is said and done")
    func userEditPage() async throws {
        let world = try await TestWorld()
        let session = try await world.service.login("mun-M1", password: TestWorld.password)
        try await withWeb(world) { client in
            let admin = try await Browser.signedIn(client, "admin")
            let list = try await admin.get("/admin/users?q=mun-M1")
            #expect(list.html.contains(#"<a href="/admin/users/mun-M1">mun-M1</a>"#))
            var page = try await admin.get("/admin/users/mun-M1")
            #expect(page.html.contains(#"name="removeRole" value="municipal:M1""#))
            page = try await admin.follow(try await admin.post("/admin/users/mun-M1", [
                "fullName": "Кузнецов Олег Петрович", "email": "", "active": "1", "addRole": "curator", "scope": "R9"]))
            #expect(page.html.contains(#"<p class="field-error" id="draft-error-scope">Нет организации (регион) с кодом «R9».</p>"#),
                    "the problem beside the organisation's field")
            #expect(page.html.contains(#"value="Кузнецов Олег Петрович""#), "the typed name is still there")
            page = try await admin.follow(try await admin.post("/admin/users/mun-M1", [
                "fullName": "Кузнецов Олег Петрович", "email": "", "addRole": ""]))
            #expect(page.html.contains("учётная запись отключена, его сеансы закрыты"))
            #expect(page.html.contains("отключён — войти не может"))
        }
        await #expect(throws: MEDKError.self) { try await world.service.authenticate(token: session.token) }
    }

    @Test("a sign-in that ends while a comment is written keeps the comment: after signing in the person is back on the document with it")
    func sessionEndedWhileWriting() async throws {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        try await withWeb(world) { client in
            let curator = try await Browser.signedIn(client, "curator1")
            _ = try await curator.get("/items/\(item.item.id)")
            world.clock.advance(by: world.service.sessionIdleTimeout + 60)
            let text = "Прошу уточнить сроки по разделу 4."
            let refused = try await curator.post("/items/\(item.item.id)/comments", ["text": text])
            let location = try #require(refused.location)
            #expect(location.hasPrefix("/login?next="))
            let login = try await curator.get(location)
            #expect(login.status == .ok)
            let signedIn = try await curator.post("/login", ["login": "curator1", "password": TestWorld.password,
                                                             "next": String(location.dropFirst("/login?next=".count)).removingPercentEncoding!])
            let back = try await curator.follow(signedIn)
            #expect(back.html.contains(">\(text)</textarea>"))
            #expect(back.html.contains("Вход истёк, пока вы заполняли форму"))
            #expect(try await world.service.item(item.item.id, for: try await world.actor("curator1")).history.allSatisfy { $0.comment != text },
                    "nothing was posted behind the person's back")
        }
    }

    @Test("a post with a session that was signed out, or with a forged form token, is not kept")
    func notKeptWithoutProof() async throws {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        try await withWeb(world) { client in
            let curator = try await Browser.signedIn(client, "curator1")
            _ = try await curator.get("/items/\(item.item.id)")
            world.clock.advance(by: world.service.sessionIdleTimeout + 60)
            let forged = try await curator.post("/items/\(item.item.id)/comments", ["text": "чужой текст", "_csrf": "forged"], csrf: false)
            #expect(forged.location == "/login?next=%2F")
        }
    }
}

@Suite("A measure's report is one form")
struct MeasureReportPageTests {
    /// School A's roadmap with one measure, confirmed by its curator; returns the measure's id.
    static func confirmedMeasure(_ world: TestWorld) async throws -> Int64 {
        let school = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: school)
        let measure = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
            task: "Повысить качество", title: "Публикации на сайте школы", dueDate: CalendarDate("2026-05-31")!, responsible: "Завуч",
            expectedResult: "Новости выходят", indicator: "Доля месяцев с новостями", plannedValue: "100 %", riskFactorNumber: 9), by: school)
        let submitted = try await world.act(.submit, on: try await world.service.item(roadmap.item.id, for: school), by: "school-A")
        _ = try await world.act(.confirm, on: submitted, by: "curator1")
        return measure.id
    }

    /// School A signed in, its report on the measure opened: the page, the report form's address and the revision it shows.
    static func openReport(_ client: any TestClientProtocol, measureID: Int64) async throws
        -> (school: Browser, page: Browser.Page, path: String, revision: String) {
        let school = try await Browser.signedIn(client, "school-A")
        _ = try await school.get("/items")
        let opened = try await school.follow(try await school.post("/measures/\(measureID)/report", [:]))
        let path = try #require(Browser.firstMatch(#"action="(/items/\d+/report)""#, in: opened.html))
        let revision = try #require(Browser.firstMatch(#"name="expectedRevision" value="(\d+)""#, in: opened.html))
        return (school, opened, path, revision)
    }

    @Test("value, evidence and «Отправить на проверку» go together; a report without a value is refused whole, the value field named and the file asked for again")
    func oneForm() async throws {
        let world = try await TestWorld()
        let measureID = try await Self.confirmedMeasure(world)
        try await withWeb(world) { client in
            let (school, opened, reportPath, revision) = try await Self.openReport(client, measureID: measureID)
            #expect(!opened.html.contains("Сохранить значение") && opened.html.components(separatedBy: "Отправить на проверку").count == 2,
                    "one form, one button to send")
            // The obvious path with the value forgotten: nothing is kept but what was typed.
            let refused = try await school.follow(try await school.upload(reportPath, fileName: "протокол.pdf", bytes: TestWorld.pdf("p"),
                                                                           fields: ["actualValue": "", "comment": "Все новости на сайте",
                                                                                    "intent": "submit", "expectedRevision": revision]))
            #expect(refused.html.contains(#"id="draft-error-actualValue">Укажите фактическое значение показателя."#))
            #expect(refused.html.contains("Файл «протокол.pdf» не сохранён: выберите его снова."))
            #expect(refused.html.contains(">Все новости на сайте</textarea>"))
            let reportID = try #require(Int64(reportPath.split(separator: "/")[1]))
            let team = try await world.actor("school-A")
            #expect(try await world.service.item(reportID, for: team).files.isEmpty, "no file was kept for a refused report")
            // Everything at once: sent.
            let sent = try await school.follow(try await school.upload(reportPath, fileName: "протокол.pdf", bytes: TestWorld.pdf("p"),
                                                                        fields: ["actualValue": "85 %", "intent": "submit", "expectedRevision": revision]))
            #expect(sent.html.contains("Отчёт отправлен на проверку куратору"))
            let report = try await world.service.item(reportID, for: team)
            #expect(report.item.state == .submitted && report.files.count == 1 && report.measure?.actualValue == "85 %")
        }
    }

    @Test("«Сохранить, не отправляя» keeps the value without a file and leaves the report a draft")
    func saveWithoutSending() async throws {
        let world = try await TestWorld()
        let measureID = try await Self.confirmedMeasure(world)
        try await withWeb(world) { client in
            let (school, _, reportPath, revision) = try await Self.openReport(client, measureID: measureID)
            let saved = try await school.follow(try await school.post(reportPath, ["actualValue": "60 %", "intent": "save", "expectedRevision": revision]))
            #expect(saved.html.contains("Отчёт сохранён, но ещё не отправлен") && saved.html.contains(#"value="60 %""#))
            let report = try await world.service.item(try #require(Int64(reportPath.split(separator: "/")[1])), for: try await world.actor("school-A"))
            #expect(report.item.state == .draft && report.measure?.actualValue == "60 %")
        }
    }
}

@Suite("The curator's day")
struct CuratorFlowTests {
    @Test("after a decision the curator is taken to the next document of the queue, oldest first; an empty queue says so")
    func nextInQueue() async throws {
        let world = try await TestWorld()
        let first = try await world.submittedDocument(school: "A")
        world.clock.advance(by: 3600)
        let second = try await world.submittedDocument(.midtermProgramme, school: "B")
        try await withWeb(world) { client in
            let curator = try await Browser.signedIn(client, "curator1")
            _ = try await curator.get("/items/\(first.item.id)")
            let confirmed = try await curator.post("/items/\(first.item.id)/transitions", [
                "action": "confirm", "expectedState": "submitted", "expectedRevision": "\(first.item.revision)"])
            #expect(confirmed.location == "/items/\(second.item.id)")
            let next = try await curator.follow(confirmed)
            #expect(next.html.contains("Следующий в очереди — «Среднесрочная программа развития» (Школа Б); в очереди 1 документ."))
            let returned = try await curator.post("/items/\(second.item.id)/transitions", [
                "action": "return", "expectedState": "submitted", "expectedRevision": "\(second.item.revision)", "comment": "Нет подписи"])
            #expect(returned.location == "/queue")
            #expect(try await curator.follow(returned).html.contains("Очередь проверки пуста."))
        }
    }

    @Test("confirming several at once confirms what still can be and names each one that could not, with why")
    func bulkConfirmPartly() async throws {
        let world = try await TestWorld()
        let first = try await world.submittedDocument(school: "A")
        let second = try await world.submittedDocument(.midtermProgramme, school: "B")
        try await withWeb(world) { client in
            let curator = try await Browser.signedIn(client, "curator1")
            _ = try await curator.get("/queue")
            // Meanwhile school B takes its programme back.
            _ = try await world.act(.withdraw, on: second, by: "school-B")
            let answer = try await curator.follow(try await curator.post("/queue/confirm", [:], multi: [
                ("item", "\(first.item.id):\(first.item.revision)"), ("item", "\(second.item.id):\(second.item.revision)")]))
            #expect(answer.html.contains("Подтверждено документов: 1 из 2. Не подтверждено: «Среднесрочная программа развития» (Школа Б)"))
            let school = try await world.actor("school-A")
            #expect(try await world.service.item(first.item.id, for: school).item.state == .confirmed)
            #expect(try await world.service.item(second.item.id, for: try await world.actor("school-B")).item.state == .draft)
        }
    }

    @Test("deleting a measure asks first, naming it")
    func deleteAsks() async throws {
        let world = try await TestWorld()
        let roadmap = try await OverdueMeasuresTestsBridge.draftRoadmap(world)
        try await withWeb(world) { client in
            let school = try await Browser.signedIn(client, "school-A")
            let page = try await school.get("/items/\(roadmap)")
            #expect(page.html.contains("<summary>Удалить мероприятие…</summary>"))
            #expect(page.html.contains("Да, удалить «Родительское собрание»"))
        }
    }
}

/// A school A roadmap in draft with one measure, for the page tests.
enum OverdueMeasuresTestsBridge {
    static func draftRoadmap(_ world: TestWorld) async throws -> Int64 {
        let owner = try await world.actor("school-A")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: owner)
        _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
            task: "Вовлечь родителей", title: "Родительское собрание", dueDate: CalendarDate("2026-05-20")!, responsible: "Директор",
            expectedResult: "Протокол", indicator: "Явка", plannedValue: "70 %", riskFactorNumber: 9), by: owner)
        return roadmap.item.id
    }
}

@Suite("The administrator's CSV import page")
struct ImportPageTests {
    @Test("a refused file lists every bad row in a table, keeps the chosen kind and downloads the list; a template per kind")
    func refusedFile() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let admin = try await Browser.signedIn(client, "admin")
            _ = try await admin.get("/admin/import")
            let csv = "Код;Название;Код МО\nN1;Новая школа;M9\nN2;Вторая;M1\n;Без кода;M1"
            let page = try await admin.upload("/admin/import", fileName: "школы.csv", bytes: Array(csv.utf8), fields: ["kind": "schools"])
            #expect(page.html.contains("Школы из «школы.csv»: файл не принят"))
            #expect(page.html.contains("<tr><td>2</td><td>нет муниципалитета с кодом «M9».</td></tr>"), "each bad row in its own table row")
            #expect(page.html.contains("<tr><td>4</td>"))
            #expect(page.html.contains(#"<option value="schools" selected>Школы</option>"#), "the chosen kind is kept")
            let problems = try await admin.post("/admin/import", ["kind": "schools", "format": "problems", "fileName": "школы.csv", "csv": csv])
            #expect(problems.headers[.contentType] == XLSXWriter.mediaType)
            let template = try await admin.get("/admin/import/template/schools")
            #expect(template.html.hasPrefix("\u{FEFF}Код;Название;Код муниципалитета;ШНОР;ШНСУ;Годы программы\r\n"))
        }
    }
}
