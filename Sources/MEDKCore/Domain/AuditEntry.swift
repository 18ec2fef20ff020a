import Crypto
import Foundation

/// One append-only audit row. `hash` chains it to the row before, so that editing,
/// deleting or inserting any row breaks the chain at that row.
public struct AuditEntry: Codable, Sendable, Hashable {
    public var seq: Int64
    /// UTC, millisecond precision, ISO 8601 — stored and hashed as this exact text.
    public var at: String
    public var actorID: Int64?
    public var actorLogin: String
    public var actorRole: Role?
    public var action: AuditAction
    public var entityType: AuditEntity
    public var entityID: Int64?
    /// Review states for items; the old and new due date for a shifted milestone.
    public var fromState: String?
    public var toState: String?
    public var comment: String?
    /// Compact JSON with sorted keys.
    public var details: String
    public var prevHash: String
    public var hash: String

    public static let genesisHash = String(repeating: "0", count: 64)

    public init(seq: Int64, at: String, actorID: Int64?, actorLogin: String, actorRole: Role?, action: AuditAction,
                entityType: AuditEntity, entityID: Int64?, fromState: String?, toState: String?, comment: String?,
                details: String, prevHash: String, hash: String) {
        self.seq = seq
        self.at = at
        self.actorID = actorID
        self.actorLogin = actorLogin
        self.actorRole = actorRole
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.fromState = fromState
        self.toState = toState
        self.comment = comment
        self.details = details
        self.prevHash = prevHash
        self.hash = hash
    }

    /// The hash this row must carry given its content and the previous row's hash: an
    /// HMAC-SHA256 under the audit key that covers its sequence number, SHA-256 for rows older
    /// than keying.
    public func computedHash(key: AuditKey?) -> String {
        var canonical = ""
        let fields: [String?] = [
            String(seq), at, actorID.map { String($0) }, actorLogin, actorRole?.rawValue, action.rawValue,
            entityType.rawValue, entityID.map { String($0) }, fromState, toState, comment, details, prevHash,
        ]
        // Length-prefixed so that no two different rows serialise alike.
        for field in fields {
            if let field {
                canonical += "\(field.utf8.count):\(field);"
            } else {
                canonical += "-;"
            }
        }
        guard let key else { return SHA256.hash(data: Data(canonical.utf8)).hexString }
        return Array(HMAC<SHA256>.authenticationCode(for: Data(canonical.utf8), using: key.symmetric)).hexString
    }

    /// The details as the action recorded them.
    public var detailValues: [String: String] { FlatJSON.decode(details) }
}

/// What an action records; the store fills in sequence, time and chain.
public struct AuditRecord: Sendable {
    public var action: AuditAction
    public var entityType: AuditEntity
    public var entityID: Int64?
    public var fromState: String?
    public var toState: String?
    public var comment: String?
    public var details: [String: String]

    public init(action: AuditAction, entityType: AuditEntity, entityID: Int64? = nil, fromState: String? = nil,
                toState: String? = nil, comment: String? = nil, details: [String: String] = [:]) {
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.fromState = fromState
        self.toState = toState
        self.comment = comment
        self.details = details
    }

    /// A row about an item that stays in the same state (uploads, edits, comments).
    public static func item(_ action: AuditAction, _ itemID: Int64, state: ReviewState? = nil, comment: String? = nil,
                            details: [String: String] = [:]) -> AuditRecord {
        AuditRecord(action: action, entityType: .item, entityID: itemID, fromState: state?.rawValue,
                    toState: state?.rawValue, comment: comment, details: details)
    }
}

/// Result of recomputing the chain.
public enum AuditVerification: Sendable, Equatable {
    case intact(rows: Int, lastHash: String)
    /// The first row at which the chain no longer holds, and why.
    case broken(seq: Int64, reason: String)
}

public enum AuditChain {
    /// Walks rows in sequence order and names the first one that does not fit.
    public static func verify(_ rows: some Sequence<AuditEntry>, keys: AuditKeyRing) -> AuditVerification {
        var verifier = Verifier(keys: keys)
        for row in rows {
            if let broken = verifier.check(row) { return broken }
        }
        return verifier.result
    }

    /// Checks rows one at a time, so that millions can stream through in constant memory.
    public struct Verifier: Sendable {
        private var previousHash = AuditEntry.genesisHash
        private var expectedSeq: Int64 = 1
        private var count = 0
        private let keys: AuditKeyRing

        public init(keys: AuditKeyRing) { self.keys = keys }

        /// Nil while the chain holds; the break otherwise.
        public mutating func check(_ row: AuditEntry) -> AuditVerification? {
            if row.seq != expectedSeq {
                return .broken(seq: row.seq, reason: row.seq > expectedSeq
                    ? "пропущены записи \(expectedSeq)…\(row.seq - 1): строки удалены"
                    : "нарушен порядок номеров: строка вставлена")
            }
            if row.prevHash != previousHash {
                return .broken(seq: row.seq, reason: "ссылка на предыдущую запись не совпадает: строка вставлена или предыдущая удалена/изменена")
            }
            if row.computedHash(key: keys.key(for: row.seq)) != row.hash {
                return .broken(seq: row.seq, reason: keys.isEmpty
                    ? "содержимое записи изменено: хеш не совпадает (или журнал ведётся с ключом, а ключа здесь нет)"
                    : "содержимое записи изменено или запись подделана без ключа журнала: хеш не совпадает")
            }
            previousHash = row.hash
            expectedSeq += 1
            count += 1
            return nil
        }

        public var result: AuditVerification { .intact(rows: count, lastHash: previousHash) }
    }

    static func canonicalJSON(_ details: [String: String]) -> String { FlatJSON.encode(details) }
}

extension Sequence where Element == UInt8 {
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Digest {
    public var hexString: String { Array(self).hexString }
}

/// The text forms of instants: ISO 8601 in the audit chain (`2026-03-15T12:00:00.000Z`, stored and
/// hashed as this exact text) and `2026-03-15 12:00:00.000` in the database's columns. Both are
/// UTC with milliseconds, written and read by integer arithmetic: every write formats a few of
/// them and Foundation's formatters (ICU underneath) dominated the write path.
public enum Timestamp {
    /// The one text form of instants in the audit chain.
    public static func string(_ date: Date) -> String { format(date, separator: "T", zone: "Z") }

    public static func date(_ text: String) -> Date? { parse(text, separator: "T", zone: "Z") }

    /// The form of instants in the database's columns (as GRDB has always written them).
    public static func columnString(_ date: Date) -> String { format(date, separator: " ", zone: "") }

    public static func columnDate(_ text: String) -> Date? { parse(text, separator: " ", zone: "") }

    /// ISO 8601 to the second (`2026-03-15T12:00:00Z`): what the API's JSON carries, as Foundation's
    /// `.iso8601` strategy writes it, only without the formatter behind it.
    public static func secondsString(_ date: Date) -> String {
        let full = format(date, separator: "T", zone: "Z")
        return String(full.prefix(19)) + "Z"
    }

    /// Millisecond precision, so that a stored instant reads back equal.
    public static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    private static func format(_ date: Date, separator: UInt8, zone: String) -> String {
        // Stored instants are whole milliseconds; the product may land a hair either side of the integer.
        let scaled = date.timeIntervalSince1970 * 1000
        let milliseconds = Int64(abs(scaled - scaled.rounded()) < 0.001 ? scaled.rounded() : scaled.rounded(.down))
        var days = Int(milliseconds / 86_400_000)
        var rest = Int(milliseconds % 86_400_000)
        if rest < 0 { rest += 86_400_000; days -= 1 }
        let day = CalendarDate(dayNumber: days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var value = value
            while divisor > 0 {
                bytes.append(UInt8(48 + value / divisor))
                value %= divisor
                divisor /= 10
            }
        }
        digits(day.year, 4); bytes.append(45); digits(day.month, 2); bytes.append(45); digits(day.day, 2)
        bytes.append(separator)
        digits(rest / 3_600_000, 2); bytes.append(58); digits(rest / 60_000 % 60, 2); bytes.append(58)
        digits(rest / 1000 % 60, 2); bytes.append(46); digits(rest % 1000, 3)
        bytes += Array(zone.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func format(_ date: Date, separator: Character, zone: String) -> String {
        format(date, separator: separator.asciiValue!, zone: zone)
    }

    /// Exactly `YYYY-MM-DD?HH:MM:SS.mmm` plus the zone suffix; anything else is nil.
    private static func parse(_ text: String, separator: Character, zone: String) -> Date? {
        let bytes = Array(text.utf8)
        let zoneBytes = Array(zone.utf8)
        guard bytes.count == 23 + zoneBytes.count, bytes[4] == 45, bytes[7] == 45, bytes[10] == separator.asciiValue!,
              bytes[13] == 58, bytes[16] == 58, bytes[19] == 46, Array(bytes[23...]) == zoneBytes else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), let millisecond = number(20..<23),
              let date = CalendarDate(year: year, month: month, day: day), hour < 24, minute < 60, second < 61 else { return nil }
        let milliseconds = Int64(date.dayNumber) * 86_400_000 + Int64(hour * 3_600_000 + minute * 60_000 + second * 1000 + millisecond)
        return Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }
}
