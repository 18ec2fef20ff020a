import Foundation

/// Reviewers' response times as a table for the terminal, CSV and Excel: one reviewer a row (the
/// country: one region a row), times in days with one decimal, the slowest marked.
public enum ReviewTimesTable {
    public static func table(_ report: ReviewTimesReport) -> ExportTable {
        let figures = ["Решений", "Возвращено", "Доля возвратов, %", "Медиана, дн.", "90-й процентиль, дн.", "Дольше всего, дн.",
                       "Ждут решения сейчас", "Самый давний ждёт с", "Ждёт дней", "Отметка"]
        if report.isCountry {
            return ExportTable(sheetName: "Сроки проверки", title: "Сроки проверки документов по регионам", notes: notes(report),
                               header: ["Код", "Регион"] + figures,
                               rows: report.regions.map { [.text($0.regionCode), .text($0.regionName)] + cells($0.figures, report) })
        }
        return ExportTable(sheetName: "Сроки проверки", title: "Сроки проверки документов", notes: notes(report),
                           header: ["Проверяющий", "Логин"] + figures,
                           rows: report.reviewers.map { [.text($0.fullName), .text($0.login)] + cells($0.figures, report) })
    }

    static func cells(_ figures: ReviewFigures, _ report: ReviewTimesReport) -> [ExportTable.Cell] {
        func days(_ seconds: Int?) -> ExportTable.Cell { WaitText.days(seconds: seconds).map { .tenths($0) } ?? .empty }
        return [.number(figures.decided), .number(figures.returned), figures.returnedShare.map { .tenths($0 * 100) } ?? .empty,
                days(figures.medianSeconds), days(figures.p90Seconds), days(figures.longestSeconds), .number(figures.waitingNow),
                figures.oldestWaitingSince.map { .dateTime($0, zone: report.timeZone) } ?? .empty,
                figures.oldestWaitingDays.map { .number($0) } ?? .empty, figures.isSlowest ? .text("самый медленный") : .empty]
    }

    /// «review-times-C2026-75-2026-11-07-2026-12-06», without the extension.
    public static func fileName(_ report: ReviewTimesReport) -> String {
        DownloadName.stem(["Сроки проверки", report.campaign.code, report.territoryName, "\(report.from.russian)–\(report.to.russian)"])
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
