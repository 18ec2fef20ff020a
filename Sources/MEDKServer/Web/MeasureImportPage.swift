import Foundation
import MEDKCore

/// The preview of a roadmap table: every measure as read, the ones that need a person marked.
struct MeasureImportPage: Sendable {
    struct Row: Sendable {
        var line: Int
        var number: String
        var title: String
        /// Этап, трек, цель, раздел, задача — those the row has, one per line.
        var outline: [String]
        var deadlineText: String
        var dates: String
        var recurrence: String?
        var responsible: String
        /// Nil when empty: Mustache renders a section for any string, even an empty one.
        var indicator: String?
        var plannedValue: String?
        var result: String?
        var normativeDocument: String?
        /// The regional measure the row names in words; linking it by reference is done in the roadmap.
        var regionalMeasure: String?
        var notes: [String]
        var flagged: Bool
    }

    var roadmapID: Int64
    var table: String
    var formatName: String
    var headerLine: Int
    var programmeYear: Int
    /// «Мероприятие — «Мера-мероприятие»; Срок — «Конкретные сроки»…»
    var columns: String
    var problems: [String]
    var rows: [Row]
    var measureCount: Int
    var flaggedCount: Int
    /// What applying saves, and what applying needs: the staged file's token and the revision seen.
    var occurrenceCount: Int
    var token: String
    var fileName: String
    var year: String
    var roadmapRevision: Int
    /// The same preview as a workbook, from the staged file.
    var xlsxHref: String
    /// «В дорожной карте уже 12 мероприятий» — then the person chooses what happens to them.
    var existingNote: String?
    /// What applying does to a roadmap that has measures: add only the new rows (chosen when some
    /// are already there), replace, or add all (offered only when none is there yet).
    var modes: [SelectOption]
    /// «Срок уже прошёл у 5 строк»: measures overdue the moment the roadmap is sent.
    var pastNote: String?
    /// «Строки 12, 40: нет названия» — applying is refused until the table is fixed.
    var untitledNote: String?

    /// The preview page of a staged table (`suffix` ".xlsx" for its workbook). Each value encoded
    /// whole: URLComponents leaves «&» and «=» of a file name as they are.
    static func href(roadmapID: Int64, token: String, fileName: String, year: Int?, suffix: String) -> String {
        func encoded(_ value: String) -> String {
            value.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
        }
        return "/items/\(roadmapID)/measures/import/preview\(suffix)?token=\(encoded(token))&fileName=\(encoded(fileName))"
            + (year.map { "&year=\($0)" } ?? "")
    }

    init(roadmapID: Int64, _ staged: StagedMeasureImport, year: Int?) {
        let preview = staged.preview
        self.roadmapID = roadmapID
        occurrenceCount = preview.occurrenceCount
        token = staged.token
        fileName = staged.fileName
        self.year = year.map(String.init) ?? ""
        roadmapRevision = staged.roadmapRevision
        xlsxHref = Self.href(roadmapID: roadmapID, token: staged.token, fileName: staged.fileName, year: year, suffix: ".xlsx")
        let existing = staged.existingMeasures
        let present = staged.alreadyPresent
        existingNote = existing == 0 ? nil
            : "В дорожной карте уже есть мероприятий: \(existing)"
                + (present == 0 ? "; ни одного из этой таблицы среди них нет." : "; из них в этой таблице — \(present) (то же название и срок).")
        modes = existing == 0 ? [] : [
            SelectOption(value: MeasureImportMode.addNew.rawValue,
                         label: present == 0 ? "Добавить строки таблицы к имеющимся"
                             : "Добавить только новые строки (\(max(preview.occurrenceCount - present, 0)) из \(preview.occurrenceCount))",
                         selected: true),
            SelectOption(value: MeasureImportMode.replace.rawValue,
                         label: "Заменить все \(existing) мероприятий дорожной карты мероприятиями таблицы (если по какому-то уже начат отчёт, замены не будет)",
                         selected: false),
        ]
        let past = preview.pastCount
        pastNote = past == 0 ? nil : """
            Срок уже прошёл у \(past) \(RussianPlural.word(past, "строки", "строк", "строк")) таблицы: после отправки дорожной карты \
            на проверку эти мероприятия сразу станут просроченными. Проверьте год программы и сроки — они отмечены ниже.
            """
        let untitled = preview.untitledLines
        untitledNote = untitled.isEmpty ? nil
            : "Строки без названия мероприятия (\(untitled.map(String.init).joined(separator: ", "))) сохранить нельзя: "
                + "исправьте таблицу и загрузите её снова."
        table = preview.table
        formatName = preview.format.russianName
        headerLine = preview.headerLine
        programmeYear = preview.programmeYear
        columns = preview.recognisedColumns.joined(separator: "; ")
        problems = preview.problems.map(\.message)
        measureCount = preview.measures.count
        flaggedCount = preview.flaggedCount
        // A heading is shown where it starts, not repeated on every row under it.
        var above: [String] = []
        rows = preview.measures.map { measure in
            let outline = measure.outline
            defer { above = outline }
            return Row(line: measure.line, number: measure.number ?? "", title: measure.title.isEmpty ? "— без названия —" : measure.title,
                       outline: outline.filter { !above.contains($0) }, deadlineText: measure.deadlineText,
                       dates: measure.russianDueDates,
                       recurrence: measure.recurrence?.russianName, responsible: measure.responsible,
                       indicator: measure.indicator.isEmpty ? nil : measure.indicator,
                       plannedValue: measure.plannedValue.isEmpty ? nil : measure.plannedValue,
                       result: measure.result.isEmpty ? nil : measure.result,
                       normativeDocument: measure.normativeDocument.isEmpty ? nil : measure.normativeDocument,
                       regionalMeasure: measure.regionalMeasure.isEmpty ? nil : measure.regionalMeasure,
                       notes: measure.notes.map(\.message),
                       flagged: measure.isFlagged)
        }
    }
}
