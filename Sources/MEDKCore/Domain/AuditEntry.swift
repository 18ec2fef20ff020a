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
    public var actorRole: String?
    public var action: String
    public var entityType: String
    public var entityID: String?
    public var fromState: String?
    public var toState: String?
    public var comment: String?
    /// Compact JSON with sorted keys.
    public var details: String
    public var prevHash: String
    public var hash: String

    public static let genesisHash = String(repeating: "0", count: 64)

    public init(seq: Int64, at: String, actorID: Int64?, actorLogin: String, actorRole: String?, action: String,
                entityType: String, entityID: String?, fromState: String?, toState: String?, comment: String?,
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

    /// The hash this row must carry given its content and the previous row's hash.
    public func computedHash() -> String {
        var canonical = ""
        let fields: [String?] = [
            String(seq), at, actorID.map { String($0) }, actorLogin, actorRole, action, entityType,
            entityID, fromState, toState, comment, details, prevHash,
        ]
        // Length-prefixed so that no two different rows serialise alike.
        for field in fields {
            if let field {
                canonical += "\(field.utf8.count):\(field);"
            } else {
                canonical += "-;"
            }
        }
        return SHA256.hash(data: Data(canonical.utf8)).hexString
    }
}

/// What an action records; the store fills in sequence, time and chain.
public struct AuditRecord: Sendable {
    public var action: String
    public var entityType: String
    public var entityID: String?
    public var fromState: String?
    public var toState: String?
    public var comment: String?
    public var details: [String: String]

    public init(action: String, entityType: String, entityID: String? = nil, fromState: String? = nil,
                toState: String? = nil, comment: String? = nil, details: [String: String] = [:]) {
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.fromState = fromState
        self.toState = toState
        self.comment = comment
        self.details = details
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
    public static func verify(_ rows: some Sequence<AuditEntry>) -> AuditVerification {
        var previousHash = AuditEntry.genesisHash
        var expectedSeq: Int64 = 1
        var count = 0
        for row in rows {
            if row.seq != expectedSeq {
                return .broken(seq: row.seq, reason: row.seq > expectedSeq
                    ? "пропущены записи \(expectedSeq)…\(row.seq - 1): строки удалены"
                    : "нарушен порядок номеров: строка вставлена")
            }
            if row.prevHash != previousHash {
                return .broken(seq: row.seq, reason: "ссылка на предыдущую запись не совпадает: строка вставлена или предыдущая удалена/изменена")
            }
            if row.computedHash() != row.hash {
                return .broken(seq: row.seq, reason: "содержимое записи изменено: хеш не совпадает")
            }
            previousHash = row.hash
            expectedSeq += 1
            count += 1
        }
        return .intact(rows: count, lastHash: previousHash)
    }

    static func canonicalJSON(_ details: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(details)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

extension Sequence where Element == UInt8 {
    public var hexString: String {
        var out = ""
        for byte in self {
            out += String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }
        return out
    }
}

extension Digest {
    public var hexString: String { Array(self).hexString }
}

public enum Timestamp {
    /// The one text form of instants in the database and the audit chain.
    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func date(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    /// Millisecond precision, so that a stored instant reads back equal.
    public static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
