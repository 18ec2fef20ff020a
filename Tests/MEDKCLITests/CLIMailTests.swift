import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MEDKCore
import MEDKTestSupport
import Testing

/// `medk notify run` against a real SMTP server (aiosmtpd), its clock set by faketime: the
/// schedule is the data's and the clock's, nothing else.
@Suite("Mail from the command line through a real SMTP server", .serialized)
struct CLIMailTests {
    /// `medk` under faketime at a UTC instant.
    static func medk(at instant: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/faketime")
        process.arguments = ["-f", "@\(instant)", MEDKProcess.binary.path] + arguments
        process.environment = ["FAKETIME_DONT_FAKE_MONOTONIC": "1", "TZ": "UTC", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try processLaunch.withLock { _ in try process.run() }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("a returned document and the deadlines three days ahead reach the school by mail once; the unsubscribe link works without a login")
    func notifyRun() async throws {
        // 5 June 2026, 00:00 UTC: 09:00 in Chita, where region R1's schools are.
        let world = try await TestWorld(start: Date(timeIntervalSince1970: 1_780_617_600))
        let team = try await world.actor("school-A")
        _ = try await world.service.setMailPreferences(email: "team-a@school.example.ru", enabled: Set(MailKind.allCases), by: team)
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: team)
        _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
            task: "Задача", title: "Родительское собрание", dueDate: CalendarDate("2026-06-08")!, responsible: "Директор",
            expectedResult: "Протокол", indicator: "Явка", plannedValue: "70%", riskFactorNumber: 1), by: team)
        // Sent to review, its measures are commitments the school is reminded of.
        _ = try await world.act(.submit, on: try await world.service.item(roadmap.item.id, for: team), by: "school-A")
        let concept = try await world.submittedDocument(school: "A")
        _ = try await world.act(.return, on: concept, by: "curator1", comment: "Нет подписи директора.")

        let sink = try SMTPSink()
        let arguments = ["notify", "run", "--data-dir", world.directory.path, "--smtp-url", "smtp://127.0.0.1:\(sink.port)",
                         "--mail-from", "МЭДК Забайкальского края <medk@region.example.ru>", "--public-url", "https://medk.example.ru"]
        let first = try Self.medk(at: "2026-06-05 00:30:00", arguments)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("Отправлено: 2;"), "\(first.output)")
        let received = try await sink.waitForMessages(2)
        #expect(received.count == 2)
        #expect(received.allSatisfy { $0.envelopeTo == ["team-a@school.example.ru"] && $0.headers["To"] == "Команда А <team-a@school.example.ru>" })
        let subjects = Set(received.compactMap { $0.headers["Subject"] })
        #expect(subjects == ["МЭДК: документ возвращён на доработку — «Концепция развития»",
                             "МЭДК: через 3 дня срок — 1 мероприятие, Школа А"])
        let reminder = try #require(received.first { $0.text.contains("Родительское собрание") })
        #expect(reminder.text.contains("• Родительское собрание — срок 08.06.2026, через 3 дня\n  https://medk.example.ru/items/\(roadmap.item.id)"))
        let returned = try #require(received.first { $0.text.contains("Нет подписи директора.") })
        #expect(returned.text.contains("https://medk.example.ru/items/\(concept.item.id)"))

        // The same day again: nothing new is planned and nothing is sent twice.
        let second = try Self.medk(at: "2026-06-05 01:30:00", arguments)
        #expect(second.output.contains("Отправлено: 0;"), "\(second.output)")
        #expect(try sink.messages().count == 2)

        // The link in the header works from a mail client's one-click POST, with no session.
        let header = try #require(reminder.headers["List-Unsubscribe"])
        let link = String(header.dropFirst().dropLast()).replacingOccurrences(of: "https://medk.example.ru", with: "")
        #expect(link.hasPrefix("/mail/unsubscribe?token=") && !link.contains("kind="), "the kind is the message's, not the address's")
        let server = try RunningServer(dataDirectory: world.directory)
        defer { server.stop() }
        let page = try await URLSession.shared.data(from: URL(string: server.url + link)!)
        #expect((page.1 as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: page.0, as: UTF8.self).contains("отписаться от писем «напоминания о приближении сроков документов и мероприятий»"))
        // A kind written into the address is not listened to: the link turns off what it came in.
        var post = URLRequest(url: URL(string: server.url + link + "&kind=item_returned")!)
        post.httpMethod = "POST"
        post.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        post.httpBody = Data("List-Unsubscribe=One-Click".utf8)
        let done = try await URLSession.shared.data(for: post)
        #expect((done.1 as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: done.0, as: UTF8.self).contains("вы больше не будете получать"))
        server.stop()
        let preferences = try await world.service.mailPreferences(for: team)
        #expect(preferences.enabled == Set(MailKind.allCases).subtracting([.measureDue]))
    }
}
