import Foundation

/// The period a roadmap's deadlines are read in: its programme year gives a cell without a year its
/// year, and recurring measures («Ежемесячно») are scheduled over the period.
public struct DeadlineContext: Sendable, Hashable {
    public var programmeYear: Int
    public var period: ClosedRange<CalendarDate>
    /// The day of the import in the roadmap's zone, when known: a date before it is flagged, as it
    /// would be overdue the moment the roadmap is sent.
    public var today: CalendarDate?

    /// The calendar year of the programme unless a period is given.
    public init(programmeYear: Int, period: ClosedRange<CalendarDate>? = nil, today: CalendarDate? = nil) {
        self.programmeYear = programmeYear
        self.today = today
        self.period = period ?? CalendarDate(year: programmeYear, month: 1, day: 1)!...CalendarDate(year: programmeYear, month: 12, day: 31)!
    }
}

/// How often a measure recurs over its programme's period; each occurrence is a due date of its own.
public enum DeadlineRecurrence: String, Codable, Sendable, CaseIterable {
    case monthly
    case quarterly
    case annually
    /// «Постоянно»: a measure with no dates of its own, checked at the end of every quarter.
    case continuous

    public var russianName: String {
        switch self {
        case .monthly: "ежемесячно"
        case .quarterly: "ежеквартально"
        case .annually: "ежегодно"
        case .continuous: "постоянно"
        }
    }
}

/// What reading a deadline tells the person importing it.
public enum DeadlineWarning: Sendable, Hashable {
    /// Nothing in the cell: the measure is kept without a due date.
    case empty
    /// The text is not a deadline the reader knows: kept as text, without a due date.
    case notUnderstood
    /// A range with no end («Март-»).
    case openRange
    /// A day the calendar does not have («31 апреля»).
    case noSuchDate(String)
    /// The cell names no year; the programme's was taken.
    case yearAssumed(Int)
    /// A date outside the programme's period: kept, but probably a typo or last year's plan.
    case outsidePeriod(CalendarDate)
    /// «Постоянно» becomes a check at the end of every quarter.
    case continuousCheckpoints
    /// A repeat the reader does not schedule («Еженедельно», «Ежедневно»).
    case unsupportedRecurrence(String)

    /// A stable code for the API and scripts.
    public var code: String {
        switch self {
        case .empty: "deadline_empty"
        case .notUnderstood: "deadline_not_understood"
        case .openRange: "deadline_open_range"
        case .noSuchDate: "deadline_no_such_date"
        case .yearAssumed: "deadline_year_assumed"
        case .outsidePeriod: "deadline_outside_period"
        case .continuousCheckpoints: "deadline_continuous_checkpoints"
        case .unsupportedRecurrence: "deadline_unsupported_recurrence"
        }
    }

    public var message: String {
        switch self {
        case .empty: "Срок не указан: мероприятие сохранится без даты, укажите срок."
        case .notUnderstood: "Срок не распознан: мероприятие сохранится с текстом срока, но без даты — укажите дату."
        case .openRange: "У периода нет конца: укажите, до какого месяца или дня."
        case .noSuchDate(let text): "Такой даты нет: «\(text)». Укажите срок."
        case .yearAssumed(let year): "Год не указан — взят год программы, \(year)."
        case .outsidePeriod(let date): "Срок \(date.russian) вне периода программы — проверьте год."
        case .continuousCheckpoints: "Постоянное мероприятие: отметки о выполнении — в конце каждого квартала."
        case .unsupportedRecurrence(let word): "«\(word)» не превращается в сроки: укажите дату или периодичность «ежемесячно»."
        }
    }

    /// Warnings that leave the measure without a due date: the person must look at it.
    public var leavesNoDate: Bool {
        switch self {
        case .empty, .notUnderstood, .openRange, .noSuchDate, .unsupportedRecurrence: true
        case .yearAssumed, .outsidePeriod, .continuousCheckpoints: false
        }
    }
}

/// A deadline cell as the import understood it: the text as written, the due dates it gives (one,
/// several for a list, one per occurrence for a recurring measure; none when not understood), and
/// what the person should know.
public struct DeadlineReading: Sendable, Hashable {
    public var text: String
    public var dueDates: [CalendarDate]
    public var recurrence: DeadlineRecurrence?
    public var warnings: [DeadlineWarning]

    public init(text: String, dueDates: [CalendarDate], recurrence: DeadlineRecurrence? = nil, warnings: [DeadlineWarning] = []) {
        self.text = text
        self.dueDates = dueDates
        self.recurrence = recurrence
        self.warnings = warnings
    }

    /// Flagged: no due date came out of the text.
    public var isFlagged: Bool { dueDates.isEmpty }
}
