import Foundation

/// Decisions made in a period, summarised per decider (or for everyone, with `decider` nil).
struct DecisionSummary: Sendable, Hashable {
    var decider: Int64?
    var login: String
    var fullName: String
    var decided: Int
    var returned: Int
    var medianSeconds: Int?
    var p90Seconds: Int?
    var longestSeconds: Int?
}

/// Documents on review now, grouped by who is to decide them.
struct WaitingReviews: Sendable, Hashable {
    enum Reviewer: Sendable, Hashable {
        /// A school's document: each curator assigned to the school in the campaign.
        case curator(userID: Int64, login: String, fullName: String)
        /// A school's document whose school has no curator in the campaign.
        case noCurator
        /// A municipality's or the region's own document.
        case territoryDocument
    }
    var reviewer: Reviewer
    var count: Int
    var oldestSince: Date
}

/// Review rounds (a submission and the decision that ended it), as reviewers' response times read them.
protocol ReviewRoundReading {
    /// Confirmations and returns of the campaign's documents in the territory closed in [from, to).
    func decisionSummaries(campaignID: Int64, in territory: MonitoringScope, from: Date, to: Date,
                           perDecider: Bool) throws -> [DecisionSummary]
    /// The territory's documents of the campaign on review now.
    func waitingReviews(campaignID: Int64, in territory: MonitoringScope) throws -> [WaitingReviews]
    /// How many of the territory's documents of the campaign are on review now, each once, and since when the oldest.
    func waitingTotal(campaignID: Int64, in territory: MonitoringScope) throws -> (count: Int, oldestSince: Date?)
}
