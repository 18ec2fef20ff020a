import Foundation


/// Target indicators of regions: their plans by year and the facts regions entered.
extension SQLTransaction {
    func targetIndicators(regionID: Int64) throws -> [TargetIndicator] {
        let indicators = try rows("SELECT id, region_id, code, title, source FROM target_indicators WHERE region_id = ? ORDER BY code", [regionID]).map(indicator)
        var plans: [Int64: [YearPlan]] = [:]
        let decoder = JSONDecoder()
        for row in try rows("""
            SELECT p.indicator_id, p.year, p.target FROM indicator_plans p JOIN target_indicators t ON t.id = p.indicator_id
            WHERE t.region_id = ? ORDER BY p.indicator_id, p.year
            """, [regionID]) {
            let text: String = row[2]
            plans[row[0], default: []].append(YearPlan(year: row[1], target: try decoder.decode(PlanTarget.self, from: Data(text.utf8))))
        }
        return indicators.map { indicator in
            var indicator = indicator
            indicator.plans = plans[indicator.id] ?? []
            return indicator
        }
    }

    func targetIndicator(id: Int64) throws -> TargetIndicator? {
        guard let row = try self.row("SELECT id, region_id, code, title, source FROM target_indicators WHERE id = ?", [id]) else {
            return nil
        }
        return try targetIndicators(regionID: row[1]).first { $0.id == id }
    }

    private func indicator(_ row: SQLRow) throws -> TargetIndicator {
        TargetIndicator(id: row[0], regionID: row[1], code: row[2], title: row[3], source: try row.decode(IndicatorSource.self, at: 4), plans: [])
    }

    func enteredFacts(regionID: Int64) throws -> [StoredFact] {
        try rows("""
            SELECT f.indicator_id, f.year, f.value, f.comment, f.entered_at, coalesce(u.full_name, u.login), i.id, i.title, i.state
            FROM indicator_facts f JOIN target_indicators t ON t.id = f.indicator_id LEFT JOIN users u ON u.id = f.entered_by
            LEFT JOIN items i ON i.id = f.evidence_item_id
            WHERE t.region_id = ? ORDER BY f.indicator_id, f.year
            """, [regionID]).map { row in
            let evidenceID: Int64? = row[6]
            return StoredFact(indicatorID: row[0], year: row[1], value: row[2], comment: row[3], enteredAt: try row.instant(4), enteredBy: row[5],
                              evidence: try evidenceID.map { FactEvidence(itemID: $0, title: row[7], state: try row.decode(ReviewState.self, at: 8)) })
        }
    }

    func regionDocuments(regionID: Int64, limit: Int) throws -> [RegionDocument] {
        try rows("""
            SELECT i.id, i.kind, i.title, i.state, c.year FROM items i JOIN campaigns c ON c.id = i.campaign_id
            WHERE i.region_id = ? AND i.school_id IS NULL AND i.municipality_id IS NULL AND i.kind <> 'roadmap'
            ORDER BY i.id DESC LIMIT ?
            """, [regionID, limit]).map { row in
            RegionDocument(itemID: row[0], kind: try row.decode(ItemKind.self, at: 1), title: row[2],
                           state: try row.decode(ReviewState.self, at: 3), campaignYear: row[4])
        }
    }

    func confirmedRoadmaps(regionID: Int64, year: Int) throws -> (schools: Int, confirmed: Int) {
        // Without a campaign of the year there is nothing to have confirmed: no fact rather than 0 %.
        guard try value(Bool.self, "SELECT EXISTS (SELECT 1 FROM campaigns WHERE year = ?)", [year]) == true else {
            return (0, 0)
        }
        let row = try self.row("""
            SELECT count(*), count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM items i JOIN campaigns c ON c.id = i.campaign_id
                WHERE i.school_id = s.id AND i.kind = 'roadmap' AND i.state = 'confirmed' AND c.year = ?))
            FROM municipalities m \(dialect.orderedJoin) schools s ON s.municipality_id = m.id
            WHERE m.region_id = ? AND s.low_results = 1
            """, [year, regionID])
        return (row?[0] ?? 0, row?[1] ?? 0)
    }

    func insertTargetIndicator(regionID: Int64, _ definition: IndicatorDefinition, at moment: Date, by userID: Int64?) throws -> Int64 {
        return try insert("""
            INSERT INTO target_indicators (region_id, code, title, source, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)
            """, [regionID, definition.code, definition.title, definition.source, moment.sql, userID])
    }

    func setIndicatorPlan(indicatorID: Int64, year: Int, _ target: PlanTarget) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try execute("""
            INSERT INTO indicator_plans (indicator_id, year, target) VALUES (?, ?, ?)
            ON CONFLICT (indicator_id, year) DO UPDATE SET target = excluded.target
            """, [indicatorID, year, String(decoding: try encoder.encode(target), as: UTF8.self)])
    }

    func setIndicatorFact(indicatorID: Int64, year: Int, value: Double, comment: String?, evidenceItemID: Int64?, at moment: Date,
                          by userID: Int64?) throws {
        try execute("""
            INSERT INTO indicator_facts (indicator_id, year, value, comment, entered_at, entered_by, evidence_item_id) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (indicator_id, year) DO UPDATE SET value = excluded.value, comment = excluded.comment,
                entered_at = excluded.entered_at, entered_by = excluded.entered_by, evidence_item_id = excluded.evidence_item_id
            """, [indicatorID, year, value, comment, moment.sql, userID, evidenceItemID])
    }
}
