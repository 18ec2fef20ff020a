import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("The medk CLI against a real server on a free local port", .serialized)
struct CLIAgainstServerTests {
    @Test("a school submits, its curator returns and confirms, another curator is refused, the coordinator checks deadlines")
    func reviewStory() async throws {
        let world = try await TestWorld(start: Date())
        let server = try RunningServer(dataDirectory: world.directory)
        defer { server.stop() }
        let school = MEDKProcess()
        let curator = MEDKProcess()
        let otherCurator = MEDKProcess()
        let coordinator = MEDKProcess()

        let login = try school.run(["login", "--server", server.url, "--user", "school-A"])
        #expect(login.status == 0, "\(login)")
        #expect(login.stdout.contains("Вход выполнен"))
        for (client, user) in [(curator, "curator1"), (otherCurator, "curator2"), (coordinator, "mun-M1")] {
            #expect(try client.run(["login", "--server", server.url, "--user", user]).status == 0)
        }

        // The school creates, uploads and submits its concept.
        let created = try school.run(["create", "development_concept", "--school", "A", "--campaign", "C2026"])
        #expect(created.status == 0, "\(created)")
        let itemID = try #require(created.stdout.firstMatch(of: /№(\d+)/)).1
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("Концепция-\(UUID().uuidString).pdf")
        try Data(TestWorld.pdf("cli v1")).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let upload = try school.run(["upload", String(itemID), file.path])
        #expect(upload.status == 0, "\(upload)")
        #expect(try school.run(["submit", String(itemID)]).status == 0)

        // The curator sees it, opens it, and cannot return it without a comment.
        let queue = try curator.run(["queue"])
        #expect(queue.status == 0)
        #expect(queue.stdout.contains("Концепция развития"))
        let show = try curator.run(["show", String(itemID)])
        #expect(show.stdout.contains("на проверке"))
        #expect(show.stdout.contains("отправка на проверку"))
        #expect(show.stdout.contains(file.lastPathComponent))
        let noComment = try curator.run(["return", String(itemID)])
        #expect(noComment.status == 2, "\(noComment)")
        let returned = try curator.run(["return", String(itemID), "--comment", "Добавьте показатели."])
        #expect(returned.status == 0, "\(returned)")
        #expect(returned.stdout.contains("на проверке → на доработке"))

        // The school fixes and resubmits; a curator of another school is refused; the right one confirms.
        #expect(try school.run(["show", String(itemID)]).stdout.contains("Добавьте показатели."))
        #expect(try school.run(["upload", String(itemID), file.path]).status == 0)
        let unanswered = try school.run(["submit", String(itemID)])
        #expect(unanswered.status == 1 && unanswered.stderr.contains("Нет ответа на замечание «Добавьте показатели.»"), "\(unanswered)")
        let detail = try JSONDecoder.iso8601.decode(ItemDetail.self, from: Data(try school.run(["show", String(itemID), "--format", "json"]).stdout.utf8))
        let remark = try #require(detail.remarks.first)
        let declinedBare = try school.run(["answer", String(itemID), String(remark.id), "declined"])
        #expect(declinedBare.status == 1 && declinedBare.stderr.contains("почему"), "\(declinedBare)")
        let answered = try school.run(["answer", String(itemID), String(remark.id), "done", "--text", "Показатели в разделе 4."])
        #expect(answered.status == 0 && answered.stdout.contains("На все замечания есть ответ"), "\(answered)")
        #expect(try school.run(["submit", String(itemID)]).status == 0)
        #expect(try curator.run(["show", String(itemID)]).stdout.contains("Показатели в разделе 4."))
        let refused = try otherCurator.run(["confirm", String(itemID)])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Не найдено"), "another curator's school is answered like a missing document: \(refused)")
        let stale = try curator.run(["confirm", String(itemID), "--revision", "1"])
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("stale_revision"))
        let confirmed = try curator.run(["confirm", String(itemID), "--comment", "Принято."])
        #expect(confirmed.status == 0, "\(confirmed)")
        let remaining = try JSONDecoder.iso8601.decode([QueueEntry].self, from: Data(try curator.run(["queue", "--format", "json"]).stdout.utf8))
        #expect(!remaining.contains { String($0.item.id) == String(itemID) })

        // The coordinator's deadline table, in every format.
        let table = try coordinator.run(["deadlines", "--campaign", "C2026"])
        #expect(table.stdout.contains("Дорожная карта муниципалитета: не начата."), "the municipality's own roadmap beside its schools")
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.contains("Школа А"))
        let csv = try coordinator.run(["deadlines", "--campaign", "C2026", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("Регион;Муниципалитет;Код ОО;Школа"))
        let json = try coordinator.run(["deadlines", "--campaign", "C2026", "--format", "json", "--as-of", "2026-03-01"])
        let report = try JSONDecoder.iso8601.decode(ComplianceReport.self, from: Data(json.stdout.utf8))
        #expect(report.asOf == CalendarDate("2026-03-01"))
        #expect(report.schools?.items.map(\.schoolCode) == ["A", "B", "C"])
        let workbook = FileManager.default.temporaryDirectory.appendingPathComponent("medk-deadlines-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: workbook) }
        let excel = try coordinator.run(["deadlines", "--campaign", "C2026", "--format", "xlsx", "--output", workbook.path])
        #expect(excel.status == 0 && excel.stdout.contains("Таблица записана в"), "\(excel)")
        #expect(try Data(contentsOf: workbook).prefix(2) == Data("PK".utf8))
        #expect(try coordinator.run(["deadlines", "--format", "xlsx"]).status == 2, "xlsx needs a file")
        let overdue = try coordinator.run(["overdue", "--format", "xlsx", "--output", workbook.path])
        let items = try coordinator.run(["items", "--format", "xlsx", "--output", workbook.path])
        #expect(items.status == 0 && items.stdout.contains("Таблица записана в"), "\(items)")
        let overdueBytes = try Data(contentsOf: workbook).prefix(2)
        #expect(overdue.status == 0 && overdueBytes == Data("PK".utf8), "\(overdue)")
        let foreign = try coordinator.run(["deadlines", "--municipality", "M2"])
        #expect(foreign.status == 1)

        // Logout revokes the token on the server.
        #expect(try school.run(["logout"]).status == 0)
        #expect(try school.run(["queue"]).status == 1)

        // The audit chain written by the server verifies from the command line.
        let verify = try MEDKProcess().run(["audit", "verify", "--data-dir", world.directory.path])
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stdout.contains("цел"))
        let log = try MEDKProcess().run(["audit", "log", "--data-dir", world.directory.path, "--item", String(itemID)])
        #expect(log.stdout.contains("возврат на доработку"))
        #expect(log.stdout.contains("curator1"))
    }

    /// A date ahead of the real clock these tests run the server on: a plan for it is neither late nor in the past.
    static let inAMonth: CalendarDate = {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date().addingTimeInterval(30 * 86_400))
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }()

    @Test("every school-side step is scriptable: risk profile, anti-risk programme, roadmap, measure report with evidence")
    func schoolSteps() async throws {
        let world = try await TestWorld(start: Date())
        let server = try RunningServer(dataDirectory: world.directory)
        defer { server.stop() }
        let school = MEDKProcess()
        let curator = MEDKProcess()
        let region = MEDKProcess()
        #expect(try school.run(["login", "--server", server.url, "--user", "school-B"]).status == 0)
        #expect(try curator.run(["login", "--server", server.url, "--user", "curator1"]).status == 0)
        #expect(try region.run(["login", "--server", server.url, "--user", "reg-R1"]).status == 0)
        func id(_ result: MEDKProcess.Result) throws -> String {
            #expect(result.status == 0, "\(result)")
            return String(try #require(result.stdout.firstMatch(of: /№(\d+)/)).1)
        }
        func confirm(_ item: String) throws {
            let result = try curator.run(["confirm", item])
            #expect(result.status == 0, "\(result)")
        }

        let profile = try id(school.run(["create", "risk_profile", "--school", "B"]))
        let partly = try school.run(["risk-profile", profile, "--significance", "2=высокая,5=low,8=high", "--choose", "2,8"])
        #expect(partly.stdout.contains("выбраны факторы: 2, 8") && partly.stdout.contains("Ещё не оценены факторы: 1, 3, 4, 6, 7, 9, 10"), "\(partly)")
        let set = try school.run(["risk-profile", profile, "--significance", "1=low,3=medium,4=low,6=low,7=medium,9=low,10=low"])
        #expect(!set.stdout.contains("Ещё не оценены"), "\(set)")
        #expect(try school.run(["submit", profile]).status == 0)
        try confirm(profile)
        let refused = try school.run(["create", "antirisk_programme", "--school", "B", "--risk", "5"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("не выбран"))
        let programme = try id(school.run(["create", "antirisk_programme", "--school", "B", "--risk", "2"]))
        #expect(try school.run(["show", programme]).stdout.contains("Дефицит педагогических кадров"))

        let roadmap = try id(school.run(["create", "roadmap", "--school", "B"]))
        // The school checks how its Excel table would be read; nothing is saved.
        let table = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MEDKCoreTests/Fixtures/import/roadmap-school-cp1251.csv")
        let preview = try school.run(["measure", "import", roadmap, table.path, "--dry-run", "--year", "2023"])
        #expect(preview.status == 0, "\(preview)")
        // A 2023 plan read today: all but the undated row are already late, and the preview says so.
        #expect(preview.stdout.contains("Мероприятий: 6, требуют внимания: 6 (срок уже прошёл: 5)."), "\(preview.stdout)")
        #expect(preview.stdout.contains("Срок: «20–21 апреля 2023г., октябрь 2023г.» → 21.04.2023, 31.10.2023"))
        #expect(preview.stdout.contains("! Строка 12 № 5: «Обмен опытом с кураторами»"), "\(preview.stdout)")
        let previewJSON = try school.run(["measure", "import", roadmap, table.path, "--dry-run", "--year", "2023", "--format", "json"])
        let read = try JSONDecoder.iso8601.decode(RoadmapImportPreview.self, from: Data(previewJSON.stdout.utf8))
        #expect(read.measures.map(\.number) == ["1", "2", "3", "4", "5", "6"])
        #expect(try curator.run(["measure", "import", roadmap, table.path, "--dry-run"]).status == 1)
        let incomplete = try school.run(["submit", roadmap])
        #expect(incomplete.status == 1)
        #expect(incomplete.stderr.contains("нет ни одного мероприятия"))
        let added = try school.run(["measure", "add", roadmap, "--task", "Закрыть вакансии", "--title", "Наставничество для молодых учителей",
                                    "--due", Self.inAMonth.russian, "--responsible", "Директор", "--result", "Вакансии закрыты",
                                    "--indicator", "Число вакансий", "--planned", "0", "--risk", "2"])
        #expect(added.status == 0, "\(added)")
        let measureID = String(try #require(added.stdout.firstMatch(of: /id (\d+)/)).1)
        #expect(try school.run(["submit", roadmap]).status == 0)
        try confirm(roadmap)

        let evidence = FileManager.default.temporaryDirectory.appendingPathComponent("приказ-\(UUID().uuidString).pdf")
        try Data(TestWorld.pdf("приказ")).write(to: evidence)
        defer { try? FileManager.default.removeItem(at: evidence) }
        let report = try id(school.run(["measure", "report", measureID, "--actual", "0 вакансий", "--evidence", evidence.path, "--submit"]))
        #expect(try school.run(["show", report]).stdout.contains("на проверке"))
        try confirm(report)
        let download = FileManager.default.temporaryDirectory.appendingPathComponent("копия-\(UUID().uuidString).pdf")
        defer { try? FileManager.default.removeItem(at: download) }
        #expect(try curator.run(["download", report, "--output", download.path]).status == 0)
        #expect(try Data(contentsOf: download) == Data(TestWorld.pdf("приказ")))

        // The region looks at a municipality's package: nothing started yet, and it says what is missing.
        let package = try region.run(["package", "--municipality", "M1"])
        #expect(package.status == 0, "\(package)")
        #expect(package.stdout.contains("Аналитическая справка") && package.stdout.contains("Нет документа «Дорожная карта»."))
        #expect(try school.run(["package", "--municipality", "M1"]).status == 1)

        // The region assigns a second curator and moves a deadline for its schools.
        #expect(try region.run(["assign", "--campaign", "C2026", "--school", "B", "--curator", "curator2"]).status == 0)
        let due = Self.inAMonth.description
        #expect(try region.run(["shift-deadline", "--campaign", "C2026", "--kind", "final_report", "--region", "R1", "--due", due]).status == 0)
        #expect(try region.run(["shift-deadline", "--campaign", "C2026", "--kind", "final_report", "--region", "R2", "--due", due]).status == 1)
        let json = try region.run(["deadlines", "--format", "json"])
        let compliance = try JSONDecoder.iso8601.decode(ComplianceReport.self, from: Data(json.stdout.utf8))
        let schoolB = try #require(compliance.schools?.items.first { $0.schoolCode == "B" })
        #expect(schoolB.measures.total == 1)
        #expect(schoolB.measures.confirmed == 1)
        #expect(schoolB.milestones.first { $0.kind == .finalReport }?.dueDate == Self.inAMonth)
        #expect(compliance.curators.first { $0.login == "curator2" }?.schools == 3)
    }

    @Test("a school imports its Excel table from the command line and is told which measures still need a date")
    func importTable() async throws {
        let world = try await TestWorld(start: Date())
        let server = try RunningServer(dataDirectory: world.directory)
        defer { server.stop() }
        let school = MEDKProcess()
        #expect(try school.run(["login", "--server", server.url, "--user", "school-C"]).status == 0)
        let created = try school.run(["create", "roadmap", "--school", "C"])
        let roadmap = String(try #require(created.stdout.firstMatch(of: /№(\d+)/)).1)
        let table = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MEDKCoreTests/Fixtures/import/roadmap-school-cp1251.csv")
        let imported = try school.run(["measure", "import", roadmap, table.path, "--year", "2023"])
        #expect(imported.status == 0, "\(imported)")
        #expect(imported.stdout.contains("строк таблицы 6, мероприятий 18"), "\(imported.stdout)")
        #expect(imported.stdout.contains("«Обмен опытом с кураторами», в таблице: «По мере необходимости»"), "\(imported.stdout)")
        let shown = try school.run(["show", roadmap])
        #expect(shown.stdout.contains("без срока") && shown.stdout.contains("НЕТ СРОКА"), "\(shown.stdout)")
        #expect(shown.stdout.contains("(ежемесячно 3 из 12)"), "\(shown.stdout)")
        let submit = try school.run(["submit", roadmap])
        #expect(submit.status == 1 && submit.stderr.contains("не указан срок (в таблице: «По мере необходимости»)"), "\(submit)")
    }

    @Test("the region's coordinator evaluates a municipal package from the command line and lists the region")
    func evaluatePackage() async throws {
        let world = try await TestWorld(start: Date())
        let server = try RunningServer(dataDirectory: world.directory)
        defer { server.stop() }
        let region = MEDKProcess()
        #expect(try region.run(["login", "--server", server.url, "--user", "reg-R1"]).status == 0)
        let shown = try region.run(["evaluation", "show", "M1"])
        #expect(shown.status == 0 && shown.stdout.contains("Пакет ещё не оценён."), "\(shown)")
        #expect(shown.stdout.contains("Наличие сроков мероприятий, мер и управленческих решений [deadlines]"))
        let unexplained = try region.run(["evaluation", "set", "M1", "--all", "2", "--score", "deadlines=1"])
        #expect(unexplained.status == 1 && unexplained.stderr.contains("объясните в комментарии"), "\(unexplained)")
        let saved = try region.run(["evaluation", "set", "M1", "--all", "2", "--score", "deadlines=1",
                                    "--comment", "deadlines=Нет дорожной карты", "--expected-version", "0"])
        #expect(saved.status == 0 && saved.stdout.contains("версия 1, 13 из 14 баллов"), "\(saved)")
        let listed = try region.run(["evaluation", "list", "--region", "R1", "--format", "csv"])
        #expect(listed.stdout.contains("M1;Балейский округ;2;2;2;1;2;2;2;13;14;1;Координатор Р1;"), "\(listed)")
        #expect(listed.stdout.contains("M2;Город Чита;;;;;;;;не оценён"))
        let workbook = FileManager.default.temporaryDirectory.appendingPathComponent("medk-evaluations-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: workbook) }
        let excel = try region.run(["evaluation", "list", "--region", "R1", "--format", "xlsx", "--output", workbook.path])
        #expect(excel.status == 0 && excel.stdout.contains("Таблица записана в"), "\(excel)")
        #expect(try Data(contentsOf: workbook).prefix(2) == Data("PK".utf8))
        #expect(try region.run(["evaluation", "list", "--region", "R1", "--format", "xlsx"]).status == 2, "xlsx needs a file")
        let typo = try region.run(["evaluation", "set", "M1", "--score", "dedlines=1"])
        #expect(typo.status == 2 && typo.stderr.contains("позиции: specifics"), "\(typo)")
    }

    @Test("usage errors exit 2, refusals exit 1, help is in Russian")
    func exitCodes() throws {
        let cli = MEDKProcess()
        let help = try cli.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("мониторинг электронных дорожных карт"))
        #expect(try cli.run(["deadlines", "--help"]).stdout.contains("Соблюдение сроков"))
        #expect(try cli.run(["no-such-command"]).status == 2)
        #expect(try cli.run(["deadlines", "--as-of", "31.02.2026"]).status == 2)
        // Mistakes in the call are told in Russian, with where to find help, not ArgumentParser's English usage.
        let missing = try cli.run(["measure", "import"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("Ошибка: не хватает аргумента") && missing.stderr.contains("Справка: medk measure import --help"),
                "\(missing)")
        #expect(!missing.stderr.contains("Usage") && !missing.stderr.contains("See '"))
        let unknown = try cli.run(["deadlines", "--bogus"])
        #expect(unknown.stderr.contains("неизвестный параметр «--bogus»") && !unknown.stderr.contains("Usage"), "\(unknown)")
        let notLoggedIn = try cli.run(["queue"])
        #expect(notLoggedIn.status == 1)
        #expect(notLoggedIn.stderr.contains("medk login"))
    }
}

@Suite("Local administration commands")
struct LocalCommandTests {
    @Test("serve outside demo mode refuses a database whose demo accounts still open with the published password")
    func demoPasswordsRefused() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("medk-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let service = try MEDKService(dataDirectory: data, hasher: .fastForTests)
        #expect(try await DemoData.seed(into: service))
        let refused = try MEDKProcess().run(["serve", "--data-dir", data.path, "--port", "0"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("демонстрационный пароль"))
        #expect(refused.stderr.contains("admin"))
        #expect(try await service.accountsWithDemoPassword().contains("admin"))
        try await service.setPassword(by: .local, login: "admin", password: "настоящий-пароль-администратора")
        #expect(try await !service.accountsWithDemoPassword().contains("admin"))
    }

    @Test("init, import with dry run, a rejected file listing every bad line, users, backup, restore, check, audit verify")
    func administration() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("medk-admin-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let cli = MEDKProcess(password: "длинный-пароль-администратора")
        let dir = ["--data-dir", data.path]
        #expect(try cli.run(["import", "regions", "/dev/null"] + dir).status == 1, "no database yet")
        let initialized = try cli.run(["init", "--admin", "root-admin"] + dir)
        #expect(initialized.status == 0, "\(initialized)")
        #expect(try cli.run(["init", "--admin", "second"] + dir).status == 1)

        func write(_ name: String, _ text: String) throws -> String {
            let url = data.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let regions = try write("regions.csv", TestWorld.regions)
        let dry = try cli.run(["import", "regions", regions, "--dry-run"] + dir)
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.stdout.contains("будет создано"))
        #expect(dry.stderr.contains("ничего не записано"))
        #expect(try cli.run(["import", "regions", regions] + dir).status == 0)
        #expect(try cli.run(["import", "municipalities", try write("m.csv", TestWorld.municipalities)] + dir).status == 0)
        let bad = try cli.run(["import", "schools", try write("bad.csv", """
            code,name,municipality_code,low_results,hard_social,programme_years
            S1,Школа 1,M1,да,нет,2026
            S2,Школа 2,NOPE,да,нет,2026
            S3,Школа 3,M1,возможно,нет,2026
            """)] + dir)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("строка 3"))
        #expect(bad.stderr.contains("строка 4"))
        #expect(!bad.stderr.contains("строка 2"))

        let added = try cli.run(["users", "add", "reg", "--name", "Координатор", "--role", "regional:R1", "--with-password"] + dir)
        #expect(added.status == 0, "\(added)")
        let users = try cli.run(["users", "list", "--format", "csv"] + dir)
        #expect(users.stdout.contains("reg;Координатор;да;regional:R1"))
        #expect(try cli.run(["users", "add", "x", "--name", "X", "--role", "wizard"] + dir).status == 2)

        let campaign = try cli.run(["campaign", "create", "500plus-2027", "--name", "500+ 2027", "--year", "2027",
                                    "--due", "roadmap=2027-05-20"] + dir)
        #expect(campaign.status == 0, "\(campaign)")
        #expect(campaign.stdout.contains("факторов риска 10"))
        #expect(try cli.run(["import", "schools", try write("s.csv", TestWorld.schools)] + dir).status == 0)
        #expect(try cli.run(["import", "users", try write("u.csv", TestWorld.users)] + dir).status == 0)
        let assignments = TestWorld.assignments.replacingOccurrences(of: "C2026", with: "500plus-2027")
        #expect(try cli.run(["import", "assignments", try write("a.csv", assignments)] + dir).status == 0)
        let campaigns = try cli.run(["campaign", "list", "--format", "csv"] + dir)
        #expect(campaigns.stdout.contains("500plus-2027;500+ 2027;5;Дорожная карта;20.05.2027"))

        let backup = data.appendingPathComponent("копия").path
        let made = try cli.run(["backup", backup, "--verify"] + dir)
        #expect(made.status == 0, "\(made)")
        #expect(made.stdout.contains("Журнал аудита цел"))
        #expect(made.stdout.contains("понадобится audit.key"))
        #expect(FileManager.default.fileExists(atPath: backup + "/manifest.json"))
        let restored = data.appendingPathComponent("восстановлено").path
        let restore = try cli.run(["restore", backup, "--data-dir", restored])
        #expect(restore.status == 1, "no key in the backup and none in the target directory")
        #expect(restore.stderr.contains("--audit-key"))
        let withKey = try cli.run(["restore", backup, "--data-dir", restored, "--audit-key", data.appendingPathComponent("audit.key").path])
        #expect(withKey.status == 0, "\(withKey)")
        #expect(try cli.run(["restore", backup, "--data-dir", restored]).status == 1, "a directory with data is not replaced without --replace")
        let check = try cli.run(["check", "--data-dir", restored])
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout.contains("База цела"))
        #expect(try cli.run(["users", "list", "--format", "csv", "--data-dir", restored]).stdout.contains("reg;Координатор;да;regional:R1"))
        let verify = try cli.run(["audit", "verify"] + dir)
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("записей"))
    }
}

extension JSONDecoder {
    static let iso8601: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
