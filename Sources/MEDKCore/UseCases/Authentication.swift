import Foundation
import GRDB

extension MEDKService {
    static let maxFailedLogins = 10
    static let lockoutDuration: TimeInterval = 15 * 60

    /// Checks the password, opens a session and records the login. Unknown logins and wrong
    /// passwords get the same answer, so logins cannot be probed.
    public func login(_ login: String, password: String, client: String? = nil) async throws -> LoginResult {
        let now = now()
        let user = try await read { db in
            try UserRow.filter(Column("login") == login.trimmingCharacters(in: .whitespaces)).fetchOne(db)
        }
        guard let user, let userID = user.id, user.isActive, let stored = user.passwordHash else {
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
        let maxFailed = Self.maxFailedLogins
        let lockout = Self.lockoutDuration
        let outcome: Date? = try await write { db in
            let actor = AuditActor(userID: userID, login: user.login, role: nil)
            guard verified else {
                let failures = user.failedLogins + 1
                let lockedUntil = failures >= maxFailed ? now.addingTimeInterval(lockout) : nil
                try db.execute(sql: "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                               arguments: [failures >= maxFailed ? 0 : failures, lockedUntil, userID])
                try AuditLog.append(db, actor: actor, at: now, AuditRecord(
                    action: "auth.login_failed", entityType: "user", entityID: String(userID),
                    details: ["client": client ?? "", "locked": lockedUntil == nil ? "no" : "yes"]))
                return nil
            }
            try db.execute(sql: "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", arguments: [userID])
            var session = SessionRow(tokenHash: SessionToken.digest(token), userId: userID, createdAt: now,
                                     expiresAt: now.addingTimeInterval(lifetime))
            try session.insert(db)
            try AuditLog.append(db, actor: actor, at: now, AuditRecord(
                action: "auth.login", entityType: "user", entityID: String(userID), details: ["client": client ?? ""]))
            return session.expiresAt
        }
        guard let expiresAt = outcome else { throw MEDKError.badCredentials }
        return LoginResult(token: token, expiresAt: expiresAt, user: try await userInfo(id: userID))
    }

    /// The actor behind a bearer token, or `unauthenticated`.
    public func authenticate(token: String) async throws -> Actor {
        let now = now()
        return try await read { db in
            guard let session = try SessionRow.filter(Column("token_hash") == SessionToken.digest(token)).fetchOne(db),
                  session.revokedAt == nil, session.expiresAt > now,
                  let user = try UserRow.fetchOne(db, key: session.userId), user.isActive
            else { throw MEDKError.unauthenticated }
            return try Self.loadActor(db, user: user)
        }
    }

    /// Revokes the session: the token stops working at once.
    public func logout(token: String) async throws {
        let now = now()
        try await write { db in
            guard let session = try SessionRow.filter(Column("token_hash") == SessionToken.digest(token)).fetchOne(db),
                  session.revokedAt == nil, let user = try UserRow.fetchOne(db, key: session.userId)
            else { throw MEDKError.unauthenticated }
            try db.execute(sql: "UPDATE sessions SET revoked_at = ? WHERE id = ?", arguments: [now, session.id])
            try AuditLog.append(db, actor: AuditActor(userID: user.id, login: user.login, role: nil), at: now,
                                AuditRecord(action: "auth.logout", entityType: "user", entityID: String(session.userId)))
        }
    }

    /// The actor for a user, as the policy needs it (used by local tools and tests).
    public func actor(login: String) async throws -> Actor {
        try await read { db in
            guard let user = try UserRow.filter(Column("login") == login).fetchOne(db) else {
                throw MEDKError.notFound("Пользователь «\(login)»")
            }
            return try Self.loadActor(db, user: user)
        }
    }

    static func loadActor(_ db: Database, user: UserRow) throws -> Actor {
        let grants = try UserRoleRow.filter(Column("user_id") == user.id!).fetchAll(db).map(\.grant)
        let curated = try CuratorAssignmentRow.filter(Column("curator_id") == user.id!).fetchAll(db)
            .map { CampaignSchool(campaignID: $0.campaignId, schoolID: $0.schoolId) }
        return Actor(userID: user.id!, login: user.login, grants: grants, curatedSchools: Set(curated))
    }

    public func userInfo(id: Int64) async throws -> UserInfo {
        try await read { db in try Self.userInfo(db, id: id) }
    }

    static func userInfo(_ db: Database, id: Int64) throws -> UserInfo {
        guard let user = try UserRow.fetchOne(db, key: id) else { throw MEDKError.notFound("Пользователь") }
        let grants = try UserRoleRow.filter(Column("user_id") == id).order(Column("role")).fetchAll(db).map { row in
            var info = GrantInfo(role: row.role, organisationID: row.grant.organisationID,
                                 organisationKind: row.role.scopeKind)
            if let region = row.regionId, let org = try RegionRow.fetchOne(db, key: region) {
                info.organisationCode = org.code; info.organisationName = org.name
            } else if let municipality = row.municipalityId, let org = try MunicipalityRow.fetchOne(db, key: municipality) {
                info.organisationCode = org.code; info.organisationName = org.name
            } else if let school = row.schoolId, let org = try SchoolRow.fetchOne(db, key: school) {
                info.organisationCode = org.code; info.organisationName = org.name
            }
            return info
        }
        return UserInfo(id: id, login: user.login, fullName: user.fullName, email: user.email,
                        isActive: user.isActive, grants: grants)
    }
}
