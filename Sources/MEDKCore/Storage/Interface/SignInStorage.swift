import Foundation

/// A device that signed in to an account: the hash of the token it was given then, and when it
/// last signed in (it is trusted for `KnownDevice.trustedFor` after that).
struct KnownDevice: Sendable, Hashable {
    var id: Int64
    var userID: Int64
    var lastSignedIn: Date

    /// A device unused for this long is a stranger again.
    static let trustedFor: TimeInterval = 180 * 86_400
    /// Devices remembered per account: the most recently used are kept.
    static let perAccount = 10
}

/// What the login throttle remembers: attempts (counted as failures until proven otherwise) by
/// login as typed, client address and, for a known device, the device; and the known devices.
protocol SignInReading {
    /// Failed (or still checked) sign-ins of unknown devices that bear on an attempt of `login`
    /// (as typed, lower-cased) from `address`.
    func recentLoginFailures(login: String, address: String, throttle: LoginThrottle, at: Date) throws -> LoginThrottle.Failures
    /// A known device's failed (or still checked) sign-ins within `window` before `moment`.
    func recentDeviceFailures(deviceID: Int64, window: TimeInterval, at moment: Date) throws -> LoginThrottle.DeviceFailures
    /// The device that was given the token with this hash, if it still exists.
    func knownDevice(tokenHash: String) throws -> KnownDevice?
}

protocol SignInWriting {
    /// Makes this transaction the only one admitting attempts for these keys (a login, an address)
    /// until it ends, so that counting the attempts and admitting one is a single step.
    func serializeSignIns(keys: [String]) throws
    /// Counts an attempt as failed until it is proven otherwise (then `forgetLoginFailures`);
    /// a known device's attempt is counted against that device only.
    func insertLoginFailure(login: String, address: String, deviceID: Int64?, at: Date) throws -> Int64
    /// Records that an attempt, counted before its check, did fail.
    func settleLoginFailure(id: Int64) throws
    /// Forgets one attempt that was never checked (the server was too busy to check it).
    func forgetLoginFailure(id: Int64) throws
    /// Forgets failures too old for the throttle to count.
    func forgetLoginFailures(before: Date) throws
    /// Forgets the unknown-device failures of one login from one address: its owner signed in from there.
    func forgetLoginFailures(login: String, address: String) throws
    /// Forgets a known device's failures: its owner signed in on it.
    func forgetDeviceFailures(deviceID: Int64) throws
    /// Remembers a device by its new token's hash (replacing the token it showed, if any), and
    /// forgets the account's least recently used devices beyond `KnownDevice.perAccount`.
    func rememberDevice(tokenHash: String, userID: Int64, replacing: Int64?, at: Date) throws
}
