import Foundation
import GRDB

extension SQLiteTransaction {
    func overdueTrendInputs(campaignID: Int64, regionID: Int64, municipalityID: Int64?, dueBefore: CalendarDate,
                            confirmedSince: Date) throws -> OverdueTrendInputs {
        let territory = municipalityID == nil ? "m.region_id = ?" : "m.region_id = ? AND m.municipality_id = ?"
        let place: [any DatabaseValueConvertible] = municipalityID.map { [regionID, $0] } ?? [regionID]
        var open: [CalendarDate: Int] = [:]
        for row in try Row.fetchAll(statement("""
            SELECT m.due_date, count(*) FROM measures m
            WHERE \(territory) AND m.campaign_id = ? AND m.due_date < ? AND m.report_first_confirmed_at IS NULL
            GROUP BY m.due_date
            """), arguments: StatementArguments(place + [campaignID, dueBefore.description])) {
            if let date = row[0] as CalendarDate? { open[date] = row[1] }
        }
        var confirmed: [(dueDate: CalendarDate, confirmedAt: Date)] = []
        for row in try Row.fetchAll(statement("""
            SELECT m.due_date, m.report_first_confirmed_at FROM measures m
            WHERE \(territory) AND m.campaign_id = ? AND m.report_first_confirmed_at >= ? AND m.due_date IS NOT NULL
            """), arguments: StatementArguments(place + [campaignID, confirmedSince.sql])) {
            if let date = row[0] as CalendarDate? { confirmed.append((date, try row.instant(1))) }
        }
        return OverdueTrendInputs(openByDueDate: open, confirmedLately: confirmed)
    }
}
