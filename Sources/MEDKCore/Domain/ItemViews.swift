import Foundation

/// One immutable uploaded version of an item's file.
public struct FileVersion: Codable, Sendable, Hashable {
    public var version: Int
    public var fileName: String
    public var mediaType: String
    public var size: Int64
    public var sha256: String
    public var uploadedBy: String
    public var uploadedAt: Date
}

/// One line of an item's history, taken from the audit log.
public struct HistoryEntry: Codable, Sendable, Hashable {
    public var seq: Int64
    public var at: Date
    /// The login of who acted (`local:<user>` for the operator's console).
    public var actor: String
    /// Their name as people know them, when the actor is a user.
    public var actorName: String?
    public var role: Role?
    public var action: AuditAction
    public var fromState: ReviewState?
    public var toState: ReviewState?
    public var comment: String?
    public var details: [String: String]
}

public struct RiskProfileEntry: Codable, Sendable, Hashable {
    public var riskFactorID: Int64
    public var number: Int
    public var title: String
    public var significance: Significance
    public var chosen: Bool
}

public struct Measure: Codable, Sendable, Hashable {
    public var id: Int64
    public var roadmapID: Int64
    public var position: Int
    public var riskFactorID: Int64?
    public var track: MunicipalTrack?
    public var task: String
    public var title: String
    /// Nil when an imported deadline was not understood: the measure waits for a person to date it,
    /// is never overdue meanwhile, and keeps its roadmap from going to review.
    public var dueDate: CalendarDate?
    /// The deadline as the imported table wrote it («Апрель 2023г.», «Ежемесячно»).
    public var deadlineText: String?
    /// One occurrence of a recurring or several-dated measure, each reported and monitored on its own.
    public var series: MeasureSeries?
    public var responsible: String
    public var expectedResult: String
    public var indicator: String
    public var plannedValue: String
    public var actualValue: String?
    public var regionalMeasure: String?
    /// Where an imported measure sat in its table: the stage, goal and section headings above it.
    public var stage: String?
    public var goal: String?
    public var section: String?
    /// The order or programme the measure rests on (regional roadmaps name one).
    public var normativeDocument: String?
    /// Municipal roadmaps: the measure of the region's confirmed roadmap this one implements, by
    /// reference (`regionalMeasure` is what an imported table or an older entry wrote in words).
    public var regionalMeasureID: Int64?
    public var regionalMeasureTitle: String?
    /// The report item of this measure, once the school started reporting.
    public var reportItemID: Int64?
    public var reportState: ReviewState?
    /// Due date passed in the owner's zone and the report is not confirmed.
    public var overdue: Bool
    /// A commitment: its roadmap has been sent to review with it (see `MeasureRules`).
    public var committed: Bool = false

    /// «30.04.2023», or «без срока» for a measure still waiting for its date.
    public var russianDueDate: String { dueDate?.russian ?? "без срока" }
}

/// The occurrences one roadmap row became: «Ежемесячно» in 2023 is twelve measures of one series.
public struct MeasureSeries: Codable, Sendable, Hashable {
    /// The series' key: the id its first occurrence had when imported.
    public var id: Int64
    public var recurrence: DeadlineRecurrence?
    /// This occurrence's place by due date, from 1.
    public var occurrence: Int
    public var count: Int

    public init(id: Int64, recurrence: DeadlineRecurrence?, occurrence: Int, count: Int) {
        self.id = id
        self.recurrence = recurrence
        self.occurrence = occurrence
        self.count = count
    }

    /// «ежемесячно, 3 из 12» or «срок 2 из 2».
    public var russian: String {
        "\(recurrence?.russianName ?? "срок") \(occurrence) из \(count)"
    }
}

/// What lists show of an item.
public struct ItemSummary: Codable, Sendable, Hashable {
    public var id: Int64
    public var campaignID: Int64
    public var kind: ItemKind
    public var kindName: String
    public var title: String
    public var state: ReviewState
    public var stateName: String
    public var revision: Int
    public var schoolID: Int64?
    public var schoolCode: String?
    public var schoolName: String?
    /// Nil for a region's own item (its regional roadmap).
    public var municipalityID: Int64?
    public var municipalityName: String?
    public var regionID: Int64
    public var regionName: String
    public var timeZone: String
    public var riskFactorID: Int64?
    public var measureID: Int64?
    public var submittedAt: Date?
    public var submittedBy: String?
    public var updatedAt: Date
    /// Latest file version, if any.
    public var latestVersion: Int?

    /// Who keeps the item: the school, the municipality or the region, by name.
    public var ownerName: String { schoolName ?? municipalityName ?? regionName }
    public var owner: OwnerLevel { schoolID != nil ? .school : municipalityID != nil ? .municipality : .region }
}

/// Everything a reviewer or owner sees when opening an item.
public struct ItemDetail: Codable, Sendable, Hashable {
    public var item: ItemSummary
    public var files: [FileVersion]
    /// The version that was last confirmed: stays visible while a revision is in progress.
    public var confirmedVersion: Int?
    /// The most recent history lines, oldest first; `historyTotal` says how many there are in all.
    public var history: [HistoryEntry]
    public var historyTotal: Int
    public var riskProfile: [RiskProfileEntry]?
    public var measures: [Measure]?
    /// For a roadmap: what keeps it from review (a measure without a date or anyone responsible).
    public var completenessProblems: [String]?
    /// For a roadmap: what FIOCO's criteria miss that does not keep it from review — shown to the
    /// submitter before sending and to the reviewer (see `RoadmapCheck`).
    public var completenessFindings: [String]?
    /// The reviewers' remarks of the returns, oldest first, with the owner's answers.
    public var remarks: [Remark] = []
    /// For a document sent again after a decision: what its owner changed since.
    public var changesSinceDecision: ChangesSinceDecision?
    /// For a measure report: the measure being reported.
    public var measure: Measure?
    /// What the requesting user may do now, for clients to show the right buttons.
    public var allowedActions: [ReviewAction]
    /// Whether the requesting user may add to the discussion (viewing alone does not allow it).
    public var mayComment: Bool
    /// For a roadmap: whether the requesting user may report its measures (it was confirmed once,
    /// so its measures stay reportable while a revision is in progress).
    public var mayReportMeasures: Bool
}

/// A line of a reviewer's queue.
public struct QueueEntry: Codable, Sendable, Hashable {
    public var item: ItemSummary
    public var waitingSince: Date
    public var waitingHours: Int
}

public struct UserInfo: Codable, Sendable, Hashable {
    public var id: Int64
    public var login: String
    public var fullName: String
    public var email: String?
    public var isActive: Bool
    public var grants: [GrantInfo]
}

public struct GrantInfo: Codable, Sendable, Hashable {
    public var role: Role
    public var organisationID: Int64?
    public var organisationKind: OrganisationKind?
    public var organisationCode: String?
    public var organisationName: String?
}

public struct LoginResult: Codable, Sendable {
    public var token: String
    public var expiresAt: Date
    public var user: UserInfo
    /// The token this device shows when it signs in again (a browser keeps it in a cookie): its
    /// attempts are then judged by its own failures, not by others' on the account or the address.
    public var deviceToken: String?
    /// The token the device showed and `deviceToken` replaces (the server forgot it): not sent,
    /// for the browser's cookie to drop.
    public var replacedDeviceToken: String?

    enum CodingKeys: String, CodingKey {
        case token, expiresAt, user, deviceToken
    }

    public init(token: String, expiresAt: Date, user: UserInfo, deviceToken: String? = nil, replacedDeviceToken: String? = nil) {
        self.token = token
        self.expiresAt = expiresAt
        self.user = user
        self.deviceToken = deviceToken
        self.replacedDeviceToken = replacedDeviceToken
    }
}
