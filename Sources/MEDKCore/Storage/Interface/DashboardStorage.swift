import Foundation

/// What the dashboard's trend of overdue measures is derived from.
struct OverdueTrendInputs: Sendable {
    /// Open measures due before the last morning, counted by due date.
    var openByDueDate: [CalendarDate: Int]
    /// For each morning, the measures due before its day and confirmed after it began.
    var confirmedAfter: [Int]
}

protocol DashboardReading {
    /// Both read from indexes (the open measures', and the confirmed measures' by confirmation
    /// time) and summed by SQLite: a region is two rows of figures, whatever its size.
    func overdueTrendInputs(campaignID: Int64, regionID: Int64, municipalityID: Int64?, mornings: [TrendMorning]) throws -> OverdueTrendInputs
    /// How many of the region's open measures fall due in [from, to]: the country's week ahead, a number a region.
    func openMeasureCount(regionID: Int64, dueFrom: CalendarDate, dueTo: CalendarDate) throws -> Int
}
