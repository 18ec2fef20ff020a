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

    /// A municipality's own item (its package), not its schools'.
    public var isMunicipal: Bool { path.level == .municipality }
    /// A region's own item (its regional roadmap).
    public var isRegional: Bool { path.level == .region }

    /// A municipality's own documents (its package) in a campaign.
    public static func municipal(campaignID: Int64, regionID: Int64, municipalityID: Int64) -> ItemScope {
        ItemScope(campaignID: campaignID, path: OrganisationPath(regionID: regionID, municipalityID: municipalityID, schoolID: nil))
    }

    /// A region's own documents (its regional roadmap) in a campaign.
    public static func regional(campaignID: Int64, regionID: Int64) -> ItemScope {
        ItemScope(campaignID: campaignID, path: .region(regionID))
    }
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
    /// A region's reminder days, review time and escalation days: its coordinators, FIOCO, the administrator.
    case manageReminders(regionID: Int64)
    case manageCampaigns
    case administer
    case viewAudit
    /// Score a municipality's package against FIOCO's positions: its region's coordinator, or FIOCO.
    case evaluatePackage(regionID: Int64)
    /// Load a region's results data, draw up its identification list, decide objections and approve:
    /// the region's coordinator, FIOCO for any region, the administrator.
    case identifySchools(regionID: Int64)
    /// Object to a school's line in a draft list: the coordinator of the school's municipality.
    case objectToPlacement(municipalityID: Int64)
}

extension Permission {
    /// The document the permission is about, for those that are about one.
    var itemScope: ItemScope? {
        switch self {
        case .viewItem(let scope), .ownItem(let scope), .reviewItem(let scope), .comment(let scope): scope
        default: nil
        }
    }
}

/// What can be done to items, for asking the policy about whole lists.
public enum ItemRight: Sendable, Hashable, CaseIterable {
    case view, own, review, comment
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

    /// Everything the actor may do `right` to, as one filter for lists: the same reaches that
    /// `allows` decides single items by.
    public static func visibility(_ actor: Actor, _ right: ItemRight) -> ItemVisibility {
        ItemVisibility(reaches: actor.grants.flatMap { reaches($0, actor, right) },
                       excludingSubmittedBy: right == .review ? actor.userID : nil)
    }

    /// Whether the actor loads results data for some region (a region's coordinator, FIOCO, an
    /// administrator): asked before an upload's body is read; each row is then held to its own region.
    public static func mayLoadResults(_ actor: Actor) -> Bool {
        actor.grants.contains { ($0.role == .regional && $0.organisationID != nil) || $0.role == .federal || $0.role == .admin }
    }

    /// The territories whose monitoring the actor may open.
    public static func territories(_ actor: Actor) -> TerritoryReach {
        actor.grants.map(territory).reduce(into: TerritoryReach()) { union, reach in
            union.everything = union.everything || reach.everything
            union.regions.formUnion(reach.regions)
            union.municipalities.formUnion(reach.municipalities)
        }
    }

    /// Coordinators monitor their own territory; the federal operator and administrators, all of it.
    private static func territory(_ grant: RoleGrant) -> TerritoryReach {
        switch (grant.role, grant.organisationID) {
        case (.federal, _), (.admin, _): TerritoryReach(everything: true)
        case (.regional, let region?): TerritoryReach(regions: [region])
        case (.municipal, let municipality?): TerritoryReach(municipalities: [municipality])
        default: TerritoryReach()
        }
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
            return reaches(grant, actor, .view).contains { $0.covers(scope) }
        case .ownItem(let scope):
            return reaches(grant, actor, .own).contains { $0.covers(scope) }
        case .reviewItem(let scope):
            if let submitter = scope.submittedBy, submitter == actor.userID { return false }
            return reaches(grant, actor, .review).contains { $0.covers(scope) }
        case .comment(let scope):
            return reaches(grant, actor, .comment).contains { $0.covers(scope) }
        case .viewMonitoring(let scope):
            return territory(grant).covers(scope)
        case .assignCurators(let region), .shiftMilestones(let region):
            return (grant.role == .regional && grant.organisationID == region) || grant.role == .admin
        case .manageReminders(let region):
            return (grant.role == .regional && grant.organisationID == region) || grant.role == .federal || grant.role == .admin
        case .manageCampaigns:
            return grant.role == .federal || grant.role == .admin
        case .administer:
            return grant.role == .admin
        case .viewAudit:
            return grant.role == .admin || grant.role == .federal
        case .evaluatePackage(let region):
            return (grant.role == .regional && grant.organisationID == region) || grant.role == .federal
        case .identifySchools(let region):
            return (grant.role == .regional && grant.organisationID == region) || grant.role == .federal || grant.role == .admin
        case .objectToPlacement(let municipality):
            return grant.role == .municipal && grant.organisationID == municipality
        }
    }

    /// The items one grant reaches for one right: the whole item policy in one place.
    static func reaches(_ grant: RoleGrant, _ actor: Actor, _ right: ItemRight) -> [ItemReach] {
        switch right {
        case .view:
            if grant.role == .federal || grant.role == .admin { return [.everything] }
            return owns(grant) + reviews(grant, actor) + oversees(grant)
        case .own:
            return owns(grant)
        case .review:
            return reviews(grant, actor)
        case .comment:
            return owns(grant) + reviews(grant, actor) + oversees(grant)
        }
    }

    /// The owner of a school item is that school's team; of a municipal item, its coordinator; of
    /// a regional item (the regional roadmap), the region's coordinator.
    private static func owns(_ grant: RoleGrant) -> [ItemReach] {
        guard let id = grant.organisationID else { return [] }
        switch grant.role {
        case .school: return [.school(id)]
        case .municipal: return [.municipalItemsOf(municipality: id)]
        case .regional: return [.regionalItemsOf(region: id)]
        default: return []
        }
    }

    /// School items are reviewed by their assigned curators; municipal ones by the region; the
    /// regional roadmap by the federal operator (FIOCO).
    private static func reviews(_ grant: RoleGrant, _ actor: Actor) -> [ItemReach] {
        switch grant.role {
        case .curator: return actor.curatedSchools.map { .curated($0) }
        case .regional: return grant.organisationID.map { [.municipalItemsIn(region: $0)] } ?? []
        case .federal: return [.regionalItems]
        default: return []
        }
    }

    /// Coordinators see everything inside their territory.
    private static func oversees(_ grant: RoleGrant) -> [ItemReach] {
        guard let id = grant.organisationID else { return [] }
        switch grant.role {
        case .municipal: return [.municipality(id)]
        case .regional: return [.region(id)]
        default: return []
        }
    }

    private static func refusal(_ actor: Actor, _ permission: Permission) -> MEDKError {
        // What the actor may not even see is answered like what does not exist, so that nobody
        // can map which documents exist by their numbers.
        if let scope = permission.itemScope, allowingRole(actor, .viewItem(scope)) == nil { return .notVisible }
        switch permission {
        case .reviewItem(let scope):
            if scope.submittedBy == actor.userID && actor.grants.contains(where: { reviews($0, actor).contains { $0.covers(scope) } }) {
                return MEDKError(.forbidden, code: "self_review",
                                 message: "Нельзя подтверждать или возвращать то, что вы сами отправили на проверку.")
            }
            if scope.isMunicipal {
                return .forbidden("Муниципальные документы проверяет региональный координатор своего региона.")
            }
            if scope.isRegional {
                return .forbidden("Региональную дорожную карту проверяет федеральный оператор (ФИОКО).")
            }
            // Name the real reason: a coordinator who sees the school is not a curator at all.
            if actor.grants.contains(where: { $0.role == .curator }) {
                return .forbidden("Эта школа не закреплена за вами как за куратором в этой кампании.")
            }
            let roles = Set(actor.grants.map(\.role)).sorted().map(\.russianName).joined(separator: ", ")
            return .forbidden("Подтверждать и возвращать документы школы может только её куратор. Ваша роль — \(roles): "
                + "вам видны документы, но решение принимает куратор, закреплённый за школой.")
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
        case .manageReminders:
            return .forbidden("Напоминания региона настраивают его региональный координатор, ФИОКО и администратор.")
        case .manageCampaigns:
            return .forbidden("Кампаниями управляет федеральный оператор.")
        case .administer:
            return .forbidden("Действие доступно только администратору.")
        case .viewAudit:
            return .forbidden("Журнал аудита доступен администратору и федеральному оператору.")
        case .evaluatePackage:
            return .forbidden("Оценивает пакет муниципалитета региональный координатор его региона или федеральный оператор (ФИОКО).")
        case .identifySchools:
            return .forbidden("Данные о результатах школ загружает, списки ШНОР/ШНСУ составляет и утверждает региональный координатор "
                + "своего региона, федеральный оператор (ФИОКО) или администратор.")
        case .objectToPlacement:
            return .forbidden("Возразить против строки проекта списка может муниципальный координатор муниципалитета, где находится школа.")
        }
    }
}
