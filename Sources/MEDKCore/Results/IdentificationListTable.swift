import Foundation

extension IdentificationMethod {
    /// The method in words, a line per setting, for the list's page and its downloads.
    public var russianLines: [String] {
        let parts = components.map { component in
            "\(component.exam.russianName), \(component.subject.russianName)" + (component.weight == 1 ? "" : " (вес \(component.weight))")
        }
        return [
            "Индекс результатов: \(parts.joined(separator: "; ")); окно — \(windowYears) \(Self.years(windowYears)) до года списка включительно.",
            "Индекс благополучия: " + (social.isEmpty ? "не задан." : social.map {
                "«\($0.name)» (\($0.higherIsFavourable ? "больше — лучше" : "больше — хуже"))"
            }.joined(separator: "; ") + "."),
            "Сопоставление: " + (standardisation == .zScore ? "z-оценки внутри региона по каждому предмету и году." : "процентили внутри региона.")
                + " Меньше \(minimumParticipants) участников за окно — «недостаточно данных».",
            "Порог результатов — \(resultsCut.russian); порог благополучия — \(socialCut.russian).",
        ]
    }

    static func years(_ count: Int) -> String {
        switch (count % 10, count % 100) {
        case (1, let rest) where rest != 11: "год"
        case (2...4, let rest) where !(12...14).contains(rest): "года"
        default: "лет"
        }
    }
}

extension ProgrammeRules {
    public var russian: String {
        "Вход в ШНОР — ниже порога результатов \(entryYears) \(IdentificationMethod.years(entryYears)) из \(entryWindow); "
            + "выход — выше порога \(exitYears) \(IdentificationMethod.years(exitYears)) подряд и рост индекса. "
            + "ШНСУ — по тем же правилам на оси благополучия (для выхода рост не нужен)."
    }
}

/// A list as people download it: a line per school with its indices, group, the rules' decisions
/// and the flags before and proposed; the method, data and hashes above the header.
public enum IdentificationListTable {
    public static let header = ["Код школы", "Школа", "Муниципалитет", "Индекс результатов", "Индекс благополучия", "Участников",
                                "Группа", "Положение", "ШНОР по правилам", "ШНСУ по правилам", "Было", "По списку", "Возражений"]

    public static func table(_ summary: IdentificationListSummary, _ entries: [ListEntry]) -> ExportTable {
        ExportTable(
            sheetName: "Список \(summary.year)", title: title(summary),
            notes: notes(summary),
            header: header,
            rows: entries.map { entry in
                let p = entry.placement
                return [.text(entry.schoolCode), .text(entry.schoolName), .text(entry.municipalityName),
                        p.resultsIndex.map { .hundredths($0) } ?? .text("—"), p.socialIndex.map { .hundredths($0) } ?? .text("—"),
                        .number(p.participants), .text(p.group?.russianName ?? "недостаточно данных"),
                        .text(p.uncertain ? "без уверенности" : (p.group == nil ? "" : "устойчиво")),
                        .text(entry.decision.russianName), .text(entry.socialDecision.russianName),
                        .text(entry.before.russian), .text(entry.proposed.russian), .number(entry.objections)]
            })
    }

    public static func title(_ summary: IdentificationListSummary) -> String {
        "Список ШНОР/ШНСУ \(summary.year) года №\(summary.id) (\(summary.state.russianName)) — \(summary.regionName)"
    }

    public static func notes(_ summary: IdentificationListSummary) -> [String] {
        ["Регион: \(summary.regionName) (\(summary.regionCode)); методика — версия \(summary.methodVersion)."]
            + summary.method.russianLines + [summary.rules.russian,
            "Данные — на момент загрузки №\(summary.dataBatch); SHA-256 данных \(summary.inputsHash), расчёта \(summary.runHash)."]
    }

    public static func fileName(_ summary: IdentificationListSummary, ext: String) -> String {
        DownloadName.make(["Список ШНОР ШНСУ", summary.regionName, String(summary.year), "№\(summary.id)"], ext: ext)
    }
}
