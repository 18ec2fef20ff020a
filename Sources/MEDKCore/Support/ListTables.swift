import Foundation

/// The plain lists a person takes to Excel from the command line: the review queue, users, an
/// extract of the audit trail. Typed like every export: numbers, real dates, text.
public enum QueueTable {
    public static func table(_ entries: [QueueEntry], filter: [String]) -> ExportTable {
        ExportTable(
            sheetName: "Очередь проверки", title: "Очередь проверки: самое давнее первым",
            notes: [ExportTable.filterNote(filter)]
                + ["Документов: \(entries.count). Время отправки — по часовому поясу региона документа."],
            header: ["№", "Школа / МО", "Документ", "Вид", "Ред.", "Отправлено", "Пояс", "Ждёт, ч"],
            rows: entries.map { entry in
                [.number(Int(entry.item.id)), .text(entry.item.ownerName), .text(entry.item.title), .text(entry.item.kindName),
                 .number(entry.item.revision), .dateTime(entry.waitingSince, zone: entry.item.timeZone), .text(entry.item.timeZone),
                 .number(entry.waitingHours)]
            })
    }
}

public enum UserTable {
    public static func table(_ users: [UserInfo], filter: [String]) -> ExportTable {
        ExportTable(
            sheetName: "Пользователи", title: "Пользователи и их роли",
            notes: [ExportTable.filterNote(filter)] + ["Пользователей: \(users.count)."],
            header: ["Логин", "ФИО", "Почта", "Активен", "Роли"],
            rows: users.map { user in
                [.text(user.login), .text(user.fullName), user.email.map { .text($0) } ?? .empty, .text(user.isActive ? "да" : "нет"),
                 .text(user.grants.map { grant in
                     grant.role.russianName + (grant.organisationName.map { " — \($0)" } ?? "")
                         + (grant.organisationCode.map { " (\($0))" } ?? "")
                 }.joined(separator: "; "))]
            })
    }
}

public enum AuditTable {
    public static func table(_ entries: [AuditEntry], filter: [String]) -> ExportTable {
        ExportTable(sheetName: "Журнал", title: title, notes: notes(filter: filter, count: entries.count), header: header,
                    rows: entries.map(cells))
    }

    public static let title = "Журнал аудита: кто, что и когда сделал"
    public static let header = ["№", "Время (UTC)", "Кто", "Роль", "Действие", "Объект", "Номер объекта", "Переход", "Комментарий",
                                "Подробности", "Хеш"]

    /// The filter, and the count when it is known before the rows are written (a streamed extract says it at the end).
    public static func notes(filter: [String], count: Int?) -> [String] {
        [ExportTable.filterNote(filter)]
            + [(count.map { "Записей: \($0). " } ?? "") + "Время — UTC; каждая запись заверена хешем предыдущей (medk audit verify)."]
    }

    public static func cells(_ entry: AuditEntry) -> [ExportTable.Cell] {
        [.number(Int(entry.seq)), Timestamp.date(entry.at).map { .dateTime($0, zone: "UTC") } ?? .text(entry.at),
         .text(entry.actorLogin), entry.actorRole.map { .text($0.russianName) } ?? .empty, .text(entry.action.russianName),
         .text(entry.entityType.russianName), entry.entityID.map { .number(Int($0)) } ?? .empty,
         entry.fromState == nil && entry.toState == nil ? .empty : .text("\(state(entry.fromState)) → \(state(entry.toState))"),
         entry.comment.map { .text($0) } ?? .empty, entry.details == "{}" ? .empty : .text(entry.details), .text(entry.hash)]
    }

    /// The same row as text, for CSV.
    public static func textCells(_ entry: AuditEntry) -> [String] {
        [String(entry.seq), entry.at, entry.actorLogin, entry.actorRole?.russianName ?? "", entry.action.russianName,
         entry.entityType.russianName, entry.entityID.map(String.init) ?? "",
         entry.fromState == nil && entry.toState == nil ? "" : "\(state(entry.fromState)) → \(state(entry.toState))",
         entry.comment ?? "", entry.details == "{}" ? "" : entry.details, entry.hash]
    }

    /// A review state by its Russian name; anything else (a milestone's old and new date) as written.
    static func state(_ raw: String?) -> String {
        guard let raw else { return "∅" }
        return ReviewState(rawValue: raw)?.russianName ?? raw
    }
}

extension ExportTable {
    /// «Отбор: школа A; вид roadmap.», or «Отбор: нет.» — the filter written above a list.
    static func filterNote(_ parts: [String]) -> String {
        parts.isEmpty ? "Отбор: нет." : "Отбор: " + parts.joined(separator: "; ") + "."
    }
}
