import Foundation

/// Whether an upsert created, changed or left a row alone (imports report this per row).
public enum UpsertOutcome: String, Codable, Sendable {
    case created, updated, unchanged
}

/// Row-level organisation changes, each with its audit row. Callers own the transaction.
enum OrganisationWrites {
    static func upsertRegion(_ store: any StoreWriting, _ actor: AuditActor, at: Date,
                             code: String, name: String, timeZone: String) throws -> (Int64, UpsertOutcome) {
        _ = try RegionCalendar(timeZoneIdentifier: timeZone)
        let details = ["code": code, "name": name, "time_zone": timeZone]
        if var existing = try store.region(code: code) {
            guard existing.name != name || existing.timeZone != timeZone else { return (existing.id, .unchanged) }
            existing.name = name
            existing.timeZone = timeZone
            try store.updateRegion(existing)
            try store.appendAudit(actor, at: at, AuditRecord(action: .regionUpdate, entityType: .region, entityID: existing.id,
                                                             details: details))
            return (existing.id, .updated)
        }
        let id = try store.insertRegion(code: code, name: name, timeZone: timeZone)
        try store.appendAudit(actor, at: at, AuditRecord(action: .regionCreate, entityType: .region, entityID: id, details: details))
        return (id, .created)
    }

    static func upsertMunicipality(_ store: any StoreWriting, _ actor: AuditActor, at: Date,
                                   code: String, name: String, regionID: Int64) throws -> (Int64, UpsertOutcome) {
        let details = ["code": code, "name": name, "region_id": String(regionID)]
        if var existing = try store.municipality(code: code) {
            guard existing.name != name || existing.regionID != regionID else { return (existing.id, .unchanged) }
            existing.name = name
            existing.regionID = regionID
            try store.updateMunicipality(existing)
            try store.appendAudit(actor, at: at, AuditRecord(action: .municipalityUpdate, entityType: .municipality,
                                                             entityID: existing.id, details: details))
            return (existing.id, .updated)
        }
        let id = try store.insertMunicipality(code: code, name: name, regionID: regionID)
        try store.appendAudit(actor, at: at, AuditRecord(action: .municipalityCreate, entityType: .municipality, entityID: id,
                                                         details: details))
        return (id, .created)
    }

    static func upsertSchool(_ store: any StoreWriting, _ actor: AuditActor, at: Date, code: String, name: String,
                             municipalityID: Int64, lowResults: Bool, hardSocial: Bool,
                             programmeYears: String) throws -> (Int64, UpsertOutcome) {
        let details = ["code": code, "name": name, "municipality_id": String(municipalityID),
                       "low_results": lowResults ? "1" : "0", "hard_social": hardSocial ? "1" : "0",
                       "programme_years": programmeYears]
        var school = School(id: 0, municipalityID: municipalityID, code: code, name: name, lowResults: lowResults,
                            hardSocialConditions: hardSocial, programmeYears: programmeYears)
        if let existing = try store.school(code: code) {
            school.id = existing.id
            guard school != existing else { return (existing.id, .unchanged) }
            try store.updateSchool(school)
            try store.appendAudit(actor, at: at, AuditRecord(action: .schoolUpdate, entityType: .school, entityID: existing.id,
                                                             details: details))
            return (existing.id, .updated)
        }
        let id = try store.insertSchool(school)
        try store.appendAudit(actor, at: at, AuditRecord(action: .schoolCreate, entityType: .school, entityID: id, details: details))
        return (id, .created)
    }

    /// Creates the account if needed and adds the grant if the user does not hold it yet.
    static func upsertUser(_ store: any StoreWriting, _ actor: AuditActor, at: Date, login: String, fullName: String,
                           email rawEmail: String?, grant: RoleGrant?, passwordHash: String? = nil) throws -> (Int64, UpsertOutcome) {
        // Every way a user is written (the API, the pages, a CSV import) checks the address here.
        let email = try Validation.email(rawEmail)
        var outcome = UpsertOutcome.unchanged
        let userID: Int64
        if let existing = try store.user(login: login) {
            if existing.fullName != fullName || (email != nil && existing.email != email) {
                try store.updateUser(id: existing.id, fullName: fullName, email: email ?? existing.email)
                try store.appendAudit(actor, at: at, AuditRecord(action: .userUpdate, entityType: .user, entityID: existing.id,
                                                                 details: ["login": login, "full_name": fullName]))
                outcome = .updated
            }
            userID = existing.id
        } else {
            userID = try store.insertUser(login: login, fullName: fullName, email: email, passwordHash: passwordHash, at: at)
            try store.appendAudit(actor, at: at, AuditRecord(action: .userCreate, entityType: .user, entityID: userID,
                                                             details: ["login": login, "full_name": fullName]))
            outcome = .created
        }
        if let grant, try grantRole(store, actor, at: at, userID: userID, grant: grant), outcome == .unchanged {
            outcome = .updated
        }
        return (userID, outcome)
    }

    /// Returns whether the grant was new.
    static func grantRole(_ store: any StoreWriting, _ actor: AuditActor, at: Date, userID: Int64, grant: RoleGrant) throws -> Bool {
        if grant.role.scopeKind != nil, grant.organisationID == nil {
            throw MEDKError.rejected("scope_required", "Для роли «\(grant.role.russianName)» нужно указать организацию.")
        }
        guard try !store.grants(userID: userID).contains(grant) else { return false }
        try store.insertGrant(userID: userID, grant)
        try store.appendAudit(actor, at: at, AuditRecord(
            action: .userGrantRole, entityType: .user, entityID: userID,
            details: ["role": grant.role.rawValue, "organisation_id": grant.organisationID.map { String($0) } ?? ""]))
        return true
    }

    /// Adds the school to the campaign if needed, then the curator to the school.
    static func assignCurator(_ store: any StoreWriting, _ actor: AuditActor, at: Date, campaignID: Int64, school: SchoolPlace,
                              curatorID: Int64) throws -> UpsertOutcome {
        let grants = try store.grants(userID: curatorID)
        let curatorRegions = grants.filter { $0.role == .curator }.compactMap(\.organisationID)
        guard curatorRegions.contains(school.path.regionID) else {
            throw MEDKError.rejected("not_a_curator", "Пользователь не является куратором в регионе этой школы.")
        }
        // A curator confirms what the school submits: a member of the school's own team would confirm their own work.
        guard !grants.contains(RoleGrant(role: .school, organisationID: school.school.id)) else {
            throw MEDKError.rejected("curator_conflict_of_interest", """
                Этот пользователь входит в управленческую команду школы «\(school.school.name)» и не может быть её куратором: \
                куратор проверяет то, что школа отправляет. Назначьте другого куратора.
                """)
        }
        try addParticipant(store, actor, at: at, campaignID: campaignID, schoolID: school.school.id)
        if try store.isAssigned(campaignID: campaignID, schoolID: school.school.id, curatorID: curatorID) { return .unchanged }
        try store.insertAssignment(campaignID: campaignID, schoolID: school.school.id, curatorID: curatorID, at: at)
        try store.appendAudit(actor, at: at, AuditRecord(
            action: .curatorAssign, entityType: .school, entityID: school.school.id,
            details: ["campaign_id": String(campaignID), "curator_id": String(curatorID)]))
        return .created
    }

    /// Puts a school into a campaign unless it is in already.
    static func addParticipant(_ store: any StoreWriting, _ actor: AuditActor, at: Date, campaignID: Int64, schoolID: Int64) throws {
        guard try !store.participates(campaignID: campaignID, schoolID: schoolID) else { return }
        try store.addParticipant(campaignID: campaignID, schoolID: schoolID)
        try store.appendAudit(actor, at: at, AuditRecord(action: .campaignAddSchool, entityType: .campaign, entityID: campaignID,
                                                         details: ["school_id": String(schoolID)]))
    }
}
