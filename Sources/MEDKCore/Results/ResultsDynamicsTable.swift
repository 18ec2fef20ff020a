import Foundation

/// A territory's dynamics as people download it: every school with its index each year and the
/// last change; the method and each year's counts above the header.
public enum ResultsDynamicsTable {
    public static func table(_ report: TerritoryDynamics) -> ExportTable {
        ExportTable(
            sheetName: "Динамика", title: "Динамика индекса результатов — \(report.region.name)" + (report.municipalityName.map { ", \($0)" } ?? ""),
            notes: ["Методика: " + (report.methodVersion.map { "версия \($0)" } ?? "seed 000") + "."] + report.method.russianLines
                + report.changes.map { year in
                    "\(year.year): ШНОР \(year.programmeSchools), рост \(year.improved), снижение \(year.declined), не различить \(year.unclear), "
                        + "нет данных \(year.noData); вошли в зону низких результатов \(year.enteredLow.count), вышли \(year.leftLow.count)."
                },
            header: ["Код школы", "Школа", "Муниципалитет", "ШНОР"] + report.years.map { "ИОР \($0)" } + ["Изменение за последний год", "На сколько"],
            rows: report.schools.map { school in
                [.text(school.schoolCode), .text(school.schoolName), .text(school.municipalityName), .text(school.programme ? "да" : "нет")]
                    + school.indices.map { $0.map { .hundredths($0) } ?? .empty }
                    + [.text(school.change.russianName), school.delta.map { .hundredths($0) } ?? .empty]
            })
    }

    public static func fileStem(_ report: TerritoryDynamics) -> String {
        DownloadName.stem(["Динамика результатов", report.region.name, report.municipalityName, report.years.last.map(String.init)])
    }
}
