import Foundation

extension MEDKService {
    /// Assignments of a campaign inside the territory the actor oversees, by school code.
    public func curatorAssignments(campaignCode: String?, page: PageRequest = .first, for actor: Actor) async throws -> Page<CuratorAssignment> {
        try await read { store in
            let campaign = try Self.campaignForReport(store, code: campaignCode)
            return try store.curatorAssignments(campaignID: campaign.id, within: Policy.territories(actor), page: page)
        }
    }

    /// The regional due dates of a campaign's milestones in the regions the actor oversees (all of
    /// them for the federal operator and administrators).
    public func milestoneOverrides(campaignCode: String?, for actor: Actor) async throws -> [MilestoneOverride] {
        try await read { store in
            let overrides = try store.milestoneOverrideList(campaignID: try Self.campaignForReport(store, code: campaignCode).id)
            let reach = Policy.territories(actor)
            if reach.everything { return overrides }
            let codes = Set(try store.allRegions().filter { reach.regions.contains($0.id) }.map(\.code))
            return overrides.filter { codes.contains($0.regionCode) }
        }
    }
}
