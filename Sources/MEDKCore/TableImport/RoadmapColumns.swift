import Foundation

/// What a column of a roadmap table holds, recognised by its Russian header.
public enum RoadmapField: String, Sendable, Codable, CaseIterable {
    case number
    case task
    case title
    case deadline
    case responsible
    case indicator
    case result
    case plannedValue
    case normativeDocument
    case regionalMeasure
    /// School roadmaps: the risk factor (anti-risk programme) a measure works on.
    case riskFactor
    /// Municipal roadmaps: FIOCO's track.
    case track

    public var russianName: String {
        switch self {
        case .number: "№"
        case .task: "Задача"
        case .title: "Мероприятие"
        case .deadline: "Срок"
        case .responsible: "Ответственные"
        case .indicator: "Показатель"
        case .result: "Результат"
        case .plannedValue: "Плановое значение"
        case .normativeDocument: "Нормативный документ"
        case .regionalMeasure: "Региональная мера"
        case .riskFactor: "Фактор риска"
        case .track: "Трек"
        }
    }

    /// The field a header names, from the words people use for it: «Мероприятие», «Мера-мероприятие»,
    /// «Сроки реализации», «Конкретные сроки», «Ответственные исполнители/соисполнители»,
    /// «Результаты/показатели», «Задача - действие», «Нормативный документ»… Order matters: «Задача
    /// - действие» is a task before it is an action, «Результаты/показатели» a result.
    public static func named(_ header: String) -> RoadmapField? {
        let words = header.lowercased().replacingOccurrences(of: "ё", with: "е")
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "№" }).map(String.init)
        guard !words.isEmpty else { return nil }
        let text = words.joined(separator: " ")
        func has(_ stem: String) -> Bool { words.contains { $0.hasPrefix(stem) } }
        if text.hasPrefix("№") || words == ["n"] || words == ["п", "п"] || words == ["no"] || text == "номер" { return .number }
        if has("срок") || words == ["дата"] || has("период") && has("исполн") { return .deadline }
        if has("ответствен") || has("исполнител") || has("соисполнител") { return .responsible }
        if has("нормативн") || has("основани") || has("правов") { return .normativeDocument }
        if has("региональн") && (has("мер") || has("комплекс")) { return .regionalMeasure }
        if has("фактор") { return .riskFactor }
        if has("трек") || words.first == "направление" && words.count <= 2 { return .track }
        if has("задач") { return .task }
        if has("планов") || has("целев") && has("значени") { return .plannedValue }
        if has("результат") { return .result }
        if has("показател") || has("индикатор") { return .indicator }
        if has("мероприят") || has("мер") || has("действи") || has("содержани") || has("наименовани") { return .title }
        return nil
    }
}

/// The header row of a roadmap table: which column holds what.
public struct RoadmapColumns: Sendable, Hashable {
    public var line: Int
    /// Field by column; a field named twice keeps its first column.
    public var fields: [Int: RoadmapField]
    /// The headers as written, for the preview.
    public var headers: [RoadmapField: String]

    /// The same header again, as tables broken across pages repeat it.
    public func isRepeated(in row: SourceTable.Row, header: SourceTable.Row) -> Bool {
        fields.keys.allSatisfy { row.cell($0).lowercased() == header.cell($0).lowercased() }
    }

    public func column(_ field: RoadmapField) -> Int? {
        fields.first { $0.value == field }?.key
    }

    /// A header row names the measure and at least one of its deadline, responsible, result or
    /// indicator: a table of contents or a signature block never does.
    public static func recognise(_ row: SourceTable.Row) -> RoadmapColumns? {
        var fields: [Int: RoadmapField] = [:]
        var headers: [RoadmapField: String] = [:]
        // Headers are labels of a few words; a measure's text («… по результатам мониторинга») is not one.
        for (column, text) in row.cells.enumerated() where !text.isEmpty && text.count <= 80
            && text.split(whereSeparator: { $0 == " " || $0 == "/" }).count <= 6 {
            guard let field = RoadmapField.named(text), headers[field] == nil else { continue }
            fields[column] = field
            headers[field] = text
        }
        let describing: Set<RoadmapField> = [.deadline, .responsible, .result, .indicator]
        guard headers[.title] != nil, !describing.isDisjoint(with: headers.keys) else { return nil }
        return RoadmapColumns(line: row.line, fields: fields, headers: headers)
    }
}
