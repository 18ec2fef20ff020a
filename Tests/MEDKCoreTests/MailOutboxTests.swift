import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Synchronization
import Testing

/// A transport that keeps what it is given and fails as told, for the outbox's rules; the SMTP
/// client itself is tested against a real server (MEDKMailTests, the CLI's mail test).
final class RecordingTransport: MailTransport {
    let sent = Mutex<[RenderedMail]>([])
    let failures = Mutex<[MailDeliveryError]>([])
    var description: String { "recording" }

    func fail(with errors: [MailDeliveryError]) { failures.withLock { $0 = errors } }
    var messages: [RenderedMail] { sent.withLock { $0 } }
    var texts: [String] {
        messages.map { mail in
            let raw = String(decoding: mail.bytes, as: UTF8.self)
            let body = raw.components(separatedBy: "\r\n\r\n").dropFirst().joined().replacingOccurrences(of: "\r\n", with: "")
            return String(decoding: Data(base64Encoded: body) ?? Data(), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        }
    }

    func openSession() async throws -> any MailSession { Session(self) }

    final class Session: MailSession {
        let transport: RecordingTransport
        init(_ transport: RecordingTransport) { self.transport = transport }
        func send(_ mail: RenderedMail) async throws {
            if let failure = transport.failures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { throw failure }
            transport.sent.withLock { $0.append(mail) }
        }
        func reset() async throws {}
        func close() async {}
    }
}

@Suite("Reminder rules")
struct ReminderRulesTests {
    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test("working days are Monday to Friday, counted after the day of submission", arguments: [
        ("2026-12-04", "2026-12-07", 1),   // Friday → Monday
        ("2026-12-05", "2026-12-07", 1),   // Saturday → Monday
        ("2026-12-07", "2026-12-07", 0),
        ("2026-12-07", "2026-12-14", 5),   // a week
        ("2026-12-07", "2026-12-15", 6),
        ("2026-11-30", "2026-12-21", 15),  // three weeks
    ])
    func workingDays(submitted: String, today: String, expected: Int) {
        #expect(ReminderRules.workingDaysWaited(submitted: Self.date(submitted), today: Self.date(today)) == expected)
    }

    @Test("a curator hears of a document on the first working day it has waited longer than the review time")
    func reviewTime() {
        // Review time 5 working days; Tuesday 15 December 2026 is the sixth working day after Monday 7 December.
        #expect(ReminderRules.submissionDatesPassingReviewTime(on: Self.date("2026-12-15"), reviewWorkingDays: 5)
            == Self.date("2026-12-07")...Self.date("2026-12-07"))
        // On Monday 14 December, the sixth working day after Friday 4 December, Saturday and Sunday 5–6 December too.
        #expect(ReminderRules.submissionDatesPassingReviewTime(on: Self.date("2026-12-14"), reviewWorkingDays: 5)
            == Self.date("2026-12-04")...Self.date("2026-12-06"))
        #expect(ReminderRules.submissionDatesPassingReviewTime(on: Self.date("2026-12-12"), reviewWorkingDays: 5) == nil)
        #expect(ReminderRules.reviewIsOverdueFirst(submitted: Self.date("2026-12-05"), today: Self.date("2026-12-14"), reviewWorkingDays: 5))
        #expect(!ReminderRules.reviewIsOverdueFirst(submitted: Self.date("2026-12-07"), today: Self.date("2026-12-14"), reviewWorkingDays: 5))
    }

    @Test("a region's reminder days are one to five distinct days of 1 to 60, largest first")
    func settings() throws {
        #expect(try ReminderSettings.validated(daysBefore: [1, 14, 3], reviewWorkingDays: 5).daysBefore == [14, 3, 1])
        #expect(throws: MEDKError.self) { try ReminderSettings.validated(daysBefore: [], reviewWorkingDays: 5) }
        #expect(throws: MEDKError.self) { try ReminderSettings.validated(daysBefore: [3, 3], reviewWorkingDays: 5) }
        #expect(throws: MEDKError.self) { try ReminderSettings.validated(daysBefore: [61], reviewWorkingDays: 5) }
        #expect(throws: MEDKError.self) { try ReminderSettings.validated(daysBefore: [3], reviewWorkingDays: 0) }
    }

    @Test("Russian plurals of days, measures and documents", arguments: [
        (1, "1 день"), (2, "2 дня"), (5, "5 дней"), (11, "11 дней"), (14, "14 дней"), (21, "21 день"), (22, "22 дня"),
    ])
    func plurals(count: Int, text: String) {
        #expect(MailRendering.days(count) == text)
    }
}

@Suite("The mail outbox")
struct MailOutboxTests {
    static let configuration = MailConfiguration(from: try! MailAddress("medk@region.example.ru", name: "МЭДК"),
                                                 publicURL: "https://medk.example.ru")

    /// 5 June 2026 (Friday), 09:00 in Chita.
    static let morning = TestWorld.instant("2026-06-05 09:00", zone: "Asia/Chita")

    static func world(at start: Date = morning) async throws -> TestWorld {
        let world = try await TestWorld(start: start)
        _ = try await world.service.setMailPreferences(email: "team-a@school.example.ru", enabled: Set(MailKind.allCases),
                                                       by: try await world.actor("school-A"))
        return world
    }

    static func outbox(_ world: TestWorld) async throws -> [String: Int] { try await world.service.outboxCounts() }

    @Test("a school hears once, in one message, of its measures due in 14 and 3 days, in Russian with links to its roadmap")
    func dueSoon() async throws {
        let world = try await Self.world()
        let roadmap = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-06-08", "2026-06-19", "2026-06-20", "2026-06-07"])
        let planned = try await world.service.planReminders()
        #expect(planned.messages == 1)
        #expect(try await world.service.planReminders().messages == 0)
        let transport = RecordingTransport()
        let delivery = try await world.service.deliverMail(transport, Self.configuration)
        #expect(delivery.sent == 1)
        let text = try #require(transport.texts.first)
        #expect(text.contains("Здравствуйте, Команда А!"))
        #expect(text.contains("• Мероприятие A-0 — срок 08.06.2026, через 3 дня\n  https://medk.example.ru/items/\(roadmap.item.id)"))
        #expect(text.contains("• Мероприятие A-1 — срок 19.06.2026, через 14 дней"))
        #expect(!text.contains("A-2") && !text.contains("A-3"))
        #expect(text.contains("https://medk.example.ru/mail/unsubscribe?token="))
        #expect(transport.messages.first?.recipients == ["team-a@school.example.ru"])
        // Nothing more to send, and the send is in the audit trail.
        #expect(try await world.service.deliverMail(transport, Self.configuration).touched == 0)
        let audit = try await world.auditTrail().filter { $0.action == .mailSent }
        #expect(audit.count == 1 && audit.first?.details.contains("team-a@school.example.ru") == true)
    }

    @Test("nothing is planned before 08:00 in the region, and a day already planned is not planned again")
    func planningHour() async throws {
        let world = try await Self.world(at: TestWorld.instant("2026-06-05 07:30", zone: "Asia/Chita"))
        _ = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-06-08"])
        #expect(try await world.service.planReminders().messages == 0)
        world.clock.set(TestWorld.instant("2026-06-05 08:00", zone: "Asia/Chita"))
        #expect(try await world.service.planReminders().messages == 1)
    }

    @Test("a measure moved to a later date is reminded for the new date, and a missed one the day after")
    func shiftedAndMissed() async throws {
        let world = try await Self.world()
        let roadmap = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-06-08"])
        _ = try await world.service.planReminders()
        let owner = try await world.actor("school-A")
        let measure = try #require(try await world.service.item(roadmap.item.id, for: owner).measures?.first)
        _ = try await world.service.updateMeasure(measure.id, MeasureInput(
            task: measure.task, title: measure.title, dueDate: CalendarDate("2026-06-09")!, responsible: "Директор",
            expectedResult: "Результат", indicator: "Показатель", plannedValue: "1", riskFactorNumber: 1), by: owner)
        world.clock.set(TestWorld.instant("2026-06-06 09:00", zone: "Asia/Chita"))
        #expect(try await world.service.planReminders().messages == 1)
        world.clock.set(TestWorld.instant("2026-06-10 09:00", zone: "Asia/Chita"))
        #expect(try await world.service.planReminders().messages == 1)
        let transport = RecordingTransport()
        _ = try await world.service.deliverMail(transport, Self.configuration)
        // The first two were for a day that has passed: they expired unsent.
        #expect(transport.texts.count == 1)
        #expect(transport.texts.first?.contains("Вчера истёк срок") == true)
        #expect(try await Self.outbox(world)["expired"] == 2)
    }

    @Test("a returned document's team gets the reviewer's comment; a return that fails records no message")
    func returned() async throws {
        let world = try await Self.world()
        let item = try await world.submittedDocument(school: "A")
        await #expect(throws: MEDKError.self) {
            _ = try await world.service.transition(itemID: item.item.id, TransitionRequest(action: .return, expectedState: .draft,
                                                                                        comment: "Не то"), by: try await world.actor("curator1"))
        }
        #expect(try await Self.outbox(world).isEmpty)
        _ = try await world.act(.return, on: item, by: "curator1", comment: "Добавьте подписи.\nИ печать.")
        let transport = RecordingTransport()
        #expect(try await world.service.deliverMail(transport, Self.configuration).sent == 1)
        let text = try #require(transport.texts.first)
        #expect(text.contains("возвращён на доработку"))
        #expect(text.contains("Вернул(а): Куратор Первый"))
        #expect(text.contains("> Добавьте подписи.\n> И печать."))
    }

    @Test("a message a stopped process left half-sent is never sent again, and the audit trail says so")
    func interrupted() async throws {
        let world = try await Self.world()
        _ = try await world.act(.return, on: try await world.submittedDocument(school: "A"), by: "curator1", comment: "Нет подписи")
        let id = try await world.service.read { store in try store.dueOutbox(at: .distantFuture, limit: 1).first!.id }
        #expect(try await world.service.write { store in try store.claimMail(id: id) })
        #expect(try await world.service.settleInterruptedMail() == 1)
        let transport = RecordingTransport()
        #expect(try await world.service.deliverMail(transport, Self.configuration).touched == 0)
        #expect(transport.messages.isEmpty)
        #expect(try await world.auditTrail().contains { $0.action == .mailUncertain && $0.entityID == id })
    }

    @Test("a temporary failure is retried later, a refusal is given up, a lost answer is not repeated")
    func failures() async throws {
        let world = try await Self.world()
        let transport = RecordingTransport()
        transport.fail(with: [.temporary("451 later")])
        _ = try await world.act(.return, on: try await world.submittedDocument(school: "A"), by: "curator1", comment: "1")
        #expect(try await world.service.deliverMail(transport, Self.configuration).retrying == 1)
        #expect(try await world.service.deliverMail(transport, Self.configuration).touched == 0)  // not before its time
        world.clock.advance(by: 121)
        #expect(try await world.service.deliverMail(transport, Self.configuration).sent == 1)

        transport.fail(with: [.permanent("550 no such user")])
        _ = try await world.act(.return, on: try await world.submittedDocument(.midtermProgramme, school: "A"), by: "curator1", comment: "2")
        #expect(try await world.service.deliverMail(transport, Self.configuration).failed == 1)

        transport.fail(with: [.uncertain("no answer after the data")])
        _ = try await world.act(.return, on: try await world.submittedDocument(.analyticalNote, school: "A"), by: "curator1", comment: "3")
        #expect(try await world.service.deliverMail(transport, Self.configuration).uncertain == 1)
        world.clock.advance(by: 86_400)
        #expect(try await world.service.deliverMail(transport, Self.configuration).touched == 0)
        #expect(try await Self.outbox(world) == ["sent": 1, "failed": 1, "uncertain": 1])
        let actions = try await world.auditTrail().map(\.action).filter { [.mailSent, .mailFailed, .mailUncertain].contains($0) }
        #expect(actions == [.mailSent, .mailFailed, .mailUncertain])
    }

    @Test("the unsubscribe link turns off that kind of message without a login; what is queued for it is not sent")
    func unsubscribe() async throws {
        let world = try await Self.world()
        _ = try await world.act(.return, on: try await world.submittedDocument(school: "A"), by: "curator1", comment: "1")
        let transport = RecordingTransport()
        _ = try await world.service.deliverMail(transport, Self.configuration)
        let text = try #require(transport.texts.first)
        let link = try #require(text.split(separator: "\n").first { $0.hasPrefix("Отписаться") })
        let query = try #require(URLComponents(string: String(link.split(separator: " ").last!))?.queryItems)
        let token = try #require(query.first { $0.name == "token" }?.value)
        #expect(query.first { $0.name == "kind" }?.value == "item_returned")
        #expect(try await world.service.unsubscribeTarget(token: token) == "Команда А")
        try await world.service.unsubscribe(token: token, kind: .itemReturned)
        await #expect(throws: MEDKError.self) { try await world.service.unsubscribe(token: String(token.dropLast()) + "x", kind: .itemReturned) }

        _ = try await world.act(.return, on: try await world.submittedDocument(.midtermProgramme, school: "A"), by: "curator1", comment: "2")
        #expect(try await world.service.deliverMail(transport, Self.configuration).touched == 0)
        #expect(try await world.service.mailPreferences(for: try await world.actor("school-A")).enabled == Set(MailKind.allCases).subtracting([.itemReturned]))
        #expect(try await world.auditTrail().contains { $0.action == .mailPreferences && $0.comment == "Отписка по ссылке из письма" })
    }

    @Test("a curator hears of documents waiting longer than the region's review time, once; the region's setting is audited")
    func curatorWaits() async throws {
        // Submitted Monday 1 June 2026, 10:00 in Chita.
        let world = try await Self.world(at: TestWorld.instant("2026-06-01 10:00", zone: "Asia/Chita"))
        let item = try await world.submittedDocument(school: "A")
        _ = try await world.service.setReminderSettings(by: .user(try await world.actor("reg-R1")), regionCode: "R1",
                                                        daysBefore: [7, 1], reviewWorkingDays: 3)
        await #expect(throws: MEDKError.self) {
            _ = try await world.service.setReminderSettings(by: .user(try await world.actor("reg-R2")), regionCode: "R1",
                                                            daysBefore: [7], reviewWorkingDays: 3)
        }
        // Thursday 4 June: three working days waited, not more.
        world.clock.set(TestWorld.instant("2026-06-04 09:00", zone: "Asia/Chita"))
        #expect(try await world.service.planReminders().messages == 0)
        world.clock.set(TestWorld.instant("2026-06-05 09:00", zone: "Asia/Chita"))
        #expect(try await world.service.planReminders().messages == 1)
        world.clock.set(TestWorld.instant("2026-06-08 09:00", zone: "Asia/Chita"))
        #expect(try await world.service.planReminders().messages == 0)
        let transport = RecordingTransport()
        world.clock.set(TestWorld.instant("2026-06-05 09:05", zone: "Asia/Chita"))
        _ = try await world.service.deliverMail(transport, Self.configuration)
        #expect(transport.messages.first?.recipients == ["c1@example.org"])
        #expect(transport.texts.first?.contains("https://medk.example.ru/items/\(item.item.id)") == true)
        #expect(transport.texts.first?.contains("дольше 3 рабочих дней") == true)
        #expect(try await world.auditTrail().contains { $0.action == .reminderSettings && $0.toState == "дни: 7, 1; проверка: 3 раб. дн." })
    }
}
