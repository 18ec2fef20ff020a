import Foundation
import MEDKCore
import NIOCore
import NIOPosix
import NIOSSL

/// One conversation with the operator's SMTP server: greeting, EHLO, STARTTLS and login when
/// configured, then any number of messages, then QUIT. Hand-written because no mirrored
/// package speaks SMTP; it is the client half of RFC 5321 with RFC 3207 (STARTTLS) and
/// RFC 4954 (AUTH PLAIN/LOGIN), nothing more.
///
/// Failures are sorted for the outbox (`MailDeliveryError`): anything before the message's
/// final dot is `temporary` (nothing was handed over), a 5xx to the sender, a recipient or the
/// data is `permanent`, and a lost answer after the final dot is `uncertain`: the server may
/// have taken the message, so it must not be sent again.
final class SMTPConnection: MailSession {
    private let channel: Channel
    private let settings: SMTPSettings

    private init(channel: Channel, settings: SMTPSettings) {
        self.channel = channel
        self.settings = settings
    }

    static func open(_ settings: SMTPSettings, tls: NIOSSLContext?, group: EventLoopGroup) async throws -> SMTPConnection {
        let timeout = TimeAmount.nanoseconds(Int64(settings.replyTimeout.components.seconds) * 1_000_000_000)
        let implicitTLS = settings.security == .implicitTLS ? tls : nil
        let serverName = Self.serverName(settings.host)
        let channel: Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: implicitTLS, serverHostname: serverName))
                        }
                        try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler(timeout: timeout))
                    }
                }
                .connect(host: settings.host, port: settings.port).get()
        } catch {
            throw MailDeliveryError.temporary("connect to \(settings.host):\(settings.port): \(error)")
        }
        let connection = SMTPConnection(channel: channel, settings: settings)
        do {
            try await connection.handshake(tls: tls)
        } catch {
            await connection.abandon()
            throw error
        }
        return connection
    }

    func send(_ mail: RenderedMail) async throws {
        try await expect(command("MAIL FROM:<\(mail.envelopeSender)>"), 250, permanentOn5xx: true, step: "MAIL FROM")
        for recipient in mail.recipients {
            try await expect(command("RCPT TO:<\(recipient)>"), 250, 251, permanentOn5xx: true, step: "RCPT TO")
        }
        try await expect(command("DATA"), 354, permanentOn5xx: true, step: "DATA")
        let reply: SMTPReply
        do {
            reply = try await request(Self.dotStuffed(mail.bytes))
        } catch {
            // The message went out; whether the server kept it is unknown.
            throw MailDeliveryError.uncertain("no answer after the message: \(error)")
        }
        switch reply.code {
        case 250: return
        case 500...599: throw MailDeliveryError.permanent("message refused: \(reply.code) \(reply.text)")
        default: throw MailDeliveryError.temporary("message deferred: \(reply.code) \(reply.text)")
        }
    }

    /// RSET after a refused message, so that the next one starts clean.
    func reset() async throws {
        try await expect(command("RSET"), 250, permanentOn5xx: false, step: "RSET")
    }

    func close() async {
        _ = try? await command("QUIT")
        await abandon()
    }

    private func abandon() async {
        try? await channel.close()
    }

    private func handshake(tls: NIOSSLContext?) async throws {
        var encrypted = settings.security == .implicitTLS
        try await expect(request(nil), 220, permanentOn5xx: false, step: "greeting")
        var extensions = try await hello()
        if settings.security == .startTLSRequired || (settings.security == .startTLSIfOffered && extensions.contains("STARTTLS")) {
            guard extensions.contains("STARTTLS"), let tls else {
                throw MailDeliveryError.temporary("the server does not offer STARTTLS, which the settings require")
            }
            try await expect(command("STARTTLS"), 220, permanentOn5xx: false, step: "STARTTLS")
            let serverName = Self.serverName(settings.host)
            let channel = self.channel
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName), position: .first)
            }.get()
            extensions = try await hello()
            encrypted = true
        }
        if let user = settings.user, let password = settings.password {
            guard encrypted || settings.isLoopback else {
                throw MailDeliveryError.temporary("refusing to send the password without TLS")
            }
            try await logIn(user: user, password: password, extensions: extensions)
        }
    }

    /// EHLO and the extensions it names: upper-cased keywords, and AUTH=… for each login mechanism.
    private func hello() async throws -> Set<String> {
        let reply = try await command("EHLO \(settings.clientName)")
        guard reply.code == 250 else { throw MailDeliveryError.temporary("EHLO refused: \(reply.code) \(reply.text)") }
        var extensions = Set<String>()
        for line in reply.lines.dropFirst() {
            let words = line.uppercased().split(separator: " ")
            guard let keyword = words.first else { continue }
            extensions.insert(String(keyword))
            if keyword == "AUTH" { words.dropFirst().forEach { extensions.insert("AUTH=\($0)") } }
        }
        return extensions
    }

    private func logIn(user: String, password: String, extensions: Set<String>) async throws {
        if extensions.contains("AUTH=PLAIN") {
            let token = Data("\0\(user)\0\(password)".utf8).base64EncodedString()
            try await expect(command("AUTH PLAIN \(token)"), 235, permanentOn5xx: false, step: "AUTH PLAIN")
        } else if extensions.contains("AUTH=LOGIN") {
            try await expect(command("AUTH LOGIN"), 334, permanentOn5xx: false, step: "AUTH LOGIN")
            try await expect(command(Data(user.utf8).base64EncodedString()), 334, permanentOn5xx: false, step: "AUTH LOGIN")
            try await expect(command(Data(password.utf8).base64EncodedString()), 235, permanentOn5xx: false, step: "AUTH LOGIN")
        } else {
            throw MailDeliveryError.temporary("the server offers neither AUTH PLAIN nor AUTH LOGIN")
        }
    }

    private func command(_ line: String) async throws -> SMTPReply {
        var buffer = channel.allocator.buffer(capacity: line.utf8.count + 2)
        buffer.writeString(line)
        buffer.writeString("\r\n")
        do {
            return try await request(buffer)
        } catch let error as MailDeliveryError {
            throw error
        } catch {
            throw MailDeliveryError.temporary("\(line.split(separator: " ").first ?? ""): \(error)")
        }
    }

    private func request(_ bytes: ByteBuffer?) async throws -> SMTPReply {
        let reply = channel.eventLoop.makePromise(of: SMTPReply.self)
        // A channel closed under us (a TLS handshake the server broke off) has no reply handler
        // left to fail the request: the failed write does it, or the wait would never end.
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { reply.fail($0) }
        channel.writeAndFlush(SMTPRequest(bytes: bytes, reply: reply), promise: written)
        return try await reply.futureResult.get()
    }

    private func expect(_ reply: SMTPReply, _ codes: Int..., permanentOn5xx: Bool, step: String) throws {
        guard !codes.contains(reply.code) else { return }
        let what = "\(step): \(reply.code) \(reply.text)"
        if permanentOn5xx, (500...599).contains(reply.code) { throw MailDeliveryError.permanent(what) }
        throw MailDeliveryError.temporary(what)
    }

    /// The message with every line that starts with a dot doubled (RFC 5321 §4.5.2) and the
    /// terminating dot; bare line feeds become CRLF so that no line can end the data early.
    static func dotStuffed(_ message: [UInt8]) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: message.count + message.count / 64 + 5)
        var atLineStart = true
        var previous: UInt8 = 0
        for byte in message {
            if byte == UInt8(ascii: "\n"), previous != UInt8(ascii: "\r") { buffer.writeInteger(UInt8(ascii: "\r")) }
            if atLineStart, byte == UInt8(ascii: ".") { buffer.writeInteger(UInt8(ascii: ".")) }
            buffer.writeInteger(byte)
            atLineStart = byte == UInt8(ascii: "\n")
            previous = byte
        }
        if !atLineStart { buffer.writeString("\r\n") }
        buffer.writeString(".\r\n")
        return buffer
    }

    /// SNI and certificate checks take a name; an IP address cannot be sent as one.
    private static func serverName(_ host: String) -> String? {
        host.contains(":") || host.split(separator: ".").allSatisfy({ Int($0) != nil }) ? nil : host
    }
}

/// The operator's SMTP server as MEDK's mail transport.
public struct SMTPMailTransport: MailTransport {
    public let settings: SMTPSettings
    private let tls: NIOSSLContext?
    private let group: EventLoopGroup

    public init(_ settings: SMTPSettings, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.settings = settings
        self.group = group
        if settings.security == .plain {
            tls = nil
        } else {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let file = settings.trustRootsFile { configuration.trustRoots = .file(file) }
            do {
                tls = try NIOSSLContext(configuration: configuration)
            } catch {
                throw MEDKError.invalid("invalid_smtp_url", "Не удалось прочитать корневые сертификаты почтового сервера: \(error).")
            }
        }
    }

    public var description: String { settings.description }

    public func openSession() async throws -> any MailSession {
        try await SMTPConnection.open(settings, tls: tls, group: group)
    }
}
