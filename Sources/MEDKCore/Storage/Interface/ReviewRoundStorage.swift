import Foundation

/// One decision (a confirmation or a return) and how long the document waited for it.
struct ClosedReview: Sendable, Hashable {
    var decider: Int64?
    var regionID: Int64
    var waitSeconds: Int
    var returned: Bool
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
    /// Calls `body` with each confirmation and return of the campaign's documents in the territory
    /// made in [from, to), in no particular order: the caller keeps what it sums.
    func forEachDecision(campaignID: Int64, in territory: MonitoringScope, from: Date, to: Date,
                         _ body: (ClosedReview) throws -> Void) throws
    /// The territory's documents of the campaign on review now, by who is to decide them.
    func waitingReviews(campaignID: Int64, in territory: MonitoringScope) throws -> [WaitingReviews]
    /// The territory's documents of the campaign on review now, each once, by region: how many and since when the oldest.
    func waitingByRegion(campaignID: Int64, in territory: MonitoringScope) throws -> [Int64: (count: Int, oldestSince: Date)]
    /// Logins and names of users by id (those that exist).
    func userNames(ids: [Int64]) throws -> [Int64: (login: String, fullName: String)]
}
