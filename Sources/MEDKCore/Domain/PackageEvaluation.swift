import Foundation

/// FIOCO's positions for evaluating a municipality's package (seed 004: «Требования ФИОКО»): what
/// its materials must show, each scored by the region's coordinator or the federal operator.
public enum EvaluationPosition: String, Codable, Sendable, CaseIterable {
    /// The municipality's specifics and the problems its analysis found.
    case specifics
    /// Concrete measures, activities and management decisions.
    case concreteMeasures
    /// The specifics taken into account when carrying the measures out.
    case specificsConsidered
    /// Every measure, measure and decision has its deadline.
    case deadlines
    /// Measures along FIOCO's three tracks.
    case tracks
    /// The measures match the regional complex of measures.
    case regionalComplex
    /// Analytical notes, the plan, orders or protocols, agreements — uploaded and confirmed.
    case supportingDocuments

    public var russianName: String {
        switch self {
        case .specifics: "Описание специфики муниципалитета и выявленных проблем"
        case .concreteMeasures: "Описание конкретных мер, мероприятий, управленческих решений"
        case .specificsConsidered: "Учёт специфики муниципалитета при реализации мер"
        case .deadlines: "Наличие сроков мероприятий, мер и управленческих решений"
        case .tracks: "Меры по трём трекам ФИОКО"
        case .regionalComplex: "Соответствие мероприятий региональному комплексу мер"
        case .supportingDocuments: "Подтверждающие документы"
        }
    }

    /// A short column heading for tables of many municipalities.
    public var shortName: String {
        switch self {
        case .specifics: "Специфика"
        case .concreteMeasures: "Меры"
        case .specificsConsidered: "Учёт специфики"
        case .deadlines: "Сроки"
        case .tracks: "Треки"
        case .regionalComplex: "Региональный комплекс"
        case .supportingDocuments: "Документы"
        }
    }
}

/// A position's score: FIOCO's positions are met, met in part, or not met.
public enum EvaluationScore {
    public static let range = 0...2
    public static let maximum = range.upperBound

    public static func russianName(_ score: Int) -> String {
        switch score {
        case 2: "2 — выполнено"
        case 1: "1 — частично"
        default: "0 — не выполнено"
        }
    }
}

/// What the system can tell about a position from the package itself, with the evidence it saw.
public struct PositionFinding: Codable, Sendable, Hashable {
    public var position: EvaluationPosition
    /// Met or not as the system judges it; nil where only a person can judge (the text of a note).
    public var met: Bool?
    public var evidence: [String]

    public init(position: EvaluationPosition, met: Bool?, evidence: [String]) {
        self.position = position
        self.met = met
        self.evidence = evidence
    }

    /// «выполнено», «не выполнено», «оценивает человек».
    public var russianVerdict: String {
        switch met {
        case true?: "выполнено"
        case false?: "не выполнено"
        case nil: "оценивает эксперт"
        }
    }
}

/// One position as the evaluator scored it.
public struct PositionScore: Codable, Sendable, Hashable {
    public var position: EvaluationPosition
    public var score: Int
    public var comment: String

    public init(position: EvaluationPosition, score: Int, comment: String) {
        self.position = position
        self.score = score
        self.comment = comment
    }
}

/// One version of a package's evaluation: never changed, a new judgement is a new version.
public struct PackageEvaluation: Codable, Sendable, Hashable {
    public var version: Int
    public var evaluatedAt: Date
    public var evaluatorLogin: String
    public var evaluatorName: String
    public var evaluatorRole: Role
    /// Every position, in FIOCO's order.
    public var scores: [PositionScore]
    public var total: Int
    public var maximum: Int
    /// What the system found when this version was written, kept with it.
    public var findings: [PositionFinding]

    public func score(_ position: EvaluationPosition) -> PositionScore? { scores.first { $0.position == position } }
}

/// A municipality's package evaluation as its page shows it: the system's findings now, the latest
/// version and the earlier ones.
public struct PackageEvaluationView: Codable, Sendable, Hashable {
    public var municipality: Municipality
    public var regionCode: String
    public var regionName: String
    /// The region's zone, in which times are shown.
    public var timeZone: String
    public var campaign: Campaign
    public var findings: [PositionFinding]
    public var current: PackageEvaluation?
    /// Earlier versions, newest first.
    public var history: [PackageEvaluation]
    /// The actor may evaluate (the region's coordinator, the federal operator).
    public var canEvaluate: Bool
}

/// A package's latest evaluation in one line of a table: nil version until it is evaluated.
public struct PackageEvaluationTotal: Codable, Sendable, Hashable {
    public var version: Int?
    public var total: Int?
    public var maximum: Int

    public init(_ evaluation: PackageEvaluation?) {
        version = evaluation?.version
        total = evaluation?.total
        maximum = evaluation?.maximum ?? EvaluationPosition.allCases.count * EvaluationScore.maximum
    }

    /// «12 из 14», or «не оценён».
    public var russian: String { total.map { "\($0) из \(maximum)" } ?? "не оценён" }
}

/// A region's municipalities side by side: each one's latest evaluation.
public struct RegionEvaluations: Codable, Sendable, Hashable {
    public struct Row: Codable, Sendable, Hashable {
        public var municipalityCode: String
        public var municipalityName: String
        /// Nil until the package is evaluated.
        public var evaluation: PackageEvaluation?
    }

    public var regionCode: String
    public var regionName: String
    public var timeZone: String
    public var campaign: Campaign
    public var positions: [EvaluationPosition]
    public var rows: [Row]
    public var evaluatedCount: Int { rows.filter { $0.evaluation != nil }.count }
}
