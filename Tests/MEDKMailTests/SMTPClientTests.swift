import Foundation
import MEDKCore
@testable import MEDKMail
import MEDKTestSupport
import NIOCore
import Testing

/// MEDK's SMTP client against a real SMTP server (aiosmtpd) on a local port; what arrives is
/// read by Python's mail parser, as a mail client would read it.
@Suite("Mail through a real SMTP server")
struct SMTPClientTests {
    static func message(to address: String = "director@school.example.ru", subject: String = "Срок мероприятия через 3 дня",
                        text: String = "Здравствуйте!\n\nМероприятие «Организация работы с родителями» нужно выполнить до 09.12.2026.\n") throws -> RenderedMail {
        try MailMessage(
            from: MailAddress("medk@region.example.ru", name: "МЭДК Забайкальского края"),
            to: MailAddress(address, name: "Иванова Мария Петровна"),
            subject: subject, text: text, messageID: "outbox-17@medk.example.ru",
            date: Date(timeIntervalSince1970: 1_796_551_020),
            unsubscribeURL: "https://medk.example.ru/mail/unsubscribe?token=abc").rendered()
    }

    static func send(_ settings: SMTPSettings, _ mails: [RenderedMail]) async throws {
        let session = try await SMTPMailTransport(settings).openSession()
        for mail in mails { try await session.send(mail) }
        await session.close()
    }

    @Test("a message arrives with its Russian subject, names and text intact, and the headers a mail client needs")
    func plainDelivery() async throws {
        let sink = try SMTPSink()
        try await Self.send(SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)"), [Self.message()])
        let received = try await sink.waitForMessages(1)
        try #require(received.count == 1)
        let mail = received[0]
        #expect(mail.envelopeFrom == "medk@region.example.ru")
        #expect(mail.envelopeTo == ["director@school.example.ru"])
        #expect(mail.headers["Subject"] == "Срок мероприятия через 3 дня")
        #expect(mail.headers["From"] == "МЭДК Забайкальского края <medk@region.example.ru>")
        #expect(mail.headers["To"] == "Иванова Мария Петровна <director@school.example.ru>")
        #expect(mail.headers["Message-ID"] == "<outbox-17@medk.example.ru>")
        #expect(mail.headers["List-Unsubscribe"] == "<https://medk.example.ru/mail/unsubscribe?token=abc>")
        #expect(mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        #expect(mail.headers["Date"] == "Sun, 06 Dec 2026 09:57:00 +0000")
        #expect(mail.text == "Здравствуйте!\n\nМероприятие «Организация работы с родителями» нужно выполнить до 09.12.2026.\n")
        #expect(!mail.tls)
    }

    @Test("a long Russian subject is folded into encoded words that read back whole")
    func longSubject() async throws {
        let sink = try SMTPSink()
        let subject = "Еженедельная сводка: просрочено 17 мероприятий в 5 школах, 3 документа ждут проверки дольше срока"
        try await Self.send(SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)"), [Self.message(subject: subject)])
        let received = try await sink.waitForMessages(1)
        #expect(received.first?.headers["Subject"] == subject)
    }

    @Test("with STARTTLS and a login, the password crosses only the encrypted connection")
    func startTLSAndLogin() async throws {
        var options = SMTPSink.Options()
        options.tls = true
        options.requireTLS = true
        options.login = "medk:секрет 42"
        let sink = try SMTPSink(options)
        let ca = try #require(sink.certificate).path
        let url = "smtp://medk:%D1%81%D0%B5%D0%BA%D1%80%D0%B5%D1%82%2042@localhost:\(sink.port)?starttls=required&ca=\(ca)"
        try await Self.send(SMTPSettings(url: url), [Self.message(), Self.message(to: "zam@school.example.ru")])
        let received = try await sink.waitForMessages(2)
        #expect(received.count == 2)
        #expect(received.allSatisfy { $0.tls && $0.login == "medk" })
    }

    @Test("a server whose certificate is not trusted gets nothing, not even the greeting's password")
    func untrustedCertificate() async throws {
        var options = SMTPSink.Options()
        options.tls = true
        options.login = "medk:secret"
        let sink = try SMTPSink(options)
        await #expect(throws: MailDeliveryError.self) {
            try await Self.send(SMTPSettings(url: "smtp://medk:secret@localhost:\(sink.port)?starttls=required"), [Self.message()])
        }
        #expect(try sink.messages().isEmpty)
    }

    @Test("a wrong password is a temporary failure: the message is not at fault, the settings are")
    func wrongPassword() async throws {
        var options = SMTPSink.Options()
        options.tls = true
        options.login = "medk:secret"
        let sink = try SMTPSink(options)
        let ca = try #require(sink.certificate).path
        do {
            try await Self.send(SMTPSettings(url: "smtp://medk:wrong@localhost:\(sink.port)?ca=\(ca)"), [Self.message()])
            Issue.record("the login was accepted")
        } catch let error as MailDeliveryError {
            guard case .temporary = error else { Issue.record("\(error)"); return }
        }
    }

    @Test("a recipient the server refuses is a permanent failure, and the next message in the session still goes")
    func refusedRecipient() async throws {
        var options = SMTPSink.Options()
        options.reject = ["gone@school.example.ru"]
        let sink = try SMTPSink(options)
        let session = try await SMTPMailTransport(SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)")).openSession()
        do {
            try await session.send(Self.message(to: "gone@school.example.ru"))
            Issue.record("the refused recipient was accepted")
        } catch let error as MailDeliveryError {
            guard case .permanent = error else { Issue.record("\(error)"); return }
        }
        try await session.reset()
        try await session.send(Self.message())
        await session.close()
        let received = try await sink.waitForMessages(1)
        #expect(received.map(\.envelopeTo) == [["director@school.example.ru"]])
    }

    @Test("a deferral (451) is temporary and the same message goes on the next try")
    func deferral() async throws {
        var options = SMTPSink.Options()
        options.deferredData = 1
        let sink = try SMTPSink(options)
        let settings = try SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)")
        do {
            try await Self.send(settings, [Self.message()])
            Issue.record("the deferred message was taken")
        } catch let error as MailDeliveryError {
            guard case .temporary = error else { Issue.record("\(error)"); return }
        }
        try await Self.send(settings, [Self.message()])
        #expect(try await sink.waitForMessages(1).count == 1)
    }

    @Test("no server listening is a temporary failure")
    func nobodyListening() async throws {
        let port: Int
        do { let sink = try SMTPSink(); port = sink.port }  // started and stopped: the port is free again
        await #expect(throws: MailDeliveryError.temporary("")) {
            do { try await Self.send(SMTPSettings(url: "smtp://127.0.0.1:\(port)"), [Self.message()]) } catch MailDeliveryError.temporary {
                throw MailDeliveryError.temporary("")
            }
        }
    }

    @Test("a line of the message that starts with a dot cannot end the data early")
    func dotStuffing() {
        var buffer = SMTPConnection.dotStuffed(Array("Subject: x\r\n\r\n.\r\n..two\nlast".utf8))
        let text = buffer.readString(length: buffer.readableBytes)
        #expect(text == "Subject: x\r\n\r\n..\r\n...two\r\nlast\r\n.\r\n")
    }

    @Test("the SMTP address is read strictly and never shows its password")
    func settingsFromURL() throws {
        let settings = try SMTPSettings(url: "smtp://user:p%40ss@mail.example.ru:587?starttls=required")
        #expect(settings.host == "mail.example.ru" && settings.port == 587 && settings.security == .startTLSRequired)
        #expect(settings.password == "p@ss")
        #expect(settings.description == "smtp://user:***@mail.example.ru:587?starttls=required")
        #expect(try SMTPSettings(url: "smtps://mail.example.ru").port == 465)
        #expect(throws: MEDKError.self) { try SMTPSettings(url: "http://mail.example.ru") }
        #expect(throws: MEDKError.self) { try SMTPSettings(url: "smtp://mail.example.ru?tls=yes") }
        #expect(throws: MEDKError.self) { try SMTPSettings(url: "smtp://user:pw@mail.example.ru?starttls=off") }
        #expect(throws: MEDKError.self) { try SMTPSettings(url: "smtp://user@mail.example.ru") }
    }

    @Test("an address that could break a header or an SMTP command is refused")
    func addresses() throws {
        #expect(throws: MEDKError.self) { try MailAddress("a@b.ru>\r\nRCPT TO:<x@y.ru") }
        #expect(throws: MEDKError.self) { try MailAddress("директор@школа.рф") }
        #expect(throws: MEDKError.self) { try MailAddress("no-at-sign.ru") }
        #expect(throws: MEDKError.self) { try MailAddress("a@localhost") }
        let parsed = try MailAddress(parsing: "\"МЭДК\" <noreply@medk.example.ru>")
        #expect(parsed.address == "noreply@medk.example.ru" && parsed.name == "МЭДК")
    }
}
