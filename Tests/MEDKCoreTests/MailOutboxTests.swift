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
    let sessionsOpened = Mutex(0)
    let refusesSessions = Mutex(false)
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

    func openSession() async throws -> any MailSession {
        sessionsOpened.withLock { $0 += 1 }
        if refusesSessions.withLock({ $0 }) { throw MailDeliveryError.temporary("connection refused") }
        return Session(self)
    }

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

/// A mail server that takes `seconds` of the world's clock for every message.
final class ClockAdvancingTransport: MailTransport {
    let clock: ManualClock
    let seconds: TimeInterval
    let recording = RecordingTransport()
    var description: String { "slow" }

    init(clock: ManualClock, seconds: TimeInterval) {
        self.clock = clock
        self.seconds = seconds
    }

    func openSession() async throws -> any MailSession { Session(self) }

    final class Session: MailSession {
        let transport: ClockAdvancingTransport
        init(_ transport: ClockAdvancingTransport) { self.transport = transport }
        func send(_ mail: RenderedMail) async throws {
            transport.clock.advance(by: transport.seconds)
            transport.recording.sent.withLock { $0.append(mail) }
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

    @Test("a late measure reaches the curator, then the municipal, then the regional coordinator on the region's days", arguments: [
        (2, nil, nil), (3, EscalationLevel.curator, EscalationLevel.curator), (4, nil, .curator), (10, .municipal, .municipal),
        (19, nil, .municipal), (20, .regional, .regional), (45, nil, .regional),
    ])
    func escalation(daysLate: Int, reachedToday: EscalationLevel?, current: EscalationLevel?) {
        let today = Self.date("2026-06-05")
        #expect(EscalationRules.levelReached(dueDate: today.adding(days: -daysLate), today: today, .standard) == reachedToday)
        #expect(EscalationRules.currentLevel(daysLate: daysLate, .standard) == current)
    }

    @Test("a municipality's own roadmap goes straight to the region; a region's goes nowhere")
    func escalationOwners() throws {
        #expect(EscalationLevel.allCases.filter { EscalationRules.applies($0, toOwner: .school) } == [.curator, .municipal, .regional])
        #expect(EscalationLevel.allCases.filter { EscalationRules.applies($0, toOwner: .municipality) } == [.regional])
        #expect(EscalationLevel.allCases.filter { EscalationRules.applies($0, toOwner: .region) }.isEmpty)
        #expect(throws: MEDKError.self) { try ReminderSettings.validated(daysBefore: [3], reviewWorkingDays: 5, escalationDays: [10, 3, 20]) }
        #expect(throws: MEDKError.self) { try ReminderSettings.validated(daysBefore: [3], reviewWorkingDays: 5, escalationDays: [3, 10]) }
    }

    @Test("a day's letter names its documents and measures in the subject")
    func subjects() {
        let rendering = MailRendering(publicURL: "https://medk.example.ru")
        let document = MeasuresLetter.DocumentLine(title: "Итоговый отчёт", campaignName: "500+", dueDate: Self.date("2026-12-15"),
                                                   daysLeft: 3, statusName: "срок не наступил", schoolCode: "A")
        let measure = MeasuresLetter.Line(roadmapID: 1, measureTitle: "Семинар", dueDate: Self.date("2026-12-26"), daysLeft: 14)
        #expect(rendering.subject(.measures(MeasuresLetter(schoolName: "Школа А", missed: false, lines: [measure], documents: [document])))
            == "МЭДК: через 3 дня срок — документ «Итоговый отчёт» и 1 мероприятие, Школа А")
        #expect(rendering.subject(.measures(MeasuresLetter(schoolName: "Школа А", missed: true, lines: [], documents: [document, document])))
            == "МЭДК: пропущен срок — 2 документа, Школа А")
        #expect(rendering.subject(.measures(MeasuresLetter(schoolName: "Школа А", missed: false, lines: [measure])))
            == "МЭДК: через 14 дней срок — 1 мероприятие, Школа А", "a letter kept from before documents were reminded of reads as it did")
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

    @Test("a school hears of a campaign document due in 14 days with its measures in one letter, not once it is sent, and the day after one is missed")
    func campaignDocuments() async throws {
        // 16 June 2026: the interim report (30 June) is 14 days away, as is a measure of the roadmap.
        let world = try await Self.world(at: TestWorld.instant("2026-06-16 09:00", zone: "Asia/Chita"))
        _ = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-06-30"])
        #expect(try await world.service.planReminders().messages == 1, "one letter a day, documents and measures together")
        let transport = RecordingTransport()
        _ = try await world.service.deliverMail(transport, Self.configuration)
        let text = try #require(transport.texts.first)
        #expect(text.contains("Приближаются сроки документов кампании (Школа А):"))
        #expect(text.contains("• Промежуточный мониторинг («500+ 2026») — срок 30.06.2026, через 14 дней; сейчас: срок не наступил\n"
                              + "  https://medk.example.ru/schools/A"))
        #expect(text.contains("• Мероприятие A-0 — срок 30.06.2026, через 14 дней"))

        // Sent for review before the last reminder: nothing more is said of it.
        let owner = try await world.actor("school-A")
        let report = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .interimReport,
                                                                schoolID: try await world.schoolID("A")), by: owner)
        let uploaded = try await world.service.upload(itemID: report.item.id, fileName: "отчёт.pdf",
                                                      chunks: OneChunk(bytes: TestWorld.pdf("отчёт")), by: owner)
        _ = try await world.act(.submit, on: uploaded, by: "school-A")
        world.clock.set(TestWorld.instant("2026-06-27 09:00", zone: "Asia/Chita"))
        let lettersBefore = try await Self.outbox(world).values.reduce(0, +)
        _ = try await world.service.planReminders()
        #expect(try await Self.outbox(world).values.reduce(0, +) == lettersBefore + 1, "only the measure, due in 3 days")

        // The final report (15 December) missed: the team hears of it on the 16th.
        world.clock.set(TestWorld.instant("2026-12-16 09:00", zone: "Asia/Chita"))
        #expect(try await world.service.planReminders().messages == 1)
        let later = RecordingTransport()
        _ = try await world.service.deliverMail(later, Self.configuration)
        let missed = try #require(later.texts.last)
        #expect(missed.contains("Вчера истёк срок документов кампании (Школа А), которых ещё нет:"))
        #expect(missed.contains("• Итоговый отчёт («500+ 2026») — срок был 15.12.2026; сейчас: не представлено"))
        #expect(missed.contains("Загрузите документ и отправьте его на проверку"))
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
        let roadmap = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-06-08"], left: .returned)
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
        // The first two were for a day that has passed: they expired unsent. (The other letter is the roadmap's return.)
        #expect(transport.texts.count == 2)
        #expect(transport.texts.filter { $0.contains("Вчера истёк срок") }.count == 1)
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
        #expect(text.contains("Кто вернул: Куратор Первый"))
        #expect(text.contains("> Добавьте подписи.\n> И печать."))
    }

    @Test("a message a stopped sender left half-sent is never sent again, and the audit trail says so")
    func interrupted() async throws {
        let world = try await Self.world()
        _ = try await world.act(.return, on: try await world.submittedDocument(school: "A"), by: "curator1", comment: "Нет подписи")
        let id = try await world.service.read { store in try store.dueOutbox(at: .distantFuture, limit: 1).first!.id }
        let stopped = MailSender(id: "server-1#41"), restarted = MailSender(id: "server-1#97")
        #expect(try await world.service.takeMailLease(stopped).taken)
        let now = world.clock.now()
        #expect(try await world.service.write { store in
            try store.claimMail(id: id, address: "a@school.example", unsubscribeHash: "h", holder: stopped.id, at: now)
        })
        let transport = RecordingTransport()
        let waiting = try await world.service.deliverMail(transport, Self.configuration, as: restarted)
        #expect(waiting.sentElsewhere && waiting.touched == 0, "the stopped sender's lease has not run out yet")
        world.clock.advance(by: MailSender.leaseDuration + 1)
        let takeover = try await world.service.deliverMail(transport, Self.configuration, as: restarted)
        #expect(takeover.settled == 1 && takeover.touched == 0 && transport.messages.isEmpty)
        #expect(try await world.auditTrail().contains { $0.action == .mailUncertain && $0.entityID == id })
    }

    @Test("a killed worker that passed every 5 seconds holds the outbox half a minute, not three: then another sends")
    func shortLeaseOfAFrequentWorker() async throws {
        let world = try await Self.world()
        _ = try await world.act(.return, on: try await world.submittedDocument(school: "A"), by: "curator1", comment: "Нет подписи")
        let killed = MailSender(id: "server-1#41").passing(every: 5), other = MailSender(id: "server-2#7").passing(every: 5)
        #expect(killed.leaseDuration == 30 && MailSender(id: "x").passing(every: 60).leaseDuration == 180)
        #expect(try await world.service.takeMailLease(killed).taken)
        let transport = RecordingTransport()
        world.clock.advance(by: 29)
        #expect(try await world.service.deliverMail(transport, Self.configuration, as: other).sentElsewhere)
        world.clock.advance(by: 2)
        #expect(try await world.service.deliverMail(transport, Self.configuration, as: other).sent == 1)
    }

    @Test("a pass slower than the lease renews it on the way: another server does not take over mid-pass")
    func slowPassKeepsItsLease() async throws {
        let world = try await Self.world()
        let first = MailSender(id: "server-1"), second = MailSender(id: "server-2")
        for kind in [ItemKind.developmentConcept, .midtermProgramme, .finalReport] {
            _ = try await world.act(.return, on: try await world.submittedDocument(kind, school: "A"), by: "curator1", comment: "Нет подписи")
        }
        // Each message takes the mail server 100 seconds: three of them outlast the 180-second lease.
        let slow = ClockAdvancingTransport(clock: world.clock, seconds: 100)
        #expect(try await world.service.deliverMail(slow, Self.configuration, as: first).sent == 3)
        #expect(try await world.service.takeMailLease(second).taken == false, "renewed during the pass, the lease is still the first's")
    }

    @Test("one sender at a time: a second server sends nothing while the first renews its lease, and takes over when it stops")
    func oneSenderAtATime() async throws {
        let world = try await Self.world()
        let first = MailSender(id: "server-1"), second = MailSender(id: "server-2")
        _ = try await world.act(.return, on: try await world.submittedDocument(school: "A"), by: "curator1", comment: "Нет подписи")
        let transport = RecordingTransport()
        #expect(try await world.service.deliverMail(transport, Self.configuration, as: first).sent == 1)
        _ = try await world.act(.return, on: try await world.submittedDocument(.midtermProgramme, school: "A"), by: "curator1", comment: "Нет печати")
        world.clock.advance(by: 60)
        #expect(try await world.service.deliverMail(transport, Self.configuration, as: second).sentElsewhere)
        #expect(transport.messages.count == 1, "the second server waits")
        world.clock.advance(by: 60)
        #expect(try await world.service.deliverMail(transport, Self.configuration, as: first).sent == 1, "renewed every pass")
        _ = try await world.act(.return, on: try await world.submittedDocument(.finalReport, school: "A"), by: "curator1", comment: "Нет даты")
        try await world.service.releaseMailLease(first)
        let takeover = try await world.service.deliverMail(transport, Self.configuration, as: second)
        #expect(takeover.sent == 1 && takeover.settled == 0, "a clean stop hands over at once, with nothing half-sent")
        #expect(transport.messages.count == 3)
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

    @Test("an unreachable server costs one connection attempt per pass, and the batch waits for the next")
    func unreachable() async throws {
        let world = try await Self.world()
        _ = try await world.act(.return, on: try await world.submittedDocument(school: "A"), by: "curator1", comment: "1")
        _ = try await world.act(.return, on: try await world.submittedDocument(.midtermProgramme, school: "A"), by: "curator1", comment: "2")
        let transport = RecordingTransport()
        transport.refusesSessions.withLock { $0 = true }
        let first = try await world.service.deliverMail(transport, Self.configuration)
        #expect(first.retrying == 1 && first.touched == 1)
        #expect(transport.sessionsOpened.withLock { $0 } == 1)
        transport.refusesSessions.withLock { $0 = false }
        world.clock.advance(by: 121)
        #expect(try await world.service.deliverMail(transport, Self.configuration).sent == 2)
    }

    /// The token of the unsubscribe link in a delivered message's text.
    static func unsubscribeToken(_ text: String) throws -> String {
        let link = try #require(text.split(separator: "\n").first { $0.hasPrefix("Отписаться") })
        let query = try #require(URLComponents(string: String(link.split(separator: " ").last!))?.queryItems)
        #expect(query.map(\.name) == ["token"], "the link names no kind: the kind is the message's, kept with its token")
        return try #require(query.first { $0.name == "token" }?.value)
    }

    /// The unsubscribe token of the letter school A gets when its document is returned.
    static func returnedLetterToken(_ world: TestWorld, transport: RecordingTransport = RecordingTransport()) async throws -> String {
        _ = try await world.act(.return, on: try await world.submittedDocument(school: "A"), by: "curator1", comment: "1")
        _ = try await world.service.deliverMail(transport, Self.configuration)
        return try Self.unsubscribeToken(try #require(transport.texts.last))
    }

    @Test("the unsubscribe link turns off the kind of message it came in, without a login; what is queued for it is not sent")
    func unsubscribe() async throws {
        let world = try await Self.world()
        let transport = RecordingTransport()
        let token = try await Self.returnedLetterToken(world, transport: transport)
        #expect(try await world.service.unsubscribeTarget(token: token) == UnsubscribeTarget(name: "Команда А", kind: .itemReturned))
        try await world.service.unsubscribe(token: token)
        await #expect(throws: MEDKError.self) { try await world.service.unsubscribe(token: String(token.dropLast()) + "x") }

        _ = try await world.act(.return, on: try await world.submittedDocument(.midtermProgramme, school: "A"), by: "curator1", comment: "2")
        #expect(try await world.service.deliverMail(transport, Self.configuration).touched == 0)
        #expect(try await world.service.mailPreferences(for: try await world.actor("school-A")).enabled == Set(MailKind.allCases).subtracting([.itemReturned]))
        #expect(try await world.auditTrail().contains { $0.action == .mailPreferences && $0.comment == "Отписка по ссылке из письма" })
    }

    @Test("an unsubscribe link dies when the address it went to changes, and after a year")
    func unsubscribeExpires() async throws {
        let world = try await Self.world()
        let transport = RecordingTransport()
        _ = try await world.act(.return, on: try await world.submittedDocument(school: "A"), by: "curator1", comment: "1")
        _ = try await world.service.deliverMail(transport, Self.configuration)
        _ = try await world.act(.return, on: try await world.submittedDocument(.midtermProgramme, school: "A"), by: "curator1", comment: "2")
        _ = try await world.service.deliverMail(transport, Self.configuration)
        let tokens = try transport.texts.map(Self.unsubscribeToken)
        #expect(tokens.count == 2 && tokens[0] != tokens[1], "each message has a link of its own")
        // The school changes its address: links sent to the old one no longer work.
        let school = try await world.actor("school-A")
        let kept = try await world.service.mailPreferences(for: school)
        _ = try await world.service.setMailPreferences(email: "new@school.example", enabled: kept.enabled, by: school)
        await #expect(throws: MEDKError.self) { try await world.service.unsubscribeTarget(token: tokens[0]) }
        // Back to the address it went to: the link works again, until it is a year old.
        _ = try await world.service.setMailPreferences(email: kept.email, enabled: kept.enabled, by: school)
        #expect(try await world.service.unsubscribeTarget(token: tokens[1]).kind == .itemReturned)
        world.clock.advance(by: 366 * 86_400)
        let expired = await #expect(throws: MEDKError.self) { try await world.service.unsubscribe(token: tokens[1]) }
        #expect(expired?.kind == .notFound)
    }

    @Test("unsubscribe tokens are kept only as hashes", .enabled(if: TestWorld.onSQLite, "reads the SQLite file directly"))
    func unsubscribeTokensHashed() async throws {
        let world = try await Self.world()
        let token = try await Self.returnedLetterToken(world)
        let database = try Data(contentsOf: URL(fileURLWithPath: world.service.databasePath))
            + ((try? Data(contentsOf: URL(fileURLWithPath: world.service.databasePath + "-wal"))) ?? Data())
        #expect(database.range(of: Data(token.utf8)) == nil)
        #expect(database.range(of: Data(SessionToken.digest(token).utf8)) != nil)
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
        #expect(try await world.auditTrail().contains { $0.action == .reminderSettings && $0.toState == "дни: 7, 1; проверка: 3 раб. дн.; эскалация: 3, 10, 20 дн." })
    }

    static func giveEmail(_ world: TestWorld, _ login: String) async throws {
        _ = try await world.service.setMailPreferences(email: "\(login)@example.org", enabled: Set(MailKind.allCases),
                                                       by: try await world.actor(login))
    }

    @Test("late measures go up the chain on their days: the roadmap's history says to whom, and each level gets one message")
    func escalationChain() async throws {
        let world = try await Self.world()
        for login in ["curator1", "mun-M1", "reg-R1"] { try await Self.giveEmail(world, login) }
        // On 5 June: 3, 10 and 20 days late, and 6 days late (between levels).
        let roadmap = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-06-02", "2026-05-26", "2026-05-16", "2026-05-30"])
        #expect(try await world.service.planReminders().messages == 3)
        let history = try await world.service.item(roadmap.item.id, for: try await world.actor("school-A")).history
        let steps = history.filter { $0.action == .itemEscalate }.compactMap(\.comment).sorted()
        #expect(steps == ["Эскалировано куратору школы: 1 мероприятие просрочено на 3 дня.",
                          "Эскалировано муниципальному координатору: 1 мероприятие просрочено на 10 дней.",
                          "Эскалировано региональному координатору: 1 мероприятие просрочено на 20 дней."])
        let transport = RecordingTransport()
        #expect(try await world.service.deliverMail(transport, Self.configuration).sent == 3)
        let byAddress = Dictionary(uniqueKeysWithValues: zip(transport.messages.map { $0.recipients[0] }, transport.texts))
        #expect(byAddress["curator1@example.org"]?.contains("вам как куратору школы") == true)
        #expect(byAddress["curator1@example.org"]?.contains("• Мероприятие A-0 — срок был 02.06.2026, просрочено на 3 дня") == true)
        #expect(byAddress["mun-M1@example.org"]?.contains("Мероприятие A-1") == true)
        #expect(byAddress["reg-R1@example.org"]?.contains("Мероприятие A-2") == true)
        #expect(!transport.texts.joined().contains("A-3"))
    }

    @Test("a coordinator's weekly digest on their weekday: late, due soon, long waits, documents returned three times")
    func weeklyDigest() async throws {
        // Monday 25 May 2026: a document goes to review and stays there; another comes back three times.
        let world = try await Self.world(at: TestWorld.instant("2026-05-25 10:00", zone: "Asia/Chita"))
        try await Self.giveEmail(world, "reg-R1")
        _ = try await world.service.setMailPreferences(email: "mun@example.org", enabled: Set(MailKind.allCases), digestWeekday: 2,
                                                       by: try await world.actor("mun-M1"))
        _ = try await world.submittedDocument(school: "A")
        var note = try await world.submittedDocument(.analyticalNote, school: "B")
        for round in 1...3 {
            note = try await world.act(.return, on: note, by: "curator1", comment: "Круг \(round)")
            if round < 3 { note = try await world.act(.submit, on: try await world.answerRemarks(note, by: "school-B"), by: "school-B") }
        }
        _ = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-06-03", "2026-06-05", "2026-06-12"])
        // Monday 8 June, 09:00 in Chita: the regional coordinator's day; the municipal one chose Tuesday.
        world.clock.set(TestWorld.instant("2026-06-08 09:00", zone: "Asia/Chita"))
        _ = try await world.service.planReminders()
        let transport = RecordingTransport()
        _ = try await world.service.deliverMail(transport, Self.configuration)
        let digest = try #require(zip(transport.messages, transport.texts).first { $0.0.recipients == ["reg-R1@example.org"] }?.1)
        #expect(digest.contains("Сводка по территории «Забайкальский край» за неделю 01.06.2026–07.06.2026."))
        #expect(digest.contains("Стали просроченными за неделю: 2 мероприятия.\n• Школа А — 2\n  https://medk.example.ru/monitoring/overdue?school=A"))
        #expect(digest.contains("Срок в ближайшие две недели: 1 мероприятие."))
        // The concept and school A's roadmap (sent so that its measures are commitments) wait for their curator.
        #expect(digest.contains("• Куратор Первый — 2 документа, самый давний с 25.05.2026"))
        #expect(digest.contains("• Аналитическая справка (Школа Б) — возвращён 3 раза\n  https://medk.example.ru/items/\(note.item.id)"))
        #expect(!transport.messages.contains { $0.recipients == ["mun@example.org"] })
        world.clock.set(TestWorld.instant("2026-06-09 09:00", zone: "Asia/Chita"))
        _ = try await world.service.planReminders()
        _ = try await world.service.deliverMail(transport, Self.configuration)
        #expect(transport.messages.filter { $0.recipients == ["mun@example.org"] }.count == 1)
    }
}
