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
        #expect(try school.run(["submit", String(itemID)]).status == 0)
        let refused = try otherCurator.run(["confirm", String(itemID)])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Нет доступа") || refused.stderr.contains("не закреплена"), "\(refused)")
        let stale = try curator.run(["confirm", String(itemID), "--revision", "1"])
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("stale_revision"))
        let confirmed = try curator.run(["confirm", String(itemID), "--comment", "Принято."])
        #expect(confirmed.status == 0, "\(confirmed)")
        let remaining = try JSONDecoder.iso8601.decode([QueueEntry].self, from: Data(try curator.run(["queue", "--format", "json"]).stdout.utf8))
        #expect(!remaining.contains { String($0.item.id) == String(itemID) })

        // The coordinator's deadline table, in every format.
        let table = try coordinator.run(["deadlines", "--campaign", "C2026"])
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.contains("Школа А"))
        let csv = try coordinator.run(["deadlines", "--campaign", "C2026", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("Регион;Муниципалитет;Код ОО;Школа"))
        let json = try coordinator.run(["deadlines", "--campaign", "C2026", "--format", "json", "--as-of", "2026-03-01"])
        let report = try JSONDecoder.iso8601.decode(ComplianceReport.self, from: Data(json.stdout.utf8))
        #expect(report.asOf == CalendarDate("2026-03-01"))
        #expect(report.schools.map(\.schoolCode) == ["A", "B", "C"])
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

    @Test("usage errors exit 2, refusals exit 1, help is in Russian")
    func exitCodes() throws {
        let cli = MEDKProcess()
        let help = try cli.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("мониторинг электронных дорожных карт"))
        #expect(try cli.run(["deadlines", "--help"]).stdout.contains("Соблюдение сроков"))
        #expect(try cli.run(["no-such-command"]).status == 2)
        #expect(try cli.run(["deadlines", "--as-of", "31.02.2026"]).status == 2)
        let notLoggedIn = try cli.run(["queue"])
        #expect(notLoggedIn.status == 1)
        #expect(notLoggedIn.stderr.contains("medk login"))
    }
}

@Suite("Local administration commands")
struct LocalCommandTests {
    @Test("init, import with dry run, a rejected file listing every bad line, users, backup, audit verify")
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

        let backup = data.appendingPathComponent("copy.sqlite").path
        #expect(try cli.run(["backup", backup] + dir).status == 0)
        #expect(FileManager.default.fileExists(atPath: backup))
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
