import MEDKCore
import Testing

/// The policy as a matrix: every role × action × where the school sits relative to the actor.
@Suite("Who may do what")
struct PolicyMatrixTests {
    enum Relation: String, CaseIterable, Sendable {
        case ownSchool, sameCuratorSchool, otherCuratorSchool, otherMunicipality, otherRegion
    }

    enum Action: String, CaseIterable, Sendable {
        case view, own, review, comment, monitorMunicipality, monitorRegion
    }

    static let campaign: Int64 = 1
    /// School A is "own"; B shares A's curator; C has another curator in the same municipality;
    /// D is in another municipality of the region; E is in another region.
    static let paths: [Relation: OrganisationPath] = [
        .ownSchool: OrganisationPath(regionID: 1, municipalityID: 1, schoolID: 1),
        .sameCuratorSchool: OrganisationPath(regionID: 1, municipalityID: 1, schoolID: 2),
        .otherCuratorSchool: OrganisationPath(regionID: 1, municipalityID: 1, schoolID: 3),
        .otherMunicipality: OrganisationPath(regionID: 1, municipalityID: 2, schoolID: 4),
        .otherRegion: OrganisationPath(regionID: 2, municipalityID: 3, schoolID: 5),
    ]

    static func actor(_ role: Role) -> Actor {
        switch role {
        case .school: Actor(userID: 10, login: "school-A", grants: [RoleGrant(role: .school, organisationID: 1)])
        case .curator: Actor(userID: 11, login: "curator1", grants: [RoleGrant(role: .curator, organisationID: 1)],
                             curatedSchools: [CampaignSchool(campaignID: campaign, schoolID: 1), CampaignSchool(campaignID: campaign, schoolID: 2)])
        case .municipal: Actor(userID: 12, login: "mun", grants: [RoleGrant(role: .municipal, organisationID: 1)])
        case .regional: Actor(userID: 13, login: "reg", grants: [RoleGrant(role: .regional, organisationID: 1)])
        case .federal: Actor(userID: 14, login: "fed", grants: [RoleGrant(role: .federal)])
        case .admin: Actor(userID: 15, login: "admin", grants: [RoleGrant(role: .admin)])
        }
    }

    static let all = Set(Relation.allCases)
    static let region1: Set<Relation> = [.ownSchool, .sameCuratorSchool, .otherCuratorSchool, .otherMunicipality]
    static let municipality1: Set<Relation> = [.ownSchool, .sameCuratorSchool, .otherCuratorSchool]
    static let curated: Set<Relation> = [.ownSchool, .sameCuratorSchool]

    /// Where each role may do each action. Anything not listed is refused.
    static let allowed: [Role: [Action: Set<Relation>]] = [
        .school: [.view: [.ownSchool], .own: [.ownSchool], .review: [], .comment: [.ownSchool],
                  .monitorMunicipality: [], .monitorRegion: []],
        .curator: [.view: curated, .own: [], .review: curated, .comment: curated,
                   .monitorMunicipality: [], .monitorRegion: []],
        .municipal: [.view: municipality1, .own: [], .review: [], .comment: municipality1,
                     .monitorMunicipality: municipality1, .monitorRegion: []],
        .regional: [.view: region1, .own: [], .review: [], .comment: region1,
                    .monitorMunicipality: region1, .monitorRegion: region1],
        .federal: [.view: all, .own: [], .review: [], .comment: [], .monitorMunicipality: all, .monitorRegion: all],
        .admin: [.view: all, .own: [], .review: [], .comment: [], .monitorMunicipality: all, .monitorRegion: all],
    ]

    static func permission(_ action: Action, _ relation: Relation, submittedBy: Int64? = 99) -> Permission {
        let path = paths[relation]!
        let scope = ItemScope(campaignID: campaign, path: path, submittedBy: submittedBy)
        switch action {
        case .view: return .viewItem(scope)
        case .own: return .ownItem(scope)
        case .review: return .reviewItem(scope)
        case .comment: return .comment(scope)
        case .monitorMunicipality: return .viewMonitoring(.municipality(regionID: path.regionID, municipalityID: path.municipalityID!))
        case .monitorRegion: return .viewMonitoring(.region(path.regionID))
        }
    }

    @Test("role × action × relation", arguments: Role.allCases, Action.allCases)
    func matrix(role: Role, action: Action) {
        let actor = Self.actor(role)
        for relation in Relation.allCases {
            let expected = Self.allowed[role]![action]!.contains(relation)
            let actual = Policy.allows(actor, Self.permission(action, relation))
            #expect(actual == expected, "\(role) \(action) \(relation): expected \(expected ? "allowed" : "refused")")
            if !expected {
                let error = #expect(throws: MEDKError.self) { try Policy.authorize(actor, Self.permission(action, relation)) }
                // What the actor may not even see is «not found», like what does not exist.
                let aboutAnItem = [Action.view, .own, .review, .comment].contains(action)
                let visible = Policy.allows(actor, Self.permission(.view, relation))
                #expect(error?.kind == (aboutAnItem && !visible ? .notFound : .forbidden), "\(role) \(action) \(relation)")
            }
        }
    }

    @Test("a curator cannot confirm a school that is not assigned to them")
    func curatorOfAnotherSchool() {
        let error = #expect(throws: MEDKError.self) {
            try Policy.authorize(Self.actor(.curator), Self.permission(.review, .otherCuratorSchool))
        }
        // Another curator's school is not even visible: answered like a missing document.
        #expect(error == MEDKError.notVisible)
    }

    @Test("a curator's assignment is per campaign")
    func assignmentIsPerCampaign() {
        let scope = ItemScope(campaignID: 2, path: Self.paths[.ownSchool]!, submittedBy: 99)
        #expect(!Policy.allows(Self.actor(.curator), .reviewItem(scope)))
    }

    @Test("nobody confirms what they submitted themselves, even a curator who is also on the school team")
    func noSelfReview() {
        var both = Self.actor(.curator)
        both.grants.append(RoleGrant(role: .school, organisationID: 1))
        let error = #expect(throws: MEDKError.self) {
            try Policy.authorize(both, Self.permission(.review, .ownSchool, submittedBy: both.userID))
        }
        #expect(error?.code == "self_review")
        #expect(Policy.allows(both, Self.permission(.review, .ownSchool, submittedBy: 42)))
    }

    @Test("a coordinator who tries to decide on a school's document is told that only its curator decides, not that the school is not assigned to them")
    func coordinatorsAreToldTheRealReason() {
        let permission = Self.permission(.review, .ownSchool, submittedBy: 10)
        for role in [Role.municipal, .regional, .federal] {
            let error = #expect(throws: MEDKError.self) { try Policy.authorize(Self.actor(role), permission) }
            #expect(error?.message.contains("может только её куратор") == true && error?.message.contains(role.russianName) == true)
            #expect(error?.message.contains("не закреплена за вами") == false)
        }
        // A curator who sees another school as its municipal coordinator is told it is not theirs to curate.
        let curatorAndCoordinator = Actor(userID: 11, login: "curator1",
                                          grants: [RoleGrant(role: .curator, organisationID: 1), RoleGrant(role: .municipal, organisationID: 1)],
                                          curatedSchools: [CampaignSchool(campaignID: Self.campaign, schoolID: 1)])
        let otherCurator = #expect(throws: MEDKError.self) {
            try Policy.authorize(curatorAndCoordinator, Self.permission(.review, .otherCuratorSchool, submittedBy: 10))
        }
        #expect(otherCurator?.message == "Эта школа не закреплена за вами как за куратором в этой кампании.")
    }

    @Test("a regional roadmap is kept by its region's coordinator and reviewed by FIOCO; nobody below the region sees it",
          arguments: Role.allCases)
    func regionalItems(role: Role) {
        let actor = Self.actor(role)
        for region: Int64 in [1, 2] {
            let scope = ItemScope.regional(campaignID: Self.campaign, regionID: region)
            let submitted = ItemScope(campaignID: Self.campaign, path: scope.path, submittedBy: 13)
            let ownRegion = role == .regional && region == 1
            let seesEverything = role == .federal || role == .admin
            #expect(Policy.allows(actor, .viewItem(scope)) == (ownRegion || seesEverything), "\(role) view region \(region)")
            #expect(Policy.allows(actor, .ownItem(scope)) == ownRegion, "\(role) own region \(region)")
            #expect(Policy.allows(actor, .reviewItem(submitted)) == (role == .federal), "\(role) review region \(region)")
            #expect(Policy.allows(actor, .comment(scope)) == (ownRegion || role == .federal), "\(role) comment region \(region)")
        }
    }

    @Test("a municipal roadmap is kept by its municipality and reviewed by its region")
    func municipalItems() {
        let scope = ItemScope(campaignID: Self.campaign, path: OrganisationPath(regionID: 1, municipalityID: 1, schoolID: nil), submittedBy: 12)
        #expect(Policy.allows(Self.actor(.municipal), .ownItem(scope)))
        #expect(!Policy.allows(Self.actor(.municipal), .reviewItem(scope)))
        #expect(Policy.allows(Self.actor(.regional), .reviewItem(scope)))
        #expect(!Policy.allows(Self.actor(.regional), .ownItem(scope)))
        #expect(!Policy.allows(Self.actor(.curator), .reviewItem(scope)))
        #expect(!Policy.allows(Self.actor(.school), .viewItem(scope)))
        let otherMunicipality = Actor(userID: 20, login: "mun2", grants: [RoleGrant(role: .municipal, organisationID: 2)])
        #expect(!Policy.allows(otherMunicipality, .ownItem(scope)))
        let otherRegion = Actor(userID: 21, login: "reg2", grants: [RoleGrant(role: .regional, organisationID: 2)])
        #expect(!Policy.allows(otherRegion, .reviewItem(scope)))
    }

    @Test("administration: campaigns by federal, curators and deadlines by the region, the rest by admin")
    func administration() {
        #expect(Policy.allows(Self.actor(.federal), .manageCampaigns))
        #expect(!Policy.allows(Self.actor(.regional), .manageCampaigns))
        #expect(Policy.allows(Self.actor(.regional), .assignCurators(regionID: 1)))
        #expect(!Policy.allows(Self.actor(.regional), .assignCurators(regionID: 2)))
        #expect(Policy.allows(Self.actor(.regional), .shiftMilestones(regionID: 1)))
        #expect(!Policy.allows(Self.actor(.municipal), .shiftMilestones(regionID: 1)))
        for role in Role.allCases {
            #expect(Policy.allows(Self.actor(role), .administer) == (role == .admin))
            #expect(Policy.allows(Self.actor(role), .viewAudit) == (role == .admin || role == .federal))
        }
    }

    @Test("a user holding several roles gets the union, and the audit names the role used")
    func severalRoles() throws {
        let actor = Actor(userID: 30, login: "both", grants: [RoleGrant(role: .school, organisationID: 4), RoleGrant(role: .municipal, organisationID: 1)])
        #expect(try Policy.authorize(actor, Self.permission(.own, .otherMunicipality)) == .school)
        #expect(try Policy.authorize(actor, Self.permission(.view, .ownSchool)) == .municipal)
    }
}
