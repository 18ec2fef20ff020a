import Foundation
import GRDB

/// Exam means and social indicators per school and year.
extension SQLiteTransaction {
    func resultsInputs(regionID: Int64, years: ClosedRange<Int>, socialYear: Int) throws -> [SchoolResultsInput] {
        var byCode: [String: SchoolResultsInput] = [:]
        let rows = try Row.fetchCursor(statement("""
            SELECT s.code, r.year, r.exam, r.subject, r.mean, r.participants
            FROM schools s JOIN municipalities m ON m.id = s.municipality_id JOIN school_results r ON r.school_id = s.id
            WHERE m.region_id = ? AND r.year BETWEEN ? AND ?
            """), arguments: [regionID, years.lowerBound, years.upperBound])
        while let row = try rows.next() {
            let code: String = row[0]
            guard let exam = ExamKind(rawValue: row[2]), let subject = ExamSubject(rawValue: row[3]) else {
                throw MEDKError.corruptValue(column: "school_results", value: "\(code) \(row[2] as String) \(row[3] as String)")
            }
            byCode[code, default: SchoolResultsInput(schoolCode: code, results: [], social: [:])].results.append(
                ComponentResult(ComponentKey(exam: exam, subject: subject), year: row[1], mean: row[4], participants: row[5]))
        }
        let social = try Row.fetchCursor(statement("""
            SELECT s.code, c.indicator, c.value
            FROM schools s JOIN municipalities m ON m.id = s.municipality_id JOIN school_social c ON c.school_id = s.id
            WHERE m.region_id = ? AND c.year = ?
            """), arguments: [regionID, socialYear])
        while let row = try social.next() {
            let code: String = row[0]
            byCode[code, default: SchoolResultsInput(schoolCode: code, results: [], social: [:])].social[row[1]] = row[2]
        }
        return byCode.values.sorted { $0.schoolCode < $1.schoolCode }
    }

    func upsertResult(schoolID: Int64, _ result: ComponentResult) throws -> UpsertOutcome {
        let old = try Row.fetchOne(statement("""
            SELECT mean, participants FROM school_results WHERE school_id = ? AND year = ? AND exam = ? AND subject = ?
            """), arguments: [schoolID, result.year, result.key.exam.rawValue, result.key.subject.rawValue])
        if let old, (old[0] as Double) == result.mean, (old[1] as Int) == result.participants { return .unchanged }
        try statement("""
            INSERT INTO school_results (school_id, year, exam, subject, mean, participants) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (school_id, year, exam, subject) DO UPDATE SET mean = excluded.mean, participants = excluded.participants
            """).execute(arguments: [schoolID, result.year, result.key.exam.rawValue, result.key.subject.rawValue, result.mean,
                                     result.participants])
        return old == nil ? .created : .updated
    }

    func upsertSocial(schoolID: Int64, year: Int, indicator: String, value: Double) throws -> UpsertOutcome {
        let old = try Double.fetchOne(statement("SELECT value FROM school_social WHERE school_id = ? AND year = ? AND indicator = ?"),
                                      arguments: [schoolID, year, indicator])
        if old == value { return .unchanged }
        try statement("""
            INSERT INTO school_social (school_id, year, indicator, value) VALUES (?, ?, ?, ?)
            ON CONFLICT (school_id, year, indicator) DO UPDATE SET value = excluded.value
            """).execute(arguments: [schoolID, year, indicator, value])
        return old == nil ? .created : .updated
    }
}
