import Foundation
import GRDB

extension SQLiteTransaction {
    /// Percentiles by nearest rank in SQL (rank ⌈p·n⌉ of the waits sorted), so a country's year of
    /// decisions is reduced where it is stored and only one row per decider comes back.
    func decisionSummaries(campaignID: Int64, in territory: MonitoringScope, from: Date, to: Date,
                           perDecider: Bool) throws -> [DecisionSummary] {
        var conditions = SQLConditions()
        conditions.append(ReachFilter.rounds.condition(territory))
        conditions.append("rr.closed_at >= ? AND rr.closed_at < ?", from.sql, to.sql)
        conditions.append("rr.campaign_id = ?", campaignID)
        conditions.append("rr.outcome IN ('confirmed', 'returned')")
        let decider = perDecider ? "rr.closed_by" : "NULL"
        let rows = try Row.fetchAll(db, sql: """
            WITH ranked AS (
                SELECT \(decider) AS decider, rr.wait_seconds AS wait, rr.outcome AS outcome,
                       row_number() OVER (PARTITION BY \(decider) ORDER BY rr.wait_seconds) AS rank,
                       count(*) OVER (PARTITION BY \(decider)) AS n
                FROM review_rounds rr WHERE \(conditions.sql)
            )
            SELECT ranked.decider, coalesce(u.login, ''), coalesce(u.full_name, ''), max(n),
                   sum(outcome = 'returned'),
                   max(CASE WHEN rank = (n + 1) / 2 THEN wait END),
                   max(CASE WHEN rank = (9 * n + 9) / 10 THEN wait END),
                   max(wait)
            FROM ranked LEFT JOIN users u ON u.id = ranked.decider
            GROUP BY ranked.decider
            """, arguments: conditions.arguments)
        return rows.map { row in
            DecisionSummary(decider: row[0], login: row[1], fullName: row[2], decided: row[3], returned: row[4],
                            medianSeconds: row[5], p90Seconds: row[6], longestSeconds: row[7])
        }
    }

    func waitingReviews(campaignID: Int64, in territory: MonitoringScope) throws -> [WaitingReviews] {
        var conditions = SQLConditions()
        conditions.append(ReachFilter.rounds.condition(territory))
        conditions.append("rr.closed_at IS NULL")
        conditions.append("rr.campaign_id = ?", campaignID)
        // -1: a school's document with no curator; -2: a municipality's or region's own document.
        let rows = try Row.fetchAll(db, sql: """
            SELECT CASE WHEN rr.school_id IS NULL THEN -2 ELSE coalesce(ca.curator_id, -1) END AS reviewer,
                   count(*), min(rr.submitted_at), u.login, u.full_name
            FROM review_rounds rr
            LEFT JOIN curator_assignments ca ON ca.campaign_id = rr.campaign_id AND ca.school_id = rr.school_id
            LEFT JOIN users u ON u.id = ca.curator_id
            WHERE \(conditions.sql)
            GROUP BY reviewer
            """, arguments: conditions.arguments)
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
}

extension SQLiteTransaction {
    func waitingTotal(campaignID: Int64, in territory: MonitoringScope) throws -> (count: Int, oldestSince: Date?) {
        var conditions = SQLConditions()
        conditions.append(ReachFilter.rounds.condition(territory))
        conditions.append("rr.closed_at IS NULL")
        conditions.append("rr.campaign_id = ?", campaignID)
        let row = try Row.fetchOne(db, sql: "SELECT count(*), min(rr.submitted_at) FROM review_rounds rr WHERE \(conditions.sql)",
                                   arguments: conditions.arguments)
        return (row?[0] ?? 0, try row?.instantIfPresent(1))
    }
}

extension ReachFilter {
    static let rounds = ReachFilter(campaign: "rr.campaign_id", school: "rr.school_id", municipality: "rr.municipality_id",
                                    region: "rr.region_id", submittedBy: nil)
}
