import Foundation

extension SQLTransaction {
    func user(login: String) throws -> UserAccount? {
        try row("SELECT \(Columns.user) FROM users u WHERE u.login = ?", [login]).map(UserAccount.init)
    }

    func user(id: Int64) throws -> UserAccount? {
        try row("SELECT \(Columns.user) FROM users u WHERE u.id = ?", [id]).map(UserAccount.init)
    }

    func userCount() throws -> Int {
        try value(Int.self, "SELECT count(*) FROM users") ?? 0
    }

    func grants(userID: Int64) throws -> [RoleGrant] {
        try rows("""
            SELECT role, coalesce(region_id, municipality_id, school_id) FROM user_roles WHERE user_id = ? ORDER BY id
            """, [userID]).map { RoleGrant(role: try $0.decode(Role.self, at: 0), organisationID: $0[1]) }
    }

    func grantInfos(userID: Int64) throws -> [GrantInfo] {
        try rows("""
            SELECT ur.role, coalesce(ur.region_id, ur.municipality_id, ur.school_id),
                   coalesce(r.code, m.code, s.code), coalesce(r.name, m.name, s.name)
            FROM user_roles ur
            LEFT JOIN regions r ON r.id = ur.region_id
            LEFT JOIN municipalities m ON m.id = ur.municipality_id
            LEFT JOIN schools s ON s.id = ur.school_id
            WHERE ur.user_id = ? ORDER BY ur.role, ur.id
            """, [userID]).map { row in
            let role = try row.decode(Role.self, at: 0)
            return GrantInfo(role: role, organisationID: row[1], organisationKind: role.scopeKind,
                             organisationCode: row[2], organisationName: row[3])
        }
    }

    func curatedSchools(userID: Int64) throws -> Set<CampaignSchool> {
        Set(try rows("SELECT campaign_id, school_id FROM curator_assignments WHERE curator_id = ?", [userID]).map { CampaignSchool(campaignID: $0[0], schoolID: $0[1]) })
    }

    func session(tokenHash: String) throws -> StoredSession? {
        try row("SELECT id, user_id, expires_at, revoked_at FROM sessions WHERE token_hash = ?", [tokenHash]).map { StoredSession(id: $0[0], userID: $0[1], expiresAt: try $0.instant(2), revokedAt: try $0.instantIfPresent(3)) }
    }

    /// The session's user with its roles and, for a curator, the schools assigned: one statement,
    /// since every request asks it first (on PostgreSQL each statement is a round trip).
    func sessionActor(tokenHash: String, at moment: Date, idleSince: Date) throws -> (actor: Actor, lastSeen: Date)? {
        // Rows: 0 — the user (id, login, last seen); 1 — a role (grant id, role, organisation);
        // 2 — an assignment (campaign, school).
        let rows = try self.rows("""
            WITH me AS (
                SELECT u.id, u.login, coalesce(se.last_seen_at, se.created_at) AS seen FROM sessions se JOIN users u ON u.id = se.user_id
                WHERE se.token_hash = ? AND se.revoked_at IS NULL AND se.expires_at > ? AND u.is_active = 1
                  AND coalesce(se.last_seen_at, se.created_at) > ?)
            SELECT 0, me.id, me.login, me.seen, NULL FROM me
            UNION ALL
            SELECT 1, g.id, g.role, NULL, coalesce(g.region_id, g.municipality_id, g.school_id) FROM me JOIN user_roles g ON g.user_id = me.id
            UNION ALL
            SELECT 2, a.campaign_id, NULL, NULL, a.school_id FROM me JOIN curator_assignments a ON a.curator_id = me.id
            ORDER BY 1, 2
            """, [tokenHash, moment.sql, idleSince.sql])
        guard let user = rows.first, user[0] as Int == 0 else { return nil }
        let grants = try rows.filter { $0[0] as Int == 1 }.map { RoleGrant(role: try $0.decode(Role.self, at: 2), organisationID: $0[4]) }
        let curated = grants.contains { $0.role == .curator }
            ? Set(rows.filter { $0[0] as Int == 2 }.map { CampaignSchool(campaignID: $0[1], schoolID: $0[4]) }) : []
        let lastSeen = (user[3] as String?).flatMap(Timestamp.columnDate) ?? moment
        return (Actor(userID: user[1], login: user[2], grants: grants, curatedSchools: curated), lastSeen)
    }

    func users(_ query: UserQuery, page: PageRequest) throws -> Page<UserInfo> {
        var conditions = SQLConditions()
        conditions.search(query.search, in: ["u.login", "u.full_name"])
        if let role = query.role {
            if let region = query.regionID {
                conditions.append("u.id IN (SELECT user_id FROM user_roles WHERE role = ? AND region_id = ?)", role, region)
            } else {
                conditions.append("u.id IN (SELECT user_id FROM user_roles WHERE role = ?)", role)
            }
        }
        let accounts = try KeysetPage.fetch(self, select: Columns.user, from: "users u", conditions, order: [.text("u.login")],
                                            page: page, decode: UserAccount.init)
        return try accounts.map { try userInfo($0) }
    }

    // MARK: Writing

    func insertUser(login: String, fullName: String, email: String?, passwordHash: String?, at: Date) throws -> Int64 {
        return try insert("""
            INSERT INTO users (login, full_name, email, password_hash, is_active, failed_logins, created_at) VALUES (?, ?, ?, ?, 1, 0, ?)
            """, [login, fullName, email, passwordHash, at.sql])
    
    }

    func updateUser(id: Int64, fullName: String, email: String?) throws {
        try execute("UPDATE users SET full_name = ?, email = ? WHERE id = ?", [fullName, email, id])
    
    }

    func insertGrant(userID: Int64, _ grant: RoleGrant) throws {
        let (region, municipality, school) = Self.columns(grant)
        try execute("INSERT INTO user_roles (user_id, role, region_id, municipality_id, school_id) VALUES (?, ?, ?, ?, ?)", [userID, grant.role, region, municipality, school])
    
    }

    func deleteGrant(userID: Int64, _ grant: RoleGrant) throws {
        let (region, municipality, school) = Self.columns(grant)
        try execute("""
            DELETE FROM user_roles WHERE user_id = ? AND role = ? AND coalesce(region_id, 0) = ? AND coalesce(municipality_id, 0) = ?
                AND coalesce(school_id, 0) = ?
            """, [userID, grant.role, region ?? 0, municipality ?? 0, school ?? 0])
    }

    /// The organisation column a grant's scope is kept in.
    private static func columns(_ grant: RoleGrant) -> (region: Int64?, municipality: Int64?, school: Int64?) {
        switch grant.role.scopeKind {
        case .region: (grant.organisationID, nil, nil)
        case .municipality: (nil, grant.organisationID, nil)
        case .school: (nil, nil, grant.organisationID)
        case nil: (nil, nil, nil)
        }
    }

    func setUserActive(id: Int64, _ active: Bool) throws {
        try execute("UPDATE users SET is_active = ? WHERE id = ?", [active, id])
    }

    func activeAdministratorCount() throws -> Int {
        try value(Int.self, """
            SELECT count(DISTINCT u.id) FROM users u JOIN user_roles ur ON ur.user_id = u.id WHERE ur.role = 'admin' AND u.is_active = 1
            """) ?? 0
    }

    func curatorAssignmentCount(curatorID: Int64) throws -> Int {
        try value(Int.self, "SELECT count(*) FROM curator_assignments WHERE curator_id = ?", [curatorID]) ?? 0
    }

    func setPasswordHash(userID: Int64, _ hash: String) throws {
        try execute("UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?", [hash, userID])
    }

    func insertSession(tokenHash: String, userID: Int64, createdAt: Date, expiresAt: Date) throws {
        try execute("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)", [tokenHash, userID, createdAt.sql, expiresAt.sql])
    }

    func touchSession(tokenHash: String, at moment: Date) throws {
        try execute("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", [moment.sql, tokenHash])
    }

    func revokeSession(id: Int64, at: Date) throws {
        try execute("UPDATE sessions SET revoked_at = ? WHERE id = ?", [at.sql, id])
    }

    func revokeSessions(userID: Int64, at: Date) throws {
        try execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", [at.sql, userID])
    }
}
