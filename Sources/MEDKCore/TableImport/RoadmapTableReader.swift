import Foundation

/// Reads a roadmap from the tables of a file as people keep them: the first table whose header row
/// is recognised, wherever that row is; heading rows («Трек 1. …», «Цель: …», «Первый этап: …»,
/// «Задача 1: …», «Организационно-управленческая деятельность») place the measures under them; a
/// row broken across a page continues the measure above it; each deadline is read by
/// `DeadlineParser`. Nothing is dropped: a row it cannot read is still a measure, flagged.
public enum RoadmapTableReader {
    public static func preview(_ tables: [SourceTable], format: TableFileFormat, context: DeadlineContext,
                               limits: TableImportLimits = TableImportLimits()) throws(MEDKError) -> RoadmapImportPreview {
        for table in tables {
            // The header is near the top: a title, an order's preamble or a blank line may come first.
            for (index, row) in table.rows.prefix(50).enumerated() {
                guard let columns = RoadmapColumns.recognise(row) else { continue }
                return read(table, from: index, columns, format: format, context: context)
            }
        }
        let where_ = tables.count == 1 ? "В таблице" : "Ни в одной из таблиц файла (\(tables.count))"
        throw MEDKError.rejected("no_roadmap_table", """
            \(where_) не нашлось строки заголовка мероприятий: нужен столбец «Мероприятие» (или «Мера-мероприятие», \
            «Мероприятия», «Описание действий») и хотя бы один из «Сроки», «Ответственные», «Результат», «Показатель».
            """)
    }

    /// A heading row's place in the roadmap's outline; a heading clears the levels below it.
    enum Heading {
        case stage(String)
        case track(String, MunicipalTrack?)
        case goal(String)
        case section(String)
        case task(String)

        init(_ text: String) {
            let lower = text.lowercased()
            if lower.hasPrefix("трек") {
                let digit = lower.dropFirst(4).first { $0.isNumber }
                self = .track(text, digit.flatMap { Int(String($0)) }.flatMap(MunicipalTrack.init(rawValue:)))
            } else if lower.hasPrefix("цель") {
                self = .goal(text)
            } else if lower.hasPrefix("задача") {
                self = .task(text)
            } else if lower.contains("этап") {
                self = .stage(text)
            } else {
                self = .section(text)
            }
        }

        /// Headings that name themselves; any other single-cell row is a heading only by where it is.
        static func isNamed(_ text: String) -> Bool {
            let lower = text.lowercased()
            return ["трек", "цель", "задача", "раздел", "направление", "блок"].contains { lower.hasPrefix($0) }
                || lower.contains("этап")
        }
    }

    struct Outline {
        var stage: String?
        var track: String?
        var trackNumber: MunicipalTrack?
        var goal: String?
        var section: String?
        var task: String?

        mutating func enter(_ heading: Heading) {
            switch heading {
            case .stage(let text): (stage, track, trackNumber, goal, section, task) = (text, nil, nil, nil, nil, nil)
            case .track(let text, let number): (track, trackNumber, goal, section, task) = (text, number, nil, nil, nil)
            case .goal(let text): (goal, section, task) = (text, nil, nil)
            case .section(let text): (section, task) = (text, nil)
            case .task(let text): task = text
            }
        }
    }

    static func read(_ table: SourceTable, from headerIndex: Int, _ columns: RoadmapColumns, format: TableFileFormat,
                     context: DeadlineContext) -> RoadmapImportPreview {
        var problems: [ImportNote] = []
        let header = table.rows[headerIndex]
        for column in header.filledColumns where columns.fields[column] == nil {
            problems.append(ImportNote(code: "column_ignored",
                                       message: "Столбец «\(header.cells[column])» не распознан и не импортируется."))
        }
        func text(_ row: SourceTable.Row, _ field: RoadmapField) -> String {
            columns.column(field).map { row.cell($0) } ?? ""
        }
        let titleColumn = columns.column(.title)!
        let numberColumn = columns.column(.number)
        var outline = Outline()
        var measures: [ImportedMeasure] = []
        for row in table.rows[(headerIndex + 1)...] {
            let filled = row.filledColumns
            guard !filled.isEmpty else { continue }
            // A header repeated on every page, and the row of column numbers («1 2 3 4 5») under it.
            if columns.isRepeated(in: row, header: header) || isColumnNumbering(row) { continue }
            // Text in the number column that is not a number («Организационно-управленческая
            // деятельность» typed into column A) is a heading's, not a measure's number.
            let written = numberColumn.map { row.cell($0) } ?? ""
            let number = isMeasureNumber(written) ? written : ""
            let distinct = Set(filled.map { row.cells[$0] })
            if distinct.count == 1, number.isEmpty, let only = distinct.first {
                let inTitleColumn = filled.allSatisfy { $0 == titleColumn }
                // A single text is a heading when it spans the table, names itself («Трек 1. …»), or
                // stands outside the title column; in the title column of a table without numbers,
                // text that starts in lower case continues the measure above (a page break).
                let startsLower = only.first?.isLowercase ?? false
                if row.spansWidth || Heading.isNamed(only) || !inTitleColumn || (numberColumn == nil && !startsLower)
                    || measures.isEmpty {
                    outline.enter(Heading(only))
                    continue
                }
            }
            let continues = !measures.isEmpty && (
                numberColumn != nil ? number.isEmpty || number == measures[measures.count - 1].number
                    : text(row, .title).isEmpty || text(row, .title).first?.isLowercase == true)
            if continues {
                measures[measures.count - 1].appendContinuation(row, columns: columns)
                continue
            }
            let task = text(row, .task)
            measures.append(ImportedMeasure(
                line: row.line, number: number.isEmpty ? nil : number, title: text(row, .title), stage: outline.stage,
                track: outline.track, trackNumber: outline.trackNumber, goal: outline.goal, section: outline.section,
                task: task.isEmpty ? outline.task : task, deadlineText: text(row, .deadline), dueDates: [], recurrence: nil,
                responsible: text(row, .responsible), indicator: text(row, .indicator), result: text(row, .result),
                plannedValue: text(row, .plannedValue), normativeDocument: text(row, .normativeDocument),
                regionalMeasure: text(row, .regionalMeasure), notes: []))
        }
        for index in measures.indices {
            let reading = DeadlineParser.read(measures[index].deadlineText, in: context)
            measures[index].deadlineText = reading.text
            measures[index].dueDates = reading.dueDates
            measures[index].recurrence = reading.recurrence
            measures[index].notes += reading.warnings.map(ImportNote.init)
            if measures[index].title.isEmpty {
                measures[index].notes.append(ImportNote(code: "title_missing", message: "Нет названия мероприятия: впишите его."))
            }
        }
        if measures.isEmpty {
            problems.append(ImportNote(code: "no_measures", message: "Под строкой заголовка (строка \(header.line)) нет ни одного мероприятия."))
        }
        var headers: [String: String] = [:]
        for (field, written) in columns.headers { headers[field.rawValue] = written }
        return RoadmapImportPreview(format: format, table: table.name, headerLine: header.line, columns: headers,
                                    programmeYear: context.programmeYear, measures: measures, problems: problems)
    }

    /// «1», «12.», «2.3», «4)»: how measures are numbered.
    static func isMeasureNumber(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 12 && text.first!.isNumber && text.allSatisfy { $0.isNumber || ".)".contains($0) }
    }

    /// «1 2 3 4 5»: the numbers forms print under their header.
    static func isColumnNumbering(_ row: SourceTable.Row) -> Bool {
        let filled = row.filledColumns
        guard filled.count >= 3 else { return false }
        return filled.enumerated().allSatisfy { position, column in Int(row.cells[column].trimmingCharacters(in: ["."])) == position + 1 }
    }
}

extension ImportedMeasure {
    /// Appends a row broken off this measure by a page break: each cell's text continues its field
    /// (a merged cell repeated down is not repeated again).
    mutating func appendContinuation(_ row: SourceTable.Row, columns: RoadmapColumns) {
        func joined(_ current: String, _ field: RoadmapField) -> String {
            guard let column = columns.column(field) else { return current }
            let more = row.cell(column)
            guard !more.isEmpty, more != current else { return current }
            return current.isEmpty ? more : current + " " + more
        }
        title = joined(title, .title)
        deadlineText = joined(deadlineText, .deadline)
        responsible = joined(responsible, .responsible)
        indicator = joined(indicator, .indicator)
        result = joined(result, .result)
        plannedValue = joined(plannedValue, .plannedValue)
        normativeDocument = joined(normativeDocument, .normativeDocument)
        regionalMeasure = joined(regionalMeasure, .regionalMeasure)
        if let column = columns.column(.task), !row.cell(column).isEmpty, row.cell(column) != task {
            task = [task, row.cell(column)].compactMap { $0 }.joined(separator: " ")
        }
        notes.append(ImportNote(code: "row_continues_measure", message: """
            Строка \(row.line) без номера продолжает это мероприятие (перенос на новую страницу?): проверьте, что текст склеен верно.
            """))
    }
}
