import Foundation

/// Exam means and social indicators per school and year, as versions: each import is a batch, a
/// value is current from the batch that wrote it until the batch that corrected it. Every region's
/// query goes municipalities → schools → values by the primary key's school prefix (CROSS JOIN fixes
/// that order): the planner would otherwise scan the country's 1.2 million values for one region.
extension SQLTransaction {
    func resultsHistories(regionID: Int64, years: ClosedRange<Int>, asOf batch: Int64) throws -> [SchoolResultsHistory] {
        var results: [String: [ComponentResult]] = [:]
        var social: [String: [SocialValue]] = [:]
        try forEach("""
            SELECT s.code, r.year, r.exam, r.subject, r.mean, r.participants
            FROM municipalities m \(dialect.orderedJoin) schools s ON s.municipality_id = m.id \(dialect.orderedJoin) school_results r ON r.school_id = s.id
            WHERE m.region_id = ? AND r.year BETWEEN ? AND ? AND r.valid_from <= ? AND (r.valid_to IS NULL OR r.valid_to > ?)
            """, [regionID, years.lowerBound, years.upperBound, batch, batch]) { row in
            let code: String = row[0]
            guard let exam = ExamKind(rawValue: row[2]), let subject = ExamSubject(rawValue: row[3]) else {
                throw MEDKError.corruptValue(column: "school_results", value: "\(code) \(row[2] as String) \(row[3] as String)")
            }
            results[code, default: []].append(ComponentResult(ComponentKey(exam: exam, subject: subject), year: row[1], mean: row[4],
                                                              participants: row[5]))
            return true
        }
        try forEach("""
            SELECT s.code, c.year, c.indicator, c.value
            FROM municipalities m \(dialect.orderedJoin) schools s ON s.municipality_id = m.id \(dialect.orderedJoin) school_social c ON c.school_id = s.id
            WHERE m.region_id = ? AND c.year <= ? AND c.valid_from <= ? AND (c.valid_to IS NULL OR c.valid_to > ?)
            """, [regionID, years.upperBound, batch, batch]) { row in
            social[row[0], default: []].append(SocialValue(year: row[1], indicator: row[2], value: row[3]))
            return true
        }
        return Set(results.keys).union(social.keys).sorted().map { code in
            SchoolResultsHistory(schoolCode: code, results: results[code] ?? [], social: social[code] ?? [])
        }
    }

    func latestResultsBatch() throws -> Int64 {
        try value(Int64.self, "SELECT coalesce(max(id), 0) FROM results_imports") ?? 0
    }

    func insertResultsImport(kind: ResultsFileKind, fileName: String, sha256: String, at moment: Date, by userID: Int64?) throws -> Int64 {
        return try insert("INSERT INTO results_imports (kind, file_name, sha256, imported_at, imported_by) VALUES (?, ?, ?, ?, ?)", [kind.rawValue, fileName, sha256, moment.sql, userID])
    }

    func upsertResult(schoolID: Int64, _ result: ComponentResult, batch: Int64) throws -> UpsertOutcome {
        let key: SQLArguments = [schoolID, result.year, result.key.exam.rawValue, result.key.subject.rawValue]
        let old = try row("""
            SELECT mean, participants FROM school_results
            WHERE school_id = ? AND year = ? AND exam = ? AND subject = ? AND valid_to IS NULL
            """, key)
        if let old, (old[0] as Double) == result.mean, (old[1] as Int) == result.participants { return .unchanged }
        if old != nil {
            try execute("""
                UPDATE school_results SET valid_to = ? WHERE school_id = ? AND year = ? AND exam = ? AND subject = ? AND valid_to IS NULL
                """, [batch] + key)
        }
        try execute("""
            INSERT INTO school_results (school_id, year, exam, subject, mean, participants, valid_from) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, key + [result.mean, result.participants, batch])
        return old == nil ? .created : .updated
    }

    func upsertSocial(schoolID: Int64, year: Int, indicator: String, value: Double, batch: Int64) throws -> UpsertOutcome {
        let key: SQLArguments = [schoolID, year, indicator]
        let old = try self.value(Double.self, """
            SELECT value FROM school_social WHERE school_id = ? AND year = ? AND indicator = ? AND valid_to IS NULL
            """, key)
        if old == value { return .unchanged }
        if old != nil {
            try execute("UPDATE school_social SET valid_to = ? WHERE school_id = ? AND year = ? AND indicator = ? AND valid_to IS NULL", [batch] + key)
        }
        try execute("INSERT INTO school_social (school_id, year, indicator, value, valid_from) VALUES (?, ?, ?, ?, ?)", key + [value, batch])
        return old == nil ? .created : .updated
    }
}

extension SQLTransaction {
    func resultsCoverage(regionID: Int64) throws -> [ResultsCoverage] {
        var byYear: [Int: ResultsCoverage] = [:]
        for (table, isResults) in [("school_results", true), ("school_social", false)] {
            for row in try rows("""
                SELECT year, count(*) FROM (
                    SELECT r.school_id, r.year
                    FROM municipalities m \(dialect.orderedJoin) schools s ON s.municipality_id = m.id \(dialect.orderedJoin) \(table) r ON r.school_id = s.id
                    WHERE m.region_id = ? AND r.valid_to IS NULL GROUP BY r.school_id, r.year) AS per_school
                GROUP BY year
                """, [regionID]) {
                let year: Int = row[0], count: Int = row[1]
                var coverage = byYear[year] ?? ResultsCoverage(year: year, schoolsWithResults: 0, schoolsWithSocial: 0)
                if isResults { coverage.schoolsWithResults = count } else { coverage.schoolsWithSocial = count }
                byYear[year] = coverage
            }
        }
        return byYear.values.sorted { $0.year < $1.year }
    }

    func socialIndicators(regionID: Int64) throws -> [String] {
        try values(String.self, """
            SELECT DISTINCT c.indicator
            FROM municipalities m \(dialect.orderedJoin) schools s ON s.municipality_id = m.id \(dialect.orderedJoin) school_social c ON c.school_id = s.id WHERE m.region_id = ? AND c.valid_to IS NULL ORDER BY c.indicator
            """, [regionID])
    }
}
