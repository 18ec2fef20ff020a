import Foundation

/// What the dashboard's trend of overdue measures is derived from.
struct OverdueTrendInputs: Sendable {
    /// Open measures due before a date, counted by due date.
    var openByDueDate: [CalendarDate: Int]
    /// Measures confirmed since an instant, with their due dates.
    var confirmedLately: [(dueDate: CalendarDate, confirmedAt: Date)]
}

protocol DashboardReading {
    /// Both read from indexes: the open measures' and the confirmed measures' (by confirmation time).
    func overdueTrendInputs(campaignID: Int64, regionID: Int64, municipalityID: Int64?, dueBefore: CalendarDate,
                            confirmedSince: Date) throws -> OverdueTrendInputs
}
