import Foundation
import GRDB

/// A curator's assignment to a school in a campaign.
public struct CuratorAssignment: Codable, Sendable, Hashable {
    public var schoolCode: String
    public var schoolName: String
    public var municipalityName: String
    public var curatorLogin: String
    public var curatorName: String
}

/// A region's own due date for a milestone.
public struct MilestoneOverride: Codable, Sendable, Hashable {
    public var kind: ItemKind
    public var regionCode: String
    public var regionName: String
    public var dueDate: CalendarDate
}

extension MEDKService {
    /// Assignments of a campaign inside the territory the actor oversees.
    public func curatorAssignments(campaignCode: String?, for actor: Actor) async throws -> [CuratorAssignment] {
        try await read { db in
            let campaign = try Self.campaignForReport(db, code: campaignCode)
            return try Row.fetchAll(db, sql: """
                SELECT s.code, s.name, m.id AS municipality_id, m.name AS municipality, m.region_id, u.login, u.full_name
                FROM curator_assignments ca JOIN schools s ON s.id = ca.school_id JOIN users u ON u.id = ca.curator_id
                JOIN municipalities m ON m.id = s.municipality_id
                WHERE ca.campaign_id = ? ORDER BY s.code, u.login
                """, arguments: [campaign.id!]).filter { row in
                Policy.allows(actor, .viewMonitoring(.municipality(regionID: row["region_id"], municipalityID: row["municipality_id"])))
            }.map { row in
                CuratorAssignment(schoolCode: row["code"], schoolName: row["name"], municipalityName: row["municipality"],
                                  curatorLogin: row["login"], curatorName: row["full_name"])
            }
        }
    }

    /// The regional due dates of a campaign's milestones.
    public func milestoneOverrides(campaignCode: String?) async throws -> [MilestoneOverride] {
        try await read { db in
            let campaign = try Self.campaignForReport(db, code: campaignCode)
            return try Row.fetchAll(db, sql: """
                SELECT ms.kind, r.code, r.name, o.due_date FROM milestone_overrides o
                JOIN milestones ms ON ms.id = o.milestone_id JOIN regions r ON r.id = o.region_id
                WHERE ms.campaign_id = ? ORDER BY r.code, o.due_date
                """, arguments: [campaign.id!]).compactMap { row in
                guard let kind = ItemKind(rawValue: row["kind"]), let due = CalendarDate(row["due_date"] as String) else { return nil }
                return MilestoneOverride(kind: kind, regionCode: row["code"], regionName: row["name"], dueDate: due)
            }
        }
    }
}
