import Foundation
import HummingbirdTesting
import MEDKCore
import MEDKTestSupport
import Testing

/// The «Результаты» pages as their people use them: the region loads the data and draws up a draft,
/// a municipality objects, the region decides and approves; the chart and the downloads show it.
@Suite("Results pages: from data to an approved list")
struct WebResultsTests {

    /// Checks a file on the page, then applies what was checked.
    func load(_ region: Browser, _ kind: String, _ text: String) async throws {
        let checked = try await region.upload("/results/import", fileName: "\(kind).csv", bytes: Array(text.utf8),
                                              fields: ["kind": kind, "region": "R1"])
        #expect(checked.status == .ok && checked.html.contains("ничего ещё не записано"), "\(checked.html.prefix(300))")
        let content = try #require(Browser.firstMatch(#"<textarea name="content" hidden aria-hidden="true">([^<]*)</textarea>"#, in: checked.html))
        let applied = try await region.post("/results/import", ["kind": kind, "region": "R1", "apply": "1", "fileName": "\(kind).csv",
                                                                "content": content])
        #expect(applied.status == .seeOther)
    }

    @Test("the region loads, drafts and approves; a municipality objects (a refused objection keeps what was chosen); the chart and downloads follow")
    func wholeStory() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let region = try await Browser.signedIn(client, "reg-R1")
            let empty = try await region.get("/results")
            #expect(empty.status == .ok && empty.html.contains("Начните с данных"))
            // The workbook template goes back in as it is: its example row names a school that does not exist, and says so.
            let template = try await region.get("/results/template/components.xlsx")
            #expect(template.status == .ok && template.bytes.starts(with: [0x50, 0x4B]))
            let example = await #expect(throws: MEDKError.self) {
                try await world.service.resultsData.importFile(.components, data: Data(template.bytes), fileName: "шаблон.xlsx",
                                                               dryRun: true, by: .local)
            }
            #expect(example?.code == "import_rejected" && example?.details.first?.contains("000001") == true,
                    "the header is found under the title; only the example school is unknown")
            try await load(region, "components", ResultsFixtures.components)
            try await load(region, "social", ResultsFixtures.social)
            let loaded = try await region.get("/results")
            #expect(loaded.html.contains("Составьте проект списка") && loaded.html.contains("Доля из неполных семей"))

            let drafted = try await region.post("/results/lists", ["region": "R1", "year": "2026", "objectionsUntil": "2026-03-22",
                                                                   "resultsCut": "50", "socialCut": "50", "minimumParticipants": "15"],
                                                multi: [("indicator", "Доля из неполных семей")])
            #expect(drafted.status == .seeOther)
            let listPath = try #require(drafted.location)
            #expect(listPath.hasPrefix("/results/lists/"))
            let chart = try await region.get("/results")
            #expect(chart.html.contains("<svg") && chart.html.contains("href=\"/results/schools/A\""), "every school a point linking to it")

            let municipality = try await Browser.signedIn(client, "mun-M1")
            let own = try await municipality.get(listPath + "?filter=all")
            #expect(own.html.contains("Возразить против строки проекта") && own.html.contains("Школа А") && !own.html.contains("Школа Г"),
                    "a municipality sees its own schools only")
            let refused = try await municipality.post(listPath + "/objections", ["school": "A", "wantLowResults": "1", "reason": "  "])
            #expect(refused.location?.contains("draft=") == true)
            let kept = try await municipality.follow(refused)
            #expect(kept.html.contains("Напишите, почему"))
            #expect(kept.html.contains(#"<option value="A" selected"#) && kept.html.contains(#"name="wantLowResults" value="1" checked"#),
                    "the chosen school and status come back")
            let objected = try await municipality.post(listPath + "/objections", ["school": "A", "wantLowResults": "1",
                                                                                  "reason": "Рост за один год — смена состава выпускников."])
            #expect(objected.status == .seeOther)

            let waiting = try await region.get(listPath + "?filter=objected")
            let objection = try #require(Browser.firstMatch(#"action="/results/objections/(\d+)""#, in: waiting.html))
            let early = try await region.post(listPath + "/approve", ["closeEarly": "1"])
            #expect(early.location?.contains("draft=") == true, "approval waits for the objection")
            #expect(try await region.post("/results/objections/\(objection)", ["decision": "accept"]).status == .seeOther)
            let approved = try await region.post(listPath + "/approve", ["closeEarly": "1"])
            #expect(approved.status == .seeOther && approved.location?.hasPrefix("/results?region=R1") == true)
            let school = try await world.service.school(code: "A")
            #expect(school.lowResults, "the accepted objection kept A in ШНОР")

            let csv = try await region.get(listPath + ".csv")
            #expect(csv.status == .ok && csv.html.contains("Код школы;Школа;Муниципалитет;Индекс результатов"))
            let xlsx = try await region.get(listPath + ".xlsx")
            #expect(xlsx.status == .ok && xlsx.bytes.starts(with: [0x50, 0x4B]))
        }
    }

    @Test("a curator and a school have no «Результаты»; a coordinator of another region cannot open this region's list")
    func reach() async throws {
        let world = try await TestWorld()
        let region = Operator.user(try await world.actor("reg-R1"))
        _ = try await world.service.resultsData.importFile(.components, text: ResultsFixtures.components, fileName: "c.csv", dryRun: false, by: region)
        _ = try await world.service.resultsData.importFile(.social, text: ResultsFixtures.social, fileName: "s.csv", dryRun: false, by: region)
        let list = try await world.service.identificationLists.prepare(regionCode: "R1", year: 2026,
                                                                       objectionsUntil: CalendarDate(year: 2026, month: 3, day: 22)!, by: region)
        try await withWeb(world) { client in
            for login in ["curator1", "school-A"] {
                let browser = try await Browser.signedIn(client, login)
                #expect(try await browser.get("/results").status == .forbidden, "\(login)")
            }
            let other = try await Browser.signedIn(client, "reg-R2")
            #expect(try await other.get("/results/lists/\(list.id)").status == .forbidden)
            #expect(try await other.get("/results?region=R1").status == .forbidden)
        }
    }
}

@Suite("Results pages: target indicators")
struct WebIndicatorsTests {
    @Test("the region adopts the catalogue, sees a plan's reading before it is kept, enters a fact; a refused fact keeps what was typed")
    func planAndFact() async throws {
        let world = try await TestWorld()
        _ = try await world.service.resultsData.importFile(.components, text: ResultsFixtures.components, fileName: "c.csv", dryRun: false,
                                                           by: .user(try await world.actor("reg-R1")))
        try await withWeb(world) { client in
            let region = try await Browser.signedIn(client, "reg-R1")
            let empty = try await region.get("/results/indicators?year=2026")
            #expect(empty.status == .ok && empty.html.contains("Принять показатели концепции"))
            #expect(try await region.post("/results/indicators/adopt", ["region": "R1"]).status == .seeOther)
            let adopted = try await region.get("/results/indicators?year=2026")
            let id = try #require(Browser.firstMatch(#"action="/results/indicators/(\d+)/plan""#, in: adopted.html))
            let read = try await region.post("/results/indicators/\(id)/plan", ["region": "R1", "year": "2026", "wording": "не менее 11% школ"])
            let check = try await region.follow(read)
            #expect(check.html.contains("Прочитано как: <strong>не менее 11 % школ</strong>"), "the reading is shown before anything is kept")
            #expect(try await world.service.targetIndicators.report(regionCode: "R1", year: 2026, by: .local).rows.allSatisfy { $0.plan == nil })
            let kept = try await region.post("/results/indicators/\(id)/plan", ["region": "R1", "year": "2026", "wording": "не менее 11% школ",
                                                                               "confirm": "1"])
            #expect(kept.status == .seeOther)
            let entered = try #require(try await world.service.targetIndicators.report(regionCode: "R1", year: 2026, by: .local).rows
                .first { $0.indicator.source == .entered })
            let refused = try await region.upload("/results/indicators/\(entered.indicator.id)/fact", fileName: "справка.pdf",
                                                  bytes: TestWorld.pdf("fact"), fields: ["region": "R1", "year": "2026", "value": "72,5", "comment": ""])
            let back = try await region.follow(refused)
            #expect(back.html.contains("Назовите, откуда факт") && back.html.contains(#"value="72,5""#), "the typed fact comes back")
            let noDocument = try await region.post("/results/indicators/\(entered.indicator.id)/fact",
                                                   ["region": "R1", "year": "2026", "value": "72,5", "comment": "Мониторинг ЦНППМ"])
            #expect(try await region.follow(noDocument).html.contains("приложите файл или выберите документ региона"))
            #expect(try await region.upload("/results/indicators/\(entered.indicator.id)/fact", fileName: "справка ЦНППМ.pdf", bytes: TestWorld.pdf("fact"),
                                            fields: ["region": "R1", "year": "2026", "value": "72,5", "comment": "Мониторинг ЦНППМ"]).status == .seeOther)
            let page = try await region.get("/results/indicators?year=2026")
            #expect(page.html.contains("72,5 %") && page.html.contains("Как получен факт"))
            #expect(page.html.contains("факт учитывается, когда его подтвердит ФИОКО") && page.html.contains(">на проверке</span>"),
                    "the fact is shown with its document in review, not counted yet")
            let noteID = try #require(Browser.firstMatch(#"<dt>Документ</dt><dd><a href="/items/(\d+)""#, in: page.html))
            let federal = try await Browser.signedIn(client, "federal")
            #expect(try await federal.get("/items/\(noteID)").html.contains("Обоснование факта показателя"),
                    "the federal operator opens the document like any other")
            #expect(page.html.contains(#"<option value="\#(noteID)">"#), "the uploaded note can stand for another fact")
            let xlsx = try await region.get("/results/indicators.xlsx?region=R1&year=2026")
            #expect(xlsx.status == .ok && xlsx.bytes.starts(with: [0x50, 0x4B]))
            let municipality = try await Browser.signedIn(client, "mun-M1")
            let seen = try await municipality.get("/results/indicators?year=2026")
            #expect(seen.status == .ok && !seen.html.contains("Задать план"), "a municipality sees plan and fact, and sets nothing")
        }
    }
}
