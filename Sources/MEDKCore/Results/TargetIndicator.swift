import Foundation

/// Where an indicator's fact comes from: computed by MEDK from its own data, or entered by the
/// region (with a comment naming its evidence).
public enum IndicatorSource: String, Codable, Sendable, CaseIterable, Hashable {
    /// The share of ШНОР and ШНСУ schools whose results index rose beyond its noise (seed 000 §3 1.2).
    case positiveDynamics
    /// The share of ШНОР schools whose roadmap of the year's campaign is confirmed.
    case confirmedRoadmaps
    /// How many schools left the low-results zone in the year.
    case leftLowResults
    case entered

    public var russianName: String {
        switch self {
        case .positiveDynamics: "рассчитывает МЭДК: доля ШНОР и ШНСУ с ростом индекса результатов сверх его шума"
        case .confirmedRoadmaps: "рассчитывает МЭДК: доля ШНОР с подтверждённой дорожной картой кампании года"
        case .leftLowResults: "рассчитывает МЭДК: число школ, вышедших из зоны низких результатов за год"
        case .entered: "вносит регион"
        }
    }

    public var isComputed: Bool { self != .entered }
}

/// An indicator a region may adopt: seed 000's efficiency indicators (§3) and MEDK's own.
public struct IndicatorDefinition: Codable, Sendable, Hashable {
    public var code: String
    public var title: String
    public var source: IndicatorSource

    public init(code: String, title: String, source: IndicatorSource) {
        self.code = code
        self.title = title
        self.source = source
    }
}

public enum IndicatorCatalogue {
    /// Seed 000 §3: what a regional concept monitors; 1.1 (the indices themselves) is identification.
    public static let seed000: [IndicatorDefinition] = [
        IndicatorDefinition(code: "1.2", title: "Доля ШНОР и ШНСУ, ежегодно показывающих положительную динамику индекса образовательных результатов",
                            source: .positiveDynamics),
        IndicatorDefinition(code: "1.3.1", title: "Доля педагогических работников ШНОР, прошедших диагностику профессиональных дефицитов",
                            source: .entered),
        IndicatorDefinition(code: "1.3.2", title: "Доля педагогических работников ШНОР, показавших положительную динамику уровня профессиональных компетенций",
                            source: .entered),
        IndicatorDefinition(code: "1.4.1", title: "Доля педагогических работников и управленческих кадров с индивидуальными образовательными маршрутами",
                            source: .entered),
        IndicatorDefinition(code: "1.4.2", title: "Доля школ, вовлечённых в сетевое взаимодействие со школами-кураторами (менторство)",
                            source: .entered),
        IndicatorDefinition(code: "1.4.3", title: "Доля школ, в которых управленческие команды повысили квалификацию по управлению качеством образования",
                            source: .entered),
        IndicatorDefinition(code: "М.1", title: "Доля ШНОР с подтверждённой дорожной картой", source: .confirmedRoadmaps),
        IndicatorDefinition(code: "М.2", title: "Число школ, вышедших из зоны низких результатов", source: .leftLowResults),
    ]
}

/// A plan for one year, as worded and as read.
public struct YearPlan: Codable, Sendable, Hashable {
    public var year: Int
    public var target: PlanTarget

    public init(year: Int, target: PlanTarget) {
        self.year = year
        self.target = target
    }
}

/// A region's indicator with its plans by year.
public struct TargetIndicator: Codable, Sendable, Hashable {
    public var id: Int64
    public var regionID: Int64
    public var code: String
    public var title: String
    public var source: IndicatorSource
    public var plans: [YearPlan]
}

/// A fact: its value (a share in per cent) and how it was obtained, line by line.
public struct IndicatorFact: Codable, Sendable, Hashable {
    public var value: Double
    public var trace: [String]
    public var enteredBy: String?
    public var enteredAt: Date?

    public init(value: Double, trace: [String], enteredBy: String? = nil, enteredAt: Date? = nil) {
        self.value = value
        self.trace = trace
        self.enteredBy = enteredBy
        self.enteredAt = enteredAt
    }
}

public enum IndicatorStatus: String, Codable, Sendable, CaseIterable, Hashable {
    case met, notMet, notYet, noPlan

    public var russianName: String {
        switch self {
        case .met: "выполнено"
        case .notMet: "не выполнено"
        case .notYet: "факта ещё нет"
        case .noPlan: "план не задан"
        }
    }

    /// The status of a plan against a fact.
    public static func of(_ plan: PlanTarget?, _ fact: IndicatorFact?) -> IndicatorStatus {
        guard let plan else { return .noPlan }
        guard let fact else { return .notYet }
        return plan.isMet(by: fact.value) ? .met : .notMet
    }
}

/// One indicator in one year, with the facts of the years before for its trend.
public struct IndicatorRow: Codable, Sendable, Hashable {
    public var indicator: TargetIndicator
    public var year: Int
    public var plan: PlanTarget?
    public var fact: IndicatorFact?
    public var status: IndicatorStatus
    /// Earlier years' facts, oldest first.
    public var trend: [YearValue]
}

public struct YearValue: Codable, Sendable, Hashable {
    public var year: Int
    public var value: Double
}

/// A region's indicators for a year.
public struct IndicatorReport: Codable, Sendable, Hashable {
    public var region: Region
    public var year: Int
    public var rows: [IndicatorRow]
    /// Whether the reader sets plans and enters facts here.
    public var canEdit: Bool
}
