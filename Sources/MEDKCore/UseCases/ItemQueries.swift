import Foundation
import GRDB

public struct ItemFilter: Sendable, Hashable {
    public var campaignID: Int64?
    public var schoolCode: String?
    public var state: ReviewState?
    public var kind: ItemKind?

    public init(campaignID: Int64? = nil, schoolCode: String? = nil, state: ReviewState? = nil, kind: ItemKind? = nil) {
        self.campaignID = campaignID
        self.schoolCode = schoolCode
        self.state = state
        self.kind = kind
    }
}

/// An item row with everything the policy and the views need about where it sits.
struct LoadedItem: Sendable {
    var row: ItemRow
    var summary: ItemSummary
    var scope: ItemScope
    var calendar: RegionCalendar
}

enum ItemStore {
    private static let summarySQL = """
        SELECT i.*, s.code AS school_code, s.name AS school_name,
               m.id AS owner_municipality_id, m.name AS municipality_name,
               r.id AS region_id, r.time_zone AS time_zone, u.login AS submitted_by_login,
               (SELECT max(version) FROM item_files f WHERE f.item_id = i.id) AS latest_version
        FROM items i
        LEFT JOIN schools s ON s.id = i.school_id
        JOIN municipalities m ON m.id = coalesce(i.municipality_id, s.municipality_id)
        JOIN regions r ON r.id = m.region_id
        LEFT JOIN users u ON u.id = i.submitted_by
        """

    static func load(_ db: Database, id: Int64) throws -> LoadedItem {
        guard let loaded = try fetch(db, where: "i.id = ?", arguments: [id]).first else {
            throw MEDKError.notFound("Объект №\(id)")
        }
        return loaded
    }

    static func fetch(_ db: Database, where condition: String = "1", arguments: StatementArguments = [],
                      order: String = "i.id") throws -> [LoadedItem] {
        try Row.fetchAll(db, sql: "\(summarySQL) WHERE \(condition) ORDER BY \(order)", arguments: arguments).map { row in
            let item = try ItemRow(row: row)
            let summary = ItemSummary(
                id: item.id!, campaignID: item.campaignId, kind: item.kind, kindName: item.kind.russianName,
                title: item.title, state: item.state, stateName: item.state.russianName, revision: item.revision,
                schoolID: item.schoolId, schoolCode: row["school_code"], schoolName: row["school_name"],
                municipalityID: row["owner_municipality_id"], municipalityName: row["municipality_name"],
                regionID: row["region_id"], timeZone: row["time_zone"], riskFactorID: item.riskFactorId,
                measureID: item.measureId, submittedAt: item.submittedAt, submittedBy: row["submitted_by_login"],
                updatedAt: item.updatedAt, latestVersion: row["latest_version"])
            let scope = ItemScope(
                campaignID: item.campaignId,
                path: OrganisationPath(regionID: summary.regionID, municipalityID: summary.municipalityID, schoolID: item.schoolId),
                submittedBy: item.submittedBy)
            return LoadedItem(row: item, summary: summary, scope: scope,
                              calendar: try RegionCalendar(timeZoneIdentifier: summary.timeZone))
        }
    }

    static func files(_ db: Database, itemID: Int64) throws -> [FileVersion] {
        try Row.fetchAll(db, sql: """
            SELECT f.*, u.login FROM item_files f JOIN users u ON u.id = f.uploaded_by
            WHERE f.item_id = ? ORDER BY f.version
            """, arguments: [itemID]).map { row in
            FileVersion(version: row["version"], fileName: row["file_name"], mediaType: row["media_type"],
                        size: row["size"], sha256: row["sha256"], uploadedBy: row["login"], uploadedAt: row["uploaded_at"])
        }
    }

    static func history(_ db: Database, itemID: Int64) throws -> [HistoryEntry] {
        try AuditLog.entries(db, entityType: "item", entityID: String(itemID)).map { entry in
            HistoryEntry(
                seq: entry.seq, at: Timestamp.date(entry.at) ?? Date(timeIntervalSince1970: 0), actor: entry.actorLogin,
                role: entry.actorRole, action: entry.action, fromState: entry.fromState.flatMap(ReviewState.init(rawValue:)),
                toState: entry.toState.flatMap(ReviewState.init(rawValue:)), comment: entry.comment,
                details: (try? JSONDecoder().decode([String: String].self, from: Data(entry.details.utf8))) ?? [:])
        }
    }

    static func riskProfile(_ db: Database, itemID: Int64) throws -> [RiskProfileEntry] {
        try Row.fetchAll(db, sql: """
            SELECT e.*, f.number, f.title FROM risk_profile_entries e JOIN risk_factors f ON f.id = e.risk_factor_id
            WHERE e.item_id = ? ORDER BY f.number
            """, arguments: [itemID]).map { row in
            RiskProfileEntry(riskFactorID: row["risk_factor_id"], number: row["number"], title: row["title"],
                             significance: row["significance"], chosen: row["chosen"])
        }
    }

    static func measures(_ db: Database, roadmapID: Int64? = nil, measureID: Int64? = nil,
                         calendar: RegionCalendar, now: Date) throws -> [Measure] {
        let condition = roadmapID != nil ? "ms.roadmap_id = ?" : "ms.id = ?"
        return try Row.fetchAll(db, sql: """
            SELECT ms.*, rep.id AS report_id, rep.state AS report_state FROM measures ms
            LEFT JOIN items rep ON rep.measure_id = ms.id AND rep.kind = 'measure_report'
            WHERE \(condition) ORDER BY ms.position, ms.id
            """, arguments: [roadmapID ?? measureID]).map { row in
            let measure = try MeasureRow(row: row)
            let reportState: ReviewState? = row["report_state"]
            let due = CalendarDate(measure.dueDate)!
            return Measure(
                id: measure.id!, roadmapID: measure.roadmapId, position: measure.position,
                riskFactorID: measure.riskFactorId, track: measure.track.flatMap(MunicipalTrack.init(rawValue:)),
                task: measure.task, title: measure.title, dueDate: due, responsible: measure.responsible,
                expectedResult: measure.expectedResult, indicator: measure.indicator, plannedValue: measure.plannedValue,
                actualValue: measure.actualValue, regionalMeasure: measure.regionalMeasure,
                reportItemID: row["report_id"], reportState: reportState,
                overdue: reportState != .confirmed && !calendar.isOnTime(now, dueDate: due))
        }
    }
}

extension MEDKService {
    /// Items the actor may see, filtered; the policy decides visibility, not the query.
    public func items(for actor: Actor, filter: ItemFilter = ItemFilter()) async throws -> [ItemSummary] {
        try await read { db in
            var conditions = ["1"]
            var arguments = StatementArguments()
            if let campaign = filter.campaignID { conditions.append("i.campaign_id = ?"); arguments += [campaign] }
            if let school = filter.schoolCode { conditions.append("s.code = ?"); arguments += [school] }
            if let state = filter.state { conditions.append("i.state = ?"); arguments += [state.rawValue] }
            if let kind = filter.kind { conditions.append("i.kind = ?"); arguments += [kind.rawValue] }
            return try ItemStore.fetch(db, where: conditions.joined(separator: " AND "), arguments: arguments,
                                       order: "r.code, m.code, s.code, i.id")
                .filter { Policy.allows(actor, .viewItem($0.scope)) }
                .map(\.summary)
        }
    }

    /// Everything about one item, with its files, history and what the actor may do next.
    public func item(_ id: Int64, for actor: Actor) async throws -> ItemDetail {
        let now = now()
        return try await read { db in
            let loaded = try ItemStore.load(db, id: id)
            _ = try Policy.authorize(actor, .viewItem(loaded.scope))
            return try Self.detail(db, loaded, actor: actor, now: now)
        }
    }

    static func detail(_ db: Database, _ loaded: LoadedItem, actor: Actor, now: Date) throws -> ItemDetail {
        let id = loaded.row.id!
        var detail = ItemDetail(
            item: loaded.summary, files: try ItemStore.files(db, itemID: id), confirmedVersion: loaded.row.confirmedVersion,
            history: try ItemStore.history(db, itemID: id), riskProfile: nil, measures: nil,
            completenessProblems: nil, measure: nil, allowedActions: allowedActions(actor, loaded),
            mayComment: Policy.allows(actor, .comment(loaded.scope)))
        switch loaded.row.kind {
        case .riskProfile:
            detail.riskProfile = try ItemStore.riskProfile(db, itemID: id)
        case .roadmap:
            let measures = try ItemStore.measures(db, roadmapID: id, calendar: loaded.calendar, now: now)
            detail.measures = measures
            detail.completenessProblems = RoadmapCompleteness.problems(measures, isMunicipal: loaded.scope.isMunicipal)
        case .measureReport:
            detail.measure = try ItemStore.measures(db, measureID: loaded.row.measureId, calendar: loaded.calendar, now: now).first
        default:
            break
        }
        return detail
    }

    static func allowedActions(_ actor: Actor, _ loaded: LoadedItem) -> [ReviewAction] {
        ReviewAction.allCases.filter { action in
            guard ReviewStateMachine.target(of: action, from: loaded.row.state) != nil else { return false }
            let permission: Permission = action.isReviewDecision ? .reviewItem(loaded.scope) : .ownItem(loaded.scope)
            return Policy.allows(actor, permission)
        }
    }

    /// Submitted items this actor may decide on, oldest first.
    public func queue(for actor: Actor) async throws -> [QueueEntry] {
        let now = now()
        return try await read { db in
            try ItemStore.fetch(db, where: "i.state = 'submitted'", order: "i.submitted_at, i.id")
                .filter { Policy.allows(actor, .reviewItem($0.scope)) }
                .map { loaded in
                    let since = loaded.row.submittedAt ?? loaded.row.updatedAt
                    return QueueEntry(item: loaded.summary, waitingSince: since,
                                      waitingHours: max(0, Int(now.timeIntervalSince(since) / 3600)))
                }
        }
    }

    /// The bytes of one version, for download; the caller sends them as an attachment.
    public func fileVersion(itemID: Int64, version: Int, for actor: Actor) async throws -> (FileVersion, URL) {
        let fileVersion: FileVersion = try await read { db in
            let loaded = try ItemStore.load(db, id: itemID)
            _ = try Policy.authorize(actor, .viewItem(loaded.scope))
            guard let file = try ItemStore.files(db, itemID: itemID).first(where: { $0.version == version }) else {
                throw MEDKError.notFound("Версия \(version) файла объекта №\(itemID)")
            }
            return file
        }
        return (fileVersion, files.url(forHash: fileVersion.sha256))
    }
}
