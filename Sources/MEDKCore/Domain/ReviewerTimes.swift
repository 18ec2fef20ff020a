import Foundation

/// How quickly documents were decided in a period and what waits now: for one reviewer, or for a
/// region's documents together.
public struct ReviewFigures: Codable, Sendable, Hashable {
    /// Decisions (confirmed or returned) made in the period.
    public var decided: Int
    public var returned: Int
    /// From submission to decision, nearest-rank percentiles, in seconds; nil with no decisions.
    public var medianSeconds: Int?
    public var p90Seconds: Int?
    public var longestSeconds: Int?
    /// Documents on review now (for a curator, those of the schools assigned: a school with two
    /// curators counts for both; for a region, each once).
    public var waitingNow: Int
    public var oldestWaitingSince: Date?
    /// Whole days the oldest waiting document has waited, as of the report.
    public var oldestWaitingDays: Int?
    /// The slowest in the report by median time to decision (ties all marked), when there are two or more to compare.
    public var isSlowest: Bool

    public static let none = ReviewFigures(decided: 0, returned: 0, medianSeconds: nil, p90Seconds: nil, longestSeconds: nil,
                                           waitingNow: 0, oldestWaitingSince: nil, oldestWaitingDays: nil, isSlowest: false)

    /// The decisions of `distribution`, nothing waiting yet.
    public init(_ distribution: WaitDistribution) {
        self = .none
        decided = distribution.decided
        returned = distribution.returned
        if let (median, p90, longest) = distribution.percentiles() {
            (medianSeconds, p90Seconds, longestSeconds) = (median, p90, longest)
        }
    }

    public init(decided: Int, returned: Int, medianSeconds: Int?, p90Seconds: Int?, longestSeconds: Int?, waitingNow: Int,
                oldestWaitingSince: Date?, oldestWaitingDays: Int?, isSlowest: Bool) {
        (self.decided, self.returned, self.medianSeconds, self.p90Seconds, self.longestSeconds) =
            (decided, returned, medianSeconds, p90Seconds, longestSeconds)
        (self.waitingNow, self.oldestWaitingSince, self.oldestWaitingDays, self.isSlowest) =
            (waitingNow, oldestWaitingSince, oldestWaitingDays, isSlowest)
    }

    /// What waits now: how many, since when the oldest, and its whole days as of `now`.
    public mutating func waiting(_ count: Int, oldestSince: Date, now: Date) {
        waitingNow = count
        oldestWaitingSince = oldestSince
        oldestWaitingDays = max(0, Int(now.timeIntervalSince(oldestSince) / 86_400))
    }

    /// Share of decisions that sent the document back, 0…1; nil with no decisions.
    public var returnedShare: Double? { decided == 0 ? nil : Double(returned) / Double(decided) }
}

/// One reviewer (a curator; a regional coordinator for municipal documents; FIOCO for regional ones).
public struct ReviewerTimes: Codable, Sendable, Hashable {
    public var userID: Int64
    public var login: String
    public var fullName: String
    public var figures: ReviewFigures
}

/// A region's documents together, in the country's report (drill down to its reviewers).
public struct RegionReviewTimes: Codable, Sendable, Hashable {
    public var regionCode: String
    public var regionName: String
    public var figures: ReviewFigures
}

/// Waits from submission to decision, summed one decision at a time and read by nearest rank:
/// the median is the ⌈n/2⌉-th wait in order, the 90th percentile the ⌈0.9·n⌉-th.
/// Waits are kept as 32-bit seconds (136 years): a country's year of decisions is 8 MB, not 16.
public struct WaitDistribution: Sendable, Hashable {
    private var waits: [UInt32] = []
    public private(set) var returned = 0

    public init() {}

    public mutating func add(waitSeconds: Int, returned: Bool) {
        waits.append(UInt32(clamping: waitSeconds))
        if returned { self.returned += 1 }
    }

    public var decided: Int { waits.count }

    /// (median, 90th percentile, longest), nil without decisions.
    public func percentiles() -> (median: Int, p90: Int, longest: Int)? {
        guard !waits.isEmpty else { return nil }
        let sorted = waits.sorted()
        let n = sorted.count
        return (Int(sorted[(n + 1) / 2 - 1]), Int(sorted[(9 * n + 9) / 10 - 1]), Int(sorted[n - 1]))
    }
}

/// The same figures for everyone in the report together.
public struct ReviewTotals: Codable, Sendable, Hashable {
    public var decided: Int
    public var returned: Int
    public var medianSeconds: Int?
    public var p90Seconds: Int?
    public var waitingNow: Int
    public var oldestWaitingSince: Date?
    /// School documents on review whose school has no curator in the campaign: nobody will decide them.
    public var waitingWithoutCurator: Int
    /// Municipal and regional documents on review (decided by regional coordinators and FIOCO).
    public var waitingTerritoryDocuments: Int
}

/// Reviewers' response times for a territory, campaign and period.
public struct ReviewTimesReport: Codable, Sendable, Hashable {
    public var campaign: Campaign
    public var territoryName: String
    public var regionCode: String?
    public var municipalityCode: String?
    /// Decisions from the start of `from` to the end of `to`, in `timeZone`.
    public var from: CalendarDate
    public var to: CalendarDate
    public var timeZone: String
    public var generatedAt: Date
    /// Slowest first (by median), then those with only waiting documents, by how long they wait;
    /// empty for the country, which is shown by region.
    public var reviewers: [ReviewerTimes]
    /// The country's regions, slowest first; empty for a region or municipality.
    public var regions: [RegionReviewTimes]
    public var totals: ReviewTotals

    /// The whole country: shown by region.
    public var isCountry: Bool { regionCode == nil && municipalityCode == nil }
}

/// What a reviewer-times report is asked for.
public struct ReviewTimesQuery: Sendable, Hashable {
    public var regionCode: String?
    public var municipalityCode: String?
    public var campaignCode: String?
    /// Defaults: the 30 days up to today, in the territory's zone.
    public var from: CalendarDate?
    public var to: CalendarDate?

    public init(regionCode: String? = nil, municipalityCode: String? = nil, campaignCode: String? = nil,
                from: CalendarDate? = nil, to: CalendarDate? = nil) {
        self.regionCode = regionCode
        self.municipalityCode = municipalityCode
        self.campaignCode = campaignCode
        self.from = from
        self.to = to
    }
}

/// «3,5 дн.», «5 ч», «40 мин»: a wait as people say it.
public enum WaitText {
    public static func russian(seconds: Int?) -> String {
        guard let seconds else { return "—" }
        if seconds < 3600 { return "\(max(seconds / 60, seconds > 0 ? 1 : 0)) мин" }
        if seconds < 86_400 { return "\(seconds / 3600) ч" }
        let tenths = (seconds * 10 + 43_200) / 86_400
        let whole = tenths / 10, fraction = tenths % 10
        return fraction == 0 ? "\(whole) дн." : "\(whole),\(fraction) дн."
    }

    /// Days with one decimal, for spreadsheets and charts.
    public static func days(seconds: Int?) -> Double? {
        seconds.map { (Double($0) / 86_400 * 10).rounded() / 10 }
    }
}
