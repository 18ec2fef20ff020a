import Foundation

/// Reads the deadlines Russian roadmaps write as free text («Апрель 2023г.», «20–21 апреля 2023г.,
/// октябрь 2023г.», «I квартал», «2022–2023 учебный год», «Ежегодно до 1 сентября», «Постоянно»)
/// into due dates.
///
/// It never guesses silently: a cell it cannot read in full gives no date and is flagged (the text
/// is kept), and every assumption it makes — a year taken from the programme, a date outside the
/// programme's period — comes back as a warning to show. A range counts by its end («Август –
/// октябрь» is due on 31 October), a month by its last day, a list gives one date a part, and a
/// recurring measure one date an occurrence within the period.
///
/// Hand-written because no mirrored library reads Russian dates; it scans the text once and each
/// part of it a fixed number of times, so its cost is linear in the (bounded) length of the cell.
public enum DeadlineParser {
    /// Longer cells are not deadlines but paragraphs; they are kept as text and flagged.
    public static let maximumLength = 300

    public static func read(_ cell: String, in context: DeadlineContext) -> DeadlineReading {
        let text = cell.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        func flagged(_ warning: DeadlineWarning) -> DeadlineReading { DeadlineReading(text: text, dueDates: [], warnings: [warning]) }
        guard !text.isEmpty else { return flagged(.empty) }
        guard text.count <= maximumLength else { return flagged(.notUnderstood) }
        let tokens = DeadlineToken.scan(text)
        guard !tokens.contains(where: \.isUnknown) else { return flagged(.notUnderstood) }

        var recurrences = Set<DeadlineRecurrence>()
        for token in tokens {
            switch token {
            case .word(.recurrence(let recurrence)): recurrences.insert(recurrence)
            case .word(.unsupportedRecurrence(let word)): return flagged(.unsupportedRecurrence(word))
            default: break
            }
        }
        if !recurrences.isEmpty {
            guard recurrences.count == 1, let recurrence = recurrences.first else { return flagged(.notUnderstood) }
            return schedule(recurrence, anchor: tokens.filter(\.isMeaningfulInSchedule), text: text, context: context)
        }

        // «В течение всего периода», «в течение года», «в течение учебного года».
        let meaningful = tokens.filter { !$0.isPeriodPhrase && $0 != .separator }
        if tokens.contains(.word(.period)) && meaningful.isEmpty {
            return DeadlineReading(text: text, dueDates: [context.period.upperBound])
        }
        // «В течение года», «до конца года»: the programme's year.
        if meaningful == [.word(.year)] {
            return DeadlineReading(text: text, dueDates: [CalendarDate(year: context.programmeYear, month: 12, day: 31)!])
        }
        if meaningful == [.word(.school), .word(.year)] {
            return DeadlineReading(text: text, dueDates: [Self.schoolYearEnd(context.programmeYear)],
                                   warnings: [.yearAssumed(context.programmeYear)])
        }
        return list(tokens.filter { !$0.isPeriodPhrase }, text: text, context: context)
    }

    /// A school year ends with its lessons, on 31 May of its second calendar year.
    static func schoolYearEnd(_ year: Int) -> CalendarDate { CalendarDate(year: year, month: 5, day: 31)! }

    // MARK: - Dates and lists of dates

    /// One end of a range, or one item of a list, as written: what is missing is filled from its
    /// neighbours or the programme.
    struct Point: Equatable {
        enum Kind: Equatable {
            /// A day; a bare number («20» in «20 и 21 апреля») has no month yet.
            case day(Int, month: Int?)
            case month(Int)
            case quarter(Int)
            case half(Int)
            case year
            case schoolYear
        }
        var kind: Kind
        var year: Int?

        /// A number or Roman numeral alone: only the start of a range («3-4 квартал») or a list item
        /// before a day with its month.
        var isBare: Bool { if case .day(_, nil) = kind { year == nil } else { false } }

        func date(year: Int) -> CalendarDate? {
            switch kind {
            case .day(let day, let month?): CalendarDate(year: year, month: month, day: day)
            case .day(_, nil): nil
            case .month(let month): CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year))
            case .quarter(let quarter): CalendarDate(year: year, month: quarter * 3, day: CalendarDate.daysIn(month: quarter * 3, year: year))
            case .half(let half): half == 1 ? CalendarDate(year: year, month: 6, day: 30) : CalendarDate(year: year, month: 12, day: 31)
            case .year: CalendarDate(year: year, month: 12, day: 31)
            case .schoolYear: DeadlineParser.schoolYearEnd(year)
            }
        }

        /// Where it stands within a year, to tell whether a range's end falls in the next one.
        var monthOfYear: Int? {
            switch kind {
            case .day(_, let month): month
            case .month(let month): month
            case .quarter(let quarter): quarter * 3
            case .half(let half): half * 6
            case .year, .schoolYear: nil
            }
        }
    }

    /// A point from the tokens of one end (year words and fillers already dropped).
    static func point(_ tokens: [DeadlineToken]) -> Point? {
        func year(_ token: DeadlineToken) -> Int? {
            if case .number(let year, 4) = token, (1900...2999).contains(year) { year } else { nil }
        }
        if tokens.count == 1 {
            switch tokens[0] {
            case .numericDate(let day, let month, let year): return Point(kind: .day(day, month: month), year: year)
            case .month(let month): return Point(kind: .month(month))
            case .number(_, 4): return year(tokens[0]).map { Point(kind: .year, year: $0) }
            case .number(let number, _) where (1...31).contains(number): return Point(kind: .day(number, month: nil))
            case .roman(let number): return Point(kind: .day(number, month: nil))
            default: return nil
            }
        }
        guard tokens.count == 2 || tokens.count == 3 else { return nil }
        let written: Int? = tokens.count == 3 ? year(tokens[2]) : nil
        guard tokens.count == 2 || written != nil else { return nil }
        // «17 января 2022», «30 апреля»
        if case .number(let day, _) = tokens[0], (1...31).contains(day), case .month(let month) = tokens[1] {
            return Point(kind: .day(day, month: month), year: written)
        }
        if tokens.count == 2 {
            // «май 2023»
            if case .month(let month) = tokens[0], let year = year(tokens[1]) { return Point(kind: .month(month), year: year) }
            // «2023 учебный (год)»
            if let year = year(tokens[0]), tokens[1] == .word(.school) { return Point(kind: .schoolYear, year: year) }
        }
        // «I квартал 2023», «1 полугодие», «4 кв.»
        let ordinal: Int? = switch tokens[0] {
        case .roman(let number), .number(let number, 1): number
        default: nil
        }
        guard let ordinal else { return nil }
        switch tokens[1] {
        case .word(.quarter) where (1...4).contains(ordinal): return Point(kind: .quarter(ordinal), year: written)
        case .word(.half) where (1...2).contains(ordinal): return Point(kind: .half(ordinal), year: written)
        default: return nil
        }
    }

    /// One part of a list: a point, or a range counted by its end.
    enum Part {
        case point(Point)
        case openRange
    }

    static func part(_ tokens: [DeadlineToken]) -> Part? {
        // «с 1 по 15 мая»: «по» ends the range that «с» opened; alone («по 15 мая») it is a filler.
        let opensRange = tokens.contains(.word(.from))
        var ends: [[DeadlineToken]] = [[]]
        for token in tokens {
            switch token {
            case .dash: ends.append([])
            case .word(.to) where opensRange: ends.append([])
            case .word(.from), .word(.to), .word(.filler), .word(.year): continue
            default: ends[ends.count - 1].append(token)
            }
        }
        switch ends.count {
        case 1:
            return point(ends[0]).map(Part.point)
        case 2:
            guard !ends[0].isEmpty, let start = point(ends[0]) else { return nil }
            guard !ends[1].isEmpty else { return .openRange }
            guard var end = point(ends[1]), !end.isBare else { return nil }
            // «декабрь 2022 – февраль»: the end is in the start's year, or the next one.
            if end.year == nil, let year = start.year {
                if let from = start.monthOfYear, let to = end.monthOfYear, to < from { end.year = year + 1 } else { end.year = year }
            }
            return .point(end)
        default:
            return nil
        }
    }

    static func list(_ tokens: [DeadlineToken], text: String, context: DeadlineContext) -> DeadlineReading {
        func flagged(_ warning: DeadlineWarning) -> DeadlineReading { DeadlineReading(text: text, dueDates: [], warnings: [warning]) }
        var points: [Point] = []
        for tokens in tokens.split(separator: .separator) {
            guard let part = part(Array(tokens)) else { return flagged(.notUnderstood) }
            switch part {
            case .openRange: return flagged(.openRange)
            case .point(let point): points.append(point)
            }
        }
        guard !points.isEmpty else { return flagged(.notUnderstood) }
        // A bare day takes its month from the day after it («20 и 21 апреля»); a missing year comes
        // from the nearest part after it that has one («январь, февраль 2023»), else the programme's.
        var warnings: [DeadlineWarning] = []
        var yearOnTheRight: Int?
        var monthOnTheRight: Int?
        for index in points.indices.reversed() {
            if case .day(let day, nil) = points[index].kind {
                guard let month = monthOnTheRight else { return flagged(.notUnderstood) }
                points[index].kind = .day(day, month: month)
            }
            if case .day(_, let month?) = points[index].kind { monthOnTheRight = month } else { monthOnTheRight = nil }
            if let year = points[index].year { yearOnTheRight = year }
            if points[index].year == nil {
                if let year = yearOnTheRight {
                    points[index].year = year
                } else {
                    points[index].year = context.programmeYear
                    if !warnings.contains(.yearAssumed(context.programmeYear)) { warnings.append(.yearAssumed(context.programmeYear)) }
                }
            }
        }
        var dates: [CalendarDate] = []
        for point in points {
            guard let year = point.year, let date = point.date(year: year) else {
                if case .day(let day, let month?) = point.kind, let year = point.year {
                    return flagged(.noSuchDate(CalendarDate.padded(day, 2) + "." + CalendarDate.padded(month, 2) + "." + String(year)))
                }
                return flagged(.notUnderstood)
            }
            dates.append(date)
        }
        let due = Array(Set(dates)).sorted()
        for date in due where !context.period.contains(date) { warnings.append(.outsidePeriod(date)) }
        return DeadlineReading(text: text, dueDates: due, warnings: warnings)
    }

    // MARK: - Recurring measures

    static func schedule(_ recurrence: DeadlineRecurrence, anchor: [DeadlineToken], text: String,
                         context: DeadlineContext) -> DeadlineReading {
        let period = context.period
        func flagged(_ warning: DeadlineWarning) -> DeadlineReading {
            DeadlineReading(text: text, dueDates: [], recurrence: recurrence, warnings: [warning])
        }
        var months: [(year: Int, month: Int)] = []
        var cursor = (year: period.lowerBound.year, month: period.lowerBound.month)
        while (cursor.year, cursor.month) <= (period.upperBound.year, period.upperBound.month) {
            months.append(cursor)
            cursor = cursor.month == 12 ? (cursor.year + 1, 1) : (cursor.year, cursor.month + 1)
        }
        func lastDay(_ year: Int, _ month: Int) -> CalendarDate {
            CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year))!
        }
        var dates: [CalendarDate]
        var warnings: [DeadlineWarning] = []
        switch recurrence {
        case .monthly:
            // «Ежемесячно», «ежемесячно до 5 числа».
            var day = 31
            if let first = anchor.first {
                guard anchor.count == 1, case .number(let number, _) = first, (1...31).contains(number) else {
                    return flagged(.notUnderstood)
                }
                day = number
            }
            dates = months.map { CalendarDate(year: $0.year, month: $0.month, day: min(day, CalendarDate.daysIn(month: $0.month, year: $0.year)))! }
        case .quarterly, .continuous:
            guard anchor.isEmpty else { return flagged(.notUnderstood) }
            dates = months.filter { $0.month % 3 == 0 }.map { lastDay($0.year, $0.month) }
            if recurrence == .continuous { warnings.append(.continuousCheckpoints) }
        case .annually:
            // «Ежегодно» (31 December), «ежегодно до 1 сентября», «февраль 2022, далее — ежегодно».
            var day: Int?, month = 12, from: Int?
            if !anchor.isEmpty {
                guard let point = point(anchor) else { return flagged(.notUnderstood) }
                switch point.kind {
                case .day(let written, let writtenMonth?):
                    day = written
                    month = writtenMonth
                    from = point.year
                case .month(let writtenMonth):
                    month = writtenMonth
                    from = point.year
                default: return flagged(.notUnderstood)
                }
            }
            // 29 February falls on the 28th in other years; 31 April never exists.
            if let day, day > CalendarDate.daysIn(month: month, year: 2024) {
                return flagged(.noSuchDate(CalendarDate.padded(day, 2) + "." + CalendarDate.padded(month, 2)))
            }
            dates = (period.lowerBound.year...period.upperBound.year).filter { $0 >= from ?? $0 }.map { year in
                let last = CalendarDate.daysIn(month: month, year: year)
                return CalendarDate(year: year, month: month, day: min(day ?? last, last))!
            }
        }
        dates = dates.filter { period.contains($0) }
        guard !dates.isEmpty else { return flagged(.notUnderstood) }
        return DeadlineReading(text: text, dueDates: dates, recurrence: recurrence, warnings: warnings)
    }
}

// MARK: - Words

/// A word of a deadline, by what it means for the date.
enum DeadlineWord: Hashable {
    /// «г.», «года», «гг.»
    case year
    case quarter
    case half
    /// «учебный» (год)
    case school
    /// «с», «начиная»: opens a range that «по» ends.
    case from
    case to
    /// «в течение», «на протяжении»
    case during
    /// «периода», «программы», «реализации»: the whole programme period.
    case period
    /// Words that say nothing about the date: «до», «не позднее», «в срок», «конца», «числа».
    case filler
    /// «далее» (in «февраль 2022, далее — ежегодно»).
    case further
    case recurrence(DeadlineRecurrence)
    case unsupportedRecurrence(String)

    static let vocabulary: [String: DeadlineWord] = {
        var words: [String: DeadlineWord] = [:]
        func add(_ list: [String], _ word: DeadlineWord) { for item in list { words[item] = word } }
        add(["г", "гг", "год", "года", "году", "годы", "годов", "годах"], .year)
        add(["квартал", "квартала", "квартале", "кварталы", "кварталов", "кварталах", "кв"], .quarter)
        add(["полугодие", "полугодия", "полугодии", "полугодиях"], .half)
        add(["учебный", "учебного", "учебном", "учебному", "уч"], .school)
        add(["с", "со", "начиная"], .from)
        add(["по"], .to)
        add(["течение", "протяжении"], .during)
        add(["период", "периода", "периоде", "программы", "проекта", "реализации", "срока", "весь", "всего", "всей"], .period)
        add(["до", "не", "позднее", "позже", "срок", "сроки", "в", "во", "к", "на", "конец", "конца", "окончания",
             "окончании", "числа", "число", "включительно", "месяца", "календарного", "текущего"], .filler)
        add(["далее", "затем", "впоследствии"], .further)
        add(["ежемесячно", "ежемесячный", "ежемесячная", "ежемесячные"], .recurrence(.monthly))
        add(["ежеквартально", "ежеквартальный", "ежеквартальная", "ежеквартальные"], .recurrence(.quarterly))
        add(["ежегодно", "ежегодный", "ежегодная", "ежегодные"], .recurrence(.annually))
        add(["постоянно", "систематически", "регулярно"], .recurrence(.continuous))
        for word in ["еженедельно", "ежедневно", "еженедельный", "ежедневный", "ежедекадно"] { words[word] = .unsupportedRecurrence(word) }
        return words
    }()
}

/// A piece of a deadline's text.
enum DeadlineToken: Hashable {
    /// Digits, and how many were written (a year has four).
    case number(Int, digits: Int)
    /// «30.04.2023», «24.01», «01.02.23».
    case numericDate(day: Int, month: Int, year: Int?)
    case month(Int)
    /// I–IV, as quarters and half-years are numbered.
    case roman(Int)
    case word(DeadlineWord)
    case dash
    /// «,», «;» and «и» between the items of a list.
    case separator
    case unknown(String)

    var isUnknown: Bool { if case .unknown = self { true } else { false } }

    /// The words around «в течение (всего) периода» that name no date by themselves.
    var isPeriodPhrase: Bool {
        switch self {
        case .word(.during), .word(.period), .word(.filler): true
        default: false
        }
    }

    /// What is left of a recurring deadline to anchor its occurrences («до 1 сентября»).
    var isMeaningfulInSchedule: Bool {
        switch self {
        case .number, .numericDate, .month, .roman, .word(.quarter), .word(.half), .word(.school): true
        default: false
        }
    }

    /// Month names by their stems, in any case («апреля», «апрель», «апреле») and abbreviated («апр.»).
    static func month(_ word: String) -> Int? {
        let stems = ["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"]
        let abbreviations = ["янв": 1, "фев": 2, "мар": 3, "апр": 4, "авг": 8, "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12]
        if let month = abbreviations[word] { return month }
        if ["май", "мая", "мае", "маю", "маем"].contains(word) { return 5 }
        for (index, stem) in stems.enumerated() where index != 4 && word.hasPrefix(stem) {
            // The stem and a case ending, never a longer word that starts the same way.
            if word.count <= stem.count + 2 { return index + 1 }
        }
        return nil
    }

    static let romans = ["i": 1, "ii": 2, "iii": 3, "iv": 4]
    static let ordinalEndings: Set<String> = ["й", "го", "ое", "ый", "ий", "ого", "ая", "я", "е", "м", "ом", "му"]

    static func scan(_ text: String) -> [DeadlineToken] {
        let scalars = Array(text.lowercased().replacingOccurrences(of: "ё", with: "е").unicodeScalars)
        var tokens: [DeadlineToken] = []
        var index = 0
        func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isAlphabetic }
        func letters(from start: Int) -> (String, Int) {
            var end = start
            var word = String.UnicodeScalarView()
            while end < scalars.count, isLetter(scalars[end]) {
                word.append(scalars[end])
                end += 1
            }
            return (String(word), end)
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if isDigit(scalar) {
                var runs: [(value: Int, digits: Int)] = []
                while true {
                    var value = 0, digits = 0
                    while index < scalars.count, isDigit(scalars[index]) {
                        if digits < 6 { value = value * 10 + Int(scalars[index].value - 48) }
                        digits += 1
                        index += 1
                    }
                    runs.append((value, digits))
                    // A dot between digits continues a date; after the third part it is not a date.
                    guard index + 1 < scalars.count, scalars[index] == ".", isDigit(scalars[index + 1]), runs.count < 4 else { break }
                    index += 1
                }
                // «1-й квартал», «3-го числа»: the ordinal ending adds nothing.
                if index + 1 < scalars.count, scalars[index] == "-", isLetter(scalars[index + 1]) {
                    let (ending, end) = letters(from: index + 1)
                    if ordinalEndings.contains(ending) { index = end }
                }
                switch runs.count {
                case 1 where runs[0].digits <= 4:
                    tokens.append(.number(runs[0].value, digits: runs[0].digits))
                case 2 where runs.allSatisfy({ $0.digits <= 2 }):
                    tokens.append(.numericDate(day: runs[0].value, month: runs[1].value, year: nil))
                case 3 where runs[0].digits <= 2 && runs[1].digits <= 2 && (runs[2].digits == 4 || runs[2].digits == 2):
                    let year = runs[2].digits == 2 ? 2000 + runs[2].value : runs[2].value
                    tokens.append(.numericDate(day: runs[0].value, month: runs[1].value, year: year))
                default:
                    tokens.append(.unknown(runs.map { String($0.value) }.joined(separator: ".")))
                }
            } else if isLetter(scalar) {
                let (word, end) = letters(from: index)
                index = end
                if let month = month(word) {
                    tokens.append(.month(month))
                } else if let roman = romans[word] {
                    tokens.append(.roman(roman))
                } else if word == "и" {
                    tokens.append(.separator)
                } else if let meaning = DeadlineWord.vocabulary[word] {
                    tokens.append(.word(meaning))
                } else {
                    tokens.append(.unknown(word))
                }
            } else {
                switch scalar {
                case "-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}", "/": tokens.append(.dash)
                case ",", ";": tokens.append(.separator)
                // Spaces, dots after abbreviations, brackets and quotes carry nothing.
                case " ", ".", "(", ")", "«", "»", "\"", ":": break
                default: tokens.append(.unknown(String(scalar)))
                }
                index += 1
            }
        }
        return tokens
    }
}
