import Foundation

/// A region's package evaluations as rows of text, for the terminal and Excel: one municipality a
/// row, a score a position, the total, who evaluated and when (in the region's zone by the caller).
public enum EvaluationTable {
    public static func rows(_ report: RegionEvaluations, time: (Date) -> String) -> [[String]] {
        var rows = [["Код МО", "Муниципалитет"] + report.positions.map(\.shortName)
            + ["Итого", "Из", "Версия", "Оценил", "Когда"]]
        for row in report.rows {
            guard let evaluation = row.evaluation else {
                rows.append([row.municipalityCode, row.municipalityName] + report.positions.map { _ in "" }
                    + ["не оценён", "", "", "", ""])
                continue
            }
            rows.append([row.municipalityCode, row.municipalityName]
                + report.positions.map { evaluation.score($0).map { String($0.score) } ?? "" }
                + [String(evaluation.total), String(evaluation.maximum), String(evaluation.version), evaluation.evaluatorName,
                   time(evaluation.evaluatedAt)])
        }
        return rows
    }
}
