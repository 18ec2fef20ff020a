import Foundation

/// A region's package evaluations as a table for the terminal, CSV and Excel: one municipality a
/// row, a score a position, the total, who evaluated and when (in the region's zone).
public enum EvaluationTable {
    public static func table(_ report: RegionEvaluations) -> ExportTable {
        let header = ["Код МО", "Муниципалитет"] + report.positions.map(\.shortName)
            + ["Итого", "Из", "Версия", "Оценил", "Когда"]
        let rows: [[ExportTable.Cell]] = report.rows.map { row in
            guard let evaluation = row.evaluation else {
                return [.text(row.municipalityCode), .text(row.municipalityName)] + report.positions.map { _ in .empty }
                    + [.text("не оценён"), .empty, .empty, .empty, .empty]
            }
            return [.text(row.municipalityCode), .text(row.municipalityName)]
                + report.positions.map { evaluation.score($0).map { .number($0.score) } ?? .empty }
                + [.number(evaluation.total), .number(evaluation.maximum), .number(evaluation.version), .text(evaluation.evaluatorName),
                   .dateTime(evaluation.evaluatedAt, zone: report.timeZone)]
        }
        return ExportTable(
            sheetName: "Оценка пакетов", title: "Оценка пакетов муниципалитетов по позициям ФИОКО",
            notes: ["Регион: \(report.regionName) (\(report.regionCode)); кампания: \(report.campaign.name) (\(report.campaign.code)).",
                    "Оценено: \(report.evaluatedCount) из \(report.rows.count). Баллы: 2 — выполнено, 1 — частично, 0 — не выполнено.",
                    "Время — по часовому поясу региона (\(report.timeZone))."],
            header: header, rows: rows)
    }
}
