import Foundation

/// Whether a school is ШНОР and whether it is ШНСУ.
public struct ProgrammeFlags: Codable, Sendable, Hashable {
    public var lowResults: Bool
    public var hardSocialConditions: Bool

    public init(lowResults: Bool, hardSocialConditions: Bool) {
        self.lowResults = lowResults
        self.hardSocialConditions = hardSocialConditions
    }

    public var russian: String {
        switch (lowResults, hardSocialConditions) {
        case (true, true): "ШНОР и ШНСУ"
        case (true, false): "ШНОР"
        case (false, true): "ШНСУ"
        case (false, false): "вне программы"
        }
    }
}

public enum IdentificationListState: String, Codable, Sendable, CaseIterable, Hashable {
    /// Open to objections, changes nothing yet.
    case draft
    /// Decided: the flags were changed and the list is frozen.
    case approved
    /// Replaced by a newer draft or withdrawn; kept for the record.
    case discarded

    public var russianName: String {
        switch self {
        case .draft: "проект"
        case .approved: "утверждён"
        case .discarded: "отменён"
        }
    }
}

/// One school's line in a list: where it was placed, what the rules say of it for ШНОР and ШНСУ,
/// its flags before, and the flags the list proposes (the rules' proposal, or an accepted objection's).
public struct ListEntry: Codable, Sendable, Hashable {
    public var schoolID: Int64
    public var schoolCode: String
    public var schoolName: String
    public var municipalityID: Int64
    public var municipalityName: String
    public var placement: Placement
    public var decision: ProgrammeDecision
    public var socialDecision: ProgrammeDecision
    public var before: ProgrammeFlags
    public var proposed: ProgrammeFlags
    /// Objections raised on this school in this list (pending ones first).
    public var objections: Int

    public init(schoolID: Int64, schoolCode: String, schoolName: String, municipalityID: Int64, municipalityName: String,
                placement: Placement, decision: ProgrammeDecision, socialDecision: ProgrammeDecision,
                before: ProgrammeFlags, proposed: ProgrammeFlags, objections: Int = 0) {
        self.schoolID = schoolID
        self.schoolCode = schoolCode
        self.schoolName = schoolName
        self.municipalityID = municipalityID
        self.municipalityName = municipalityName
        self.placement = placement
        self.decision = decision
        self.socialDecision = socialDecision
        self.before = before
        self.proposed = proposed
        self.objections = objections
    }

    public var changesFlags: Bool { before != proposed }
}

/// Which lines of a list to show.
public enum ListEntryFilter: String, Codable, Sendable, CaseIterable, Hashable {
    /// Schools whose flags the list would change.
    case changes
    case uncertain
    case insufficientData
    case objected
    case all

    public var russianName: String {
        switch self {
        case .changes: "меняется статус"
        case .uncertain: "неустойчивое положение"
        case .insufficientData: "недостаточно данных"
        case .objected: "есть возражения"
        case .all: "все школы"
        }
    }

    /// Whether a line belongs (the storage's query says the same in SQL).
    public func matches(_ entry: ListEntry) -> Bool {
        switch self {
        case .changes: entry.changesFlags
        case .uncertain: entry.placement.uncertain
        case .insufficientData: entry.decision == .insufficientData
        case .objected: entry.objections > 0
        case .all: true
        }
    }
}

/// How many schools of a list (or of a municipality's part of it) stand how.
public struct ListCounts: Codable, Sendable, Hashable {
    public var schools = 0
    public var entering = 0
    public var leaving = 0
    public var staying = 0
    public var changes = 0
    public var uncertain = 0
    public var insufficientData = 0
    public var pendingObjections = 0
    public var groups: [SchoolGroup: Int] = [:]

    public init() {}
}

/// A list's heading: for what, by which method and data, in what state.
public struct IdentificationListSummary: Codable, Sendable, Hashable {
    public var id: Int64
    public var regionID: Int64
    public var regionCode: String
    public var regionName: String
    /// The region's zone: the objection period's last day ends at its midnight.
    public var timeZone: String
    public var year: Int
    public var methodVersion: Int
    public var method: IdentificationMethod
    public var rules: ProgrammeRules
    public var state: IdentificationListState
    /// The last day municipal coordinators may object, in the region's calendar.
    public var objectionsUntil: CalendarDate
    /// The last data import the list was made from.
    public var dataBatch: Int64
    public var inputsHash: String
    public var runHash: String
    public var createdAt: Date
    public var createdBy: String?
    public var decidedAt: Date?
    public var decidedBy: String?
    /// The cut points of the list's year, as values of the indices (for drawing them).
    public var resultsCut: Double?
    public var socialCut: Double?
    public var counts: ListCounts
}

/// How much of a region's data is loaded for a year.
public struct ResultsCoverage: Codable, Sendable, Hashable {
    public var year: Int
    public var schoolsWithResults: Int
    public var schoolsWithSocial: Int

    public init(year: Int, schoolsWithResults: Int, schoolsWithSocial: Int) {
        self.year = year
        self.schoolsWithResults = schoolsWithResults
        self.schoolsWithSocial = schoolsWithSocial
    }
}

public enum ObjectionState: String, Codable, Sendable, CaseIterable, Hashable {
    case pending, accepted, rejected

    public var russianName: String {
        switch self {
        case .pending: "ждёт решения"
        case .accepted: "принято"
        case .rejected: "отклонено"
        }
    }
}

/// A municipal coordinator's objection to a school's line: what the school's flags should be, and why.
public struct PlacementObjection: Codable, Sendable, Hashable {
    public var id: Int64
    public var listID: Int64
    public var schoolID: Int64
    public var schoolCode: String
    public var schoolName: String
    public var municipalityID: Int64
    public var author: String?
    public var createdAt: Date
    public var reason: String
    public var wanted: ProgrammeFlags
    public var state: ObjectionState
    public var decidedAt: Date?
    public var decidedBy: String?
    public var decisionComment: String?
}

/// A list with the lines the reader asked for and the objections within their reach.
public struct IdentificationListView: Codable, Sendable, Hashable {
    public var summary: IdentificationListSummary
    /// The counts within the reader's reach (a municipality's part of the list).
    public var counts: ListCounts
    public var entries: Page<ListEntry>
    public var objections: [PlacementObjection]
    /// Whether the reader may object now (a municipal coordinator within the period).
    public var canObject: Bool
    /// A draft whose objection period has not ended (in the region's calendar).
    public var objectionsOpen: Bool
    /// Whether the reader decides objections and approves (the region's coordinator, FIOCO, the administrator).
    public var canDecide: Bool
}
