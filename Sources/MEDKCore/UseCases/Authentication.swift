import Foundation

extension MEDKService {
    /// Logins longer than this are not accounts (`Validation.login` allows far less) and are
    /// answered without being stored or checked.
    static let longestLoginTried = 200

    /// Checks the password, opens a session and records the login. Unknown logins and wrong
    /// passwords get the same answer, so logins cannot be probed; guessing is slowed by
    /// `LoginThrottle`, which counts by the login as typed whether or not it exists.
    ///
    /// An attempt is admitted — and counted as a failure until proven otherwise — in one write
    /// before the slow password check, and settled in a second write after it. The single writer
    /// admits concurrent attempts one by one, so forty guesses sent at once are counted one by
    /// one and most are refused unchecked: none of them sees a count read before the others failed.
    ///
    /// - Parameter deviceTokens: the tokens this client was given when it signed in before (a
    ///   browser's device cookie, the CLI's saved token). One of them given for this account makes
    ///   the attempt a known device's, judged by that device's failures alone. A successful sign-in
    ///   returns a new token for the device (`LoginResult.deviceToken`) in place of the one it showed.
    public func login(_ login: String, password: String, client: ClientAddress = .local,
                      deviceTokens: [String] = []) async throws -> LoginResult {
        let name = login.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= Self.longestLoginTried, password.utf8.count <= PasswordHasher.maximumLength else {
            throw MEDKError.badCredentials
        }
        let key = name.lowercased()
        let address = client.description
        let throttle = loginThrottle
        let started = now()
        let shownTokens = Array(deviceTokens.filter(SessionToken.isPlausibleDeviceToken).prefix(KnownDevice.perAccount))
        let shown = shownTokens.map(SessionToken.digest)
        // Refusals are decided on a read first: a flood of throttled guesses never reaches the writer.
        let early = try await read { store in
            try Self.admission(store, key: key, address: address, shownDevices: shown, throttle: throttle, at: started).refusal
        }
        if let refusal = early { throw try await refuse(name, address: address, refusal, at: started) }
        let admission: (attempt: Int64, user: UserAccount?, device: Int64?, shown: Int?)? = try await write { store in
            // Counted and admitted one at a time per login and per address, whichever server takes them.
            try store.serializeSignIns(keys: [key, address])
            let judged = try Self.admission(store, key: key, address: address, shownDevices: shown, throttle: throttle, at: started)
            if judged.refusal != nil { return nil }
            try store.forgetLoginFailures(before: started.addingTimeInterval(-throttle.memory))
            return (try store.insertLoginFailure(login: key, address: address, deviceID: judged.device, at: started),
                    try store.user(login: name), judged.device, judged.shown)
        }
        guard let admission else {
            // Another attempt took the last allowance between the read and the write.
            let refusal = try await read { store in
                try Self.admission(store, key: key, address: address, shownDevices: shown, throttle: throttle, at: started).refusal
            }
            throw try await refuse(name, address: address, refusal ?? (1, .pair), at: started)
        }
        let verified: Bool
        do {
            if let user = admission.user, user.isActive, let stored = user.passwordHash {
                verified = try await passwords.verify(password, against: stored)
            } else {
                try await passwords.burn(password)  // the same cost as a real check
                verified = false
            }
        } catch {
            // Not checked (the server was too busy): the attempt must not count against anyone.
            let attempt = admission.attempt
            try? await write { store in try store.forgetLoginFailure(id: attempt) }
            throw error
        }
        let now = now()
        let token = SessionToken.generate()
        let deviceToken = SessionToken.generateDevice()
        let lifetime = sessionLifetime
        let user = admission.user
        let outcome: UserInfo? = try await write { store in
            guard verified, let user else {
                try store.settleLoginFailure(id: admission.attempt)
                var details = ["client": address]
                if admission.device != nil { details["device"] = "known" }
                try store.appendAudit(Self.attemptActor(user), at: now, AuditRecord(
                    action: .loginFailed, entityType: .user, entityID: user?.id, details: details))
                return nil
            }
            // The owner proved the password from this address (or on this device): the failures
            // counted there are forgotten, not the failures others made on the account elsewhere.
            if let device = admission.device {
                try store.forgetDeviceFailures(deviceID: device)
            }
            try store.forgetLoginFailures(login: key, address: address)
            try store.forgetLoginFailure(id: admission.attempt)
            try store.rememberDevice(tokenHash: SessionToken.digest(deviceToken), userID: user.id, replacing: admission.device, at: now)
            try store.insertSession(tokenHash: SessionToken.digest(token), userID: user.id, createdAt: now,
                                    expiresAt: now.addingTimeInterval(lifetime))
            try store.appendAudit(AuditActor(userID: user.id, login: user.login, role: nil), at: now, AuditRecord(
                action: .login, entityType: .user, entityID: user.id,
                details: ["client": address, "device": admission.device == nil ? "new" : "known"]))
            return try store.userInfo(user)
        }
        guard let info = outcome else { throw MEDKError.badCredentials }
        return LoginResult(token: token, expiresAt: now.addingTimeInterval(lifetime), user: info, deviceToken: deviceToken,
                           replacedDeviceToken: admission.shown.map { shownTokens[$0] })
    }

    /// Whether an attempt may be checked now: as the known device it showed a token of, if it did
    /// for this account (and signed in on it within `KnownDevice.trustedFor`), else as an unknown device.
    private static func admission(_ store: any StoreReading, key: String, address: String, shownDevices: [String],
                                  throttle: LoginThrottle, at moment: Date)
        throws -> (device: Int64?, shown: Int?, refusal: (retryAfter: TimeInterval, reason: LoginThrottle.Refusal)?) {
        for (index, hash) in shownDevices.enumerated() {
            guard let device = try store.knownDevice(tokenHash: hash),
                  moment.timeIntervalSince(device.lastSignedIn) < KnownDevice.trustedFor,
                  let owner = try store.user(id: device.userID), owner.login.lowercased() == key else { continue }
            let failures = try store.recentDeviceFailures(deviceID: device.id, window: throttle.deviceWindow, at: moment)
            return (device.id, index, throttle.admit(device: failures, at: moment))
        }
        let failures = try store.recentLoginFailures(login: key, address: address, throttle: throttle, at: moment)
        return (nil, nil, throttle.admit(failures, at: moment))
    }

    /// Who an attempt is recorded as: the account, or «?» for a login that is none (what people type
    /// there is sometimes their password, which the log must not keep).
    private static func attemptActor(_ user: UserAccount?) -> AuditActor {
        AuditActor(userID: user?.id, login: user?.login ?? "?", role: nil)
    }

    /// The answer to a throttled attempt, the same for every login; the attempt is audited (the
    /// first of a minute per login and address, with the number left out since).
    private func refuse(_ name: String, address: String, _ refusal: (retryAfter: TimeInterval, reason: LoginThrottle.Refusal),
                        at now: Date) async throws -> MEDKError {
        let seconds = max(1, Int(refusal.retryAfter.rounded(.up)))
        metrics.loginRefused(refusal.reason)
        let noteKey = refusal.reason == .address ? "*\u{0}\(address)" : "\(name.lowercased())\u{0}\(address)"
        if let suppressed = await throttleNotes.shouldAudit(noteKey, at: now) {
            try await write { store in
                let user = try store.user(login: name)
                try store.appendAudit(Self.attemptActor(user), at: now, AuditRecord(
                    action: .loginThrottled, entityType: .user, entityID: user?.id,
                    details: ["client": address, "reason": refusal.reason.rawValue, "retry_after": String(seconds),
                              "refused_unrecorded_before": String(suppressed)]))
            }
        }
        return .loginThrottled(retryAfter: seconds)
    }

    /// How often a session's last use is written down: the idle timeout is exact to this much,
    /// and a busy session costs one small write a minute rather than one per request.
    static let sessionTouchInterval: TimeInterval = 60

    /// The actor behind a bearer token, or `unauthenticated`: the session must be neither revoked,
    /// nor past its lifetime, nor idle for longer than `sessionIdleTimeout` (ASVS 3.3).
    public func authenticate(token: String) async throws -> Actor {
        let now = now()
        let digest = SessionToken.digest(token)
        let idleSince = now.addingTimeInterval(-sessionIdleTimeout)
        // One statement (the session with its roles and schools): nothing to begin or end around it.
        let found = try await readEachStatement { store in
            guard let found = try store.sessionActor(tokenHash: digest, at: now, idleSince: idleSince) else {
                throw MEDKError.unauthenticated
            }
            return found
        }
        if now.timeIntervalSince(found.lastSeen) >= Self.sessionTouchInterval {
            try await write { store in try store.touchSession(tokenHash: digest, at: now) }
        }
        return found.actor
    }

    /// Revokes the session: the token stops working at once.
    public func logout(token: String) async throws {
        let now = now()
        try await write { store in
            guard let session = try store.session(tokenHash: SessionToken.digest(token)), session.revokedAt == nil,
                  let user = try store.user(id: session.userID)
            else { throw MEDKError.unauthenticated }
            try store.revokeSession(id: session.id, at: now)
            try store.appendAudit(AuditActor(userID: user.id, login: user.login, role: nil), at: now,
                                  AuditRecord(action: .logout, entityType: .user, entityID: user.id))
        }
    }

    /// The actor for a user, as the policy needs it (used by local tools and tests).
    public func actor(login: String) async throws -> Actor {
        try await read { store in
            guard let user = try store.user(login: login) else { throw MEDKError.notFound("Пользователь «\(login)»") }
            return try store.actor(user)
        }
    }

    public func userInfo(id: Int64) async throws -> UserInfo {
        try await read { store in
            guard let user = try store.user(id: id) else { throw MEDKError.notFound("Пользователь") }
            return try store.userInfo(user)
        }
    }
}
