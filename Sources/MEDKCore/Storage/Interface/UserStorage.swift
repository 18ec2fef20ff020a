import Foundation

/// A user account as signing in needs it.
struct UserAccount: Sendable, Hashable {
    var id: Int64
    var login: String
    var fullName: String
    var email: String?
    var passwordHash: String?
    var isActive: Bool
    var failedLogins: Int
    var lockedUntil: Date?
}

struct StoredSession: Sendable, Hashable {
    var id: Int64
    var userID: Int64
    var expiresAt: Date
    var revokedAt: Date?
}


protocol UserReading {
    func user(login: String) throws -> UserAccount?
    func user(id: Int64) throws -> UserAccount?
    func userCount() throws -> Int
    func grants(userID: Int64) throws -> [RoleGrant]
    /// Grants with the names of their organisations, for showing.
    func grantInfos(userID: Int64) throws -> [GrantInfo]
    func curatedSchools(userID: Int64) throws -> Set<CampaignSchool>
    func session(tokenHash: String) throws -> StoredSession?
    /// The actor of a live session (not revoked, not expired at `moment`, used after `idleSince`,
    /// account active) and when it was last seen, read in as few statements as the store can:
    /// every request starts with this.
    func sessionActor(tokenHash: String, at moment: Date, idleSince: Date) throws -> (actor: Actor, lastSeen: Date)?
    func users(_ query: UserQuery, page: PageRequest) throws -> Page<UserInfo>
    /// Active accounts holding the administrator's role: there must always be one.
    func activeAdministratorCount() throws -> Int
    /// Schools the user curates in any campaign.
    func curatorAssignmentCount(curatorID: Int64) throws -> Int
}

extension UserReading {
    /// The actor for a user, as the policy needs it.
    func actor(_ user: UserAccount) throws -> Actor {
        Actor(userID: user.id, login: user.login, grants: try grants(userID: user.id),
              curatedSchools: try curatedSchools(userID: user.id))
    }

    func userInfo(_ user: UserAccount) throws -> UserInfo {
        UserInfo(id: user.id, login: user.login, fullName: user.fullName, email: user.email,
                 isActive: user.isActive, grants: try grantInfos(userID: user.id))
    }
}

protocol UserWriting {
    func insertUser(login: String, fullName: String, email: String?, passwordHash: String?, at: Date) throws -> Int64
    func updateUser(id: Int64, fullName: String, email: String?) throws
    func insertGrant(userID: Int64, _ grant: RoleGrant) throws
    func deleteGrant(userID: Int64, _ grant: RoleGrant) throws
    func setUserActive(id: Int64, _ active: Bool) throws
    /// Sets the password and clears failed attempts and any lock.
    func setPasswordHash(userID: Int64, _ hash: String) throws
    func insertSession(tokenHash: String, userID: Int64, createdAt: Date, expiresAt: Date) throws
    /// Records that the session was used at `moment` (its idle time starts again).
    func touchSession(tokenHash: String, at moment: Date) throws
    func revokeSession(id: Int64, at: Date) throws
    func revokeSessions(userID: Int64, at: Date) throws
}
