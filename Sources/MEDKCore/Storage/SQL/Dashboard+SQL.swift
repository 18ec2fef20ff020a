import Foundation

extension SQLTransaction {
    func overdueTrendInputs(campaignID: Int64, regionID: Int64, municipalityID: Int64?, mornings: [TrendMorning]) throws -> OverdueTrendInputs {
        guard let first = mornings.first, let last = mornings.last else { return OverdueTrendInputs(openAt: [], confirmedAfter: []) }
        let territory = municipalityID == nil ? "m.region_id = ?" : "m.region_id = ? AND m.municipality_id = ?"
        let place: [any SQLBindable] = municipalityID.map { [regionID, $0] } ?? [regionID]
        // A measure was overdue on a morning if it was a commitment by then, due before that day, and
        // not yet confirmed: one sum per morning over the open commitments (the open index holds the
        // commitment time) and one over those confirmed since the oldest morning.
        let bounds: [any SQLBindable] = mornings.flatMap { [$0.day.description, $0.morning.sql] as [any SQLBindable] }
        let openSums = mornings.map { _ in "count(*) FILTER (WHERE m.due_date < ? AND m.committed_at < ?)" }.joined(separator: ", ")
        let open = try row("""
            SELECT \(openSums) FROM measures m
            WHERE \(territory) AND m.campaign_id = ? AND m.due_date < ? AND m.report_first_confirmed_at IS NULL
              AND m.committed_at IS NOT NULL
            """, SQLArguments(bounds + place + [campaignID, last.day.description]))
        let sums = mornings.map { _ in "count(*) FILTER (WHERE m.due_date < ? AND m.committed_at < ? AND m.report_first_confirmed_at >= ?)" }
            .joined(separator: ", ")
        let confirmedBounds: [any SQLBindable] = mornings.flatMap {
            [$0.day.description, $0.morning.sql, $0.morning.sql] as [any SQLBindable]
        }
        let row = try self.row("""
            SELECT \(sums) FROM measures m
            WHERE \(territory) AND m.campaign_id = ? AND m.report_first_confirmed_at >= ? AND m.due_date IS NOT NULL
            """, SQLArguments(confirmedBounds + place + [campaignID, first.morning.sql]))
        return OverdueTrendInputs(openAt: mornings.indices.map { (open?[$0] as Int?) ?? 0 },
                                  confirmedAfter: mornings.indices.map { (row?[$0] as Int?) ?? 0 })
    }

    func openMeasureCount(regionID: Int64, dueFrom: CalendarDate, dueTo: CalendarDate) throws -> Int {
        try value(Int.self, """
            SELECT count(*) FROM measures m
            WHERE m.region_id = ? AND m.campaign_id IN (SELECT id FROM campaigns) AND m.due_date BETWEEN ? AND ?
              AND m.report_first_confirmed_at IS NULL AND m.committed_at IS NOT NULL
            """, [regionID, dueFrom, dueTo]) ?? 0
    }
}
