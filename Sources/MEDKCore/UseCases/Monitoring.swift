import Foundation
import GRDB

public struct DeadlinesQuery: Sendable, Hashable {
    public var regionCode: String?
    public var municipalityCode: String?
    public var campaignCode: String?
    /// Judge as of the end of this date in each school's own zone; nil means now.
    public var asOf: CalendarDate?

    public init(regionCode: String? = nil, municipalityCode: String? = nil, campaignCode: String? = nil, asOf: CalendarDate? = nil) {
        self.regionCode = regionCode
        self.municipalityCode = municipalityCode
        self.campaignCode = campaignCode
        self.asOf = asOf
    }
}

extension MEDKService {
    /// Deadline compliance of a territory: per school each milestone and the measures, per
    /// curator the waiting items. States are rebuilt from the audit trail as of the moment asked.
    public func deadlines(_ query: DeadlinesQuery, for actor: Actor) async throws -> ComplianceReport {
        let now = now()
        return try await read { db in
            let campaign = try Self.campaignForReport(db, code: query.campaignCode)
            let (scope, scopeName) = try Self.monitoringScope(db, query, actor: actor)
            _ = try Policy.authorize(actor, .viewMonitoring(scope))
            return try ComplianceBuilder(db: db, campaign: campaign, scope: scope, asOf: query.asOf, now: now)
                .build(scopeName: scopeName)
        }
    }

    static func campaignForReport(_ db: Database, code: String?) throws -> CampaignRow {
        if let code {
            guard let row = try CampaignRow.filter(Column("code") == code).fetchOne(db) else {
                throw MEDKError.notFound("Кампания «\(code)»")
            }
            return row
        }
        guard let latest = try CampaignRow.order(Column("year").desc, Column("id").desc).fetchOne(db) else {
            throw MEDKError.notFound("Кампания")
        }
        return latest
    }

    /// The territory asked for, or the actor's own one when none is named.
    static func monitoringScope(_ db: Database, _ query: DeadlinesQuery, actor: Actor) throws -> (MonitoringScope, String) {
        if let code = query.municipalityCode {
            guard let municipality = try MunicipalityRow.filter(Column("code") == code).fetchOne(db) else {
                throw MEDKError.notFound("Муниципалитет «\(code)»")
            }
            return (.municipality(regionID: municipality.regionId, municipalityID: municipality.id!), municipality.name)
        }
        if let code = query.regionCode {
            guard let region = try RegionRow.filter(Column("code") == code).fetchOne(db) else {
                throw MEDKError.notFound("Регион «\(code)»")
            }
            return (.region(region.id!), region.name)
        }
        if actor.holds(.federal) || actor.holds(.admin) { return (.country, "Российская Федерация") }
        if let grant = actor.grants.first(where: { $0.role == .regional }), let id = grant.organisationID,
           let region = try RegionRow.fetchOne(db, key: id) {
            return (.region(id), region.name)
        }
        if let grant = actor.grants.first(where: { $0.role == .municipal }), let id = grant.organisationID,
           let municipality = try MunicipalityRow.fetchOne(db, key: id) {
            return (.municipality(regionID: municipality.regionId, municipalityID: id), municipality.name)
        }
        throw MEDKError.forbidden("Мониторинг сроков доступен координаторам и федеральному оператору.")
    }
}

/// One school's milestones and measures, as its team, curator and coordinators see it.
public struct SchoolOverview: Codable, Sendable, Hashable {
    public var campaign: Campaign
    public var school: SchoolCompliance
    /// Where the school sits, for asking the policy what the viewer may do there.
    public var path: OrganisationPath
    /// Today in the school's own zone, for counting the days left.
    public var today: CalendarDate
}

extension MEDKService {
    /// The overview of one school in a campaign: whoever may see the school's items may see it.
    public func schoolOverview(schoolCode: String, campaignCode: String? = nil, for actor: Actor) async throws -> SchoolOverview {
        let now = now()
        return try await read { db in
            let campaign = try Self.campaignForReport(db, code: campaignCode)
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.id, s.municipality_id, m.region_id, r.time_zone FROM schools s
                JOIN municipalities m ON m.id = s.municipality_id JOIN regions r ON r.id = m.region_id WHERE s.code = ?
                """, arguments: [schoolCode]) else { throw MEDKError.notFound("Школа «\(schoolCode)»") }
            let path = OrganisationPath(regionID: row["region_id"], municipalityID: row["municipality_id"], schoolID: row["id"])
            _ = try Policy.authorize(actor, .viewItem(ItemScope(campaignID: campaign.id!, path: path)))
            var builder = ComplianceBuilder(db: db, campaign: campaign, scope: .region(path.regionID), asOf: nil, now: now)
            builder.onlySchoolID = path.schoolID
            guard let school = try builder.build(scopeName: "").schools.first else {
                throw MEDKError.notFound("Школа «\(schoolCode)» в кампании «\(campaign.name)»")
            }
            let calendar = try RegionCalendar(timeZoneIdentifier: row["time_zone"])
            return SchoolOverview(campaign: campaign.domain, school: school, path: path, today: calendar.date(of: now))
        }
    }
}

/// Builds one compliance report inside a read transaction.
private struct ComplianceBuilder {
    let db: Database
    let campaign: CampaignRow
    let scope: MonitoringScope
    let asOf: CalendarDate?
    let now: Date
    /// Restricts the report to one school (its own overview).
    var onlySchoolID: Int64? = nil

    struct SchoolLine {
        var id: Int64, code: String, name: String, municipalityCode: String, municipality: String, region: String, regionID: Int64, timeZone: String
    }

    struct ItemLine {
        var id: Int64, kind: ItemKind, schoolID: Int64, measureID: Int64?, createdAt: Date
    }

    func build(scopeName: String) throws -> ComplianceReport {
        let schools = try schoolsInScope()
        let milestones = try MilestoneRow.filter(Column("campaign_id") == campaign.id!).order(Column("due_date")).fetchAll(db)
        let overrides = try overridesByMilestoneAndRegion()
        let items = try itemsOfCampaign()
        let transitions = try transitionsByItem()
        let chosenRisks = try chosenRiskCounts()
        let measures = try measuresBySchool()
        var calendars: [String: RegionCalendar] = [:]
        var waitingBySchool: [Int64: [Date]] = [:]

        var lines: [SchoolCompliance] = []
        for school in schools {
            if calendars[school.timeZone] == nil { calendars[school.timeZone] = try RegionCalendar(timeZoneIdentifier: school.timeZone) }
            let calendar = calendars[school.timeZone]!
            let cutoff = self.cutoff(calendar)
            let schoolItems = (items[school.id] ?? []).filter { $0.createdAt < cutoff }
            var snapshots: [Int64: ItemSnapshot] = [:]
            for item in schoolItems {
                snapshots[item.id] = ItemSnapshot.replay(transitions[item.id] ?? [], before: cutoff)
            }
            waitingBySchool[school.id] = schoolItems.compactMap { item in
                let snapshot = snapshots[item.id]!
                return snapshot.state == .submitted ? snapshot.lastSubmittedAt : nil
            }

            let cells = milestones.map { milestone -> MilestoneCell in
                let due = CalendarDate(overrides[milestone.id!]?[school.regionID] ?? milestone.dueDate)!
                let ofKind = schoolItems.filter { $0.kind == milestone.kind }.map { snapshots[$0.id]! }
                let expected = milestone.kind == .antiriskProgramme ? max(chosenRisks[school.id] ?? 0, 1) : 1
                let status = ComplianceRules.status(of: ofKind, expectedCount: expected,
                                                    deadline: calendar.endOfDay(due), asOf: cutoff)
                return MilestoneCell(kind: milestone.kind, title: milestone.title, dueDate: due, status: status,
                                     statusName: status.russianName,
                                     firstSubmittedAt: ofKind.compactMap(\.firstSubmittedAt).max())
            }

            var totals = MeasureTotals()
            let reports = Dictionary(schoolItems.filter { $0.kind == .measureReport }.compactMap { item in
                item.measureID.map { ($0, snapshots[item.id]!) }
            }, uniquingKeysWith: { first, _ in first })
            for (measureID, dueText, createdAt) in measures[school.id] ?? [] where createdAt < cutoff {
                let deadline = calendar.endOfDay(CalendarDate(dueText)!)
                let report = reports[measureID]
                totals.total += 1
                if report?.state == .confirmed || report?.everConfirmed == true { totals.confirmed += 1 }
                else if cutoff >= deadline { totals.overdue += 1 }
                if let submitted = report?.firstSubmittedAt, submitted >= deadline { totals.reportedLate += 1 }
            }
            lines.append(SchoolCompliance(schoolID: school.id, schoolCode: school.code, schoolName: school.name, municipalityCode: school.municipalityCode,
                                          municipalityName: school.municipality, regionName: school.region,
                                          timeZone: school.timeZone, milestones: cells, measures: totals))
        }
        return ComplianceReport(campaignCode: campaign.code, campaignName: campaign.name, scope: scopeName,
                                asOf: asOf, generatedAt: now, schools: lines,
                                curators: try curatorLoads(schools: schools, waitingBySchool: waitingBySchool, calendars: calendars))
    }

    /// The first instant not counted: the end of the as-of day in the school's zone, or just
    /// after now (instants are stored to the millisecond) so that what happened this moment counts.
    private func cutoff(_ calendar: RegionCalendar) -> Date {
        asOf.map { calendar.endOfDay($0) } ?? now.addingTimeInterval(0.001)
    }

    private func scopeCondition() -> (String, StatementArguments) {
        switch scope {
        case .country: ("1", [])
        case .region(let id): ("m.region_id = ?", [id])
        case .municipality(_, let id): ("m.id = ?", [id])
        }
    }

    private func schoolsInScope() throws -> [SchoolLine] {
        let (condition, arguments) = scopeCondition()
        return try Row.fetchAll(db, sql: """
            SELECT s.id, s.code, s.name, m.code AS municipality_code, m.name AS municipality, r.name AS region, r.id AS region_id, r.time_zone
            FROM campaign_schools cs JOIN schools s ON s.id = cs.school_id
            JOIN municipalities m ON m.id = s.municipality_id JOIN regions r ON r.id = m.region_id
            WHERE cs.campaign_id = ? AND \(condition) AND (? IS NULL OR s.id = ?) ORDER BY r.code, m.code, s.code
            """, arguments: [campaign.id!] + arguments + [onlySchoolID, onlySchoolID]).map {
            SchoolLine(id: $0["id"], code: $0["code"], name: $0["name"], municipalityCode: $0["municipality_code"],
                       municipality: $0["municipality"],
                       region: $0["region"], regionID: $0["region_id"], timeZone: $0["time_zone"])
        }
    }

    private func overridesByMilestoneAndRegion() throws -> [Int64: [Int64: String]] {
        var result: [Int64: [Int64: String]] = [:]
        for row in try MilestoneOverrideRow.fetchAll(db) { result[row.milestoneId, default: [:]][row.regionId] = row.dueDate }
        return result
    }

    private func itemsOfCampaign() throws -> [Int64: [ItemLine]] {
        var result: [Int64: [ItemLine]] = [:]
        for row in try ItemRow.filter(Column("campaign_id") == campaign.id! && Column("school_id") != nil).fetchAll(db) {
            result[row.schoolId!, default: []].append(
                ItemLine(id: row.id!, kind: row.kind, schoolID: row.schoolId!, measureID: row.measureId, createdAt: row.createdAt))
        }
        return result
    }

    private func transitionsByItem() throws -> [Int64: [(at: Date, action: ReviewAction, to: ReviewState)]] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.entity_id, a.at, a.action, a.to_state FROM audit_log a
            JOIN items i ON i.id = CAST(a.entity_id AS INTEGER)
            WHERE a.entity_type = 'item' AND i.campaign_id = ?
              AND a.action IN ('item.submit', 'item.confirm', 'item.return', 'item.withdraw', 'item.reopen')
            ORDER BY a.seq
            """, arguments: [campaign.id!])
        var result: [Int64: [(at: Date, action: ReviewAction, to: ReviewState)]] = [:]
        for row in rows {
            guard let id = Int64(row["entity_id"] as String), let at = Timestamp.date(row["at"]),
                  let action = ReviewAction(rawValue: String((row["action"] as String).dropFirst("item.".count))),
                  let state = ReviewState(rawValue: row["to_state"]) else { continue }
            result[id, default: []].append((at, action, state))
        }
        return result
    }

    private func chosenRiskCounts() throws -> [Int64: Int] {
        var result: [Int64: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT i.school_id, count(*) AS chosen FROM risk_profile_entries e JOIN items i ON i.id = e.item_id
            WHERE i.campaign_id = ? AND e.chosen = 1 GROUP BY i.school_id
            """, arguments: [campaign.id!]) {
            result[row["school_id"]] = row["chosen"]
        }
        return result
    }

    /// (measure, due date, created) per school; the list is today's, filtered by creation time.
    private func measuresBySchool() throws -> [Int64: [(Int64, String, Date)]] {
        var result: [Int64: [(Int64, String, Date)]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT i.school_id, ms.id, ms.due_date, ms.created_at FROM measures ms JOIN items i ON i.id = ms.roadmap_id
            WHERE i.campaign_id = ? AND i.school_id IS NOT NULL
            """, arguments: [campaign.id!]) {
            result[row["school_id"], default: []].append((row["id"], row["due_date"], row["created_at"]))
        }
        return result
    }

    private func curatorLoads(schools: [SchoolLine], waitingBySchool: [Int64: [Date]],
                              calendars: [String: RegionCalendar]) throws -> [CuratorLoad] {
        let schoolIDs = Set(schools.map(\.id))
        let rows = try Row.fetchAll(db, sql: """
            SELECT ca.school_id, u.login, u.full_name FROM curator_assignments ca JOIN users u ON u.id = ca.curator_id
            WHERE ca.campaign_id = ? ORDER BY u.login
            """, arguments: [campaign.id!])
        var loads: [String: CuratorLoad] = [:]
        var order: [String] = []
        let zoneBySchool = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0.timeZone) })
        for row in rows {
            let schoolID: Int64 = row["school_id"]
            guard schoolIDs.contains(schoolID) else { continue }
            let login: String = row["login"]
            if loads[login] == nil {
                loads[login] = CuratorLoad(login: login, fullName: row["full_name"], schools: 0, waiting: 0)
                order.append(login)
            }
            let waiting = waitingBySchool[schoolID] ?? []
            let cutoff = self.cutoff(calendars[zoneBySchool[schoolID]!]!)
            loads[login]!.schools += 1
            loads[login]!.waiting += waiting.count
            if let oldest = waiting.min(), oldest < (loads[login]!.oldestWaitingSince ?? .distantFuture) {
                loads[login]!.oldestWaitingSince = oldest
                loads[login]!.oldestWaitHours = max(0, Int(cutoff.timeIntervalSince(oldest) / 3600))
            }
        }
        return order.map { loads[$0]! }
    }
}
