import Foundation

/// Something a person should know about an imported row or file: a stable code and a Russian message.
public struct ImportNote: Sendable, Hashable, Codable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    init(_ warning: DeadlineWarning) {
        self.init(code: warning.code, message: warning.message)
    }
}

/// One measure as the import read it from the table, before anything is saved.
public struct ImportedMeasure: Sendable, Hashable, Codable {
    /// The table's row where the measure starts (rows that continue it are named in its notes).
    public var line: Int
    public var number: String?
    public var title: String
    /// Where the measure sits in the roadmap, from the heading rows above it.
    public var stage: String?
    public var track: String?
    public var trackNumber: MunicipalTrack?
    public var goal: String?
    public var section: String?
    public var task: String?
    public var deadlineText: String
    /// ISO dates in the owner's zone; empty when the deadline was not understood (see `notes`).
    public var dueDates: [CalendarDate]
    public var recurrence: DeadlineRecurrence?
    public var responsible: String
    public var indicator: String
    public var result: String
    public var plannedValue: String
    public var normativeDocument: String
    public var regionalMeasure: String
    public var notes: [ImportNote]
    /// School roadmaps: the risk factor as the table named it (a heading «Фактор 2. …» or a column),
    /// and its number in the campaign's catalogue when recognised.
    public var riskFactor: String?
    public var riskFactorNumber: Int?
    /// Due dates already past on the day of the import: overdue the moment the roadmap is sent.
    public var pastDueDates: [CalendarDate] = []

    /// The person must look at it: it has no due date, no title, or a date already past.
    public var isFlagged: Bool { dueDates.isEmpty || title.isEmpty || !pastDueDates.isEmpty }

    /// A row without a title cannot be saved: importing refuses the table until it is fixed.
    public var isUntitled: Bool { title.isBlank }

    /// Measures importing it saves: one per due date, and one (undated) when there is none.
    public var occurrenceCount: Int { max(1, dueDates.count) }

    /// «21.04.2023, 31.10.2023», or «без даты».
    public var russianDueDates: String {
        dueDates.isEmpty ? "без даты" : dueDates.map(\.russian).joined(separator: ", ")
    }

    /// Where the measure sits, one line a level, for people: «Этап: …», or the heading as written when
    /// it names itself («Трек 1. …», «Цель: …»).
    public var outline: [String] {
        [("Этап", stage), ("Трек", track), ("Фактор", riskFactor), ("Цель", goal), ("Раздел", section), ("Задача", task)].compactMap { label, value in
            guard let value else { return nil }
            guard !value.lowercased().hasPrefix(label.lowercased()) else { return value }
            return "\(label == "Фактор" ? "Фактор риска" : label): \(value)"
        }
    }
}

/// What importing a table would do: every measure as interpreted, and what concerns the whole file.
public struct RoadmapImportPreview: Sendable, Hashable, Codable {
    public var format: TableFileFormat
    /// The table the measures came from («Лист1», «таблица 2»).
    public var table: String
    /// The header row's line and the headers recognised, by field.
    public var headerLine: Int
    public var columns: [String: String]
    public var programmeYear: Int
    public var measures: [ImportedMeasure]
    public var problems: [ImportNote]

    public var flaggedCount: Int { measures.filter(\.isFlagged).count }

    /// Rows with a due date already past on the day of the import.
    public var pastCount: Int { measures.filter { !$0.pastDueDates.isEmpty }.count }

    /// Measures importing the table saves, counting every occurrence of a recurring row.
    public var occurrenceCount: Int { measures.reduce(0) { $0 + $1.occurrenceCount } }

    /// Rows that cannot be saved as they are: a measure needs a title.
    public var untitledLines: [Int] { measures.filter(\.isUntitled).map(\.line) }

    /// The recognised columns in the fields' order: «Мероприятие — «Мера-мероприятие»».
    public var recognisedColumns: [String] {
        RoadmapField.allCases.compactMap { field in columns[field.rawValue].map { "\(field.russianName) — «\($0)»" } }
    }
}
