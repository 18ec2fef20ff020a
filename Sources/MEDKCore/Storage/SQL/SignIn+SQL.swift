import Foundation

/// Sign-in attempts, kept for as long as the throttle counts them (an hour): by login as typed
/// (lower-cased), client address, time in milliseconds and — for a known device — the device. An
/// attempt is written before its password is checked (`settled = 0`) and settled once it failed:
/// every limit counts both, so parallel guesses are reserved one by one. A known device's attempts
/// count against that device only; the limits of addresses and logins count unknown devices.
extension SQLTransaction {
    func serializeSignIns(keys: [String]) throws {
        guard let lock = dialect.transactionLock else { return }
        // Always in the same order, so that two attempts never wait for each other's second lock.
        for key in Set(keys).sorted() { try execute(lock, ["sign-in:" + key]) }
    }

    func recentLoginFailures(login: String, address: String, throttle: LoginThrottle, at now: Date) throws -> LoginThrottle.Failures {
        let nowMS = Self.milliseconds(now)
        var failures = LoginThrottle.Failures()
        if let row = try self.row("""
            SELECT count(*) FILTER (WHERE settled = 1), min(at_ms) FILTER (WHERE settled = 1), count(*) FILTER (WHERE settled = 0)
            FROM login_failures WHERE address = ? AND at_ms > ? AND device_id IS NULL
            """, [address, nowMS - Self.milliseconds(throttle.addressWindow)]) {
            failures.byAddress = row[0]
            failures.oldestByAddress = (row[1] as Int64?).map(Self.date)
            failures.pendingByAddress = row[2]
        }
        if let row = try self.row("""
            SELECT count(*), max(at_ms) FROM login_failures WHERE login = ? AND address = ? AND at_ms > ? AND device_id IS NULL
            """, [login, address, nowMS - Self.milliseconds(throttle.pairWindow)]) {
            failures.byPair = row[0]
            failures.latestByPair = (row[1] as Int64?).map(Self.date)
        }
        if let row = try self.row("""
            SELECT count(*), min(at_ms), max(at_ms) FROM login_failures WHERE login = ? AND at_ms > ? AND device_id IS NULL
            """, [login, nowMS - Self.milliseconds(LoginThrottle.accountWindow)]) {
            failures.byAccount = row[0]
            failures.oldestByAccount = (row[1] as Int64?).map(Self.date)
            failures.latestByAccount = (row[2] as Int64?).map(Self.date)
        }
        return failures
    }

    func recentDeviceFailures(deviceID: Int64, window: TimeInterval, at moment: Date) throws -> LoginThrottle.DeviceFailures {
        guard let row = try self.row("""
            SELECT count(*), min(at_ms) FROM login_failures WHERE device_id = ? AND at_ms > ?
            """, [deviceID, Self.milliseconds(moment) - Self.milliseconds(window)]) else { return .init() }
        return LoginThrottle.DeviceFailures(count: row[0], oldest: (row[1] as Int64?).map(Self.date))
    }

    func knownDevice(tokenHash: String) throws -> KnownDevice? {
        try row("SELECT id, user_id, last_signed_in_ms FROM login_devices WHERE token_hash = ?", [tokenHash]).map {
            KnownDevice(id: $0[0], userID: $0[1], lastSignedIn: Self.date($0[2]))
        }
    }

    func insertLoginFailure(login: String, address: String, deviceID: Int64?, at: Date) throws -> Int64 {
        return try insert("INSERT INTO login_failures (login, address, device_id, at_ms) VALUES (?, ?, ?, ?)", [login, address, deviceID, Self.milliseconds(at)])
    }

    func settleLoginFailure(id: Int64) throws {
        try execute("UPDATE login_failures SET settled = 1 WHERE id = ?", [id])
    }

    func forgetLoginFailure(id: Int64) throws {
        try execute("DELETE FROM login_failures WHERE id = ?", [id])
    }

    func forgetLoginFailures(before moment: Date) throws {
        try execute("DELETE FROM login_failures WHERE at_ms < ?", [Self.milliseconds(moment)])
    }

    func forgetLoginFailures(login: String, address: String) throws {
        try execute("DELETE FROM login_failures WHERE login = ? AND address = ? AND device_id IS NULL", [login, address])
    }

    func forgetDeviceFailures(deviceID: Int64) throws {
        try execute("DELETE FROM login_failures WHERE device_id = ?", [deviceID])
    }

    func rememberDevice(tokenHash: String, userID: Int64, replacing: Int64?, at moment: Date) throws {
        if let replacing {
            try execute("DELETE FROM login_devices WHERE id = ?", [replacing])
        }
        try execute("INSERT INTO login_devices (token_hash, user_id, last_signed_in_ms) VALUES (?, ?, ?)", [tokenHash, userID, Self.milliseconds(moment)])
        try execute("""
            DELETE FROM login_devices WHERE user_id = ? AND id NOT IN (
                SELECT id FROM login_devices WHERE user_id = ? ORDER BY last_signed_in_ms DESC, id DESC LIMIT ?)
            """, [userID, userID, KnownDevice.perAccount])
    }

    private static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    private static func milliseconds(_ interval: TimeInterval) -> Int64 { Int64((interval * 1000).rounded()) }
    private static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000) }
}
