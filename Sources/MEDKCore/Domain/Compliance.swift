import Foundation

/// How a school stands against one milestone as of a moment.
public enum MilestoneStatus: String, Codable, Sendable, CaseIterable {
    case onTime = "on_time"
    case late
    case missing
    case awaitingReview = "awaiting_review"
    case returned
    case notDue = "not_due"

    public var russianName: String {
        switch self {
        case .onTime: "в срок"
        case .late: "с опозданием"
        case .missing: "не представлено"
        case .awaitingReview: "на проверке"
        case .returned: "на доработке"
        case .notDue: "срок не наступил"
        }
    }

    /// Most severe first: a milestone covering several items shows its worst one.
    var severity: Int {
        switch self {
        case .missing: 0
        case .late: 1
        case .returned: 2
        case .awaitingReview: 3
        case .notDue: 4
        case .onTime: 5
        }
    }
}

/// An item as it stood at the moment being judged, rebuilt from its history.
public struct ItemSnapshot: Sendable, Hashable {
    public var state: ReviewState
    public var firstSubmittedAt: Date?
    public var lastSubmittedAt: Date?
    public var everConfirmed: Bool

    public init(state: ReviewState, firstSubmittedAt: Date?, lastSubmittedAt: Date?, everConfirmed: Bool) {
        self.state = state
        self.firstSubmittedAt = firstSubmittedAt
        self.lastSubmittedAt = lastSubmittedAt
        self.everConfirmed = everConfirmed
    }

    /// Replays transitions (time, resulting state) up to and excluding `cutoff`.
    public static func replay(_ transitions: [(at: Date, action: ReviewAction, to: ReviewState)], before cutoff: Date) -> ItemSnapshot {
        var snapshot = ItemSnapshot(state: .draft, firstSubmittedAt: nil, lastSubmittedAt: nil, everConfirmed: false)
        for transition in transitions.sorted(by: { $0.at < $1.at }) where transition.at < cutoff {
            snapshot.state = transition.to
            if transition.action == .submit {
                snapshot.firstSubmittedAt = snapshot.firstSubmittedAt ?? transition.at
                snapshot.lastSubmittedAt = transition.at
            }
            if transition.to == .confirmed { snapshot.everConfirmed = true }
        }
        return snapshot
    }
}

public enum ComplianceRules {
    /// One item against a deadline. Timeliness is judged by the first submission: a school
    /// that sent its document in time and was asked for corrections did meet the deadline.
    public static func status(of item: ItemSnapshot?, deadline: Date, asOf: Date) -> MilestoneStatus {
        guard let item, let firstSubmitted = item.firstSubmittedAt,
              item.state != .draft || item.everConfirmed else {
            return asOf < deadline ? .notDue : .missing
        }
        if firstSubmitted >= deadline { return .late }
        switch item.state {
        case .confirmed: return .onTime
        case .submitted: return .awaitingReview
        case .returned: return .returned
        case .draft: return .onTime  // a revision of a confirmed item; the confirmed version stands
        }
    }

    /// Several items under one milestone (anti-risk programmes, one per chosen risk):
    /// `expectedCount` missing ones count as not submitted.
    public static func status(of items: [ItemSnapshot], expectedCount: Int, deadline: Date, asOf: Date) -> MilestoneStatus {
        var statuses = items.map { status(of: $0, deadline: deadline, asOf: asOf) }
        let absent = max(expectedCount - items.count, items.isEmpty ? 1 : 0)
        statuses += Array(repeating: status(of: nil, deadline: deadline, asOf: asOf), count: absent)
        return statuses.min(by: { $0.severity < $1.severity })!
    }
}

public struct MilestoneCell: Codable, Sendable, Hashable {
    public var kind: ItemKind
    public var title: String
    public var dueDate: CalendarDate
    public var status: MilestoneStatus
    public var statusName: String
    public var firstSubmittedAt: Date?
}

public struct MeasureTotals: Codable, Sendable, Hashable {
    public var total: Int = 0
    public var confirmed: Int = 0
    public var overdue: Int = 0
    public var reportedLate: Int = 0

    public init() {}
}

public struct SchoolCompliance: Codable, Sendable, Hashable {
    public var schoolID: Int64
    public var schoolCode: String
    public var schoolName: String
    public var municipalityCode: String
    public var municipalityName: String
    public var regionName: String
    public var timeZone: String
    public var milestones: [MilestoneCell]
    public var measures: MeasureTotals
}

public struct CuratorLoad: Codable, Sendable, Hashable {
    public var login: String
    public var fullName: String
    public var schools: Int
    public var waiting: Int
    public var oldestWaitingSince: Date?
    public var oldestWaitHours: Int?
}

public struct ComplianceReport: Codable, Sendable, Hashable {
    public var campaignCode: String
    public var campaignName: String
    public var scope: String
    public var asOf: CalendarDate?
    public var generatedAt: Date
    public var schools: [SchoolCompliance]
    public var curators: [CuratorLoad]
}
