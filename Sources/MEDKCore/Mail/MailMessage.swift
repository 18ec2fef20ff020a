import Foundation

/// An e-mail address MEDK will put on the wire: ASCII, one @, nothing that could end a header
/// or an SMTP command (a user's address is read from a form and written into both).
public struct MailAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    public let address: String
    public let name: String?

    public init(_ address: String, name: String? = nil) throws {
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        guard Self.isValid(trimmed) else {
            throw MEDKError.rejected("invalid_email", "«\(address.prefix(80))» не похоже на адрес электронной почты.")
        }
        self.address = trimmed
        self.name = name.map { $0.filter { !$0.isNewline } }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// «Имя <адрес>» or a bare address, as the operator writes the sender in `--mail-from`.
    public init(parsing text: String) throws {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix(">"), let open = text.lastIndex(of: "<") {
            let name = text[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            try self.init(String(text[text.index(after: open)..<text.index(before: text.endIndex)]), name: name)
        } else {
            try self.init(text)
        }
    }

    public static func isValid(_ address: String) -> Bool {
        let utf8 = Array(address.utf8)
        guard (3...254).contains(utf8.count), utf8.allSatisfy({ $0 > 32 && $0 < 127 }),
              !utf8.contains(where: { "<>()[]\\,;:\"".utf8.contains($0) }) else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
    }

    public var description: String { address }

    /// The header form: the name as one RFC 2047 word when it is not plain ASCII. One word, even
    /// past the 75 characters RFC 2047 asks for, because decoders disagree on the space between
    /// two words of a name (Python keeps it, the RFC drops it) and every decoder reads a long word.
    var headerValue: String {
        guard let name else { return address }
        return "\(MailHeader.encodedWord(name)) <\(address)>"
    }
}

/// A plain-text message in Russian, with the headers a mail client and a bulk-mail filter
/// expect: Message-ID, Date, and List-Unsubscribe with one-click POST (RFC 8058) when the
/// message is one a user may turn off.
public struct MailMessage: Sendable, Hashable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var text: String
    public var messageID: String
    public var date: Date
    public var unsubscribeURL: String?

    public init(from: MailAddress, to: MailAddress, subject: String, text: String, messageID: String, date: Date,
                unsubscribeURL: String? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.messageID = messageID
        self.date = date
        self.unsubscribeURL = unsubscribeURL
    }

    public func rendered() -> RenderedMail {
        var headers = [
            "Date: \(Self.dateFormatter.string(from: date))",
            "From: \(from.headerValue)",
            "To: \(to.headerValue)",
            "Subject: \(MailHeader.encoded(subject))",
            "Message-ID: <\(MailHeader.clean(messageID))>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
        ]
        if let unsubscribeURL {
            headers.append("List-Unsubscribe: <\(MailHeader.clean(unsubscribeURL))>")
            headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        var body = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        if !body.hasSuffix("\r\n") { body += "\r\n" }
        let encoded = Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let message = headers.joined(separator: "\r\n") + "\r\n\r\n" + encoded + "\r\n"
        return RenderedMail(envelopeSender: from.address, recipients: [to.address], bytes: Array(message.utf8))
    }

    private static let dateFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter
    }()
}

enum MailHeader {
    /// Text for a header: unchanged when it is printable ASCII, otherwise RFC 2047 encoded words
    /// of whole characters, folded so that no line passes 78 characters.
    static func encoded(_ text: String) -> String {
        let text = clean(text)
        if text.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) && text.utf8.count <= 60 && !text.contains("=?") { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    /// The whole text as one encoded word (a name, at most 200 characters).
    static func encodedWord(_ text: String) -> String {
        let text = String(clean(text).prefix(200))
        if text.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) && !text.contains("=?") {
            return "\"" + text.replacingOccurrences(of: "\\", with: "").replacingOccurrences(of: "\"", with: "") + "\""
        }
        return word(Array(text.utf8))
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }

    /// No line breaks or other control characters inside a header value.
    static func clean(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.value >= 32 && $0.value != 127 }.map(Character.init))
    }
}
