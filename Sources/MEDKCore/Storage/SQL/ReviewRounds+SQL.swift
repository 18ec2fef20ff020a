import Foundation

extension SQLTransaction {
    /// Read from the covering index on decisions in order of time, without sorting: a country's
    /// year (two million decisions) is summed by the caller in about the time it takes to read.
    func forEachDecision(campaignID: Int64, in territory: MonitoringScope, from: Date, to: Date,
                         _ body: (ClosedReview) throws -> Void) throws {
        var conditions = SQLConditions()
        conditions.append(ReachFilter.rounds.condition(territory))
        conditions.append("rr.closed_at >= ? AND rr.closed_at < ?", from.sql, to.sql)
        conditions.append("rr.campaign_id = ?", campaignID)
        conditions.append("rr.outcome IN ('confirmed', 'returned')")
        try forEach("""
            SELECT rr.closed_by, rr.region_id, rr.wait_seconds, CAST(rr.outcome = 'returned' AS INTEGER) FROM review_rounds rr
            WHERE \(conditions.sql)
            """, conditions.arguments) { row in
            try body(ClosedReview(decider: row[0], regionID: row[1], waitSeconds: row[2] ?? 0, returned: row[3]))
            return true
        }
    }

    func waitingReviews(campaignID: Int64, in territory: MonitoringScope) throws -> [WaitingReviews] {
        var conditions = SQLConditions()
        conditions.append(ReachFilter.rounds.condition(territory))
        conditions.append("rr.closed_at IS NULL")
        conditions.append("rr.campaign_id = ?", campaignID)
        // -1: a school's document with no curator; -2: a municipality's or region's own document.
        let rows = try self.rows("""
            SELECT CASE WHEN rr.school_id IS NULL THEN -2 ELSE coalesce(ca.curator_id, -1) END AS reviewer,
                   count(*), min(rr.submitted_at), u.login, u.full_name
            FROM review_rounds rr
            LEFT JOIN curator_assignments ca ON ca.campaign_id = rr.campaign_id AND ca.school_id = rr.school_id
            LEFT JOIN users u ON u.id = ca.curator_id
            WHERE \(conditions.sql)
            GROUP BY reviewer, u.login, u.full_name
            """, conditions.arguments)
        return try rows.map { row in
            let id: Int64 = row[0]
            let reviewer: WaitingReviews.Reviewer = switch id {
            case -2: .territoryDocument
            case -1: .noCurator
            default: .curator(userID: id, login: row[3], fullName: row[4])
            }
            return WaitingReviews(reviewer: reviewer, count: row[1], oldestSince: try row.instant(2))
        }
    }

    func waitingByRegion(campaignID: Int64, in territory: MonitoringScope) throws -> [Int64: (count: Int, oldestSince: Date)] {
        var conditions = SQLConditions()
        conditions.append(ReachFilter.rounds.condition(territory))
        conditions.append("rr.closed_at IS NULL")
        conditions.append("rr.campaign_id = ?", campaignID)
        var result: [Int64: (count: Int, oldestSince: Date)] = [:]
        for row in try rows("""
            SELECT rr.region_id, count(*), min(rr.submitted_at) FROM review_rounds rr WHERE \(conditions.sql) GROUP BY rr.region_id
            """, conditions.arguments) {
            result[row[0]] = (row[1], try row.instant(2))
        }
        return result
    }

    func userNames(ids: [Int64]) throws -> [Int64: (login: String, fullName: String)] {
        var names: [Int64: (login: String, fullName: String)] = [:]
        // In parts, within SQLite's limit on bound parameters.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let part = Array(ids[start..<min(start + 500, ids.count)])
            for row in try rows("SELECT id, login, full_name FROM users WHERE id IN (\(SQLList.placeholders(part.count)))", SQLArguments(part)) {
                names[row[0]] = (row[1], row[2])
            }
        }
        return names
    }
}

extension ReachFilter {
    static let rounds = ReachFilter(campaign: "rr.campaign_id", school: "rr.school_id", municipality: "rr.municipality_id",
                                    region: "rr.region_id", submittedBy: nil)
}
