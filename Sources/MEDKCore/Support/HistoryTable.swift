import Foundation

/// One document's history as a workbook: who did what and when (in the owner's zone), with the
/// review steps and the comments — the extract of the audit trail a coordinator keeps or forwards.
public enum HistoryTable {
    public static func table(_ entries: [HistoryEntry], item: ItemSummary) -> ExportTable {
        ExportTable(
            sheetName: "История", title: "История: \(item.title) (№\(item.id))",
            notes: ["\(item.kindName); \(item.ownerName); состояние — \(item.stateName).",
                    "Записей: \(entries.count). Время — по часовому поясу \(item.timeZone)."],
            header: ["№ записи", "Время", "Кто", "ФИО", "Роль", "Действие", "Было", "Стало", "Комментарий", "Подробности"],
            rows: entries.map { entry in
                [.number(Int(entry.seq)), .dateTime(entry.at, zone: item.timeZone), .text(entry.actor),
                 entry.actorName.map { .text($0) } ?? .empty, entry.role.map { .text($0.russianName) } ?? .empty,
                 .text(entry.action.russianName), entry.fromState.map { .text($0.russianName) } ?? .empty,
                 entry.toState.map { .text($0.russianName) } ?? .empty, entry.comment.map { .text($0) } ?? .empty,
                 Self.words(entry)]
            })
    }

    static func words(_ entry: HistoryEntry) -> ExportTable.Cell {
        let words = HistoryWords.details(entry)
        return words.isEmpty ? .empty : .text(words)
    }
}
