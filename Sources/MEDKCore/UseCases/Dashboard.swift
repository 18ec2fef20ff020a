import Foundation

/// A coordinator's first page: the territory's deadlines at a glance.
public struct Dashboard: Sendable {
    /// The compliance report of the territory (milestones, parts, curators): the dashboard's
    /// charts are drawn from it, so they agree with the monitoring page to the unit.
    public var report: ComplianceReport
    /// Overdue measures on the morning of today and of each of the eight weeks before, oldest first.
    public var trend: [OverduePoint]
    /// Open measures due from today to six days on, by owner (the most first), and their total.
    public var dueThisWeek: [DueThisWeek]
    public var dueThisWeekTotal: Int
    public var today: CalendarDate
}

public struct DueThisWeek: Sendable, Hashable {
    public var name: String
    public var count: Int
    /// The school's code for a link to its overdue list, when it is a school.
    public var schoolCode: String?
}

extension MEDKService {
    static let dashboardWeeks = 8

    /// The territory's deadlines for the dashboard. The compliance report checks who may see the
    /// territory; the trend and the week ahead are read only after it has.
    public func dashboard(_ query: DeadlinesQuery, for actor: Actor) async throws -> Dashboard {
        var reportQuery = query
        reportQuery.asOf = nil
        let report = try await deadlines(reportQuery, for: actor)
        let now = now()
        return try await read { store in
            let campaign = try Self.campaignForReport(store, code: report.campaignCode)
            let territory = try Self.territory(store, regionCode: query.regionCode, municipalityCode: query.municipalityCode, actor: actor)
            var places: [(region: Region, municipalityID: Int64?)] = []
            switch territory.scope {
            case .country:
                let visible = Policy.visibility(actor, .view).regionIDs
                places = try store.allRegions().filter { visible?.contains($0.id) ?? true }.map { ($0, nil) }
            case .region(let id):
                places = try store.region(id: id).map { [($0, nil)] } ?? []
            case .municipality(let regionID, let municipalityID):
                places = try store.region(id: regionID).map { [($0, municipalityID)] } ?? []
            }
            var series: [[OverduePoint]] = []
            var due: [DueThisWeek] = []
            var today = CalendarDate(dayNumber: 0)
            // The country's regions are kept between requests while their data and date stand (`RegionPartsCache`).
            let revisions = territory.scope == .country ? try store.complianceRevisions() : [:]
            for (region, municipalityID) in places {
                let calendar = try RegionCalendar.cached(region.timeZone)
                let regionToday = calendar.date(of: now)
                if series.isEmpty || region.timeZone == "Europe/Moscow" { today = regionToday }
                func trend() throws -> [OverduePoint] {
                    let mornings = OverdueTrend.mornings(today: regionToday, weeks: Self.dashboardWeeks, startOfDay: calendar.startOfDay)
                    let inputs = try store.overdueTrendInputs(campaignID: campaign.id, regionID: region.id, municipalityID: municipalityID,
                                                              mornings: mornings)
                    return OverdueTrend.points(mornings, openAt: inputs.openAt, confirmedAfter: inputs.confirmedAfter)
                }
                if case .country = territory.scope {
                    let revision = revisions[region.id] ?? ComplianceRevision(municipalities: 0, sum: 0)
                    let part = try self.countryParts.dashboard.part(campaignID: campaign.id, regionID: region.id, revision: revision,
                                                               day: regionToday, context: 0) ?? {
                        let made = DashboardRegionPart(trend: try trend(), dueThisWeek: try store.openMeasureCount(
                            regionID: region.id, dueFrom: regionToday, dueTo: regionToday.adding(days: 6)))
                        self.countryParts.dashboard.keep(made, campaignID: campaign.id, regionID: region.id, revision: revision,
                                                    day: regionToday, context: 0)
                        return made
                    }()
                    series.append(part.trend)
                    if part.dueThisWeek > 0 { due.append(DueThisWeek(name: region.name, count: part.dueThisWeek, schoolCode: nil)) }
                } else {
                    series.append(try trend())
                    due += try store.openMeasureCounts(regionID: region.id, dueFrom: regionToday, dueTo: regionToday.adding(days: 6))
                        .filter { municipalityID == nil || $0.municipalityID == municipalityID }
                        .map { DueThisWeek(name: $0.name, count: $0.count, schoolCode: $0.schoolCode) }
                }
            }
            due.sort { ($1.count, $0.name) < ($0.count, $1.name) }
            return Dashboard(report: report, trend: OverdueTrend.sum(series), dueThisWeek: due,
                             dueThisWeekTotal: due.reduce(0) { $0 + $1.count }, today: today)
        }
    }
}
