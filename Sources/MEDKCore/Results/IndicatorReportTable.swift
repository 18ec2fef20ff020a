import Foundation

/// A region's indicators for a year as people download them: plan as worded and as read, fact,
/// status, how the fact was obtained, and the years before.
public enum IndicatorReportTable {
    public static func table(_ report: IndicatorReport) -> ExportTable {
        ExportTable(
            sheetName: "Показатели \(report.year)", title: "Целевые показатели \(report.year) года — \(report.region.name)",
            notes: ["Регион: \(report.region.name) (\(report.region.code)). Доли — в процентах."],
            header: ["Код", "Показатель", "Факт получен", "План (как записан)", "План (как прочитан)", "Факт", "Статус", "Как получен факт",
                     "Прежние годы"],
            rows: report.rows.map { row in
                [.text(row.indicator.code), .text(row.indicator.title), .text(row.indicator.source.russianName),
                 .text(row.plan?.wording ?? ""), .text(row.plan?.russian ?? ""), row.fact.map { .tenths($0.value) } ?? .empty,
                 .text(row.status.russianName), .text(row.fact?.trace.joined(separator: " ") ?? ""),
                 .text(row.trend.map { "\($0.year): \(ExportTable.tenthsText($0.value))" }.joined(separator: "; "))]
            })
    }

    public static func fileStem(_ report: IndicatorReport) -> String {
        DownloadName.stem(["Целевые показатели", report.region.name, String(report.year)])
    }
}
