import Foundation

/// Package evaluations: one row a version, its scores beside it; the system's findings of the
/// moment are kept as JSON, as they were shown to the evaluator.
extension SQLTransaction {
    private static let evaluationSelect = """
        SELECT e.id, e.version, e.evaluated_at, u.login, u.full_name, e.evaluator_role, e.total, e.maximum, e.findings,
               e.municipality_id
        FROM package_evaluations e JOIN users u ON u.id = e.evaluator_id
        """

    func packageEvaluations(campaignID: Int64, municipalityID: Int64) throws -> [PackageEvaluation] {
        try evaluations(rows("""
            \(Self.evaluationSelect) WHERE e.campaign_id = ? AND e.municipality_id = ? ORDER BY e.version DESC
            """, [campaignID, municipalityID]))
    }

    func latestPackageEvaluations(campaignID: Int64, regionID: Int64) throws -> [Int64: PackageEvaluation] {
        let rows = try self.rows("""
            \(Self.evaluationSelect)
            WHERE e.campaign_id = ? AND e.region_id = ? AND e.version = (SELECT max(version) FROM package_evaluations l
                WHERE l.campaign_id = e.campaign_id AND l.municipality_id = e.municipality_id)
            """, [campaignID, regionID])
        return Dictionary(uniqueKeysWithValues: zip(rows.map { $0[9] as Int64 }, try evaluations(rows)))
    }

    private func evaluations(_ rows: [SQLRow]) throws -> [PackageEvaluation] {
        guard !rows.isEmpty else { return [] }
        let ids = rows.map { $0[0] as Int64 }
        var scores: [Int64: [PositionScore]] = [:]
        for row in try self.rows("""
            SELECT evaluation_id, position, score, comment FROM package_evaluation_scores
            WHERE evaluation_id IN (\(SQLList.placeholders(ids.count)))
            """, SQLArguments(ids)) {
            guard let position = EvaluationPosition(rawValue: row[1]) else { continue }
            scores[row[0], default: []].append(PositionScore(position: position, score: row[2], comment: row[3]))
        }
        let order = Dictionary(uniqueKeysWithValues: EvaluationPosition.allCases.enumerated().map { ($0.element, $0.offset) })
        return try rows.map { row in
            let id: Int64 = row[0]
            let findings = try JSONDecoder().decode([PositionFinding].self, from: Data((row[8] as String).utf8))
            return PackageEvaluation(
                version: row[1], evaluatedAt: try row.instant(2), evaluatorLogin: row[3], evaluatorName: row[4],
                evaluatorRole: try row.decode(Role.self, at: 5),
                scores: (scores[id] ?? []).sorted { order[$0.position]! < order[$1.position]! },
                total: row[6], maximum: row[7], findings: findings)
        }
    }

    func insertPackageEvaluation(campaignID: Int64, municipality: Municipality, version: Int, by evaluator: AuditActor,
                                 at: Date, scores: [PositionScore], findings: [PositionFinding]) throws {
        let findingsJSON = String(decoding: try JSONEncoder().encode(findings), as: UTF8.self)
        let id = try insert("""
            INSERT INTO package_evaluations (campaign_id, municipality_id, region_id, version, evaluated_at, evaluator_id,
                evaluator_role, total, maximum, findings)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [campaignID, municipality.id, municipality.regionID, version, at.sql, evaluator.userID,
                                     evaluator.role?.rawValue, scores.reduce(0) { $0 + $1.score },
                                     scores.count * EvaluationScore.maximum, findingsJSON])
        let insertScore = "INSERT INTO package_evaluation_scores (evaluation_id, position, score, comment) VALUES (?, ?, ?, ?)"
        for score in scores {
            try execute(insertScore, [id, score.position.rawValue, score.score, score.comment])
        }
    
    }
}
