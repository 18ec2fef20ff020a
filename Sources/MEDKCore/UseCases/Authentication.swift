import Foundation

extension MEDKService {
    static let maxFailedLogins = 10
    static let lockoutDuration: TimeInterval = 15 * 60

    /// Checks the password, opens a session and records the login. Unknown logins and wrong
    /// passwords get the same answer, so logins cannot be probed.
    public func login(_ login: String, password: String, client: String? = nil) async throws -> LoginResult {
        let now = now()
        let name = login.trimmingCharacters(in: .whitespaces)
        let user = try await read { store in try store.user(login: name) }
        guard let user, user.isActive, let stored = user.passwordHash else {
            _ = hasher.hash(password)  // same cost as a real check
            throw MEDKError.badCredentials
        }
        if let lockedUntil = user.lockedUntil, lockedUntil > now {
            throw MEDKError(.unauthenticated, code: "account_locked",
                            message: "Слишком много неудачных попыток входа. Повторите через 15 минут или обратитесь к администратору.")
        }
        let verified = hasher.verify(password, against: stored)
        let token = SessionToken.generate()
        let lifetime = sessionLifetime
        let outcome: UserInfo? = try await write { store in
            let actor = AuditActor(userID: user.id, login: user.login, role: nil)
            guard verified else {
                let locked = try store.recordLoginFailure(userID: user.id, limit: Self.maxFailedLogins,
                                                          lockUntil: now.addingTimeInterval(Self.lockoutDuration))
                try store.appendAudit(actor, at: now, AuditRecord(
                    action: .loginFailed, entityType: .user, entityID: user.id,
                    details: ["client": client ?? "", "locked": locked ? "yes" : "no"]))
                return nil
            }
            try store.clearLoginFailures(userID: user.id)
            try store.insertSession(tokenHash: SessionToken.digest(token), userID: user.id, createdAt: now,
                                    expiresAt: now.addingTimeInterval(lifetime))
            try store.appendAudit(actor, at: now, AuditRecord(action: .login, entityType: .user, entityID: user.id,
                                                              details: ["client": client ?? ""]))
            return try store.userInfo(user)
        }
        guard let info = outcome else { throw MEDKError.badCredentials }
        return LoginResult(token: token, expiresAt: now.addingTimeInterval(lifetime), user: info)
    }

    /// The actor behind a bearer token, or `unauthenticated`.
    public func authenticate(token: String) async throws -> Actor {
        let now = now()
        let digest = SessionToken.digest(token)
        return try await read { store in
            guard let actor = try store.sessionActor(tokenHash: digest, at: now) else { throw MEDKError.unauthenticated }
            return actor
        }
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
