import Foundation

/// Lists of items (documents and reports) as a table for Excel and CSV: what each is, whose, its
/// state and when it was sent and last changed, each time in its owner's region.
public enum ItemTable {
    public static let header = ["№", "Вид", "Название", "Состояние", "Код ОО", "Школа", "Муниципалитет", "Редакция", "Версия файла",
                                "Отправлено", "Изменено"]

    public static func cells(_ item: ItemSummary) -> [ExportTable.Cell] {
        [.number(Int(item.id)), .text(item.kindName), .text(item.title), .text(item.stateName), .text(item.schoolCode ?? ""),
         .text(item.schoolName ?? ""), .text(item.municipalityName ?? "уровень региона: \(item.regionName)"), .number(item.revision),
         item.latestVersion.map(ExportTable.Cell.number) ?? .empty,
         item.submittedAt.map { .dateTime($0, zone: item.timeZone) } ?? .empty, .dateTime(item.updatedAt, zone: item.timeZone)]
    }

    /// The filter a list was made with, in words, for the top of the sheet.
    public static func notes(_ filter: ItemFilter, total: Int, totalIsLowerBound: Bool) -> [String] {
        var parts: [String] = []
        if let kind = filter.kind { parts.append("вид «\(kind.russianName)»") }
        if let state = filter.state { parts.append("состояние «\(state.russianName)»") }
        if let school = filter.schoolCode { parts.append("школа \(school)") }
        return ["Отбор: " + (parts.isEmpty ? "все доступные документы" : parts.joined(separator: ", ")) + ".",
                "Документов: \(totalIsLowerBound ? "более \(total)" : String(total)); время — по часовому поясу региона каждой организации."]
    }
}
