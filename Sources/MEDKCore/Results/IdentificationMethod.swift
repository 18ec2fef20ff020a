import Foundation

/// An exam whose school means feed the index of educational results (seed 000, §3 1.1).
public enum ExamKind: String, Codable, Sendable, CaseIterable, Hashable {
    case ege
    case oge
    /// Всероссийские проверочные работы, 4th grade.
    case vpr4

    public var russianName: String {
        switch self {
        case .ege: "ЕГЭ"
        case .oge: "ОГЭ"
        case .vpr4: "ВПР, 4 класс"
        }
    }
}

public enum ExamSubject: String, Codable, Sendable, CaseIterable, Hashable {
    case russian
    case mathematics

    public var russianName: String {
        switch self {
        case .russian: "русский язык"
        case .mathematics: "математика"
        }
    }
}

/// One component of the results index: an exam in a subject, with its weight.
public struct ResultComponent: Codable, Sendable, Hashable {
    public var exam: ExamKind
    public var subject: ExamSubject
    public var weight: Double

    public init(_ exam: ExamKind, _ subject: ExamSubject, weight: Double = 1) {
        self.exam = exam
        self.subject = subject
        self.weight = weight
    }

    public var key: ComponentKey { ComponentKey(exam: exam, subject: subject) }
}

public struct ComponentKey: Codable, Sendable, Hashable, Comparable {
    public var exam: ExamKind
    public var subject: ExamSubject

    public init(exam: ExamKind, subject: ExamSubject) {
        self.exam = exam
        self.subject = subject
    }

    public static func < (a: ComponentKey, b: ComponentKey) -> Bool { (a.exam.rawValue, a.subject.rawValue) < (b.exam.rawValue, b.subject.rawValue) }
}

/// One indicator of a school's social context, and which way is better: a larger share of pupils
/// from families where neither parent has higher education means harder conditions.
public struct SocialComponent: Codable, Sendable, Hashable {
    public var name: String
    public var weight: Double
    /// True when a larger value means more favourable conditions.
    public var higherIsFavourable: Bool

    public init(_ name: String, weight: Double = 1, higherIsFavourable: Bool = false) {
        self.name = name
        self.weight = weight
        self.higherIsFavourable = higherIsFavourable
    }
}

/// How school means are made comparable within a region before they are combined.
public enum Standardisation: String, Codable, Sendable, Hashable, CaseIterable {
    /// (value − regional mean) / regional standard deviation, per component and year.
    case zScore
    /// The share of the region's schools below the value, per component and year (0…1).
    case percentile
}

/// Where an axis is cut into low and high. In JSON: `{"kind": "percentile", "value": 0.25}`,
/// `{"kind": "value", "value": -0.5}` or `{"kind": "median"}`.
public enum CutPoint: Codable, Sendable, Hashable {
    /// The value below which this share of the region's placed schools lies (0…1).
    case percentile(Double)
    /// A fixed value of the index.
    case value(Double)
    /// The region's median.
    case median

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case percentile, value, median
    }

    private enum CodingKeys: String, CodingKey { case kind, value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // A missing value reads as NaN, which `IdentificationMethod.validate` refuses in words (422)
        // rather than as malformed JSON.
        let value = try container.decodeIfPresent(Double.self, forKey: .value) ?? .nan
        switch try container.decode(Kind.self, forKey: .kind) {
        case .median: self = .median
        case .percentile: self = .percentile(value)
        case .value: self = .value(value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .median: try container.encode(Kind.median, forKey: .kind)
        case .percentile(let share):
            try container.encode(Kind.percentile, forKey: .kind)
            try container.encode(share, forKey: .value)
        case .value(let value):
            try container.encode(Kind.value, forKey: .kind)
            try container.encode(value, forKey: .value)
        }
    }

    public var russian: String {
        switch self {
        case .percentile(let share): "\(Int((share * 100).rounded()))-й процентиль региона"
        case .value(let value): "значение \(value)"
        case .median: "медиана региона"
        }
    }
}

/// How a region identifies its schools, kept as data and versioned, so that a list names the method
/// it was made with and is reproduced from it exactly (and a changed method shows whom it moves).
public struct IdentificationMethod: Codable, Sendable, Hashable {
    public var components: [ResultComponent]
    public var social: [SocialComponent]
    public var standardisation: Standardisation
    /// The years a school's results index covers, ending with the year identified (seed 000: three).
    public var windowYears: Int
    /// Fewer participants over the window than this, and the school's results index is «недостаточно данных».
    public var minimumParticipants: Int
    public var resultsCut: CutPoint
    public var socialCut: CutPoint
    /// How much a pupil's score varies within a school compared with how school means vary between
    /// schools (in standard deviations): the noise of a school of `n` participants is this ÷ √n, and a
    /// school nearer a cut than twice its noise is placed without certainty.
    public var withinToBetweenRatio: Double

    public init(components: [ResultComponent], social: [SocialComponent], standardisation: Standardisation = .zScore, windowYears: Int = 3,
                minimumParticipants: Int = 15, resultsCut: CutPoint, socialCut: CutPoint, withinToBetweenRatio: Double = 3) {
        self.components = components
        self.social = social
        self.standardisation = standardisation
        self.windowYears = windowYears
        self.minimumParticipants = minimumParticipants
        self.resultsCut = resultsCut
        self.socialCut = socialCut
        self.withinToBetweenRatio = withinToBetweenRatio
    }

    /// Seed 000 (§3 1.1, §4): ЕГЭ and ОГЭ in Russian and mathematics and ВПР in grade 4, equally
    /// weighted, over the three previous years; standardised within the region; the lowest quarter
    /// of results is «low», the lowest quarter of social well-being is «hard conditions». The social
    /// indicators are the ones regions commonly collect; each region may choose its own.
    public static let seed000 = IdentificationMethod(
        components: ExamKind.allCases.flatMap { exam in ExamSubject.allCases.map { ResultComponent(exam, $0) } },
        social: [
            SocialComponent("Доля обучающихся из семей, где ни один родитель не имеет высшего образования"),
            SocialComponent("Доля обучающихся из неполных семей"),
            SocialComponent("Доля обучающихся, состоящих на профилактическом учёте"),
            SocialComponent("Доля обучающихся, для которых русский язык не родной"),
        ],
        resultsCut: .percentile(0.25), socialCut: .percentile(0.25))
}

extension IdentificationMethod {
    /// Refuses a method that cannot place anybody sensibly, naming what is wrong.
    public func validate() throws(MEDKError) {
        var problems: [String] = []
        if components.isEmpty { problems.append("нет ни одного компонента индекса результатов") }
        if components.contains(where: { !($0.weight > 0 && $0.weight.isFinite) }) || social.contains(where: { !($0.weight > 0 && $0.weight.isFinite) }) {
            problems.append("веса компонентов должны быть положительными числами")
        }
        if social.contains(where: { $0.name.trimmingCharacters(in: .whitespaces).isEmpty }) { problems.append("у показателя контекста нет названия") }
        if !(1...10).contains(windowYears) { problems.append("окно — от 1 до 10 лет") }
        if !(0...10_000).contains(minimumParticipants) { problems.append("минимальное число участников — от 0 до 10 000") }
        for cut in [resultsCut, socialCut] {
            if case .percentile(let share) = cut, !(0...1).contains(share) { problems.append("процентиль порога — от 0 до 100 (доля от 0 до 1)") }
            if case .value(let value) = cut, !value.isFinite { problems.append("значение порога должно быть числом") }
        }
        if !(withinToBetweenRatio > 0 && withinToBetweenRatio.isFinite) { problems.append("отношение разбросов должно быть положительным") }
        guard problems.isEmpty else {
            throw MEDKError.rejected("invalid_method", "Методика не принята: \(problems.joined(separator: "; ")).", details: problems)
        }
    }

    /// The definition as stored and hashed: JSON with sorted keys.
    func canonicalJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

extension ProgrammeRules {
    public func validate() throws(MEDKError) {
        guard (1...10).contains(entryWindow), (1...entryWindow).contains(entryYears), (1...10).contains(exitYears) else {
            throw MEDKError.rejected("invalid_rules", "Правила не приняты: вход — «ниже порога N лет из M» при 1 ≤ N ≤ M ≤ 10, "
                                     + "выход — от 1 до 10 лет подряд выше порога.")
        }
    }
}
