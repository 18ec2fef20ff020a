import Foundation

/// The compliance report as tables: typed for Excel (counts are numbers), as text for the terminal and CSV.
public enum ComplianceTable {
    /// One row per school of the report's page (a whole territory when asked for all schools).
    public static func rows(_ report: ComplianceReport) -> [[String]] { schoolsTable(report).textRows }

    /// One row per region of the country, or per municipality of a region, then the total.
    public static func territoryRows(_ report: ComplianceReport) -> [[String]] { territoryTable(report).textRows }

    public static func schoolsTable(_ report: ComplianceReport, onlyLagging: Bool = false) -> ExportTable {
        let header = ["Регион", "Муниципалитет", "Код ОО", "Школа"] + report.totals.milestones.map(\.title)
            + ["Мероприятий", "Подтверждено", "Просрочено", "Отчёт с опозданием", "Ждут проверки"]
        let rows: [[ExportTable.Cell]] = (report.schools?.items ?? []).map { school in
            let cells = school.milestones.map { ExportTable.Cell.text("\($0.statusName) (до \($0.dueDate.russian))") }
            let measures = [school.measures.total, school.measures.confirmed, school.measures.overdue, school.measures.reportedLate,
                            school.waiting].map(ExportTable.Cell.number)
            return [.text(school.regionName), .text(school.municipalityName), .text(school.schoolCode), .text(school.schoolName)]
                + cells + measures
        }
        return ExportTable(sheetName: "Школы", title: "Соблюдение сроков: \(report.scope)",
                           notes: notes(report, onlyLagging: onlyLagging), header: header, rows: rows)
    }

    public static func territoryTable(_ report: ComplianceReport) -> ExportTable {
        let part = report.level == .country ? "Регион" : "Муниципалитет"
        var header = [part, "Код", "Школ", "С отставанием"]
        for milestone in report.totals.milestones {
            header += ["\(milestone.title): в срок", "с опозданием", "не представлено", "на проверке", "на доработке"]
        }
        header += ["Мероприятий", "Подтверждено", "Просрочено", "Отчёт с опозданием", "Ждут проверки"]
        // A region's municipalities today: each one's own roadmap and its package's evaluation.
        let roadmaps = report.parts.contains { $0.municipalRoadmap != nil }
        if roadmaps { header += ["Дорожная карта МО", "Её мероприятий", "Из них просрочено", "Оценка пакета", "Из"] }
        var rows: [[ExportTable.Cell]] = []
        for territory in report.parts + [report.totals] {
            var row: [ExportTable.Cell] = [.text(territory.name), .text(territory.code), .number(territory.schools),
                                           .number(territory.laggingSchools)]
            for milestone in territory.milestones {
                let counts = milestone.counts
                row += [counts.onTime, counts.late, counts.missing, counts.awaitingReview, counts.returned].map(ExportTable.Cell.number)
            }
            let measures = territory.measures
            row += [measures.total, measures.confirmed, measures.overdue, measures.reportedLate, territory.waiting]
                .map(ExportTable.Cell.number)
            if roadmaps {
                if let roadmap = territory.municipalRoadmap {
                    row += roadmap.roadmapID == nil ? [.text("не начата"), .empty, .empty]
                        : [.text(roadmap.stateName ?? ""), .number(roadmap.measures.total), .number(roadmap.measures.overdue)]
                } else {
                    row += [.empty, .empty, .empty]
                }
                if let evaluation = territory.packageEvaluation {
                    row += [evaluation.total.map(ExportTable.Cell.number) ?? .text("не оценён"), .number(evaluation.maximum)]
                } else {
                    row += [.empty, .empty]
                }
            }
            rows.append(row)
        }
        return ExportTable(sheetName: report.level == .country ? "Регионы" : "Муниципалитеты", title: "Соблюдение сроков: \(report.scope)",
                           notes: notes(report, onlyLagging: false), header: header, rows: rows)
    }

    /// «Сроки — C2026 — Забайкальский край» (and «— по муниципалитетам» for the table of parts), without the extension.
    public static func fileStem(_ report: ComplianceReport, byTerritory: Bool = false) -> String {
        DownloadName.stem(["Сроки", report.campaignCode, report.scope, report.asOf.map { "на \($0.russian)" },
                           byTerritory ? (report.level == .country ? "по регионам" : "по муниципалитетам") : nil])
    }

    /// What the table is of: the campaign, the moment, the filter.
    static func notes(_ report: ComplianceReport, onlyLagging: Bool) -> [String] {
        var notes = ["Кампания: \(report.campaignName) (\(report.campaignCode)); территория: \(report.scope)."]
        notes.append(report.asOf.map { "Состояние на конец \($0.russian) по времени каждой школы." }
            ?? "Состояние на момент выгрузки: \(ExportTable.wallClockText(report.generatedAt, zone: report.timeZone)) "
                + "(\((try? RegionCalendar.cached(report.timeZone))?.zoneName(at: report.generatedAt) ?? report.timeZone)).")
        if onlyLagging { notes.append("Только школы с отставанием.") }
        return notes
    }

    public static func curatorRows(_ report: ComplianceReport) -> [[String]] {
        var rows: [[String]] = [["Куратор", "ФИО", "Школ", "Ждут проверки", "Самое давнее ожидание, ч"]]
        for curator in report.curators {
            rows.append([curator.login, curator.fullName, String(curator.schools), String(curator.waiting),
                         curator.oldestWaitHours.map(String.init) ?? "—"])
        }
        return rows
    }

    /// The overdue list as rows.
    public static func overdueRows(_ measures: [OverdueMeasure]) -> [[String]] {
        [overdueHeader] + measures.map { overdueCells($0).map(\.text) }
    }

    public static let overdueHeader = ["Регион", "Муниципалитет", "Код ОО", "Школа", "Мероприятие", "Срок", "Дней просрочки", "Отчёт",
                                       "Ответственные"]

    /// One overdue measure: its due date a date and its days a number, for Excel.
    public static func overdueCells(_ measure: OverdueMeasure) -> [ExportTable.Cell] {
        [.text(measure.regionName), .text(measure.municipalityName ?? ""), .text(measure.schoolCode ?? ""), .text(measure.schoolName ?? ""),
         .text(measure.title), .date(measure.dueDate), .number(measure.daysOverdue), .text(measure.reportState?.russianName ?? "не начат"),
         .text(measure.responsible)]
    }
}
