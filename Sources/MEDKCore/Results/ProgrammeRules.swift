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
public enum ProgrammeDecision: String, Codable, Sendable, Hashable {
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
    /// The decision for a school from its placements, oldest year first (the last is the year
    /// decided), and whether it is in the programme now. A year without a placement counts neither
    /// low nor high.
    public func decide(_ history: [Placement?], inProgramme: Bool) -> ProgrammeDecision {
        if inProgramme {
            let recent = history.suffix(exitYears)
            guard recent.count == exitYears, recent.allSatisfy({ $0?.group != nil }) else { return .stays }
            let high = recent.allSatisfy { $0?.group?.lowResults == false }
            let indices = history.compactMap { $0?.resultsIndex }
            let improving = indices.count >= 2 && indices[indices.count - 1] > indices[indices.count - 2]
            return high && improving ? .leaves : .stays
        }
        let recent = history.suffix(entryWindow)
        let placed = recent.filter { $0?.group != nil }
        guard placed.count >= entryYears else { return .insufficientData }
        let low = placed.filter { $0?.group?.lowResults == true }.count
        return low >= entryYears ? .enters : .outside
    }
}
