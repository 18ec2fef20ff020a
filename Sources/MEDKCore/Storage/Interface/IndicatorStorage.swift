import Foundation

/// A fact a region entered, as stored.
struct StoredFact: Sendable, Hashable {
    var indicatorID: Int64
    var year: Int
    var value: Double
    var comment: String?
    var enteredAt: Date
    var enteredBy: String?
    var evidence: FactEvidence?
}

/// A document of a region that may stand as a fact's evidence.
public struct RegionDocument: Codable, Sendable, Hashable {
    public var itemID: Int64
    public var kind: ItemKind
    public var title: String
    public var state: ReviewState
    public var campaignYear: Int
}

protocol IndicatorReading {
    /// A region's indicators with their plans, by code.
    func targetIndicators(regionID: Int64) throws -> [TargetIndicator]
    func targetIndicator(id: Int64) throws -> TargetIndicator?
    /// The facts entered for a region's indicators, every year.
    func enteredFacts(regionID: Int64) throws -> [StoredFact]
    /// A region's ШНОР schools, and how many of them have the roadmap of a campaign of `year` confirmed.
    func confirmedRoadmaps(regionID: Int64, year: Int) throws -> (schools: Int, confirmed: Int)
    /// The region's own documents other than its roadmap, newest first, at most `limit`.
    func regionDocuments(regionID: Int64, limit: Int) throws -> [RegionDocument]
}

protocol IndicatorWriting {
    func insertTargetIndicator(regionID: Int64, _ definition: IndicatorDefinition, at moment: Date, by userID: Int64?) throws -> Int64
    func setIndicatorPlan(indicatorID: Int64, year: Int, _ target: PlanTarget) throws
    func setIndicatorFact(indicatorID: Int64, year: Int, value: Double, comment: String?, evidenceItemID: Int64?, at moment: Date, by userID: Int64?) throws
}
