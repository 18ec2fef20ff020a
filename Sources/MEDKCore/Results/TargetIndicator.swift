import Foundation

/// Where an indicator's fact comes from: computed by MEDK from its own data, or entered by the
/// region with a document of its own as evidence, which the federal operator reviews like any other.
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
    /// An entered fact's document; the fact counts once the document is confirmed.
    public var evidence: FactEvidence?

    public init(value: Double, trace: [String], enteredBy: String? = nil, enteredAt: Date? = nil, evidence: FactEvidence? = nil) {
        self.value = value
        self.trace = trace
        self.enteredBy = enteredBy
        self.enteredAt = enteredAt
        self.evidence = evidence
    }

    /// Computed facts stand on MEDK's data; an entered one on its document, once confirmed.
    public var isConfirmed: Bool { enteredAt == nil || evidence?.state == .confirmed }
}

/// The region's document an entered fact rests on: an item of the region (an analytical note, an
/// order, a protocol) that goes through review like every other document.
public struct FactEvidence: Codable, Sendable, Hashable {
    public var itemID: Int64
    public var title: String
    public var state: ReviewState

    public init(itemID: Int64, title: String, state: ReviewState) {
        self.itemID = itemID
        self.title = title
        self.state = state
    }
}

/// What an entered fact rests on, as the person gives it: a document the region already keeps, or
/// a new file that becomes the region's analytical note and goes to review with the fact.
public enum FactEvidenceInput: Sendable {
    case document(itemID: Int64)
    case newFile(fileName: String)
}

public enum IndicatorStatus: String, Codable, Sendable, CaseIterable, Hashable {
    case met, notMet, notYet, noPlan
    /// An entered fact whose document is not confirmed yet: it is shown, not counted.
    case unconfirmed

    public var russianName: String {
        switch self {
        case .met: "выполнено"
        case .notMet: "не выполнено"
        case .notYet: "факта ещё нет"
        case .noPlan: "план не задан"
        case .unconfirmed: "факт ждёт подтверждения документа"
        }
    }

    /// The status of a plan against a fact: an entered fact counts only once its document is confirmed.
    public static func of(_ plan: PlanTarget?, _ fact: IndicatorFact?) -> IndicatorStatus {
        guard let plan else { return .noPlan }
        guard let fact else { return .notYet }
        guard fact.isConfirmed else { return .unconfirmed }
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
