import Foundation

/// What the dashboard's trend of overdue measures is derived from.
struct OverdueTrendInputs: Sendable {
    /// For each morning, the commitments still open now that were due before its day and committed before it began.
    var openAt: [Int]
    /// For each morning, the commitments due before its day, committed before it began and confirmed after.
    var confirmedAfter: [Int]
}

protocol DashboardReading {
    /// Both read from indexes (the open measures', and the confirmed measures' by confirmation
    /// time) and summed by SQLite: a region is two rows of figures, whatever its size.
    func overdueTrendInputs(campaignID: Int64, regionID: Int64, municipalityID: Int64?, mornings: [TrendMorning]) throws -> OverdueTrendInputs
    /// How many of the region's open measures fall due in [from, to]: the country's week ahead, a number a region.
    func openMeasureCount(regionID: Int64, dueFrom: CalendarDate, dueTo: CalendarDate) throws -> Int
}
