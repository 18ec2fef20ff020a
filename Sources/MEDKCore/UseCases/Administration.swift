import Foundation

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

    /// The milestones a new campaign gets: the usual calendar, or only the kinds it chose (a 2022
    /// campaign that never had some stages must not show them as «не представлено»), with dates moved
    /// by `due`. A chosen kind outside the usual calendar needs its date.
    public static func chosen(year: Int, kinds: [ItemKind]?, due: [ItemKind: CalendarDate]) throws(MEDKError) -> [MilestoneInput] {
        let standard = standard(year: year)
        var milestones: [MilestoneInput]
        if let kinds {
            guard !kinds.isEmpty else { throw MEDKError.rejected("no_milestones", "Выберите хотя бы одну контрольную точку.") }
            guard Set(kinds).count == kinds.count else {
                throw MEDKError.rejected("duplicate_milestone", "Контрольная точка указана дважды.")
            }
            milestones = []
            for kind in kinds {
                if let usual = standard.first(where: { $0.kind == kind }) {
                    milestones.append(usual)
                } else if let date = due[kind] {
                    milestones.append(MilestoneInput(kind: kind, title: kind.russianName, dueDate: date))
                } else {
                    throw MEDKError.rejected("milestone_date_required",
                                             "У «\(kind.russianName)» нет обычного срока: укажите его, например \(kind.rawValue)=\(year)-06-30.")
                }
            }
        } else {
            milestones = standard
        }
        for (kind, date) in due.sorted(by: { $0.value < $1.value }) {
            if let index = milestones.firstIndex(where: { $0.kind == kind }) {
                milestones[index].dueDate = date
            } else if kinds == nil {
                milestones.append(MilestoneInput(kind: kind, title: kind.russianName, dueDate: date))
            } else {
                throw MEDKError.rejected("milestone_not_chosen", "Срок для «\(kind.russianName)» указан, но эта контрольная точка не выбрана.")
            }
        }
        return milestones
    }
}

extension MEDKService {
    /// Creates the first administrator of an empty database.
    public func initialize(adminLogin: String, fullName: String, password: String) async throws -> Int64 {
        try PasswordHasher.validate(password)
        try Validation.login(adminLogin)
        let hash = try await passwords.hash(password)
        let now = now()
        return try await write { store in
            guard try store.userCount() == 0 else {
                throw MEDKError(.conflict, code: "already_initialized",
                                message: "База данных уже инициализирована: пользователи уже есть.")
            }
            return try OrganisationWrites.upsertUser(store, .localOperator(), at: now, login: adminLogin, fullName: fullName,
                                                     email: nil, grant: RoleGrant(role: .admin), passwordHash: hash).0
        }
    }

    public func isInitialized() async throws -> Bool {
        try await read { store in try store.userCount() > 0 }
    }

    /// Sets a user's password (administrators, or the local operator).
    public func setPassword(by op: Operator, login: String, password: String) async throws {
        try PasswordHasher.validate(password)
        try await setPasswordHash(by: op, login: login, hash: try await passwords.hash(password))
    }

    /// Sets an already computed hash: bulk tools hash a shared password once, not per account.
    func setPasswordHash(by op: Operator, login: String, hash: String) async throws {
        let now = now()
        try await write { store in
            let auditActor = try op.authorize(.administer)
            guard let user = try store.user(login: login) else { throw MEDKError.notFound("Пользователь «\(login)»") }
            try Self.setPasswordHash(store, auditActor, at: now, userID: user.id, hash: hash)
        }
    }

    static func setPasswordHash(_ store: any StoreWriting, _ actor: AuditActor, at now: Date, userID: Int64, hash: String) throws {
        try store.setPasswordHash(userID: userID, hash)
        // A new password ends every open session of the account.
        try store.revokeSessions(userID: userID, at: now)
        try store.appendAudit(actor, at: now, AuditRecord(action: .userSetPassword, entityType: .user, entityID: userID))
    }

    public func createUser(by op: Operator, login: String, fullName: String, email: String? = nil,
                           grants: [RoleGrant], password: String?) async throws -> UserInfo {
        try Validation.login(login)
        if let password { try PasswordHasher.validate(password) }
        let hash: String?
        if let password { hash = try await passwords.hash(password) } else { hash = nil }
        let now = now()
        return try await write { store in
            let auditActor = try op.authorize(.administer)
            if try store.user(login: login) != nil {
                throw MEDKError(.conflict, code: "already_exists", message: "Пользователь «\(login)» уже существует.")
            }
            let (id, _) = try OrganisationWrites.upsertUser(store, auditActor, at: now, login: login, fullName: fullName,
                                                          email: email, grant: nil, passwordHash: hash)
            for grant in grants {
                try Validation.grantScope(store, grant)
                _ = try OrganisationWrites.grantRole(store, auditActor, at: now, userID: id, grant: grant)
            }
            guard let user = try store.user(id: id) else { throw MEDKError.notFound("Пользователь") }
            return try store.userInfo(user)
        }
    }

    /// Resolves `role` and an organisation code to a grant, as imports do.
    public func roleGrant(_ role: Role, scopeCode: String?) async throws -> RoleGrant {
        try await read { store in try Lookup.grant(store, role: role, scopeCode: scopeCode) }
    }

    /// Users, by login. Administrators see everyone; a regional coordinator may list the
    /// curators of their own region (to assign them).
    public func users(_ query: UserQuery, page: PageRequest = .first, by op: Operator) async throws -> Page<UserInfo> {
        try await read { store in
            switch op {
            case .local: break
            case .user(let actor):
                if !Policy.allows(actor, .administer) {
                    guard query.role == .curator, let region = query.regionID else {
                        _ = try Policy.authorize(actor, .administer)
                        return Page(items: [], total: 0, nextCursor: nil)
                    }
                    if !Policy.allows(actor, .assignCurators(regionID: region)), try !Lookup.touches(store, actor, regionID: region),
                       let code = try store.region(id: region)?.code {
                        throw Lookup.missingRegion(code)
                    }
                    _ = try Policy.authorize(actor, .assignCurators(regionID: region))
                }
            }
            return try store.users(query, page: page)
        }
    }

    /// Creates a campaign with its risk-factor catalogue and milestones.
    public func createCampaign(by op: Operator, code: String, name: String, year: Int,
                               riskFactors: [String] = RiskFactorCatalogue.fioco,
                               milestones: [MilestoneInput]? = nil) async throws -> CampaignDetail {
        let now = now()
        let milestoneList = milestones ?? MilestoneInput.standard(year: year)
        let id: Int64 = try await write { store in
            let auditActor = try op.authorize(.manageCampaigns)
            guard !code.isBlank, !name.isBlank else {
                throw MEDKError.rejected("invalid_campaign", "У кампании должны быть код и название.")
            }
            let id = try store.insertCampaign(code: code, name: name, year: year)
            for (index, title) in riskFactors.enumerated() {
                try store.insertRiskFactor(campaignID: id, number: index + 1, title: title)
            }
            for milestone in milestoneList {
                try store.insertMilestone(campaignID: id, milestone)
            }
            try store.appendAudit(auditActor, at: now, AuditRecord(
                action: .campaignCreate, entityType: .campaign, entityID: id,
                details: ["code": code, "name": name, "year": String(year), "risk_factors": String(riskFactors.count)]))
            return id
        }
        return try await campaign(id: id)
    }

    public func campaigns() async throws -> [Campaign] {
        try await read { store in try store.campaigns() }
    }

    public func campaign(id: Int64) async throws -> CampaignDetail {
        try await read { store in try Self.campaignDetail(store, id: id) }
    }

    /// The campaign with this code, or the latest one (as monitoring picks it) when none is given.
    public func campaign(code: String?) async throws -> CampaignDetail {
        try await read { store in try Self.campaignDetail(store, id: try Self.campaignForReport(store, code: code).id) }
    }

    static func campaignDetail(_ store: any StoreReading, id: Int64) throws -> CampaignDetail {
        guard let campaign = try store.campaign(id: id) else { throw MEDKError.notFound("Кампания") }
        return CampaignDetail(campaign: campaign, milestones: try store.milestones(campaignID: id),
                              riskFactors: try store.riskFactors(campaignID: id), schoolCount: try store.participantCount(campaignID: id))
    }

    /// The campaign with this code, or the latest one when none is given.
    static func campaignForReport(_ store: any StoreReading, code: String?) throws -> Campaign {
        if let code {
            guard let campaign = try store.campaign(code: code) else { throw MEDKError.notFound("Кампания «\(code)»") }
            return campaign
        }
        guard let latest = try store.latestCampaign() else { throw MEDKError.notFound("Кампания") }
        return latest
    }

    /// A region moves a milestone for its own schools. A date already past in the region (schools
    /// would be late the moment it is set) is a decision that needs its reason, kept in the audit log.
    public func shiftMilestone(by op: Operator, campaignCode: String, kind: ItemKind, regionCode: String,
                               dueDate: CalendarDate, reason: String? = nil) async throws {
        let now = now()
        let reason = reason.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        if let reason, reason.count > 2000 {
            throw MEDKError.rejected("reason_too_long", "Причина длиннее 2000 символов.", fields: ["reason": "Причина длиннее 2000 символов."])
        }
        try await write { store in
            let (region, auditActor) = try Lookup.region(store, code: regionCode, by: op) { .shiftMilestones(regionID: $0.id) }
            guard let campaign = try store.campaign(code: campaignCode),
                  let milestone = try store.milestone(campaignID: campaign.id, kind: kind)
            else { throw MEDKError.notFound("Контрольная точка «\(kind.russianName)» кампании «\(campaignCode)»") }
            let today = try RegionCalendar.cached(region.timeZone).date(of: now)
            if dueDate < today && reason == nil {
                let text = "Срок \(dueDate.russian) уже прошёл в регионе (сегодня \(today.russian)): школы окажутся с опозданием сразу. "
                    + "Если так и нужно, напишите причину — она останется в журнале."
                throw MEDKError.rejected("past_due_date_needs_reason", text, fields: ["reason": text])
            }
            let previous = try store.milestoneOverride(milestoneID: milestone.id, regionID: region.id) ?? milestone.dueDate
            try store.saveMilestoneOverride(milestoneID: milestone.id, regionID: region.id, dueDate: dueDate)
            try store.appendAudit(auditActor, at: now, AuditRecord(
                action: .milestoneShift, entityType: .milestone, entityID: milestone.id,
                fromState: previous.description, toState: dueDate.description, comment: reason, details: ["region_id": String(region.id)]))
        }
    }

    public func assignCurator(by op: Operator, campaignCode: String, schoolCode: String, curatorLogin: String) async throws {
        let now = now()
        try await write { store in
            let (campaign, school) = try Lookup.campaignAndSchool(store, campaignCode: campaignCode, schoolCode: schoolCode)
            // A school in a region the actor has nothing to do with is «not found», like a missing one.
            if case .user(let actor) = op, !Policy.allows(actor, .assignCurators(regionID: school.path.regionID)),
               try !Lookup.touches(store, actor, regionID: school.path.regionID) {
                throw Lookup.missingSchool(schoolCode)
            }
            let auditActor = try op.authorize(.assignCurators(regionID: school.path.regionID))
            guard let curator = try store.user(login: curatorLogin) else { throw MEDKError.notFound("Пользователь «\(curatorLogin)»") }
            _ = try OrganisationWrites.assignCurator(store, auditActor, at: now, campaignID: campaign.id, school: school,
                                                     curatorID: curator.id)
        }
    }

    /// All regions (85 at most): for choosers and time zones.
    public func regions() async throws -> [Region] {
        try await read { store in try store.allRegions() }
    }

    public func regions(_ query: OrganisationQuery, page: PageRequest = .first) async throws -> Page<Region> {
        try await read { store in try store.regions(query, page: page) }
    }

    public func municipalities(_ query: OrganisationQuery, page: PageRequest = .first) async throws -> Page<Municipality> {
        try await read { store in try store.municipalities(query, page: page) }
    }

    public func schools(_ query: OrganisationQuery, page: PageRequest = .first) async throws -> Page<School> {
        try await read { store in try store.schools(query, page: page) }
    }

    public func region(code: String) async throws -> Region {
        try await read { store in
            guard let region = try store.region(code: code) else { throw MEDKError.notFound("Регион «\(code)»") }
            return region
        }
    }

    public func school(code: String) async throws -> School {
        try await read { store in
            guard let school = try store.school(code: code) else { throw MEDKError.notFound("Школа «\(code)»") }
            return school
        }
    }

    public func municipality(code: String) async throws -> Municipality {
        try await read { store in
            guard let municipality = try store.municipality(code: code) else { throw MEDKError.notFound("Муниципалитет «\(code)»") }
            return municipality
        }
    }

    /// The municipalities of some regions, by code (for choosers: a region has at most a few hundred).
    public func municipalities(inRegions regionIDs: Set<Int64>) async throws -> [Municipality] {
        try await read { store in try store.municipalities(regionIDs: regionIDs) }
    }

    /// Names of the municipalities with these ids (a page of schools shows where each sits).
    public func municipalityNames(ids: Set<Int64>) async throws -> [Int64: String] {
        try await read { store in
            var names: [Int64: String] = [:]
            for id in ids { names[id] = try store.municipality(id: id)?.name }
            return names
        }
    }

    public func organisationCounts() async throws -> (regions: Int, municipalities: Int, schools: Int) {
        try await read { store in try store.organisationCounts() }
    }
}

enum Lookup {
    /// A role with its organisation given by code (region, municipality or school, as the role needs).
    static func grant(_ store: any StoreReading, role: Role, scopeCode code: String?) throws -> RoleGrant {
        guard let kind = role.scopeKind else {
            if code != nil { throw MEDKError.rejected("unexpected_scope", "роль «\(role.rawValue)» не привязывается к организации; оставьте scope_code пустым.") }
            return RoleGrant(role: role)
        }
        guard let code else { throw MEDKError.rejected("scope_required", "для роли «\(role.rawValue)» нужен scope_code (\(kind.russianName)).") }
        guard let id = try store.organisationID(kind, code: code) else {
            throw MEDKError.rejected("unknown_scope", "нет организации (\(kind.russianName)) с кодом «\(code)».")
        }
        return RoleGrant(role: role, organisationID: id)
    }

    static func campaignAndSchool(_ store: any StoreReading, campaignCode: String, schoolCode: String) throws -> (Campaign, SchoolPlace) {
        guard let campaign = try store.campaign(code: campaignCode) else { throw MEDKError.notFound("Кампания «\(campaignCode)»") }
        guard let school = try store.school(code: schoolCode), let place = try store.schoolPlace(schoolID: school.id) else {
            throw MEDKError.notFound("Школа «\(schoolCode)»")
        }
        return (campaign, place)
    }
}

enum Validation {
    /// An e-mail address as people type it (spaces around it dropped, empty as none), or a refusal:
    /// one rule (`MailAddress.isValid`) for the API, the pages and imports, so that nothing with a
    /// line break or a second header can reach a message.
    static func email(_ text: String?) throws(MEDKError) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        guard MailAddress.isValid(trimmed) else {
            // Shown on one line: a line break in the address is what is wrong with it.
            let shown = String(String.UnicodeScalarView(trimmed.unicodeScalars.prefix(80).map {
                $0.properties.generalCategory == .control ? "↵" : $0
            }))
            let text = "«\(shown)» не похоже на адрес электронной почты."
            throw MEDKError.rejected("invalid_email", text, fields: ["email": text])
        }
        return trimmed
    }

    static func login(_ login: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-@"))
        guard (2...64).contains(login.count), login.unicodeScalars.allSatisfy({ allowed.contains($0) }) else {
            let text = "Логин «\(login)»: от 2 до 64 символов — буквы, цифры, точка, дефис, подчёркивание, @."
            throw MEDKError.rejected("invalid_login", text, fields: ["login": text])
        }
    }

    /// The grant's organisation exists and is of the kind the role needs.
    static func grantScope(_ store: any StoreReading, _ grant: RoleGrant) throws {
        guard let kind = grant.role.scopeKind else {
            if grant.organisationID != nil {
                throw MEDKError.rejected("unexpected_scope", "Роль «\(grant.role.russianName)» не привязывается к организации.")
            }
            return
        }
        guard let id = grant.organisationID else {
            throw MEDKError.rejected("scope_required", "Для роли «\(grant.role.russianName)» нужно указать организацию (\(kind.russianName)).")
        }
        guard try store.organisationExists(kind, id: id) else { throw MEDKError.notFound("Организация (\(kind.russianName)) с id \(id)") }
    }
}
