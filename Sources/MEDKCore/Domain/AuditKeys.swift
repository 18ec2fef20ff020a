import Crypto
import Foundation

/// A secret that keys the audit chain from one row on: each row's hash is an HMAC-SHA256 under
/// it, so nobody without the key can append, rewrite or re-chain rows that verify. It lives
/// outside the database (a 0600 file next to it, or `MEDK_AUDIT_KEY`), and it also signs
/// checkpoints (an Ed25519 key derived from it), which let anyone holding one prove later that
/// the log still extends it: nothing before it was rewritten and nothing was cut off.
public struct AuditKey: Sendable, Hashable {
    /// The first eight bytes of the key's SHA-256, in hex: names the key without revealing it.
    public let id: String
    /// The first row hashed under this key.
    public let fromSeq: Int64
    let secret: [UInt8]

    public init(secret: [UInt8], fromSeq: Int64) {
        self.secret = secret
        self.fromSeq = fromSeq
        id = Array(SHA256.hash(data: secret)).prefix(8).hexString
    }

    public static func generate(fromSeq: Int64) -> AuditKey {
        var generator = SystemRandomNumberGenerator()
        return AuditKey(secret: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }, fromSeq: fromSeq)
    }

    var symmetric: SymmetricKey { SymmetricKey(data: secret) }

    /// The checkpoint signing key: derived, so that one secret is all an operator keeps.
    func signingKey() throws -> Curve25519.Signing.PrivateKey {
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: symmetric, info: Data("medk audit checkpoint signing v1".utf8),
                                             outputByteCount: 32)
        return try Curve25519.Signing.PrivateKey(rawRepresentation: derived.withUnsafeBytes { Data($0) })
    }

    public func publicKey() throws -> String { try signingKey().publicKey.rawRepresentation.base64EncodedString() }
}

/// The keys an installation's audit log was hashed with, oldest first. Rows before the first
/// key's `fromSeq` predate keying (plain SHA-256 chain, from before this version).
public struct AuditKeyRing: Sendable, Hashable {
    public private(set) var keys: [AuditKey]

    public init(_ keys: [AuditKey] = []) { self.keys = keys.sorted { $0.fromSeq < $1.fromSeq } }

    public var isEmpty: Bool { keys.isEmpty }
    public var newest: AuditKey? { keys.last }

    /// The key that hashes row `seq`, or nil for rows older than keying.
    public func key(for seq: Int64) -> AuditKey? { keys.last { $0.fromSeq <= seq } }

    public func key(id: String) -> AuditKey? { keys.first { $0.id == id } }

    public mutating func add(_ key: AuditKey) {
        keys.append(key)
        keys.sort { $0.fromSeq < $1.fromSeq }
    }

    /// The file's text: one `key ID FROM_SEQ BASE64` line per key, comments allowed.
    public var fileText: String {
        "# Ключи журнала аудита МЭДК. Храните в секрете и отдельно от копий базы. Старые ключи не удаляйте.\n"
            + keys.map { "key \($0.id) \($0.fromSeq) \(Data($0.secret).base64EncodedString())\n" }.joined()
    }

    /// Reads the file's text (or `MEDK_AUDIT_KEY`, the same lines, `;` allowed between them).
    public init(parsing text: String) throws(MEDKError) {
        var keys: [AuditKey] = []
        // Comment lines first (they may hold anything), then `;` between keys on one line.
        let lines = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        for line in lines.flatMap({ $0.split(separator: ";") }) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.isEmpty { continue }
            guard fields.count == 4, fields[0] == "key", let from = Int64(fields[2]), from >= 1,
                  let secret = Data(base64Encoded: String(fields[3])), secret.count == 32 else {
                throw Self.unreadable
            }
            let key = AuditKey(secret: Array(secret), fromSeq: from)
            guard key.id == fields[1] else { throw Self.unreadable }
            keys.append(key)
        }
        guard Set(keys.map(\.fromSeq)).count == keys.count else { throw Self.unreadable }
        self.init(keys)
    }

    static let unreadable = MEDKError(.internalFailure, code: "audit_key_unreadable",
                                      message: "Файл ключей журнала аудита повреждён: ожидаются строки «key ИД НОМЕР КЛЮЧ_BASE64».")
}

/// A signed statement that the audit log had `seq` rows ending with `hash` at `at`. Kept outside
/// the server (printed by `medk audit checkpoint`), it lets `medk audit verify --checkpoint`
/// prove that the log still extends it.
public struct AuditCheckpoint: Codable, Sendable, Hashable {
    public var seq: Int64
    public var hash: String
    public var at: String
    public var keyID: String
    /// Ed25519 public key (base64) the signature verifies with.
    public var publicKey: String
    public var signature: String

    static func message(seq: Int64, hash: String, at: String, keyID: String) -> Data {
        Data("medk-audit-checkpoint v1\n\(seq)\n\(hash)\n\(at)\n\(keyID)\n".utf8)
    }

    static func signed(seq: Int64, hash: String, at: String, with key: AuditKey) throws -> AuditCheckpoint {
        let signature = try key.signingKey().signature(for: message(seq: seq, hash: hash, at: at, keyID: key.id))
        return AuditCheckpoint(seq: seq, hash: hash, at: at, keyID: key.id, publicKey: try key.publicKey(),
                               signature: signature.base64EncodedString())
    }

    /// True when the signature holds and was made by a key of `ring` (not by anyone's key).
    func isSigned(by ring: AuditKeyRing) -> Bool {
        guard let key = ring.key(id: keyID), (try? key.publicKey()) == publicKey,
              let signature = Data(base64Encoded: signature),
              let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: Data(base64Encoded: publicKey) ?? Data())
        else { return false }
        return publicKey.isValidSignature(signature, for: Self.message(seq: seq, hash: hash, at: at, keyID: keyID))
    }
}
