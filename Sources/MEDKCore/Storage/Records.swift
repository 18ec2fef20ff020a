import Foundation
import GRDB

/// Row types: the storage's own shapes, kept out of the public domain API.
protocol SnakeCaseRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable {}

extension SnakeCaseRecord {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

struct RegionRow: SnakeCaseRecord {
    static let databaseTableName = "regions"
    var id: Int64?
    var code: String
    var name: String
    var timeZone: String
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
    var domain: Region { Region(id: id!, code: code, name: name, timeZone: timeZone) }
}

struct MunicipalityRow: SnakeCaseRecord {
    static let databaseTableName = "municipalities"
    var id: Int64?
    var regionId: Int64
    var code: String
    var name: String
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
    var domain: Municipality { Municipality(id: id!, regionID: regionId, code: code, name: name) }
}

struct SchoolRow: SnakeCaseRecord {
    static let databaseTableName = "schools"
    var id: Int64?
    var municipalityId: Int64
    var code: String
    var name: String
    var lowResults: Bool
    var hardSocial: Bool
    var programmeYears: String
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
    var domain: School {
        School(id: id!, municipalityID: municipalityId, code: code, name: name, lowResults: lowResults,
               hardSocialConditions: hardSocial, programmeYears: programmeYears)
    }
}

struct UserRow: SnakeCaseRecord {
    static let databaseTableName = "users"
    var id: Int64?
    var login: String
    var fullName: String
    var email: String?
    var passwordHash: String?
    var isActive: Bool
    var failedLogins: Int
    var lockedUntil: Date?
    var createdAt: Date
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct UserRoleRow: SnakeCaseRecord {
    static let databaseTableName = "user_roles"
    var id: Int64?
    var userId: Int64
    var role: Role
    var regionId: Int64?
    var municipalityId: Int64?
    var schoolId: Int64?
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    init(userID: Int64, grant: RoleGrant) {
        userId = userID
        role = grant.role
        switch grant.role.scopeKind {
        case .region: regionId = grant.organisationID
        case .municipality: municipalityId = grant.organisationID
        case .school: schoolId = grant.organisationID
        case nil: break
        }
    }

    var grant: RoleGrant { RoleGrant(role: role, organisationID: regionId ?? municipalityId ?? schoolId) }
}

struct SessionRow: SnakeCaseRecord {
    static let databaseTableName = "sessions"
    var id: Int64?
    var tokenHash: String
    var userId: Int64
    var createdAt: Date
    var expiresAt: Date
    var revokedAt: Date?
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct CampaignRow: SnakeCaseRecord {
    static let databaseTableName = "campaigns"
    var id: Int64?
    var code: String
    var name: String
    var year: Int
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
    var domain: Campaign { Campaign(id: id!, code: code, name: name, year: year) }
}

struct RiskFactorRow: SnakeCaseRecord {
    static let databaseTableName = "risk_factors"
    var id: Int64?
    var campaignId: Int64
    var number: Int
    var title: String
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
    var domain: RiskFactor { RiskFactor(id: id!, campaignID: campaignId, number: number, title: title) }
}

struct CampaignSchoolRow: SnakeCaseRecord {
    static let databaseTableName = "campaign_schools"
    var campaignId: Int64
    var schoolId: Int64
}

struct CuratorAssignmentRow: SnakeCaseRecord {
    static let databaseTableName = "curator_assignments"
    var campaignId: Int64
    var schoolId: Int64
    var curatorId: Int64
    var assignedAt: Date
}

struct MilestoneRow: SnakeCaseRecord {
    static let databaseTableName = "milestones"
    var id: Int64?
    var campaignId: Int64
    var kind: ItemKind
    var title: String
    var dueDate: String
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
    var domain: Milestone {
        Milestone(id: id!, campaignID: campaignId, kind: kind, title: title, dueDate: CalendarDate(dueDate)!)
    }
}

struct MilestoneOverrideRow: SnakeCaseRecord {
    static let databaseTableName = "milestone_overrides"
    var milestoneId: Int64
    var regionId: Int64
    var dueDate: String
}

struct ItemRow: SnakeCaseRecord {
    static let databaseTableName = "items"
    var id: Int64?
    var campaignId: Int64
    var kind: ItemKind
    var schoolId: Int64?
    var municipalityId: Int64?
    var riskFactorId: Int64?
    var measureId: Int64?
    var title: String
    var state: ReviewState
    var revision: Int
    var createdAt: Date
    var createdBy: Int64
    var updatedAt: Date
    var firstSubmittedAt: Date?
    var submittedAt: Date?
    var submittedBy: Int64?
    var decidedAt: Date?
    var decidedBy: Int64?
    var confirmedVersion: Int?
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct ItemFileRow: SnakeCaseRecord {
    static let databaseTableName = "item_files"
    var id: Int64?
    var itemId: Int64
    var version: Int
    var fileName: String
    var mediaType: String
    var size: Int64
    var sha256: String
    var uploadedBy: Int64
    var uploadedAt: Date
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct RiskProfileEntryRow: SnakeCaseRecord {
    static let databaseTableName = "risk_profile_entries"
    var itemId: Int64
    var riskFactorId: Int64
    var significance: Significance
    var chosen: Bool
}

struct MeasureRow: SnakeCaseRecord {
    static let databaseTableName = "measures"
    var id: Int64?
    var roadmapId: Int64
    var position: Int
    var riskFactorId: Int64?
    var track: Int?
    var task: String
    var title: String
    var dueDate: String
    var responsible: String
    var expectedResult: String
    var indicator: String
    var plannedValue: String
    var actualValue: String?
    var regionalMeasure: String?
    var createdAt: Date
    var updatedAt: Date
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct AuditRow: SnakeCaseRecord {
    static let databaseTableName = "audit_log"
    var seq: Int64
    var at: String
    var actorId: Int64?
    var actorLogin: String
    var actorRole: String?
    var action: String
    var entityType: String
    var entityId: String?
    var fromState: String?
    var toState: String?
    var comment: String?
    var details: String
    var prevHash: String
    var hash: String

    init(_ entry: AuditEntry) {
        seq = entry.seq; at = entry.at; actorId = entry.actorID; actorLogin = entry.actorLogin
        actorRole = entry.actorRole; action = entry.action; entityType = entry.entityType
        entityId = entry.entityID; fromState = entry.fromState; toState = entry.toState
        comment = entry.comment; details = entry.details; prevHash = entry.prevHash; hash = entry.hash
    }

    var entry: AuditEntry {
        AuditEntry(seq: seq, at: at, actorID: actorId, actorLogin: actorLogin, actorRole: actorRole, action: action,
                   entityType: entityType, entityID: entityId, fromState: fromState, toState: toState,
                   comment: comment, details: details, prevHash: prevHash, hash: hash)
    }
}

extension Role: DatabaseValueConvertible {}
extension ReviewState: DatabaseValueConvertible {}
extension ItemKind: DatabaseValueConvertible {}
extension Significance: DatabaseValueConvertible {}
