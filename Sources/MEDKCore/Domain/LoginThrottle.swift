import Foundation

/// How hard guessing a password is made (OWASP ASVS 2.2.1, NIST SP 800-63B §5.2.2): limits per
/// client address and per login from one address, a slow-down of the login as a whole rather
/// than a lock its owner cannot lift, and a ceiling of failures per login per hour.
///
/// Counted by the login as typed (normalised), whether or not such an account exists: an
/// unknown login is throttled exactly like a real one, so throttling tells nothing about which
/// logins exist.
///
/// A device that has signed in to the account before (it shows a device token the server gave it
/// then: OWASP's «device cookies») is judged by its own failures only, so that neither a
/// neighbour's failures behind the same address nor a guesser spread over many addresses keeps
/// the owner out; every other attempt is an unknown device's and counted by the limits above.
public struct LoginThrottle: Sendable, Hashable {
    /// Attempts one address may have failed or still be checking, across all logins, within
    /// `addressWindow`: a burst is reserved one by one, so it gets this many checks at most.
    public var failuresPerAddress: Int
    public var addressWindow: TimeInterval
    /// Failures on one login from one address before each further try must wait, doubling.
    public var failuresPerPair: Int
    public var pairWindow: TimeInterval
    /// Failures on one login from anywhere before each further try must wait, doubling up to
    /// `longestAccountDelay`: slows a guesser spread over many addresses, costs the owner seconds.
    public var accountSlowDownAfter: Int
    public var longestAccountDelay: TimeInterval
    /// Failures on one login per hour from anywhere, after which no unknown device may try it
    /// until the oldest of them is an hour old (NIST: at most 100 consecutive failures).
    public var accountCeiling: Int
    public static let accountWindow: TimeInterval = 3600
    /// Failures a known device may make on its account within `deviceWindow` before it waits
    /// for the oldest of them to age out (a stolen device token buys no more guesses than this).
    public var failuresPerDevice: Int
    public var deviceWindow: TimeInterval

    public static let standard = LoginThrottle(failuresPerAddress: 30, addressWindow: 15 * 60,
                                               failuresPerPair: 5, pairWindow: 15 * 60,
                                               accountSlowDownAfter: 10, longestAccountDelay: 60, accountCeiling: 100,
                                               failuresPerDevice: 10, deviceWindow: 15 * 60)

    public init(failuresPerAddress: Int, addressWindow: TimeInterval, failuresPerPair: Int, pairWindow: TimeInterval,
                accountSlowDownAfter: Int, longestAccountDelay: TimeInterval, accountCeiling: Int,
                failuresPerDevice: Int = 10, deviceWindow: TimeInterval = 15 * 60) {
        self.failuresPerAddress = failuresPerAddress
        self.addressWindow = addressWindow
        self.failuresPerPair = failuresPerPair
        self.pairWindow = pairWindow
        self.accountSlowDownAfter = accountSlowDownAfter
        self.longestAccountDelay = longestAccountDelay
        self.accountCeiling = accountCeiling
        self.failuresPerDevice = failuresPerDevice
        self.deviceWindow = deviceWindow
    }

    /// The longest window anything is counted over: older failures can be forgotten.
    public var memory: TimeInterval { max(addressWindow, pairWindow, Self.accountWindow, deviceWindow) }

    /// Recent failures of unknown devices that bear on one attempt, as the store counts them.
    public struct Failures: Sendable, Hashable {
        /// Failures from the address within `addressWindow`, and the oldest of them.
        public var byAddress: Int
        public var oldestByAddress: Date?
        /// Attempts from the address still being checked: each may yet be a failure.
        public var pendingByAddress: Int
        /// Failures on the login from the address within `pairWindow`, and the latest.
        public var byPair: Int
        public var latestByPair: Date?
        /// Failures on the login from anywhere within an hour, the oldest and the latest.
        public var byAccount: Int
        public var oldestByAccount: Date?
        public var latestByAccount: Date?

        public init(byAddress: Int = 0, oldestByAddress: Date? = nil, pendingByAddress: Int = 0, byPair: Int = 0,
                    latestByPair: Date? = nil, byAccount: Int = 0, oldestByAccount: Date? = nil, latestByAccount: Date? = nil) {
            self.byAddress = byAddress
            self.oldestByAddress = oldestByAddress
            self.pendingByAddress = pendingByAddress
            self.byPair = byPair
            self.latestByPair = latestByPair
            self.byAccount = byAccount
            self.oldestByAccount = oldestByAccount
            self.latestByAccount = latestByAccount
        }
    }

    /// A known device's recent failures on its account (attempts still being checked included).
    public struct DeviceFailures: Sendable, Hashable {
        public var count: Int
        public var oldest: Date?

        public init(count: Int = 0, oldest: Date? = nil) {
            self.count = count
            self.oldest = oldest
        }
    }

    public enum Refusal: String, Sendable, Hashable, CaseIterable {
        case address, pair, account, ceiling, device
    }

    /// How long a moment is: what an attempt refused only for others still being checked waits
    /// (a check takes well under a second).
    static let pendingWait: TimeInterval = 1

    /// Whether an unknown device's attempt may be checked now, or how long it must wait and why.
    public func admit(_ failures: Failures, at now: Date) -> (retryAfter: TimeInterval, reason: Refusal)? {
        var waits: [(TimeInterval, Refusal)] = []
        if failures.byAccount >= accountCeiling, let oldest = failures.oldestByAccount {
            waits.append((oldest.addingTimeInterval(Self.accountWindow).timeIntervalSince(now), .ceiling))
        }
        if failures.byAddress >= failuresPerAddress, let oldest = failures.oldestByAddress {
            waits.append((oldest.addingTimeInterval(addressWindow).timeIntervalSince(now), .address))
        } else if failures.byAddress + failures.pendingByAddress >= failuresPerAddress {
            // The address's allowance is taken by attempts still being checked: try again in a moment.
            waits.append((Self.pendingWait, .address))
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

    /// Whether a known device's attempt may be checked now: only its own failures count.
    public func admit(device failures: DeviceFailures, at now: Date) -> (retryAfter: TimeInterval, reason: Refusal)? {
        guard failures.count >= failuresPerDevice else { return nil }
        let wait = failures.oldest.map { $0.addingTimeInterval(deviceWindow).timeIntervalSince(now) } ?? Self.pendingWait
        return (max(wait, Self.pendingWait).rounded(.up), .device)
    }

    private static func doubling(from seconds: TimeInterval, steps: Int) -> TimeInterval {
        seconds * pow(2, Double(min(max(steps, 0), 30)))
    }
}
