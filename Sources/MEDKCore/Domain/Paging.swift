import Foundation

/// Where the next page of a list starts: the sort key of the last row shown, opaque to clients.
/// Keyset paging keeps a page stable while rows are added or leave the list (a curator
/// confirming from the queue does not make the next page skip an item).
public struct PageCursor: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The sort key values of the last row, in the list's sort order.
    public var key: [String]

    public init(key: [String]) { self.key = key }

    /// Longest cursor accepted from a client; real ones are a few dozen characters.
    static let maximumLength = 512

    /// base64url of the key joined by a separator that cannot occur in it.
    public var description: String {
        Data(key.joined(separator: "\u{1F}").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads a cursor a client sent back; anything else is a clear refusal, never a crash.
    public init(parsing text: String) throws(MEDKError) {
        guard text.count <= Self.maximumLength else { throw Self.invalid }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let joined = String(data: data, encoding: .utf8) else { throw Self.invalid }
        key = joined.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid cursor"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static let invalid = MEDKError.rejected("invalid_cursor", "Неверная ссылка на страницу списка: откройте список с начала.")

    /// The key as the list expects it: `count` parts, or a refusal.
    func parts(_ count: Int) throws(MEDKError) -> [String] {
        guard key.count == count else { throw Self.invalid }
        return key
    }

    func integer(at index: Int) throws(MEDKError) -> Int64 {
        guard index < key.count, let value = Int64(key[index]) else { throw Self.invalid }
        return value
    }
}

/// Which page of a list to read.
public struct PageRequest: Sendable, Hashable {
    public var limit: Int
    public var after: PageCursor?
    /// False when the caller already knows the total or does not need it (a download reading the
    /// list page after page): the page then says only that the total is at least zero.
    public var countsTotal: Bool

    public static let defaultLimit = 50
    public static let maximumLimit = 500

    public init(limit: Int = PageRequest.defaultLimit, after: PageCursor? = nil, countsTotal: Bool = true) {
        self.limit = limit
        self.after = after
        self.countsTotal = countsTotal
    }

    /// The first page with the default size.
    public static let first = PageRequest()

    /// A page size within bounds, or a refusal naming them.
    public static func validated(limit: Int?, after cursor: String?) throws(MEDKError) -> PageRequest {
        let limit = limit ?? defaultLimit
        guard (1...maximumLimit).contains(limit) else {
            throw MEDKError.invalid("invalid_limit", "Размер страницы — от 1 до \(maximumLimit) строк.")
        }
        return PageRequest(limit: limit, after: try cursor.map { text throws(MEDKError) in try PageCursor(parsing: text) })
    }
}

/// One page of a list: its rows, how many rows the whole list has, and where the next page starts.
public struct Page<Element: Sendable>: Sendable {
    public var items: [Element]
    /// Rows in the whole list, counted up to `Page.countLimit`; past it, the limit itself.
    public var total: Int
    /// True when the list has more rows than `total` says (counting stopped at the limit).
    public var totalIsLowerBound: Bool
    /// Nil on the last page.
    public var nextCursor: PageCursor?

    /// Lists are counted exactly up to this many rows: a region's 76,000 items took most of a page's
    /// time to count, and nobody pages through them; territory totals people act on (overdue
    /// measures, schools late) come exact from the compliance report.
    public static var countLimit: Int { 10_000 }

    public init(items: [Element], total: Int, totalIsLowerBound: Bool = false, nextCursor: PageCursor?) {
        self.items = items
        self.total = total
        self.totalIsLowerBound = totalIsLowerBound
        self.nextCursor = nextCursor
    }

    public func map<T: Sendable>(_ transform: (Element) throws -> T) rethrows -> Page<T> {
        Page<T>(items: try items.map(transform), total: total, totalIsLowerBound: totalIsLowerBound, nextCursor: nextCursor)
    }
}

extension Page: Codable where Element: Codable {}
extension Page: Equatable where Element: Equatable {}
extension Page: Hashable where Element: Hashable {}
