import Foundation

/// The rules by which a school enters and leaves the low-results programme, from its placements
/// over several years (as ESSA's identification does, so that one bad year of a small school does
/// not make the list churn): enter when low in `entryYears` of the last `entryWindow` years; leave
/// when above the cut in the last `exitYears` years running with a positive dynamic of the index.
public struct ProgrammeRules: Codable, Sendable, Hashable {
    public var entryYears: Int
    public var entryWindow: Int
    public var exitYears: Int

    public init(entryYears: Int = 2, entryWindow: Int = 3, exitYears: Int = 2) {
        self.entryYears = entryYears
        self.entryWindow = entryWindow
        self.exitYears = exitYears
    }

    public static let standard = ProgrammeRules()
}

/// What the rules say of a school this year.
public enum ProgrammeDecision: String, Codable, Sendable, Hashable, CaseIterable {
    /// Not in the programme and meets the entry rule.
    case enters
    /// In the programme and does not meet the exit rule.
    case stays
    /// In the programme and meets the exit rule.
    case leaves
    /// Not in the programme and does not meet the entry rule.
    case outside
    /// Not enough years placed to apply the rules.
    case insufficientData

    public var russianName: String {
        switch self {
        case .enters: "входит в программу"
        case .stays: "остаётся"
        case .leaves: "выходит из программы"
        case .outside: "вне программы"
        case .insufficientData: "недостаточно данных"
        }
    }
}

extension ProgrammeRules {
    /// The ШНОР decision for a school from its placements, oldest year first (the last is the year
    /// decided), and whether it is in the programme now. Only the results axis counts: a year
    /// without a results index counts neither low nor high. Leaving also needs the index to grow.
    public func decide(_ history: [Placement?], inProgramme: Bool) -> ProgrammeDecision {
        decide(history.map { $0?.lowResults }, flagged: inProgramme) {
            let indices = history.compactMap { $0?.resultsIndex }
            return indices.count >= 2 && indices[indices.count - 1] > indices[indices.count - 2]
        }
    }

    /// The ШНСУ decision by the same rule on the social axis: enter when in hard conditions in
    /// `entryYears` of the last `entryWindow` years, leave when favourable `exitYears` years running.
    public func decideConditions(_ history: [Placement?], flagged: Bool) -> ProgrammeDecision {
        decide(history.map { $0?.hardConditions }, flagged: flagged) { true }
    }

    /// `below`: per year, whether the school was below the cut (nil when not placed on that axis).
    private func decide(_ below: [Bool?], flagged: Bool, leavingAlsoNeeds: () -> Bool) -> ProgrammeDecision {
        if flagged {
            let recent = below.suffix(exitYears)
            guard recent.count == exitYears, recent.allSatisfy({ $0 == false }) else { return .stays }
            return leavingAlsoNeeds() ? .leaves : .stays
        }
        let placed = below.suffix(entryWindow).compactMap { $0 }
        guard placed.count >= entryYears else { return .insufficientData }
        return placed.filter { $0 }.count >= entryYears ? .enters : .outside
    }

    /// Whether the school should carry the flag after the decision (kept as it is without data).
    public static func flag(after decision: ProgrammeDecision, now: Bool) -> Bool {
        switch decision {
        case .enters, .stays: true
        case .leaves, .outside: false
        case .insufficientData: now
        }
    }
}
