/// A message ready for the wire: the envelope and the RFC 5322 bytes (CRLF line ends).
public struct RenderedMail: Sendable, Hashable {
    public var envelopeSender: String
    public var recipients: [String]
    public var bytes: [UInt8]

    public init(envelopeSender: String, recipients: [String], bytes: [UInt8]) {
        self.envelopeSender = envelopeSender
        self.recipients = recipients
        self.bytes = bytes
    }
}

/// Why a message did not go, sorted by what the outbox must do next.
public enum MailDeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing was handed over (no connection, a 4xx, a login refused): try again later.
    case temporary(String)
    /// The server refused this message for good (a 5xx to its sender, recipient or data).
    case permanent(String)
    /// The message was handed over and the server's answer was lost: it may have arrived, so
    /// it is never sent again.
    case uncertain(String)

    public var description: String {
        switch self {
        case .temporary(let text): "temporary: \(text)"
        case .permanent(let text): "permanent: \(text)"
        case .uncertain(let text): "uncertain: \(text)"
        }
    }
}

/// Where mail leaves: the operator's SMTP server in production (MEDKMail), a recorder in tests.
public protocol MailTransport: Sendable {
    /// The transport for logs, with no secrets.
    var description: String { get }
    /// One conversation with the server; the outbox sends a batch through it.
    func openSession() async throws -> any MailSession
}

public protocol MailSession: AnyObject, Sendable {
    func send(_ mail: RenderedMail) async throws
    /// Clears the server's state after a refused message, before the next one.
    func reset() async throws
    func close() async
}
