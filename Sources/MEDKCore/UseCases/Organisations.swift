import Foundation
import GRDB

/// Whether an upsert created, changed or left a row alone (imports report this per row).
public enum UpsertOutcome: String, Codable, Sendable {
    case created, updated, unchanged
}

/// Row-level organisation changes, each with its audit row. Callers own the transaction.
enum OrganisationWrites {
    static func upsertRegion(_ db: Database, _ actor: AuditActor, at: Date,
                             code: String, name: String, timeZone: String) throws -> (Int64, UpsertOutcome) {
        _ = try RegionCalendar(timeZoneIdentifier: timeZone)
        if var existing = try RegionRow.filter(Column("code") == code).fetchOne(db) {
            guard existing.name != name || existing.timeZone != timeZone else { return (existing.id!, .unchanged) }
            existing.name = name
            existing.timeZone = timeZone
            try existing.update(db)
            try AuditLog.append(db, actor: actor, at: at, AuditRecord(
                action: "region.update", entityType: "region", entityID: String(existing.id!),
                details: ["code": code, "name": name, "time_zone": timeZone]))
            return (existing.id!, .updated)
        }
        var row = RegionRow(code: code, name: name, timeZone: timeZone)
        try row.insert(db)
        try AuditLog.append(db, actor: actor, at: at, AuditRecord(
            action: "region.create", entityType: "region", entityID: String(row.id!),
            details: ["code": code, "name": name, "time_zone": timeZone]))
        return (row.id!, .created)
    }

    static func upsertMunicipality(_ db: Database, _ actor: AuditActor, at: Date,
                                   code: String, name: String, regionID: Int64) throws -> (Int64, UpsertOutcome) {
        if var existing = try MunicipalityRow.filter(Column("code") == code).fetchOne(db) {
            guard existing.name != name || existing.regionId != regionID else { return (existing.id!, .unchanged) }
            existing.name = name
            existing.regionId = regionID
            try existing.update(db)
            try AuditLog.append(db, actor: actor, at: at, AuditRecord(
                action: "municipality.update", entityType: "municipality", entityID: String(existing.id!),
                details: ["code": code, "name": name, "region_id": String(regionID)]))
            return (existing.id!, .updated)
        }
        var row = MunicipalityRow(regionId: regionID, code: code, name: name)
        try row.insert(db)
        try AuditLog.append(db, actor: actor, at: at, AuditRecord(
            action: "municipality.create", entityType: "municipality", entityID: String(row.id!),
            details: ["code": code, "name": name, "region_id": String(regionID)]))
        return (row.id!, .created)
    }

    static func upsertSchool(_ db: Database, _ actor: AuditActor, at: Date, code: String, name: String,
                             municipalityID: Int64, lowResults: Bool, hardSocial: Bool,
                             programmeYears: String) throws -> (Int64, UpsertOutcome) {
        let details = ["code": code, "name": name, "municipality_id": String(municipalityID),
                       "low_results": lowResults ? "1" : "0", "hard_social": hardSocial ? "1" : "0",
                       "programme_years": programmeYears]
        if var existing = try SchoolRow.filter(Column("code") == code).fetchOne(db) {
            let updated = SchoolRow(id: existing.id, municipalityId: municipalityID, code: code, name: name,
                                    lowResults: lowResults, hardSocial: hardSocial, programmeYears: programmeYears)
            guard updated.domain != existing.domain else { return (existing.id!, .unchanged) }
            existing = updated
            try existing.update(db)
            try AuditLog.append(db, actor: actor, at: at, AuditRecord(
                action: "school.update", entityType: "school", entityID: String(existing.id!), details: details))
            return (existing.id!, .updated)
        }
        var row = SchoolRow(municipalityId: municipalityID, code: code, name: name, lowResults: lowResults,
                            hardSocial: hardSocial, programmeYears: programmeYears)
        try row.insert(db)
        try AuditLog.append(db, actor: actor, at: at, AuditRecord(
            action: "school.create", entityType: "school", entityID: String(row.id!), details: details))
        return (row.id!, .created)
    }

    /// Creates the account if needed and adds the grant if the user does not hold it yet.
    static func upsertUser(_ db: Database, _ actor: AuditActor, at: Date, login: String, fullName: String,
                           email: String?, grant: RoleGrant?, passwordHash: String? = nil) throws -> (Int64, UpsertOutcome) {
        var outcome = UpsertOutcome.unchanged
        var user: UserRow
        if var existing = try UserRow.filter(Column("login") == login).fetchOne(db) {
            if existing.fullName != fullName || (email != nil && existing.email != email) {
                existing.fullName = fullName
                existing.email = email ?? existing.email
                try existing.update(db)
                try AuditLog.append(db, actor: actor, at: at, AuditRecord(
                    action: "user.update", entityType: "user", entityID: String(existing.id!),
                    details: ["login": login, "full_name": fullName]))
                outcome = .updated
            }
            user = existing
        } else {
            user = UserRow(login: login, fullName: fullName, email: email, passwordHash: passwordHash,
                           isActive: true, failedLogins: 0, createdAt: at)
            try user.insert(db)
            try AuditLog.append(db, actor: actor, at: at, AuditRecord(
                action: "user.create", entityType: "user", entityID: String(user.id!),
                details: ["login": login, "full_name": fullName]))
            outcome = .created
        }
        if let grant, try grantRole(db, actor, at: at, userID: user.id!, grant: grant), outcome == .unchanged {
            outcome = .updated
        }
        return (user.id!, outcome)
    }

    /// Returns whether the grant was new.
    static func grantRole(_ db: Database, _ actor: AuditActor, at: Date, userID: Int64, grant: RoleGrant) throws -> Bool {
        if grant.role.scopeKind != nil, grant.organisationID == nil {
            throw MEDKError.invalid("scope_required", "Для роли «\(grant.role.russianName)» нужно указать организацию.")
        }
        let existing = try UserRoleRow.filter(Column("user_id") == userID).fetchAll(db).map(\.grant)
        guard !existing.contains(grant) else { return false }
        var row = UserRoleRow(userID: userID, grant: grant)
        try row.insert(db)
        try AuditLog.append(db, actor: actor, at: at, AuditRecord(
            action: "user.grant_role", entityType: "user", entityID: String(userID),
            details: ["role": grant.role.rawValue, "organisation_id": grant.organisationID.map { String($0) } ?? ""]))
        return true
    }

    /// Adds the school to the campaign if needed, then the curator to the school.
    static func assignCurator(_ db: Database, _ actor: AuditActor, at: Date, campaignID: Int64, schoolID: Int64,
                              curatorID: Int64) throws -> UpsertOutcome {
        let curator = try UserRoleRow.filter(Column("user_id") == curatorID && Column("role") == Role.curator.rawValue).fetchAll(db)
        let region = try Row.fetchOne(db, sql: """
            SELECT m.region_id FROM schools s JOIN municipalities m ON m.id = s.municipality_id WHERE s.id = ?
            """, arguments: [schoolID])?["region_id"] as Int64?
        guard curator.contains(where: { $0.regionId == region }) else {
            throw MEDKError.invalid("not_a_curator", "Пользователь не является куратором в регионе этой школы.")
        }
        let participation = CampaignSchoolRow(campaignId: campaignID, schoolId: schoolID)
        if try !participation.exists(db) {
            var row = participation
            try row.insert(db)
            try AuditLog.append(db, actor: actor, at: at, AuditRecord(
                action: "campaign.add_school", entityType: "campaign", entityID: String(campaignID),
                details: ["school_id": String(schoolID)]))
        }
        var assignment = CuratorAssignmentRow(campaignId: campaignID, schoolId: schoolID, curatorId: curatorID, assignedAt: at)
        if try assignment.exists(db) { return .unchanged }
        try assignment.insert(db)
        try AuditLog.append(db, actor: actor, at: at, AuditRecord(
            action: "curator.assign", entityType: "school", entityID: String(schoolID),
            details: ["campaign_id": String(campaignID), "curator_id": String(curatorID)]))
        return .created
    }
}
