import Foundation

/// Reads a roadmap from the tables of a file as people keep them: the first table whose header row
/// is recognised, wherever that row is; heading rows («Трек 1. …», «Цель: …», «Первый этап: …»,
/// «Задача 1: …», «Организационно-управленческая деятельность») place the measures under them; a
/// row broken across a page continues the measure above it; each deadline is read by
/// `DeadlineParser`. Nothing is dropped: a row it cannot read is still a measure, flagged.
public enum RoadmapTableReader {
    /// - Parameter riskFactors: the campaign's risk factors by number, for a school's roadmap: a
    ///   heading or column naming one («Фактор 2. Дефицит педагогических кадров») files the measures
    ///   under it. Empty for other roadmaps, whose factor-like headings are plain sections.
    /// - Parameter owner: whose roadmap the table is for, when known: a municipality's has FIOCO's tracks.
    public static func preview(_ tables: [SourceTable], format: TableFileFormat, context: DeadlineContext,
                               owner: OwnerLevel? = nil, riskFactors: [Int: String] = [:],
                               limits: TableImportLimits = TableImportLimits()) throws(MEDKError) -> RoadmapImportPreview {
        for table in tables {
            // The header is near the top: a title, an order's preamble or a blank line may come first.
            for (index, row) in table.rows.prefix(50).enumerated() {
                guard let columns = RoadmapColumns.recognise(row) else { continue }
                return read(table, from: index, columns, format: format, context: context, owner: owner, riskFactors: riskFactors)
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
        case riskFactor(String, number: Int?)
        case goal(String)
        case section(String)
        case task(String)

        /// - Parameter riskFactors: a school's catalogue; a heading that names one of its factors,
        ///   by «Фактор N» or by the factor's name, files what follows under that factor.
        init(_ text: String, riskFactors: [Int: String]) {
            let lower = text.lowercased()
            let namesFactor = OutlineNames.namesRiskFactor(text)
            let factor = riskFactors.isEmpty || !namesFactor && Self.isNamed(text)
                ? nil : OutlineNames.riskFactor(in: text, catalogue: riskFactors)
            if lower.hasPrefix("трек") {
                self = .track(text, OutlineNames.track(in: text))
            } else if factor != nil || namesFactor && !riskFactors.isEmpty {
                self = .riskFactor(text, number: factor)
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
            return ["трек", "цель", "задача", "раздел", "направление", "блок", "фактор"].contains { lower.hasPrefix($0) }
                || lower.contains("этап")
        }
    }

    struct Outline {
        var stage: String?
        var track: String?
        var trackNumber: MunicipalTrack?
        var riskFactor: String?
        var riskFactorNumber: Int?
        var goal: String?
        var section: String?
        var task: String?

        mutating func enter(_ heading: Heading) {
            switch heading {
            case .stage(let text):
                (stage, track, trackNumber, riskFactor, riskFactorNumber) = (text, nil, nil, nil, nil)
                (goal, section, task) = (nil, nil, nil)
            case .track(let text, let number):
                (track, trackNumber, riskFactor, riskFactorNumber, goal, section, task) = (text, number, nil, nil, nil, nil, nil)
            case .riskFactor(let text, let number):
                (riskFactor, riskFactorNumber, goal, section, task) = (text, number, nil, nil, nil)
            case .goal(let text): (goal, section, task) = (text, nil, nil)
            case .section(let text): (section, task) = (text, nil)
            case .task(let text): task = text
            }
        }
    }

    static func read(_ table: SourceTable, from headerIndex: Int, _ columns: RoadmapColumns, format: TableFileFormat,
                     context: DeadlineContext, owner: OwnerLevel? = nil, riskFactors: [Int: String] = [:]) -> RoadmapImportPreview {
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
        let rows = table.rows[(headerIndex + 1)...].filter {
            !$0.filledColumns.isEmpty && !columns.isRepeated(in: $0, header: header) && !isColumnNumbering($0)
        }
        func measureNumber(_ row: SourceTable.Row) -> String {
            // Text in the number column that is not a number («Организационно-управленческая
            // деятельность» typed into column A) is a heading's, not a measure's number.
            let written = numberColumn.map { row.cell($0) } ?? ""
            return isMeasureNumber(written) ? written : ""
        }
        var outline = Outline()
        var measures: [ImportedMeasure] = []
        for (position, row) in rows.enumerated() {
            let filled = row.filledColumns
            let number = measureNumber(row)
            let distinct = Set(filled.map { row.cells[$0] })
            if distinct.count == 1, number.isEmpty, let only = distinct.first {
                // A single text is a heading when it spans the table, names itself («Трек 1. …»), or
                // stands in the first columns (left of the measure's text or in it); in the title
                // column of a table without numbers, text that starts in lower case continues the
                // measure above (a page break), as does text only in a column right of the title
                // (the rest of an indicator or a result carried to the next page).
                let inTitleColumn = filled.allSatisfy { $0 == titleColumn }
                let inFirstColumns = filled.allSatisfy { $0 < titleColumn }
                let startsLower = only.first?.isLowercase ?? false
                if row.spansWidth || Heading.isNamed(only) || inFirstColumns || (inTitleColumn && numberColumn == nil && !startsLower)
                    || measures.isEmpty {
                    outline.enter(Heading(only, riskFactors: riskFactors))
                    continue
                }
            }
            // «2.» with only a title, followed by «2.1», «2.2»: a numbered section, not a measure.
            if !number.isEmpty, Set(filled).isSubset(of: [titleColumn, numberColumn].compactMap { $0 }),
               let next = rows.dropFirst(position + 1).lazy.map(measureNumber).first(where: { !$0.isEmpty }),
               isSubNumber(next, of: number) {
                outline.enter(Heading(text(row, .title), riskFactors: riskFactors))
                continue
            }
            let continues = !measures.isEmpty && (
                numberColumn != nil ? number.isEmpty || number == measures[measures.count - 1].number
                    : text(row, .title).isEmpty || text(row, .title).first?.isLowercase == true)
            if continues {
                measures[measures.count - 1].appendContinuation(row, columns: columns)
                continue
            }
            let task = text(row, .task)
            var measure = ImportedMeasure(
                line: row.line, number: number.isEmpty ? nil : number, title: text(row, .title), stage: outline.stage,
                track: outline.track, trackNumber: outline.trackNumber, goal: outline.goal, section: outline.section,
                task: task.isEmpty ? outline.task : task, deadlineText: text(row, .deadline), dueDates: [], recurrence: nil,
                responsible: text(row, .responsible), indicator: text(row, .indicator), result: text(row, .result),
                plannedValue: text(row, .plannedValue), normativeDocument: text(row, .normativeDocument),
                regionalMeasure: text(row, .regionalMeasure), notes: [])
            measure.riskFactor = outline.riskFactor
            measure.riskFactorNumber = outline.riskFactorNumber
            if !text(row, .riskFactor).isEmpty {
                measure.riskFactor = text(row, .riskFactor)
                measure.riskFactorNumber = OutlineNames.riskFactor(in: text(row, .riskFactor), catalogue: riskFactors)
            }
            if !text(row, .track).isEmpty {
                measure.track = text(row, .track)
                measure.trackNumber = OutlineNames.track(in: text(row, .track))
            }
            measures.append(measure)
        }
        // A table without a task column groups its measures under section rows: those are the tasks.
        let sectionsAreTasks = columns.column(.task) == nil
        for index in measures.indices {
            measures[index].complete(in: context, sectionsAreTasks: sectionsAreTasks, owner: owner, knowsRiskFactors: !riskFactors.isEmpty)
        }
        if measures.isEmpty {
            problems.append(ImportNote(code: "no_measures", message: "Под строкой заголовка (строка \(header.line)) нет ни одного мероприятия."))
        }
        var headers: [String: String] = [:]
        for (field, written) in columns.headers { headers[field.rawValue] = written }
        return RoadmapImportPreview(format: format, table: table.name, headerLine: header.line, columns: headers,
                                    programmeYear: context.programmeYear, measures: measures, problems: problems)
    }

    /// «2.1» under «2.» or «2», «3.2.1» under «3.2».
    static func isSubNumber(_ number: String, of parent: String) -> Bool {
        let stem = parent.trimmingCharacters(in: [".", ")"])
        return number.hasPrefix(stem + ".") && number.trimmingCharacters(in: [".", ")"]) != stem
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
    /// What the row means once read: its deadline as dates (and whether any has passed), a section
    /// as its task where the table has none, the target an indicator states as its planned value,
    /// and a note for everything the person should check.
    mutating func complete(in context: DeadlineContext, sectionsAreTasks: Bool, owner: OwnerLevel?, knowsRiskFactors: Bool) {
        let reading = DeadlineParser.read(deadlineText, in: context)
        deadlineText = reading.text
        dueDates = reading.dueDates
        recurrence = reading.recurrence
        notes += reading.warnings.map(ImportNote.init)
        if title.isEmpty {
            notes.append(ImportNote(code: "title_missing", message: "Нет названия мероприятия: впишите его."))
        }
        if let today = context.today {
            pastDueDates = dueDates.filter { $0 < today }
            if !pastDueDates.isEmpty {
                let dates = pastDueDates.prefix(3).map(\.russian).joined(separator: ", ") + (pastDueDates.count > 3 ? "…" : "")
                let message = pastDueDates.count == 1 && dueDates.count == 1
                    ? "Срок \(dates) уже прошёл: после отправки на проверку мероприятие сразу станет просроченным. Проверьте срок."
                    : "Сроки \(dates) уже прошли (\(pastDueDates.count) из \(dueDates.count)): после отправки на проверку эти мероприятия сразу станут просроченными. Проверьте сроки."
                notes.append(ImportNote(code: "deadline_past", message: message))
            }
        }
        if sectionsAreTasks, task == nil, let section {
            (task, self.section) = (section, nil)
        }
        if plannedValue.isEmpty, let target = IndicatorTarget.read(indicator) {
            plannedValue = target
            notes.append(ImportNote(code: "planned_value_from_indicator",
                                    message: "Плановое значение взято из показателя: «\(target)». Проверьте его."))
        }
        if knowsRiskFactors, let riskFactor, riskFactorNumber == nil {
            notes.append(ImportNote(code: "risk_factor_unknown", message: """
                «\(riskFactor)» не совпадает ни с одним фактором риска каталога кампании: укажите фактор после импорта.
                """))
        }
        if owner == .municipality, let track, trackNumber == nil {
            notes.append(ImportNote(code: "track_unknown", message: "«\(track)» — не трек ФИОКО (1, 2 или 3): укажите трек после импорта."))
        }
    }

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
