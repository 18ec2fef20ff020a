import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("CSV imports")
struct ImportTests {
    @Test("a file with bad rows changes nothing and reports every bad row with its line number")
    func badRowsRejectWholeFile() async throws {
        let world = try await TestWorld()
        let before = try await world.auditTrail().count
        let text = """
            code;name;municipality_code;low_results;hard_social;programme_years
            N1;Новая школа 1;M1;да;нет;2026
            N2;Новая школа 2;M9;да;нет;2026
            ;Без кода;M1;нет;нет;
            N3;Школа "3";M1;может быть;нет;2026
            N1;Повтор;M1;да;нет;2026
            N4;Хорошая;M2;1;0;2026
            """
        let error = await #expect(throws: MEDKError.self) {
            try await world.service.importCSV(.schools, text: text, dryRun: false, by: .local)
        }
        #expect(error?.code == "import_rejected")
        #expect(error?.details.map { String($0.prefix(9)) } == ["строка 3:", "строка 4:", "строка 5:", "строка 6:"])
        #expect(error?.details[0].contains("M9") == true)
        #expect(try await world.service.schools(OrganisationQuery()).total == 5)
        #expect(try await world.auditTrail().count == before)
    }

    @Test("an e-mail address with a line break and a header in it is refused the same way by a CSV import, the API and one's own settings")
    func oneEmailRule() async throws {
        let world = try await TestWorld()
        let injected = "victim@school.example\r\nBcc: all@evil.example"
        let csv = "login;full_name;email;role;scope_code\r\ninjected;Инъекция;\"\(injected)\";curator;R1\r\n"
        let imported = await #expect(throws: MEDKError.self) {
            try await world.service.importCSV(.users, text: csv, dryRun: false, by: .local)
        }
        #expect(imported?.details.first?.contains("не похоже на адрес электронной почты") == true)
        #expect(imported?.details.first?.contains("\n") == false, "the refusal shows the address on one line")
        let created = await #expect(throws: MEDKError.self) {
            try await world.service.createUser(by: .local, login: "injected", fullName: "Инъекция", email: injected, grants: [], password: nil)
        }
        #expect(created?.code == "invalid_email")
        let own = await #expect(throws: MEDKError.self) {
            try await world.service.setMailPreferences(email: injected, enabled: [], by: try await world.actor("school-A"))
        }
        #expect(own?.code == "invalid_email")
        #expect(try await world.service.users(UserQuery(search: "injected"), by: .local).items.isEmpty)
        // Spaces around an address are not a mistake.
        let user = try await world.service.createUser(by: .local, login: "spaced", fullName: "С пробелами", email: "  a@school.example ",
                                                      grants: [], password: nil)
        #expect(user.email == "a@school.example")
    }

    @Test("a dry run shows what would change and writes nothing")
    func dryRun() async throws {
        let world = try await TestWorld()
        let text = "code,name,region_code\nM1,Балейский округ,R1\nM9,Новый округ,R2\nM2,Город Чита (переименован),R1\n"
        let report = try await world.service.importCSV(.municipalities, text: text, dryRun: true, by: .local)
        #expect(report.rows.map(\.outcome) == [.unchanged, .created, .updated])
        #expect(report.rows.map(\.line) == [2, 3, 4])
        #expect(try await world.service.municipalities(OrganisationQuery()).total == 3)
        let applied = try await world.service.importCSV(.municipalities, text: text, dryRun: false, by: .local)
        #expect(applied.rows.map(\.outcome) == [.unchanged, .created, .updated])
        #expect(try await world.service.municipalities(OrganisationQuery()).total == 4)
        let again = try await world.service.importCSV(.municipalities, text: text, dryRun: false, by: .local)
        #expect(again.rows.allSatisfy { $0.outcome == .unchanged }, "re-importing the same file changes nothing")
    }

    @Test("headers are checked before any row")
    func header() async throws {
        let world = try await TestWorld()
        let missing = await #expect(throws: MEDKError.self) {
            try await world.service.importCSV(.regions, text: "code;name\nR9;Регион", dryRun: false, by: .local)
        }
        #expect(missing?.code == "missing_columns")
        let unknown = await #expect(throws: MEDKError.self) {
            try await world.service.importCSV(.regions, text: "code;name;time_zone;colour\nR9;Регион;Europe/Moscow;red", dryRun: false, by: .local)
        }
        #expect(unknown?.code == "unknown_columns")
        let zone = await #expect(throws: MEDKError.self) {
            try await world.service.importCSV(.regions, text: "code;name;time_zone\nR9;Регион;MSK", dryRun: false, by: .local)
        }
        #expect(zone?.details.first?.contains("MSK") == true)
    }

    @Test("Russian headings as a template writes them (or as people do), in Windows-1251, with names in the check")
    func russianHeadings() async throws {
        let world = try await TestWorld()
        let text = """
            Код;Наименование;Код МО;ШНОР;ШНСУ;Годы программы:
            N1;Новая школа 1;M1;да;нет;2026
            """
        let report = try await world.service.importCSV(.schools, text: text, dryRun: true, by: .local)
        #expect(report.rows.map(\.name) == ["Новая школа 1"] && report.rows.first?.outcome == .created)
        // The template's own headings come back as the same columns.
        let template = try await world.service.importCSV(.regions, text: ImportKind.regions.template, dryRun: true, by: .local)
        #expect(template.rows.map(\.key) == ["75"])
        // Windows-1251 bytes, as Russian Excel saves a CSV, read as the same text.
        let cp1251 = Data([0xCA, 0xEE, 0xE4, 0x3B, 0xD4, 0xC8, 0xCE]) // «Код;ФИО»
        #expect(TableFileReader.decodeText(cp1251) == "Код;ФИО")
        let assigned = try await world.service.importCSV(.assignments, text: "Кампания;Код ОО;Куратор\nC2026;C;curator2", dryRun: true,
                                                         by: .local)
        #expect(assigned.rows.first?.name == "Школа В — Куратор Второй", "an assignment reads as the school and the curator")
        let unknown = await #expect(throws: MEDKError.self) {
            try await world.service.importCSV(.regions, text: "Код;Цвет\nR9;красный", dryRun: true, by: .local)
        }
        #expect(unknown?.message.contains("«Цвет»") == true && unknown?.message.contains("Код;Название;Часовой пояс") == true)
    }

    @Test("users get roles scoped to organisations by code; curators are assigned per campaign")
    func usersAndAssignments() async throws {
        let world = try await TestWorld()
        let bad = await #expect(throws: MEDKError.self) {
            try await world.service.importCSV(.users, text: """
                login;full_name;email;role;scope_code
                new-user;Новый;new@example.org;директор;A
                new-user2;Новый 2;;school;
                new-user3;Новый 3;;federal;R1
                new user;Пробел;;school;A
                """, dryRun: false, by: .local)
        }
        #expect(bad?.details.count == 4)
        _ = try await world.service.importCSV(.users, text: "login;full_name;email;role;scope_code\ncurator3;Куратор Третий;;curator;R1",
                                              dryRun: false, by: .local)
        let notCurator = await #expect(throws: MEDKError.self) {
            try await world.service.importCSV(.assignments, text: "campaign_code;school_code;curator_login\nC2026;A;school-B", dryRun: false, by: .local)
        }
        #expect(notCurator?.details.first?.contains("не является куратором") == true)
        _ = try await world.service.importCSV(.assignments, text: "campaign_code;school_code;curator_login\nC2026;A;curator3", dryRun: false, by: .local)
        let submitted = try await world.submittedDocument(school: "A")
        #expect(try await world.service.queue(for: try await world.actor("curator3")).items.map(\.item.id) == [submitted.item.id])
    }

    @Test("a member of a school's own team cannot be made its curator, by import or by the region")
    func curatorOfOwnSchool() async throws {
        let world = try await TestWorld()
        _ = try await world.service.importCSV(.users, text: """
            login;full_name;email;role;scope_code
            dual;Завуч и куратор;;school;A
            dual;Завуч и куратор;;curator;R1
            """, dryRun: false, by: .local)
        let imported = await #expect(throws: MEDKError.self) {
            try await world.service.importCSV(.assignments, text: "campaign_code;school_code;curator_login\nC2026;A;dual", dryRun: false, by: .local)
        }
        #expect(imported?.details.first?.contains("входит в управленческую команду школы") == true)
        let byRegion = await #expect(throws: MEDKError.self) {
            try await world.service.assignCurator(by: .user(try await world.actor("reg-R1")), campaignCode: "C2026", schoolCode: "A",
                                                  curatorLogin: "dual")
        }
        #expect(byRegion?.code == "curator_conflict_of_interest")
        // Another school of the region is fine.
        try await world.service.assignCurator(by: .user(try await world.actor("reg-R1")), campaignCode: "C2026", schoolCode: "B",
                                              curatorLogin: "dual")
    }
}

@Suite("CSV reading and writing")
struct CSVTests {
    @Test("quotes, doubled quotes, embedded separators and newlines, BOM and CRLF")
    func parse() throws {
        let text = "\u{FEFF}a;b;c\r\n\"x;y\";\"он сказал \"\"да\"\"\";\"две\nстроки\"\r\n1;2;3\r\n"
        let records = try CSV.parse(text)
        #expect(records.map(\.fields) == [["a", "b", "c"], ["x;y", "он сказал \"да\"", "две\nстроки"], ["1", "2", "3"]])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test("the separator is guessed from the header")
    func separator() throws {
        #expect(try CSV.parse("a,b\n1,2").map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(try CSV.parse("a;b,c\n1;2,3").map(\.fields) == [["a", "b,c"], ["1", "2,3"]])
    }

    @Test("an unterminated quote is refused")
    func unterminated() {
        #expect(throws: MEDKError.self) { try CSV.parse("a;b\n\"x;y\n") }
    }

    @Test("writing escapes what needs it and defuses spreadsheet formulas")
    func write() throws {
        let out = CSV.write([["a;b", "=HYPERLINK(\"x\")", "-5", "обычный"]], bom: false)
        #expect(out == "\"a;b\";\"'=HYPERLINK(\"\"x\"\")\";-5;обычный\r\n")
        #expect(try CSV.parse(out).first?.fields == ["a;b", "'=HYPERLINK(\"x\")", "-5", "обычный"])
    }

    @Test("a formula hidden behind a leading tab, line break or space is defused too")
    func hiddenFormulas() throws {
        let cells = ["\t=1+1", "\r=cmd|' /C calc'!A0", "\n@SUM(A1)", " =2+2", "\tтекст", " -5"]
        let out = CSV.write([cells], bom: false)
        let read = try #require(try CSV.parse(out).first?.fields)
        #expect(read == cells.map { "'" + $0 }, "every cell starts with an apostrophe: \(read)")
        #expect(CSV.write([["-5", "+7", "обычный"]], bom: false) == "-5;+7;обычный\r\n")
        #expect(CSV.write([["-0,55", "-1,2,3", "-1e3"]], bom: false) == "-0,55;'-1,2,3;-1e3\r\n",
                "a negative number with a decimal comma stays a number; anything else after a minus is defused")
    }
}
