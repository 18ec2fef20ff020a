import Foundation

/// Which overdue measures to list.
public struct OverdueQuery: Sendable, Hashable {
    public var campaignCode: String?
    public var regionCode: String?
    public var municipalityCode: String?
    public var schoolCode: String?
    /// Measures of the schools this curator is assigned in the campaign.
    public var curatorLogin: String?
    public var sort: OverdueSort
    public var page: PageRequest

    public init(campaignCode: String? = nil, regionCode: String? = nil, municipalityCode: String? = nil, schoolCode: String? = nil,
                curatorLogin: String? = nil, sort: OverdueSort = .dueDate, page: PageRequest = .first) {
        self.campaignCode = campaignCode
        self.regionCode = regionCode
        self.municipalityCode = municipalityCode
        self.schoolCode = schoolCode
        self.curatorLogin = curatorLogin
        self.sort = sort
        self.page = page
    }
}

/// One page of overdue measures with what they were selected by.
public struct OverdueList: Codable, Sendable, Hashable {
    public var campaignCode: String
    public var campaignName: String
    /// The territory's name, or «вся доступная территория».
    public var scope: String
    public var sort: OverdueSort
    public var measures: Page<OverdueMeasure>
}

extension MEDKService {
    /// Roadmap measures whose due date has passed in their owner's zone without a confirmed
    /// report, among those the actor may see, narrowed to a territory, school or curator.
    public func overdueMeasures(_ query: OverdueQuery, for actor: Actor) async throws -> OverdueList {
        let now = now()
        return try await read { store in
            let campaign = try Self.campaignForReport(store, code: query.campaignCode)
            var scope = MonitoringScope.country
            var scopeName = "вся доступная территория"
            if query.regionCode != nil || query.municipalityCode != nil {
                let territory = try Self.territory(store, regionCode: query.regionCode, municipalityCode: query.municipalityCode, actor: actor)
                scope = territory.scope
                scopeName = territory.name
            }
            var schoolID: Int64?
            if let code = query.schoolCode {
                // A school the actor may not see is «not found», like one that does not exist: its name is not told.
                guard let school = try store.school(code: code), let place = try store.schoolPlace(schoolID: school.id),
                      Policy.allows(actor, .viewItem(ItemScope(campaignID: campaign.id, path: place.path)))
                else { throw Lookup.missingSchool(code) }
                schoolID = school.id
                scopeName = school.name
            }
            var curatorID: Int64?
            if let login = query.curatorLogin {
                // Only a curator the actor may know of is named: the actor themselves or one who curates
                // a school in the actor's territory. Any other login is «not found», like one that does
                // not exist, so the filter cannot be used to probe accounts or read their owners' names.
                guard let curator = try store.user(login: login),
                      try curator.id == actor.userID
                        || store.curates(curatorID: curator.id, campaignID: campaign.id, within: Policy.territories(actor))
                else { throw MEDKError.notFound("Куратор «\(login)»") }
                curatorID = curator.id
                scopeName += ", куратор \(curator.fullName)"
            }
            // «Today» of each region the list can reach: only the actor's own regions when the grants
            // name them, so that a regional list is not filtered by every zone of the country.
            let visibility = Policy.visibility(actor, .view)
            let visibleRegions = visibility.regionIDs
            let regions: [Region]
            switch scope {
            case .region(let id), .municipality(let id, _):
                // One region's list reads that region alone (all 85 were a twentieth of a regional page).
                let visible = visibleRegions?.contains(id) ?? true
                regions = visible ? try [store.region(id: id)].compactMap { $0 } : []
            case .country:
                regions = try visibleRegions.map { ids in try ids.sorted().compactMap { try store.region(id: $0) } } ?? store.allRegions()
            }
            var todayByRegion: [Int64: CalendarDate] = [:]
            for region in regions {
                todayByRegion[region.id] = try RegionCalendar.cached(region.timeZone).date(of: now)
            }
            let measures = try store.overdueMeasures(
                visibility,
                OverdueMeasureQuery(campaignID: campaign.id, territory: scope, schoolID: schoolID, curatorID: curatorID, sort: query.sort,
                                    todayByRegion: todayByRegion),
                page: query.page)
            return OverdueList(campaignCode: campaign.code, campaignName: campaign.name, scope: scopeName, sort: query.sort,
                               measures: measures)
        }
    }
}
