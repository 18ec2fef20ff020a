import Crypto
import _CryptoExtras
import Foundation

/// scrypt over the whole UTF-8 password: unlike bcrypt, nothing past 72 bytes is dropped,
/// so a long Cyrillic pass-phrase counts in full.
public struct PasswordHasher: Sendable {
    public var logRounds: Int
    public var blockSize: Int
    public var parallelism: Int

    /// N = 2^15, r = 8, p = 1: ≈32 MiB and a few tens of ms per check here.
    public static let standard = PasswordHasher(logRounds: 15, blockSize: 8, parallelism: 1)
    /// Cheap parameters for tests only.
    public static let fastForTests = PasswordHasher(logRounds: 4, blockSize: 8, parallelism: 1)

    public init(logRounds: Int, blockSize: Int, parallelism: Int) {
        self.logRounds = logRounds
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    public static let minimumLength = 8
    public static let maximumLength = 1024

    public static func validate(_ password: String) throws(MEDKError) {
        guard password.count >= minimumLength else {
            throw .rejected("weak_password", "Пароль должен быть не короче \(minimumLength) символов.")
        }
        guard password.utf8.count <= maximumLength else {
            throw .rejected("password_too_long", "Пароль слишком длинный (не более \(maximumLength) байт).")
        }
    }

    public func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        let key = try derive(password, salt: salt, logRounds: logRounds, blockSize: blockSize, parallelism: parallelism)
        return "scrypt$\(logRounds)$\(blockSize)$\(parallelism)$\(Data(salt).base64EncodedString())$\(key.base64EncodedString())"
    }

    /// Parameters come from the stored hash, so raising them later keeps old hashes valid.
    public func verify(_ password: String, against stored: String) throws -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt",
              let logN = Int(parts[1]), let r = Int(parts[2]), let p = Int(parts[3]),
              (1...20).contains(logN), (1...32).contains(r), (1...16).contains(p),
              let salt = Data(base64Encoded: parts[4]), let expected = Data(base64Encoded: parts[5])
        else { return false }
        let actual = try derive(password, salt: Array(salt), logRounds: logN, blockSize: r, parallelism: p)
        return constantTimeEqual(Array(actual), Array(expected))
    }

    private func derive(_ password: String, salt: [UInt8], logRounds: Int, blockSize: Int, parallelism: Int) throws -> Data {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.precomposedStringWithCanonicalMapping.utf8), salt: salt, outputByteCount: 32,
            rounds: 1 << logRounds, blockSize: blockSize, parallelism: parallelism)
        return key.withUnsafeBytes { Data($0) }
    }
}

func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}

/// Bearer tokens: 256 random bits shown once; only their SHA-256 is stored.
public enum SessionToken {
    public static func generate() -> String {
        "medk_" + randomURLSafe()
    }

    /// A device token (`LoginResult.deviceToken`): what a device shows to be judged as one that
    /// signed in before. Kept hashed, like sessions.
    public static func generateDevice() -> String {
        "medkd_" + randomURLSafe()
    }

    /// What a device token looks like; anything else is not looked up.
    static func isPlausibleDeviceToken(_ token: String) -> Bool {
        token.utf8.count == 49 && token.hasPrefix("medkd_") && token.utf8.dropFirst(6).allSatisfy {
            $0 == 45 || $0 == 95 || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0)
        }
    }

    /// 32 random bytes as unpadded URL-safe base64: 43 characters of [A-Za-z0-9_-].
    public static func randomURLSafe() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }
}
