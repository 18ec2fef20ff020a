import Crypto
import Foundation

/// A school as the list needs to know it before identification: where it is and its flags now.
public struct SchoolStanding: Codable, Sendable, Hashable {
    public var schoolID: Int64
    public var code: String
    public var name: String
    public var municipalityID: Int64
    public var municipalityName: String
    public var flags: ProgrammeFlags

    public init(schoolID: Int64, code: String, name: String, municipalityID: Int64, municipalityName: String, flags: ProgrammeFlags) {
        self.schoolID = schoolID
        self.code = code
        self.name = name
        self.municipalityID = municipalityID
        self.municipalityName = municipalityName
        self.flags = flags
    }
}

/// A draft list made from data, as a pure function: identification for each year the entry rule
/// looks back on, each school's decisions for ШНОР and ШНСУ, and the flags the list proposes.
/// Every school of the region has a line, those without data marked «недостаточно данных» with
/// their flags kept.
public struct DraftList: Sendable, Hashable {
    public var year: Int
    /// One run per year of the rules' window, oldest first; the last is the list's year.
    public var runs: [IdentificationRun]
    public var entries: [ListEntry]
    public var inputsHash: String
    public var runHash: String

    public static func make(year: Int, method: IdentificationMethod, rules: ProgrammeRules,
                            schools: [SchoolStanding], histories: [SchoolResultsHistory]) throws -> DraftList {
        let lookBack = max(rules.entryWindow, rules.exitYears)
        let years = (year - lookBack + 1)...year
        let runs = years.map { runYear in
            Identification.run(method, year: runYear, schools: histories.map { $0.input(for: runYear, windowYears: method.windowYears) })
        }
        let placements = runs.map { run in Dictionary(uniqueKeysWithValues: run.placements.map { ($0.schoolCode, $0) }) }
        let entries = schools.sorted { $0.code < $1.code }.map { school -> ListEntry in
            let history = placements.map { $0[school.code] }
            let decision = rules.decide(history, inProgramme: school.flags.lowResults)
            let social = rules.decideConditions(history, flagged: school.flags.hardSocialConditions)
            let proposed = ProgrammeFlags(lowResults: ProgrammeRules.flag(after: decision, now: school.flags.lowResults),
                                          hardSocialConditions: ProgrammeRules.flag(after: social, now: school.flags.hardSocialConditions))
            var placement = history.last.flatMap { $0 }
                ?? Placement(schoolCode: school.code, resultsIndex: nil, socialIndex: nil, group: nil, resultsNoise: nil,
                             uncertain: false, participants: 0)
            // Below the cut in only one year of the window: one bad (or one good) year is what makes
            // lists churn, so the placement is not vouched for, whatever the noise says.
            if history.suffix(rules.entryWindow).compactMap({ $0?.lowResults }).filter({ $0 }).count == 1 { placement.uncertain = true }
            return ListEntry(schoolID: school.schoolID, schoolCode: school.code, schoolName: school.name,
                             municipalityID: school.municipalityID, municipalityName: school.municipalityName,
                             placement: placement, decision: decision, socialDecision: social, before: school.flags, proposed: proposed)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return DraftList(year: year, runs: runs, entries: entries, inputsHash: try SchoolResultsHistory.contentHash(histories),
                         runHash: SHA256.hash(data: try encoder.encode(runs)).hexString)
    }

    /// The earliest year whose results the list reads: the first run's window.
    public static func firstYear(_ year: Int, method: IdentificationMethod, rules: ProgrammeRules) -> Int {
        year - max(rules.entryWindow, rules.exitYears) + 1 - method.windowYears + 1
    }
}

extension ListCounts {
    /// The counts of a list's lines.
    public init(_ entries: some Sequence<ListEntry>, pendingObjections: Int = 0) {
        self.init()
        for entry in entries {
            schools += 1
            if !entry.before.lowResults && entry.proposed.lowResults { entering += 1 }
            if entry.before.lowResults && !entry.proposed.lowResults { leaving += 1 }
            if entry.before.lowResults && entry.proposed.lowResults { staying += 1 }
            if entry.changesFlags { changes += 1 }
            if entry.placement.uncertain { uncertain += 1 }
            if entry.decision == .insufficientData { insufficientData += 1 }
            if let group = entry.placement.group { groups[group, default: 0] += 1 }
        }
        self.pendingObjections = pendingObjections
    }
}
