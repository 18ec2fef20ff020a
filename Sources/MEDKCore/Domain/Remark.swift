import Foundation

/// How the owner answers a reviewer's remark in the next version.
public enum RemarkAnswer: String, Codable, Sendable, CaseIterable {
    /// Fixed as asked.
    case done
    /// Not changed, and why.
    case declined

    public var russianName: String {
        switch self {
        case .done: "исправлено"
        case .declined: "не исправлено"
        }
    }
}

/// Where a remark stands: waiting for the owner, answered and waiting for the reviewer, or closed.
public enum RemarkState: String, Codable, Sendable, CaseIterable {
    case open
    case answered
    case closed

    public var russianName: String {
        switch self {
        case .open: "ждёт ответа"
        case .answered: "есть ответ"
        case .closed: "снято"
        }
    }
}

/// One thing a reviewer asked to change when returning a document, tracked until it is resolved:
/// the owner answers it (done, or why not) before sending the next version; the reviewer sees the
/// answers before deciding and keeps a remark open by returning again, or closes it.
public struct Remark: Codable, Sendable, Hashable {
    public var id: Int64
    public var itemID: Int64
    public var text: String
    public var returnedAt: Date
    /// Who returned the document with it, by name.
    public var returnedBy: String
    public var answer: RemarkAnswer?
    public var answerText: String?
    public var answeredAt: Date?
    public var answeredBy: String?
    public var closedAt: Date?

    public var state: RemarkState { closedAt != nil ? .closed : answer == nil ? .open : .answered }

    public init(id: Int64, itemID: Int64, text: String, returnedAt: Date, returnedBy: String, answer: RemarkAnswer? = nil,
                answerText: String? = nil, answeredAt: Date? = nil, answeredBy: String? = nil, closedAt: Date? = nil) {
        self.id = id
        self.itemID = itemID
        self.text = text
        self.returnedAt = returnedAt
        self.returnedBy = returnedBy
        self.answer = answer
        self.answerText = answerText
        self.answeredAt = answeredAt
        self.answeredBy = answeredBy
        self.closedAt = closedAt
    }
}

/// The remarks a return comment holds: each item of a list («- …», «• …», «1. …», «2) …») is one, a
/// line without a marker continues the item above it; a comment without a list is one remark.
/// An introduction before the list ending in a colon («Исправьте:») is not a remark of its own.
public enum RemarkList {
    public static let maximumCount = 30
    /// As long as a return's whole comment may be.
    public static let maximumLength = 5_000

    public static func split(_ comment: String) -> [String] {
        let lines = comment.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var items: [String] = []
        var preamble: [String] = []
        for line in lines {
            if let rest = listItem(line) {
                items.append(rest)
            } else if items.isEmpty {
                preamble.append(line)
            } else {
                items[items.count - 1] += "\n" + line
            }
        }
        guard items.count >= 2 else { return comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? [] : [comment.trimmingCharacters(in: .whitespacesAndNewlines)] }
        let intro = preamble.joined(separator: "\n")
        if !intro.isEmpty && !intro.hasSuffix(":") { items.insert(intro, at: 0) }
        return items
    }

    /// The text of a list item without its marker, or nil for a line that starts no item.
    static func listItem(_ line: String) -> String? {
        if let first = line.first, "-•*–—".contains(first) {
            let rest = line.dropFirst().trimmingCharacters(in: .whitespaces)
            return rest.isEmpty ? nil : rest
        }
        let digits = line.prefix { $0.isNumber }
        guard !digits.isEmpty, digits.count <= 2 else { return nil }
        let after = line.dropFirst(digits.count)
        guard let marker = after.first, marker == "." || marker == ")" else { return nil }
        let rest = after.dropFirst().trimmingCharacters(in: .whitespaces)
        // «1.5 балла» is not an item: the marker is followed by a space or the text.
        guard !rest.isEmpty, !(rest.first?.isNumber ?? false) else { return nil }
        return rest
    }
}
