import Foundation
import GRDB

public struct CampaignDetail: Codable, Sendable, Hashable {
    public var campaign: Campaign
    public var milestones: [Milestone]
    public var riskFactors: [RiskFactor]
    public var schoolCount: Int
}

public struct MilestoneInput: Codable, Sendable, Hashable {
    public var kind: ItemKind
    public var title: String
    public var dueDate: CalendarDate

    public init(kind: ItemKind, title: String, dueDate: CalendarDate) {
        self.kind = kind
        self.title = title
        self.dueDate = dueDate
    }

    /// The usual calendar of a project year.
    public static func standard(year: Int) -> [MilestoneInput] {
        [
            .init(kind: .riskProfile, title: "Выбор рискового профиля", dueDate: CalendarDate(year: year, month: 3, day: 1)!),
            .init(kind: .developmentConcept, title: "Концепция развития", dueDate: CalendarDate(year: year, month: 4, day: 30)!),
            .init(kind: .midtermProgramme, title: "Среднесрочная программа развития", dueDate: CalendarDate(year: year, month: 4, day: 30)!),
            .init(kind: .antiriskProgramme, title: "Программы антирисковых мер", dueDate: CalendarDate(year: year, month: 4, day: 30)!),
            .init(kind: .roadmap, title: "Дорожная карта", dueDate: CalendarDate(year: year, month: 5, day: 15)!),
            .init(kind: .interimReport, title: "Промежуточный мониторинг", dueDate: CalendarDate(year: year, month: 6, day: 30)!),
            .init(kind: .finalReport, title: "Итоговый отчёт", dueDate: CalendarDate(year: year, month: 12, day: 15)!),
        ]
    }
}

extension MEDKService {
    /// Creates the first administrator of an empty database.
    public func initialize(adminLogin: String, fullName: String, password: String) async throws -> Int64 {
        try PasswordHasher.validate(password)
        try Validation.login(adminLogin)
        let hash = hasher.hash(password)
        let now = now()
        return try await write { db in
            guard try UserRow.fetchCount(db) == 0 else {
                throw MEDKError(.conflict, code: "already_initialized",
                                message: "База данных уже инициализирована: пользователи уже есть.")
            }
            let (id, _) = try OrganisationWrites.upsertUser(
                db, .localOperator(), at: now, login: adminLogin, fullName: fullName, email: nil,
                grant: RoleGrant(role: .admin), passwordHash: hash)
            return id
        }
    }

    public func isInitialized() async throws -> Bool {
        try await read { db in try UserRow.fetchCount(db) > 0 }
    }

    /// Sets a user's password (administrators, or the local operator).
    public func setPassword(by op: Operator, login: String, password: String) async throws {
        try PasswordHasher.validate(password)
        let hash = hasher.hash(password)
        let now = now()
        try await write { db in
            let auditActor = try op.authorize(.administer)
            guard let user = try UserRow.filter(Column("login") == login).fetchOne(db) else {
                throw MEDKError.notFound("Пользователь «\(login)»")
            }
            try db.execute(sql: "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?",
                           arguments: [hash, user.id])
            // A new password ends every open session of the account.
            try db.execute(sql: "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                           arguments: [now, user.id])
            try AuditLog.append(db, actor: auditActor, at: now, AuditRecord(
                action: "user.set_password", entityType: "user", entityID: String(user.id!)))
        }
    }

    public func createUser(by op: Operator, login: String, fullName: String, email: String? = nil,
                           grants: [RoleGrant], password: String?) async throws -> UserInfo {
        try Validation.login(login)
        if let password { try PasswordHasher.validate(password) }
        let hash = password.map { hasher.hash($0) }
        let now = now()
        return try await write { db in
            let auditActor = try op.authorize(.administer)
            if try UserRow.filter(Column("login") == login).fetchOne(db) != nil {
                throw MEDKError(.conflict, code: "already_exists", message: "Пользователь «\(login)» уже существует.")
            }
            let (id, _) = try OrganisationWrites.upsertUser(db, auditActor, at: now, login: login, fullName: fullName,
                                                          email: email, grant: nil, passwordHash: hash)
            for grant in grants {
                try Validation.grantScope(db, grant)
                _ = try OrganisationWrites.grantRole(db, auditActor, at: now, userID: id, grant: grant)
            }
            return try Self.userInfo(db, id: id)
        }
    }

    /// Resolves `role` and an organisation code to a grant, as imports do.
    public func roleGrant(_ role: Role, scopeCode: String?) async throws -> RoleGrant {
        try await read { db in try Lookup.grant(db, role: role, scopeCode: scopeCode) }
    }

    public func users() async throws -> [UserInfo] {
        try await read { db in
            try UserRow.order(Column("login")).fetchAll(db).map { try Self.userInfo(db, id: $0.id!) }
        }
    }

    /// Creates a campaign with its risk-factor catalogue and milestones.
    public func createCampaign(by op: Operator, code: String, name: String, year: Int,
                               riskFactors: [String] = RiskFactorCatalogue.fioco,
                               milestones: [MilestoneInput]? = nil) async throws -> CampaignDetail {
        let now = now()
        let milestoneList = milestones ?? MilestoneInput.standard(year: year)
        let id: Int64 = try await write { db in
            let auditActor = try op.authorize(.manageCampaigns)
            guard !code.isBlank, !name.isBlank else {
                throw MEDKError.invalid("invalid_campaign", "У кампании должны быть код и название.")
            }
            var campaign = CampaignRow(code: code, name: name, year: year)
            try campaign.insert(db)
            for (index, title) in riskFactors.enumerated() {
                var factor = RiskFactorRow(campaignId: campaign.id!, number: index + 1, title: title)
                try factor.insert(db)
            }
            for milestone in milestoneList {
                var row = MilestoneRow(campaignId: campaign.id!, kind: milestone.kind, title: milestone.title,
                                       dueDate: milestone.dueDate.description)
                try row.insert(db)
            }
            try AuditLog.append(db, actor: auditActor, at: now, AuditRecord(
                action: "campaign.create", entityType: "campaign", entityID: String(campaign.id!),
                details: ["code": code, "name": name, "year": String(year), "risk_factors": String(riskFactors.count)]))
            return campaign.id!
        }
        return try await campaign(id: id)
    }

    public func campaigns() async throws -> [Campaign] {
        try await read { db in try CampaignRow.order(Column("year").desc, Column("code")).fetchAll(db).map(\.domain) }
    }

    public func campaign(id: Int64) async throws -> CampaignDetail {
        try await read { db in try Self.campaignDetail(db, id: id) }
    }

    /// The campaign with this code, or the latest one (as monitoring picks it) when none is given.
    public func campaign(code: String?) async throws -> CampaignDetail {
        try await read { db in try Self.campaignDetail(db, id: try Self.campaignForReport(db, code: code).id!) }
    }

    static func campaignDetail(_ db: Database, id: Int64) throws -> CampaignDetail {
        guard let campaign = try CampaignRow.fetchOne(db, key: id) else { throw MEDKError.notFound("Кампания") }
        return CampaignDetail(
            campaign: campaign.domain,
            milestones: try MilestoneRow.filter(Column("campaign_id") == id).order(Column("due_date"), Column("id"))
                .fetchAll(db).map(\.domain),
            riskFactors: try RiskFactorRow.filter(Column("campaign_id") == id).order(Column("number")).fetchAll(db).map(\.domain),
            schoolCount: try CampaignSchoolRow.filter(Column("campaign_id") == id).fetchCount(db))
    }

    /// A region moves a milestone for its own schools.
    public func shiftMilestone(by op: Operator, campaignCode: String, kind: ItemKind, regionCode: String,
                               dueDate: CalendarDate) async throws {
        let now = now()
        try await write { db in
            guard let region = try RegionRow.filter(Column("code") == regionCode).fetchOne(db) else {
                throw MEDKError.notFound("Регион «\(regionCode)»")
            }
            let auditActor = try op.authorize(.shiftMilestones(regionID: region.id!))
            guard let campaign = try CampaignRow.filter(Column("code") == campaignCode).fetchOne(db),
                  let milestone = try MilestoneRow.filter(Column("campaign_id") == campaign.id! && Column("kind") == kind.rawValue).fetchOne(db)
            else { throw MEDKError.notFound("Контрольная точка «\(kind.russianName)» кампании «\(campaignCode)»") }
            let previous = try String.fetchOne(db, sql: "SELECT due_date FROM milestone_overrides WHERE milestone_id = ? AND region_id = ?",
                                               arguments: [milestone.id, region.id]) ?? milestone.dueDate
            var override = MilestoneOverrideRow(milestoneId: milestone.id!, regionId: region.id!, dueDate: dueDate.description)
            try override.save(db)
            try AuditLog.append(db, actor: auditActor, at: now, AuditRecord(
                action: "milestone.shift", entityType: "milestone", entityID: String(milestone.id!),
                fromState: previous, toState: dueDate.description, details: ["region_id": String(region.id!)]))
        }
    }

    public func assignCurator(by op: Operator, campaignCode: String, schoolCode: String, curatorLogin: String) async throws {
        let now = now()
        try await write { db in
            let (campaignID, school, regionID) = try Lookup.campaignAndSchool(db, campaignCode: campaignCode, schoolCode: schoolCode)
            let auditActor = try op.authorize(.assignCurators(regionID: regionID))
            guard let curator = try UserRow.filter(Column("login") == curatorLogin).fetchOne(db) else {
                throw MEDKError.notFound("Пользователь «\(curatorLogin)»")
            }
            _ = try OrganisationWrites.assignCurator(db, auditActor, at: now, campaignID: campaignID, schoolID: school.id!,
                                                     curatorID: curator.id!)
        }
    }

    public func regions() async throws -> [Region] {
        try await read { db in try RegionRow.order(Column("code")).fetchAll(db).map(\.domain) }
    }

    public func municipalities() async throws -> [Municipality] {
        try await read { db in try MunicipalityRow.order(Column("code")).fetchAll(db).map(\.domain) }
    }

    public func schools() async throws -> [School] {
        try await read { db in try SchoolRow.order(Column("code")).fetchAll(db).map(\.domain) }
    }
}

enum Lookup {
    /// A role with its organisation given by code (region, municipality or school, as the role needs).
    static func grant(_ db: Database, role: Role, scopeCode code: String?) throws -> RoleGrant {
        guard let kind = role.scopeKind else {
            if code != nil { throw MEDKError.invalid("unexpected_scope", "роль «\(role.rawValue)» не привязывается к организации; оставьте scope_code пустым.") }
            return RoleGrant(role: role)
        }
        guard let code else { throw MEDKError.invalid("scope_required", "для роли «\(role.rawValue)» нужен scope_code (\(kind.russianName)).") }
        let id: Int64? = switch kind {
        case .region: try RegionRow.filter(Column("code") == code).fetchOne(db)?.id
        case .municipality: try MunicipalityRow.filter(Column("code") == code).fetchOne(db)?.id
        case .school: try SchoolRow.filter(Column("code") == code).fetchOne(db)?.id
        }
        guard let id else { throw MEDKError.invalid("unknown_scope", "нет организации (\(kind.russianName)) с кодом «\(code)».") }
        return RoleGrant(role: role, organisationID: id)
    }

    static func campaignAndSchool(_ db: Database, campaignCode: String, schoolCode: String) throws -> (Int64, SchoolRow, Int64) {
        guard let campaign = try CampaignRow.filter(Column("code") == campaignCode).fetchOne(db) else {
            throw MEDKError.notFound("Кампания «\(campaignCode)»")
        }
        guard let school = try SchoolRow.filter(Column("code") == schoolCode).fetchOne(db) else {
            throw MEDKError.notFound("Школа «\(schoolCode)»")
        }
        let regionID = try Int64.fetchOne(db, sql: "SELECT region_id FROM municipalities WHERE id = ?",
                                          arguments: [school.municipalityId])!
        return (campaign.id!, school, regionID)
    }
}

enum Validation {
    static func login(_ login: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-@"))
        guard (2...64).contains(login.count), login.unicodeScalars.allSatisfy({ allowed.contains($0) }) else {
            throw MEDKError.invalid("invalid_login", "Логин «\(login)»: от 2 до 64 символов — буквы, цифры, точка, дефис, подчёркивание, @.")
        }
    }

    /// The grant's organisation exists and is of the kind the role needs.
    static func grantScope(_ db: Database, _ grant: RoleGrant) throws {
        guard let kind = grant.role.scopeKind else {
            if grant.organisationID != nil {
                throw MEDKError.invalid("unexpected_scope", "Роль «\(grant.role.russianName)» не привязывается к организации.")
            }
            return
        }
        guard let id = grant.organisationID else {
            throw MEDKError.invalid("scope_required", "Для роли «\(grant.role.russianName)» нужно указать организацию (\(kind.russianName)).")
        }
        let exists: Bool = switch kind {
        case .region: try RegionRow.exists(db, key: id)
        case .municipality: try MunicipalityRow.exists(db, key: id)
        case .school: try SchoolRow.exists(db, key: id)
        }
        guard exists else { throw MEDKError.notFound("Организация (\(kind.russianName)) с id \(id)") }
    }
}
