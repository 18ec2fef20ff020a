import Foundation

/// A region's own roadmap in a campaign (the regional complex of measures: stages, tasks under
/// them, measures under tasks), as its coordinator keeps it and FIOCO reviews it; once confirmed,
/// it is what municipal roadmaps implement.
public struct RegionalRoadmap: Codable, Sendable, Hashable {
    public var region: Region
    public var campaign: Campaign
    /// Nil until the region's coordinator starts it.
    public var roadmap: ItemSummary?
    /// Its measures counted today in the region's zone.
    public var measures: MeasureTotals
    /// What keeps it from review (empty when nothing is missing or nothing started).
    public var problems: [String]
    /// What FIOCO's criteria miss that does not keep it from review (see `RoadmapCheck`).
    public var findings: [String]
    /// The actor keeps it (the region's coordinator) and may start it now.
    public var canStart: Bool
}

extension MEDKService {
    /// The regional roadmap of `regionCode` in a campaign (the latest unless named), for whoever may see
    /// the region's own documents: its coordinator and the federal operator.
    public func regionalRoadmap(regionCode: String, campaignCode: String? = nil, for actor: Actor) async throws -> RegionalRoadmap {
        let now = now()
        return try await read { store in
            let campaign = try Self.campaignForReport(store, code: campaignCode)
            let (region, _) = try Lookup.region(store, code: regionCode, by: .user(actor)) {
                .viewItem(.regional(campaignID: campaign.id, regionID: $0.id))
            }
            let scope = ItemScope.regional(campaignID: campaign.id, regionID: region.id)
            let roadmap = try store.items(Policy.visibility(actor, .view),
                                          ItemListFilter(campaignID: campaign.id, regionalOwnID: region.id, kind: .roadmap),
                                          page: PageRequest(limit: 1, countsTotal: false)).items.first
            var totals = MeasureTotals()
            var check = RoadmapCheck()
            if let roadmap {
                let calendar = try RegionCalendar.cached(region.timeZone)
                let measures = try store.measures(roadmapID: roadmap.id, calendar: calendar, at: now)
                totals = MeasureTotals(counting: measures)
                check = RoadmapCompleteness.check(measures, owner: .region, today: calendar.date(of: now))
            }
            return RegionalRoadmap(region: region, campaign: campaign, roadmap: roadmap, measures: totals, problems: check.blocking,
                                   findings: check.findings,
                                   canStart: roadmap == nil && Policy.allows(actor, .ownItem(scope)))
        }
    }
}
