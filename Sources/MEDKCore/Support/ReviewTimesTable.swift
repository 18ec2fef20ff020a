import Foundation

/// Reviewers' response times as a table for the terminal, CSV and Excel: one reviewer a row,
/// times in days with one decimal, the slowest marked.
public enum ReviewTimesTable {
    public static func table(_ report: ReviewTimesReport) -> ExportTable {
        report.municipalityCode == nil && report.regionCode == nil ? regionsTable(report) : reviewersTable(report)
    }

    static func days(_ seconds: Int?) -> ExportTable.Cell { WaitText.days(seconds: seconds).map { .tenths($0) } ?? .empty }

    static func share(returned: Int, of decided: Int) -> ExportTable.Cell {
        decided == 0 ? .empty : .tenths(Double(returned) / Double(decided) * 100)
    }

    /// The country: one region a row.
    static func regionsTable(_ report: ReviewTimesReport) -> ExportTable {
        let header = ["Код", "Регион", "Решений", "Возвращено", "Доля возвратов, %", "Медиана, дн.", "90-й процентиль, дн.",
                      "Дольше всего, дн.", "Ждут решения сейчас", "Самый давний ждёт с", "Ждёт дней", "Отметка"]
        let rows: [[ExportTable.Cell]] = report.regions.map { row in
            [.text(row.regionCode), .text(row.regionName), .number(row.decided), .number(row.returned),
             share(returned: row.returned, of: row.decided), days(row.medianSeconds), days(row.p90Seconds), days(row.longestSeconds),
             .number(row.waitingNow), row.oldestWaitingSince.map { .dateTime($0, zone: report.timeZone) } ?? .empty,
             row.oldestWaitingDays.map { .number($0) } ?? .empty, row.isSlowest ? .text("самый медленный") : .empty]
        }
        return ExportTable(sheetName: "Сроки проверки", title: "Сроки проверки документов по регионам", notes: notes(report),
                           header: header, rows: rows)
    }

    /// A region or municipality: one reviewer a row.
    static func reviewersTable(_ report: ReviewTimesReport) -> ExportTable {
        let header = ["Проверяющий", "Логин", "Решений", "Возвращено", "Доля возвратов, %", "Медиана, дн.", "90-й процентиль, дн.",
                      "Дольше всего, дн.", "Ждут решения сейчас", "Самый давний ждёт с", "Ждёт дней", "Отметка"]
        let rows: [[ExportTable.Cell]] = report.reviewers.map { row in
            [.text(row.fullName), .text(row.login), .number(row.decided), .number(row.returned),
             share(returned: row.returned, of: row.decided), days(row.medianSeconds), days(row.p90Seconds),
             days(row.longestSeconds), .number(row.waitingNow),
             row.oldestWaitingSince.map { .dateTime($0, zone: report.timeZone) } ?? .empty,
             row.oldestWaitingDays.map { .number($0) } ?? .empty, row.isSlowest ? .text("самый медленный") : .empty]
        }
        return ExportTable(sheetName: "Сроки проверки", title: "Сроки проверки документов", notes: notes(report), header: header, rows: rows)
    }

    /// «review-times-C2026-75-2026-11-07-2026-12-06», without the extension.
    public static func fileName(_ report: ReviewTimesReport) -> String {
        "review-times-\(report.campaign.code)-\(report.municipalityCode ?? report.regionCode ?? "RU")-\(report.from)-\(report.to)"
    }

    /// What the table covers and the figures for everyone together, one line each.
    public static func notes(_ report: ReviewTimesReport) -> [String] {
        let totals = report.totals
        var notes = ["Территория: \(report.territoryName); кампания: \(report.campaign.name) (\(report.campaign.code)).",
                     "Решения с \(report.from.russian) по \(report.to.russian) (время — \(report.timeZone)); ожидающие — на момент отчёта.",
                     "Всего решений: \(totals.decided), возвращено: \(totals.returned); медиана \(WaitText.russian(seconds: totals.medianSeconds)), "
                        + "90-й процентиль \(WaitText.russian(seconds: totals.p90Seconds)).",
                     "Ждут решения сейчас: \(totals.waitingNow)."]
        if totals.waitingWithoutCurator > 0 {
            notes.append("Из них у школ без куратора: \(totals.waitingWithoutCurator) — их некому проверить.")
        }
        if totals.waitingTerritoryDocuments > 0 {
            notes.append("Документы муниципалитетов и региона на проверке: \(totals.waitingTerritoryDocuments).")
        }
        return notes
    }
}
