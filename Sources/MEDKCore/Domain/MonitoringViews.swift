import Foundation

/// A curator's assignment to a school in a campaign.
public struct CuratorAssignment: Codable, Sendable, Hashable {
    public var schoolCode: String
    public var schoolName: String
    public var municipalityName: String
    public var curatorLogin: String
    public var curatorName: String
}

/// A region's own due date for a milestone.
public struct MilestoneOverride: Codable, Sendable, Hashable {
    public var kind: ItemKind
    public var regionCode: String
    public var regionName: String
    public var dueDate: CalendarDate
}

/// One roadmap measure whose due date has passed in its owner's zone with no confirmed report.
public struct OverdueMeasure: Codable, Sendable, Hashable {
    public var measureID: Int64
    public var roadmapID: Int64
    public var campaignID: Int64
    public var title: String
    public var task: String
    public var responsible: String
    public var dueDate: CalendarDate
    /// Whole days since the due date, in the owner's zone.
    public var daysOverdue: Int
    public var reportItemID: Int64?
    /// Nil when the school has not started reporting.
    public var reportState: ReviewState?
    public var schoolCode: String?
    public var schoolName: String?
    /// Nil for a measure of the region's own roadmap.
    public var municipalityCode: String?
    public var municipalityName: String?
    public var regionCode: String
    public var regionName: String
    public var timeZone: String

    /// Whose measure it is: the school, the municipality or the region, by name.
    public var ownerName: String { schoolName ?? municipalityName ?? regionName }
}

/// How the overdue list is ordered.
public enum OverdueSort: String, Codable, Sendable, CaseIterable {
    /// Longest overdue first.
    case dueDate = "due"
    /// Most recently overdue first.
    case recent
    /// Grouped by municipality and school, longest overdue first within each.
    case school

    public var russianName: String {
        switch self {
        case .dueDate: "сначала самые давние"
        case .recent: "сначала недавние"
        case .school: "по муниципалитетам и школам"
        }
    }
}
