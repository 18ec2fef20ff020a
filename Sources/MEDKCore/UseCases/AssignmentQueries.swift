import Foundation

extension MEDKService {
    /// Assignments of a campaign inside the territory the actor oversees, by school code.
    public func curatorAssignments(campaignCode: String?, page: PageRequest = .first, for actor: Actor) async throws -> Page<CuratorAssignment> {
        try await read { store in
            let campaign = try Self.campaignForReport(store, code: campaignCode)
            return try store.curatorAssignments(campaignID: campaign.id, within: Policy.territories(actor), page: page)
        }
    }

    /// The regional due dates of a campaign's milestones.
    public func milestoneOverrides(campaignCode: String?) async throws -> [MilestoneOverride] {
        try await read { store in
            try store.milestoneOverrideList(campaignID: try Self.campaignForReport(store, code: campaignCode).id)
        }
    }
}
