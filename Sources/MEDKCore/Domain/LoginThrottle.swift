import Foundation

/// How hard guessing a password is made (OWASP ASVS 2.2.1, NIST SP 800-63B §5.2.2): limits per
/// client address and per login from one address, a slow-down of the login as a whole rather
/// than a lock its owner cannot lift, and a ceiling of failures per login per hour.
///
/// Counted by the login as typed (normalised), whether or not such an account exists: an
/// unknown login is throttled exactly like a real one, so throttling tells nothing about which
/// logins exist.
public struct LoginThrottle: Sendable, Hashable {
    /// Failures one address may make, across all logins, within `addressWindow` (attempts still
    /// being checked do not count here: many people behind one address may sign in at once).
    public var failuresPerAddress: Int
    public var addressWindow: TimeInterval
    /// Failures on one login from one address before each further try must wait, doubling.
    public var failuresPerPair: Int
    public var pairWindow: TimeInterval
    /// Failures on one login from anywhere before each further try must wait, doubling up to
    /// `longestAccountDelay`: slows a guesser spread over many addresses, costs the owner seconds.
    public var accountSlowDownAfter: Int
    public var longestAccountDelay: TimeInterval
    /// Failures on one login per hour from anywhere, after which no address may try it until the
    /// oldest of them is an hour old (NIST: at most 100 consecutive failures).
    public var accountCeiling: Int
    public static let accountWindow: TimeInterval = 3600

    public static let standard = LoginThrottle(failuresPerAddress: 30, addressWindow: 15 * 60,
                                               failuresPerPair: 5, pairWindow: 15 * 60,
                                               accountSlowDownAfter: 10, longestAccountDelay: 60, accountCeiling: 100)

    public init(failuresPerAddress: Int, addressWindow: TimeInterval, failuresPerPair: Int, pairWindow: TimeInterval,
                accountSlowDownAfter: Int, longestAccountDelay: TimeInterval, accountCeiling: Int) {
        self.failuresPerAddress = failuresPerAddress
        self.addressWindow = addressWindow
        self.failuresPerPair = failuresPerPair
        self.pairWindow = pairWindow
        self.accountSlowDownAfter = accountSlowDownAfter
        self.longestAccountDelay = longestAccountDelay
        self.accountCeiling = accountCeiling
    }

    /// The longest window anything is counted over: older failures can be forgotten.
    public var memory: TimeInterval { max(addressWindow, pairWindow, Self.accountWindow) }

    /// Recent failures that bear on one attempt, as the store counts them.
    public struct Failures: Sendable, Hashable {
        /// Failures from the address within `addressWindow`, and the oldest of them.
        public var byAddress: Int
        public var oldestByAddress: Date?
        /// Failures on the login from the address within `pairWindow`, and the latest.
        public var byPair: Int
        public var latestByPair: Date?
        /// Failures on the login from anywhere within an hour, the oldest and the latest.
        public var byAccount: Int
        public var oldestByAccount: Date?
        public var latestByAccount: Date?

        public init(byAddress: Int = 0, oldestByAddress: Date? = nil, byPair: Int = 0, latestByPair: Date? = nil,
                    byAccount: Int = 0, oldestByAccount: Date? = nil, latestByAccount: Date? = nil) {
            self.byAddress = byAddress
            self.oldestByAddress = oldestByAddress
            self.byPair = byPair
            self.latestByPair = latestByPair
            self.byAccount = byAccount
            self.oldestByAccount = oldestByAccount
            self.latestByAccount = latestByAccount
        }
    }

    public enum Refusal: String, Sendable, Hashable {
        case address, pair, account, ceiling
    }

    /// Whether an attempt may be checked now, or how long it must wait and why.
    public func admit(_ failures: Failures, at now: Date) -> (retryAfter: TimeInterval, reason: Refusal)? {
        var waits: [(TimeInterval, Refusal)] = []
        if failures.byAccount >= accountCeiling, let oldest = failures.oldestByAccount {
            waits.append((oldest.addingTimeInterval(Self.accountWindow).timeIntervalSince(now), .ceiling))
        }
        if failures.byAddress >= failuresPerAddress, let oldest = failures.oldestByAddress {
            waits.append((oldest.addingTimeInterval(addressWindow).timeIntervalSince(now), .address))
        }
        if failures.byPair >= failuresPerPair, let latest = failures.latestByPair {
            let delay = min(Self.doubling(from: 1, steps: failures.byPair - failuresPerPair), pairWindow)
            waits.append((latest.addingTimeInterval(delay).timeIntervalSince(now), .pair))
        }
        if failures.byAccount >= accountSlowDownAfter, let latest = failures.latestByAccount {
            let delay = min(Self.doubling(from: 1, steps: failures.byAccount - accountSlowDownAfter), longestAccountDelay)
            waits.append((latest.addingTimeInterval(delay).timeIntervalSince(now), .account))
        }
        guard let longest = waits.filter({ $0.0 > 0 }).max(by: { $0.0 < $1.0 }) else { return nil }
        return (longest.0.rounded(.up), longest.1)
    }

    private static func doubling(from seconds: TimeInterval, steps: Int) -> TimeInterval {
        seconds * pow(2, Double(min(max(steps, 0), 30)))
    }
}
