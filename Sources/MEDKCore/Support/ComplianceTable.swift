import Foundation

/// The compliance report as rows of text, the way people read it in a terminal or Excel.
public enum ComplianceTable {
    /// One row per school of the report's page (a whole territory when asked for all schools).
    public static func rows(_ report: ComplianceReport) -> [[String]] {
        let schools = report.schools?.items ?? []
        var rows: [[String]] = [["Регион", "Муниципалитет", "Код ОО", "Школа"] + report.totals.milestones.map(\.title)
            + ["Мероприятий", "Подтверждено", "Просрочено", "Отчёт с опозданием", "Ждут проверки"]]
        for school in schools {
            let cells = school.milestones.map { cell in "\(cell.statusName) (до \(cell.dueDate.russian))" }
            let measures = [school.measures.total, school.measures.confirmed, school.measures.overdue, school.measures.reportedLate,
                            school.waiting].map(String.init)
            rows.append([school.regionName, school.municipalityName, school.schoolCode, school.schoolName] + cells + measures)
        }
        return rows
    }

    /// One row per region of the country, or per municipality of a region, then the total.
    public static func territoryRows(_ report: ComplianceReport) -> [[String]] {
        let part = report.level == .country ? "Регион" : "Муниципалитет"
        var header = [part, "Код", "Школ", "С отставанием"]
        for milestone in report.totals.milestones {
            header += ["\(milestone.title): в срок", "с опозданием", "не представлено", "на проверке", "на доработке"]
        }
        header += ["Мероприятий", "Подтверждено", "Просрочено", "Отчёт с опозданием", "Ждут проверки"]
        // A region's municipalities today: each one's own roadmap.
        let roadmaps = report.parts.contains { $0.municipalRoadmap != nil }
        if roadmaps { header += ["Дорожная карта МО", "Её мероприятий", "Из них просрочено", "Оценка пакета", "Из"] }
        var rows = [header]
        for territory in report.parts + [report.totals] {
            var row = [territory.name, territory.code, String(territory.schools), String(territory.laggingSchools)]
            for milestone in territory.milestones {
                let counts = milestone.counts
                row += [counts.onTime, counts.late, counts.missing, counts.awaitingReview, counts.returned].map(String.init)
            }
            let measures = territory.measures
            row += [measures.total, measures.confirmed, measures.overdue, measures.reportedLate, territory.waiting].map(String.init)
            if roadmaps {
                if let roadmap = territory.municipalRoadmap {
                    row += roadmap.roadmapID == nil ? ["не начата", "", ""]
                        : [roadmap.stateName ?? "", String(roadmap.measures.total), String(roadmap.measures.overdue)]
                } else {
                    row += ["", "", ""]
                }
                if let evaluation = territory.packageEvaluation {
                    row += [evaluation.total.map(String.init) ?? "не оценён", String(evaluation.maximum)]
                } else {
                    row += ["", ""]
                }
            }
            rows.append(row)
        }
        return rows
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
        var rows: [[String]] = [["Регион", "Муниципалитет", "Код ОО", "Школа", "Мероприятие", "Срок", "Дней просрочки", "Отчёт", "Ответственные"]]
        for measure in measures {
            rows.append([measure.regionName, measure.municipalityName, measure.schoolCode ?? "", measure.schoolName ?? "",
                         measure.title, measure.dueDate.russian, String(measure.daysOverdue),
                         measure.reportState?.russianName ?? "не начат", measure.responsible])
        }
        return rows
    }
}
