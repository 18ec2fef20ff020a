/// Everything the policy needs to know about who is acting.
public struct Actor: Sendable, Hashable {
    public var userID: Int64
    public var login: String
    public var grants: [RoleGrant]
    /// (campaign, school) pairs this user curates.
    public var curatedSchools: Set<CampaignSchool>

    public init(userID: Int64, login: String, grants: [RoleGrant], curatedSchools: Set<CampaignSchool> = []) {
        self.userID = userID
        self.login = login
        self.grants = grants
        self.curatedSchools = curatedSchools
    }

    public func holds(_ role: Role) -> Bool { grants.contains { $0.role == role } }

    public var roles: [Role] { Array(Set(grants.map(\.role))).sorted() }
}

public struct CampaignSchool: Codable, Sendable, Hashable {
    public var campaignID: Int64
    public var schoolID: Int64

    public init(campaignID: Int64, schoolID: Int64) {
        self.campaignID = campaignID
        self.schoolID = schoolID
    }
}

/// What is being acted on: where it sits and who last submitted it.
public struct ItemScope: Sendable, Hashable {
    public var campaignID: Int64
    public var path: OrganisationPath
    public var submittedBy: Int64?

    public init(campaignID: Int64, path: OrganisationPath, submittedBy: Int64? = nil) {
        self.campaignID = campaignID
        self.path = path
        self.submittedBy = submittedBy
    }

    public var isMunicipal: Bool { path.schoolID == nil }
}

/// Everything a user may try to do; the policy answers each in one place.
public enum Permission: Sendable, Hashable {
    case viewItem(ItemScope)
    /// Create, edit content, upload versions, submit, withdraw, start a revision.
    case ownItem(ItemScope)
    /// Confirm or return.
    case reviewItem(ItemScope)
    case comment(ItemScope)
    /// Deadline compliance of a municipality, region or the whole country.
    case viewMonitoring(MonitoringScope)
    case assignCurators(regionID: Int64)
    case shiftMilestones(regionID: Int64)
    case manageCampaigns
    case administer
    case viewAudit
}

public enum MonitoringScope: Sendable, Hashable {
    case country
    case region(Int64)
    case municipality(regionID: Int64, municipalityID: Int64)
}

public enum Policy {
    /// The role under which the action is allowed (for the audit record), or a refusal.
    public static func authorize(_ actor: Actor, _ permission: Permission) throws(MEDKError) -> Role {
        if let role = allowingRole(actor, permission) { return role }
        throw refusal(actor, permission)
    }

    public static func allows(_ actor: Actor, _ permission: Permission) -> Bool {
        allowingRole(actor, permission) != nil
    }

    static func allowingRole(_ actor: Actor, _ permission: Permission) -> Role? {
        for grant in actor.grants.sorted(by: { $0.role < $1.role }) where grantAllows(grant, actor, permission) {
            return grant.role
        }
        return nil
    }

    private static func grantAllows(_ grant: RoleGrant, _ actor: Actor, _ permission: Permission) -> Bool {
        switch permission {
        case .viewItem(let scope):
            return owns(grant, scope) || reviews(grant, actor, scope) || oversees(grant, scope.path)
                || grant.role == .federal || grant.role == .admin
        case .ownItem(let scope):
            return owns(grant, scope)
        case .reviewItem(let scope):
            if let submitter = scope.submittedBy, submitter == actor.userID { return false }
            return reviews(grant, actor, scope)
        case .comment(let scope):
            return owns(grant, scope) || reviews(grant, actor, scope) || oversees(grant, scope.path)
        case .viewMonitoring(let scope):
            switch (grant.role, scope) {
            case (.federal, _), (.admin, _): return true
            case (.regional, .region(let region)): return grant.organisationID == region
            case (.regional, .municipality(let region, _)): return grant.organisationID == region
            case (.municipal, .municipality(_, let municipality)): return grant.organisationID == municipality
            default: return false
            }
        case .assignCurators(let region), .shiftMilestones(let region):
            return (grant.role == .regional && grant.organisationID == region) || grant.role == .admin
        case .manageCampaigns:
            return grant.role == .federal || grant.role == .admin
        case .administer:
            return grant.role == .admin
        case .viewAudit:
            return grant.role == .admin || grant.role == .federal
        }
    }

    /// The owner of a school item is that school's team; of a municipal item, its coordinator.
    private static func owns(_ grant: RoleGrant, _ scope: ItemScope) -> Bool {
        if let school = scope.path.schoolID {
            return grant.role == .school && grant.organisationID == school
        }
        return grant.role == .municipal && grant.organisationID == scope.path.municipalityID
    }

    /// School items are reviewed by their assigned curators; municipal ones by the region.
    private static func reviews(_ grant: RoleGrant, _ actor: Actor, _ scope: ItemScope) -> Bool {
        if let school = scope.path.schoolID {
            return grant.role == .curator
                && actor.curatedSchools.contains(CampaignSchool(campaignID: scope.campaignID, schoolID: school))
        }
        return grant.role == .regional && grant.organisationID == scope.path.regionID
    }

    /// Coordinators see everything inside their territory.
    private static func oversees(_ grant: RoleGrant, _ path: OrganisationPath) -> Bool {
        switch grant.role {
        case .municipal: grant.organisationID == path.municipalityID
        case .regional: grant.organisationID == path.regionID
        default: false
        }
    }

    private static func refusal(_ actor: Actor, _ permission: Permission) -> MEDKError {
        switch permission {
        case .reviewItem(let scope):
            if scope.submittedBy == actor.userID && actor.grants.contains(where: { reviews($0, actor, scope) }) {
                return MEDKError(.forbidden, code: "self_review",
                                 message: "Нельзя подтверждать или возвращать то, что вы сами отправили на проверку.")
            }
            return .forbidden(scope.isMunicipal
                ? "Муниципальные документы проверяет региональный координатор своего региона."
                : "Эта школа не закреплена за вами как за куратором в этой кампании.")
        case .ownItem:
            return .forbidden("Изменять и отправлять на проверку может только сама организация-владелец.")
        case .viewItem, .comment:
            return .forbidden("Нет доступа к материалам этой организации.")
        case .viewMonitoring:
            return .forbidden("Нет доступа к мониторингу этой территории.")
        case .assignCurators:
            return .forbidden("Назначать кураторов может региональный координатор своего региона или администратор.")
        case .shiftMilestones:
            return .forbidden("Сдвигать сроки может региональный координатор своего региона или администратор.")
        case .manageCampaigns:
            return .forbidden("Кампаниями управляет федеральный оператор.")
        case .administer:
            return .forbidden("Действие доступно только администратору.")
        case .viewAudit:
            return .forbidden("Журнал аудита доступен администратору и федеральному оператору.")
        }
    }
}
