import Foundation

protocol CampaignReading {
    func campaign(id: Int64) throws -> Campaign?
    func campaign(code: String) throws -> Campaign?
    /// The campaign of the latest year (monitoring's default).
    func latestCampaign() throws -> Campaign?
    func campaigns() throws -> [Campaign]
    func milestones(campaignID: Int64) throws -> [Milestone]
    func milestone(campaignID: Int64, kind: ItemKind) throws -> Milestone?
    func milestoneOverride(milestoneID: Int64, regionID: Int64) throws -> CalendarDate?
    /// Milestone id → region id → the region's own due date.
    func milestoneOverrides(campaignID: Int64) throws -> [Int64: [Int64: CalendarDate]]
    func milestoneOverrideList(campaignID: Int64) throws -> [MilestoneOverride]
    func riskFactors(campaignID: Int64) throws -> [RiskFactor]
    func riskFactor(id: Int64) throws -> RiskFactor?
    func riskFactorID(campaignID: Int64, number: Int) throws -> Int64?
    func participantCount(campaignID: Int64) throws -> Int
    func participates(campaignID: Int64, schoolID: Int64) throws -> Bool
    func isAssigned(campaignID: Int64, schoolID: Int64, curatorID: Int64) throws -> Bool
    /// Curator assignments of a campaign inside the territories given, by school code.
    func curatorAssignments(campaignID: Int64, within reach: TerritoryReach, page: PageRequest) throws -> Page<CuratorAssignment>
    /// Whether the user curates at least one school of the campaign inside the territory.
    func curates(curatorID: Int64, campaignID: Int64, within reach: TerritoryReach) throws -> Bool
}

protocol CampaignWriting {
    func insertCampaign(code: String, name: String, year: Int) throws -> Int64
    func insertRiskFactor(campaignID: Int64, number: Int, title: String) throws
    func insertMilestone(campaignID: Int64, _ milestone: MilestoneInput) throws
    func saveMilestoneOverride(milestoneID: Int64, regionID: Int64, dueDate: CalendarDate) throws
    func addParticipant(campaignID: Int64, schoolID: Int64) throws
    func insertAssignment(campaignID: Int64, schoolID: Int64, curatorID: Int64, at: Date) throws
}
