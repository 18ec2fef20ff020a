import Foundation

/// Which way a plan is met.
public enum PlanDirection: String, Codable, Sendable, CaseIterable, Hashable {
    case atLeast, atMost, exactly

    public var russian: String {
        switch self {
        case .atLeast: "не менее"
        case .atMost: "не более"
        case .exactly: "ровно"
        }
    }
}

/// What a plan counts.
public enum PlanKind: String, Codable, Sendable, CaseIterable, Hashable {
    /// A share of a population, in per cent: «не менее 11% школ».
    case share
    /// An absolute count: «8 школ».
    case count
    /// A count in every period: «не менее 6 в год».
    case countPerPeriod
    /// A count from every school: «не менее 5 человек от каждой школы».
    case countPerSchool
    /// How often something happens: «не реже одного раза в год».
    case frequency
}

public enum PlanPopulation: String, Codable, Sendable, CaseIterable, Hashable {
    case schools, municipalities, teachers, people, events

    /// «школ», «МО», … as a plan's reading names them.
    public var russianGenitive: String {
        switch self {
        case .schools: "школ"
        case .municipalities: "муниципалитетов"
        case .teachers: "педагогов"
        case .people: "человек"
        case .events: "мероприятий"
        }
    }
}

public enum PlanPeriod: String, Codable, Sendable, CaseIterable, Hashable {
    case year, halfYear, quarter, month, week

    public var russian: String {
        switch self {
        case .year: "в год"
        case .halfYear: "в полугодие"
        case .quarter: "в квартал"
        case .month: "в месяц"
        case .week: "в неделю"
        }
    }
}

/// A plan as a programme writes it, read into a structure (kind, value, direction, period,
/// population), with its original wording kept: the reading is shown to the person to confirm.
public struct PlanTarget: Codable, Sendable, Hashable {
    public var kind: PlanKind
    public var value: Double
    public var direction: PlanDirection
    public var period: PlanPeriod?
    public var population: PlanPopulation?
    public var wording: String

    public init(kind: PlanKind, value: Double, direction: PlanDirection, period: PlanPeriod? = nil, population: PlanPopulation? = nil,
                wording: String) {
        self.kind = kind
        self.value = value
        self.direction = direction
        self.period = period
        self.population = population
        self.wording = wording
    }

    /// How the wording was read, in words: «не менее 11 % школ», «не менее 1 раза в год».
    public var russian: String {
        let number = value.rounded() == value ? String(Int(value)) : String(value).replacingOccurrences(of: ".", with: ",")
        switch kind {
        case .share:
            return "\(direction.russian) \(number) %" + (population.map { " " + $0.russianGenitive } ?? "")
        case .count:
            return "\(direction.russian) \(number) \(population?.russianGenitive ?? "")".trimmingCharacters(in: .whitespaces)
        case .countPerPeriod:
            return "\(direction.russian) \(number) \(population?.russianGenitive ?? "") \(period?.russian ?? "")"
                .replacingOccurrences(of: "  ", with: " ").trimmingCharacters(in: .whitespaces)
        case .countPerSchool:
            return "\(direction.russian) \(number) \(population?.russianGenitive ?? "") от каждой школы".replacingOccurrences(of: "  ", with: " ")
        case .frequency:
            return "\(direction.russian) \(number) \(value == 1 ? "раза" : "раз") \(period?.russian ?? "за период")"
        }
    }

    /// Whether a fact meets the plan (a share's fact in per cent).
    public func isMet(by fact: Double) -> Bool {
        switch direction {
        case .atLeast: fact >= value
        case .atMost: fact <= value
        case .exactly: abs(fact - value) < 1e-9
        }
    }
}

/// Reads the plan wordings of real regional programmes (issue 23): «не менее 11% школ данной
/// категории», «для 50% МУО», «8 школ», «не менее 6 в год», «не менее 5 человек от каждой школы»,
/// «в 100% школ», «не реже одного раза в год», «ежеквартально». A wording without a number it can
/// place is not guessed at: nil, and the person states the plan by hand.
public enum PlanWording {
    public static func read(_ wording: String) -> PlanTarget? {
        let text = " " + wording.lowercased().replacingOccurrences(of: "ё", with: "е")
            .replacingOccurrences(of: "\u{00A0}", with: " ") + " "
        let direction = Self.direction(text)
        let period = Self.period(text)
        let population = Self.population(text)
        let perSchool = ["от каждой школы", "в каждой школе", "на каждую школу", "на одну школу", "на школу", "от каждой оо", "в каждой оо"]
            .contains { text.contains($0) }
        if let every = Self.everyPeriod(text), Self.number(text) == nil {
            // «Ежеквартально»: once every period.
            return PlanTarget(kind: .frequency, value: 1, direction: .atLeast, period: every, wording: wording)
        }
        guard let (value, percent) = Self.number(text) else { return nil }
        let times = text.range(of: #"\bраз(а)?\b|\bдважды\b|\bтрижды\b"#, options: .regularExpression) != nil
        let kind: PlanKind
        if percent {
            kind = .share
        } else if perSchool {
            kind = .countPerSchool
        } else if times && period != nil && population == nil {
            kind = .frequency
        } else if period != nil {
            kind = .countPerPeriod
        } else {
            kind = .count
        }
        return PlanTarget(kind: kind, value: value, direction: direction ?? .atLeast, period: kind == .share || kind == .count ? nil : period,
                          population: kind == .frequency ? nil : population, wording: wording)
    }

    static func direction(_ text: String) -> PlanDirection? {
        let atLeast = ["не менее", "не меньше", "не ниже", "не реже", "как минимум", "минимум", "≥", "более чем", "свыше"]
        let atMost = ["не более", "не больше", "не выше", "не чаще", "не превышает", "максимум", "≤", "менее чем"]
        if atMost.contains(where: text.contains) { return .atMost }
        if atLeast.contains(where: text.contains) { return .atLeast }
        if text.contains("ровно") { return .exactly }
        return nil
    }

    static func period(_ text: String) -> PlanPeriod? {
        if let every = everyPeriod(text) { return every }
        let periods: [(PlanPeriod, [String])] = [
            (.year, ["в год", "в течение года", "за год", "в учебный год", "раз в год"]),
            (.halfYear, ["в полугодие", "в полгода", "раз в полугодие"]),
            (.quarter, ["в квартал"]),
            (.month, ["в месяц"]),
            (.week, ["в неделю"]),
        ]
        return periods.first { _, phrases in phrases.contains(where: text.contains) }?.0
    }

    /// «Ежегодно», «ежеквартально», «ежемесячно»: a period named as «every».
    static func everyPeriod(_ text: String) -> PlanPeriod? {
        if text.contains("ежегодн") { return .year }
        if text.contains("ежеквартальн") { return .quarter }
        if text.contains("ежемесячн") { return .month }
        if text.contains("еженедельн") { return .week }
        return nil
    }

    static func population(_ text: String) -> PlanPopulation? {
        let kinds: [(PlanPopulation, [String])] = [
            (.municipalities, [" муо", " мо ", " мо,", "муниципал", "округ"]),
            (.teachers, ["педагог", "учител"]),
            (.schools, ["школ", " оо ", " оо,", " оо.", "образовательных организаций", "образовательные организации", "шнор", "шнсу"]),
            (.people, ["человек", "участник", "обучающихся", "детей", "слушател"]),
            (.events, ["мероприят", "семинар", "конференц", "вебинар", "событ", "встреч"]),
        ]
        // The first named in the text: «5 человек от каждой школы» counts people, not schools.
        var best: (PlanPopulation, String.Index)?
        for (kind, stems) in kinds {
            for stem in stems {
                if let range = text.range(of: stem), best.map({ range.lowerBound < $0.1 }) ?? true { best = (kind, range.lowerBound) }
            }
        }
        return best?.0
    }

    /// The first number, in digits (decimal comma allowed) or in words, and whether it is in per cent.
    static func number(_ text: String) -> (Double, Bool)? {
        if let match = text.range(of: #"\d+([.,]\d+)?"#, options: .regularExpression) {
            guard let value = Double(text[match].replacingOccurrences(of: ",", with: ".")) else { return nil }
            let after = text[match.upperBound...].drop { $0 == " " }
            return (value, after.hasPrefix("%") || after.hasPrefix("процент"))
        }
        let words: [(String, Double)] = [("одного", 1), ("одной", 1), ("один", 1), ("одна", 1), ("двух", 2), ("два", 2), ("две", 2),
                                         ("дважды", 2), ("трех", 3), ("три", 3), ("трижды", 3), ("четырех", 4), ("четыре", 4),
                                         ("пяти", 5), ("пять", 5)]
        for (word, value) in words where text.range(of: #"\b\#(word)\b"#, options: .regularExpression) != nil {
            return (value, false)
        }
        return nil
    }
}
