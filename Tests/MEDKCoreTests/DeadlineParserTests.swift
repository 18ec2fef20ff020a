@testable import MEDKCore
import Testing

/// Deadlines as Russian roadmaps write them, read in a programme of 2023 (1 January – 31 December).
@Suite("Reading Russian deadlines")
struct DeadlineParserTests {
    static let context = DeadlineContext(programmeYear: 2023)

    struct Case: CustomTestStringConvertible, Sendable {
        let text: String
        let dates: [String]
        var recurrence: DeadlineRecurrence?
        var warnings: [DeadlineWarning] = []
        var testDescription: String { "«\(text)»" }
    }

    static func d(_ text: String) -> CalendarDate { CalendarDate(text)! }

    static let months: [Case] = [
        Case(text: "Апрель 2023г.", dates: ["2023-04-30"]),
        Case(text: "май 2023", dates: ["2023-05-31"]),
        Case(text: "Май 2023 года", dates: ["2023-05-31"]),
        Case(text: "февраль 2024", dates: ["2024-02-29"], warnings: [.outsidePeriod(d("2024-02-29"))]),
        Case(text: "Декабрь", dates: ["2023-12-31"], warnings: [.yearAssumed(2023)]),
        Case(text: "в течение апреля 2023 г.", dates: ["2023-04-30"]),
        Case(text: "сент. 2023", dates: ["2023-09-30"]),
    ]

    static let ranges: [Case] = [
        Case(text: "Август – октябрь 2023г.", dates: ["2023-10-31"]),
        Case(text: "Октябрь-ноябрь 2023г.", dates: ["2023-11-30"]),
        Case(text: "Январь-февраль", dates: ["2023-02-28"], warnings: [.yearAssumed(2023)]),
        Case(text: "сентябрь 2022 — май 2023", dates: ["2023-05-31"]),
        Case(text: "декабрь 2023 - февраль", dates: ["2024-02-29"], warnings: [.outsidePeriod(d("2024-02-29"))]),
        Case(text: "20–21 апреля 2023г.", dates: ["2023-04-21"]),
        Case(text: "с 1 по 15 мая 2023 года", dates: ["2023-05-15"]),
        Case(text: "20 апреля - 5 мая 2023", dates: ["2023-05-05"]),
        Case(text: "24.01-01.02.2023", dates: ["2023-02-01"]),
    ]

    static let days: [Case] = [
        Case(text: "17 января 2023", dates: ["2023-01-17"]),
        Case(text: "до 30 апреля", dates: ["2023-04-30"], warnings: [.yearAssumed(2023)]),
        Case(text: "Не позднее 15 марта 2023 г.", dates: ["2023-03-15"]),
        Case(text: "до 30.04.2023", dates: ["2023-04-30"]),
        Case(text: "01.09.23", dates: ["2023-09-01"]),
        Case(text: "в срок до 25.12", dates: ["2023-12-25"], warnings: [.yearAssumed(2023)]),
        Case(text: "17 января 2022", dates: ["2022-01-17"], warnings: [.outsidePeriod(d("2022-01-17"))]),
    ]

    static let lists: [Case] = [
        Case(text: "20–21 апреля 2023г., октябрь 2023г.", dates: ["2023-04-21", "2023-10-31"]),
        Case(text: "апрель, май 2023", dates: ["2023-04-30", "2023-05-31"]),
        Case(text: "20 и 21 апреля 2023", dates: ["2023-04-20", "2023-04-21"]),
        Case(text: "март; сентябрь", dates: ["2023-03-31", "2023-09-30"], warnings: [.yearAssumed(2023)]),
    ]

    static let periods: [Case] = [
        Case(text: "В течение года", dates: ["2023-12-31"]),
        Case(text: "до конца года", dates: ["2023-12-31"]),
        Case(text: "В течение всего периода", dates: ["2023-12-31"]),
        Case(text: "в течение 2023 года", dates: ["2023-12-31"]),
        Case(text: "2023", dates: ["2023-12-31"]),
        Case(text: "2022–2023 учебный год", dates: ["2023-05-31"]),
        Case(text: "2022/2023 уч. г.", dates: ["2023-05-31"]),
        Case(text: "в течение учебного года", dates: ["2023-05-31"], warnings: [.yearAssumed(2023)]),
        Case(text: "I квартал 2023", dates: ["2023-03-31"]),
        Case(text: "1-й квартал 2023 г.", dates: ["2023-03-31"]),
        Case(text: "IV кв.", dates: ["2023-12-31"], warnings: [.yearAssumed(2023)]),
        Case(text: "3-4 квартал 2023 года", dates: ["2023-12-31"]),
        Case(text: "II-III квартал 2023", dates: ["2023-09-30"]),
        Case(text: "I полугодие 2023", dates: ["2023-06-30"]),
        Case(text: "2023-2024 гг.", dates: ["2024-12-31"], warnings: [.outsidePeriod(d("2024-12-31"))]),
    ]

    static let recurring: [Case] = [
        Case(text: "Ежемесячно", dates: ["2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30", "2023-05-31", "2023-06-30",
                                          "2023-07-31", "2023-08-31", "2023-09-30", "2023-10-31", "2023-11-30", "2023-12-31"],
             recurrence: .monthly),
        Case(text: "ежемесячно до 5 числа", dates: (1...12).map { "2023-\($0 < 10 ? "0" : "")\($0)-05" }, recurrence: .monthly),
        Case(text: "Ежеквартально", dates: ["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31"], recurrence: .quarterly),
        Case(text: "Постоянно", dates: ["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31"], recurrence: .continuous,
             warnings: [.continuousCheckpoints]),
        Case(text: "Ежегодно до 1 сентября", dates: ["2023-09-01"], recurrence: .annually),
        Case(text: "ежегодно", dates: ["2023-12-31"], recurrence: .annually),
        Case(text: "февраль 2022, далее - ежегодно", dates: ["2023-02-28"], recurrence: .annually),
        Case(text: "Ежемесячно, в течение года", dates: ["2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30", "2023-05-31",
                                                          "2023-06-30", "2023-07-31", "2023-08-31", "2023-09-30", "2023-10-31",
                                                          "2023-11-30", "2023-12-31"], recurrence: .monthly),
    ]

    /// What it cannot read it says so, and gives no date: never a guess.
    static let flagged: [Case] = [
        Case(text: "", dates: [], warnings: [.empty]),
        Case(text: "   ", dates: [], warnings: [.empty]),
        Case(text: "Март-", dates: [], warnings: [.openRange]),
        Case(text: "24.01-01-02.2022", dates: [], warnings: [.notUnderstood]),
        Case(text: "По мере необходимости", dates: [], warnings: [.notUnderstood]),
        Case(text: "после утверждения программы", dates: [], warnings: [.notUnderstood]),
        Case(text: "31 апреля 2023", dates: [], warnings: [.noSuchDate("31.04.2023")]),
        Case(text: "30.02.2023", dates: [], warnings: [.noSuchDate("30.02.2023")]),
        Case(text: "Еженедельно", dates: [], warnings: [.unsupportedRecurrence("еженедельно")]),
        Case(text: "ежемесячно и ежеквартально", dates: [], recurrence: nil, warnings: [.notUnderstood]),
        Case(text: "ежеквартально до 10 числа месяца, следующего за отчётным", dates: [], warnings: [.notUnderstood]),
        Case(text: "май 23", dates: [], warnings: [.notUnderstood]),
        Case(text: "20", dates: [], warnings: [.notUnderstood]),
        Case(text: "5 квартал 2023", dates: [], warnings: [.notUnderstood]),
        Case(text: "13.13.2023", dates: [], warnings: [.noSuchDate("13.13.2023")]),
        Case(text: "Маяковский", dates: [], warnings: [.notUnderstood]),
        Case(text: String(repeating: "май ", count: 100), dates: [], warnings: [.notUnderstood]),
    ]

    static func check(_ example: Case) {
        let reading = DeadlineParser.read(example.text, in: context)
        #expect(reading.dueDates.map(\.description) == example.dates)
        #expect(reading.recurrence == example.recurrence)
        #expect(reading.warnings == example.warnings)
        #expect(reading.isFlagged == example.dates.isEmpty)
    }

    @Test("a month is due on its last day", arguments: months) func month(_ example: Case) { Self.check(example) }
    @Test("a range is due at its end", arguments: ranges) func range(_ example: Case) { Self.check(example) }
    @Test("a day is due that day", arguments: days) func day(_ example: Case) { Self.check(example) }
    @Test("a list gives a due date for each of its parts", arguments: lists) func list(_ example: Case) { Self.check(example) }
    @Test("a year, a school year, a quarter or the whole period are due at their end", arguments: periods)
    func period(_ example: Case) { Self.check(example) }
    @Test("a recurring measure is due once an occurrence within the period", arguments: recurring)
    func recurrence(_ example: Case) { Self.check(example) }
    @Test("what cannot be read gives no date and says why", arguments: flagged) func unreadable(_ example: Case) { Self.check(example) }

    @Test("a longer programme period schedules every occurrence within it, and the text is kept as written")
    func longerPeriod() {
        let period = DeadlineContext(programmeYear: 2023, period: Self.d("2022-09-01")...Self.d("2024-08-31"))
        let quarterly = DeadlineParser.read("Ежеквартально", in: period)
        #expect(quarterly.dueDates.map(\.description) == ["2022-09-30", "2022-12-31", "2023-03-31", "2023-06-30", "2023-09-30",
                                                          "2023-12-31", "2024-03-31", "2024-06-30"])
        let yearly = DeadlineParser.read("Ежегодно до 1 сентября", in: period)
        #expect(yearly.dueDates.map(\.description) == ["2022-09-01", "2023-09-01"])
        let leap = DeadlineParser.read("ежегодно до 29 февраля", in: period)
        #expect(leap.dueDates.map(\.description) == ["2023-02-28", "2024-02-29"])
        #expect(DeadlineParser.read("  Апрель\n 2023г. ", in: period).text == "Апрель 2023г.")
        #expect(DeadlineParser.read("В течение всего периода", in: period).dueDates == [Self.d("2024-08-31")])
    }
}
