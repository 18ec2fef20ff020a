import Foundation

/// The compliance report as rows of text, the way people read it in a terminal or Excel.
public enum ComplianceTable {
    public static func rows(_ report: ComplianceReport) -> [[String]] {
        let milestoneTitles = report.schools.first?.milestones.map(\.title) ?? []
        var rows: [[String]] = [["Регион", "Муниципалитет", "Код ОО", "Школа"] + milestoneTitles
            + ["Мероприятий", "Подтверждено", "Просрочено", "Отчёт с опозданием"]]
        for school in report.schools {
            rows.append([school.regionName, school.municipalityName, school.schoolCode, school.schoolName]
                + school.milestones.map { "\($0.statusName) (до \($0.dueDate.russian))" }
                + [String(school.measures.total), String(school.measures.confirmed), String(school.measures.overdue),
                   String(school.measures.reportedLate)])
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
}
