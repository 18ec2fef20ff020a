import Foundation
import GRDB

extension SQLiteTransaction {
    func overdueTrendInputs(campaignID: Int64, regionID: Int64, municipalityID: Int64?, mornings: [TrendMorning]) throws -> OverdueTrendInputs {
        guard let first = mornings.first, let last = mornings.last else { return OverdueTrendInputs(openByDueDate: [:], confirmedAfter: []) }
        let territory = municipalityID == nil ? "m.region_id = ?" : "m.region_id = ? AND m.municipality_id = ?"
        let place: [any DatabaseValueConvertible] = municipalityID.map { [regionID, $0] } ?? [regionID]
        var open: [CalendarDate: Int] = [:]
        for row in try Row.fetchAll(statement("""
            SELECT m.due_date, count(*) FROM measures m
            WHERE \(territory) AND m.campaign_id = ? AND m.due_date < ? AND m.report_first_confirmed_at IS NULL
            GROUP BY m.due_date
            """), arguments: StatementArguments(place + [campaignID, last.day.description])) {
            if let date = row[0] as CalendarDate? { open[date] = row[1] }
        }
        // One sum per morning over the measures confirmed since the oldest: one row back.
        let sums = mornings.map { _ in "coalesce(sum(m.due_date < ? AND m.report_first_confirmed_at >= ?), 0)" }.joined(separator: ", ")
        let bounds: [any DatabaseValueConvertible] = mornings.flatMap { [$0.day.description, $0.morning.sql] as [any DatabaseValueConvertible] }
        let row = try Row.fetchOne(statement("""
            SELECT \(sums) FROM measures m
            WHERE \(territory) AND m.campaign_id = ? AND m.report_first_confirmed_at >= ? AND m.due_date IS NOT NULL
            """), arguments: StatementArguments(bounds + place + [campaignID, first.morning.sql]))
        let confirmed = mornings.indices.map { (row?[$0] as Int?) ?? 0 }
        return OverdueTrendInputs(openByDueDate: open, confirmedAfter: confirmed)
    }

    func openMeasureCount(regionID: Int64, dueFrom: CalendarDate, dueTo: CalendarDate) throws -> Int {
        try Int.fetchOne(statement("""
            SELECT count(*) FROM measures m
            WHERE m.region_id = ? AND m.campaign_id IN (SELECT id FROM campaigns) AND m.due_date BETWEEN ? AND ?
              AND m.report_first_confirmed_at IS NULL
            """), arguments: [regionID, dueFrom, dueTo]) ?? 0
    }
}
