import Foundation
import MEDKCore

// The bodies clients send to /api/v1, written once for the server that decodes them, the `medk`
// client and the tests that send them; `APIDocumentTypesTests` holds each to its schema in
// docs/openapi.yaml. Where the core's own input is the body (`NewItem`, `TransitionRequest`,
// `MeasureInput`, `RiskProfileInput`), it is used as it is and checked the same way.

/// `POST /api/v1/auth/login`.
public struct LoginRequest: Codable, Sendable, Hashable {
    public var login: String
    public var password: String
    /// The `deviceToken` of this client's previous sign-in to the account, if it kept one.
    public var deviceToken: String?

    public init(login: String, password: String, deviceToken: String? = nil) {
        self.login = login
        self.password = password
        self.deviceToken = deviceToken
    }
}

/// `POST /api/v1/items/{id}/comments`.
public struct CommentRequest: Codable, Sendable, Hashable {
    public var text: String

    public init(text: String) { self.text = text }
}

/// `POST /api/v1/items/{id}/remarks`: the owner's answers to the reviewer's remarks.
public struct RemarkAnswersRequest: Codable, Sendable, Hashable {
    public var answers: [RemarkAnswerInput]
    public var expectedRevision: Int?

    public init(answers: [RemarkAnswerInput], expectedRevision: Int? = nil) {
        self.answers = answers
        self.expectedRevision = expectedRevision
    }
}

/// `PUT /api/v1/items/{id}/risk-profile`.
public struct RiskProfileRequest: Codable, Sendable, Hashable {
    public var entries: [RiskProfileInput]
    public var expectedRevision: Int?

    public init(entries: [RiskProfileInput], expectedRevision: Int? = nil) {
        self.entries = entries
        self.expectedRevision = expectedRevision
    }
}

/// `POST /api/v1/items/{id}/measures` and `PUT /api/v1/measures/{id}`: the roadmap's revision.
public struct MeasureRequest: Codable, Sendable, Hashable {
    public var measure: MeasureInput
    public var expectedRevision: Int?

    public init(measure: MeasureInput, expectedRevision: Int? = nil) {
        self.measure = measure
        self.expectedRevision = expectedRevision
    }
}

/// `POST /api/v1/measures/{id}/report`: opens the measure's report and, when given, sets its value
/// (the revision is the report's).
public struct MeasureReportRequest: Codable, Sendable, Hashable {
    public var actualValue: String?
    public var expectedRevision: Int?

    public init(actualValue: String? = nil, expectedRevision: Int? = nil) {
        self.actualValue = actualValue
        self.expectedRevision = expectedRevision
    }
}

/// `POST /api/v1/curator-assignments`.
public struct CuratorAssignmentRequest: Codable, Sendable, Hashable {
    public var campaignCode: String
    public var schoolCode: String
    public var curatorLogin: String

    public init(campaignCode: String, schoolCode: String, curatorLogin: String) {
        self.campaignCode = campaignCode
        self.schoolCode = schoolCode
        self.curatorLogin = curatorLogin
    }
}

/// `PUT /api/v1/milestone-overrides`: a region's own deadline for one kind of document.
public struct MilestoneShiftRequest: Codable, Sendable, Hashable {
    public var campaignCode: String
    public var kind: ItemKind
    public var regionCode: String
    public var dueDate: CalendarDate
    /// Why, when the date is already past in the region (required then).
    public var reason: String?

    public init(campaignCode: String, kind: ItemKind, regionCode: String, dueDate: CalendarDate, reason: String? = nil) {
        self.campaignCode = campaignCode
        self.kind = kind
        self.regionCode = regionCode
        self.dueDate = dueDate
        self.reason = reason
    }
}

/// `POST /api/v1/municipalities/{code}/evaluation`: a new version of the package's evaluation.
public struct PackageEvaluationRequest: Codable, Sendable, Hashable {
    /// Every FIOCO position once.
    public var scores: [PositionScore]
    /// The version the evaluator saw (0 when there was none); a newer one is refused.
    public var expectedVersion: Int?

    public init(scores: [PositionScore], expectedVersion: Int? = nil) {
        self.scores = scores
        self.expectedVersion = expectedVersion
    }
}

/// `GET` and `PUT /api/v1/me/mail`: the signed-in user's address and the messages they want.
public struct MailSettingsBody: Codable, Sendable, Hashable {
    /// Empty or absent: no mail at all.
    public var email: String?
    public var enabledKinds: [MailKind]
    /// The weekday of a coordinator's digest, 1 = Monday … 7 = Sunday.
    public var digestWeekday: Int

    public init(email: String?, enabledKinds: [MailKind], digestWeekday: Int) {
        self.email = email
        self.enabledKinds = enabledKinds
        self.digestWeekday = digestWeekday
    }

    public init(_ view: MailPreferencesView) {
        self.init(email: view.email, enabledKinds: view.enabled.sorted(), digestWeekday: view.digestWeekday)
    }
}

/// `PUT /api/v1/regions/{code}/reminder-settings`: a region's reminder days, review time and escalation days.
public struct ReminderSettingsRequest: Codable, Sendable, Hashable {
    public var daysBefore: [Int]
    public var reviewWorkingDays: Int
    public var escalationDays: [Int]

    public init(daysBefore: [Int], reviewWorkingDays: Int, escalationDays: [Int]) {
        self.daysBefore = daysBefore
        self.reviewWorkingDays = reviewWorkingDays
        self.escalationDays = escalationDays
    }
}

/// A region's reminder settings as they are in force.
public struct ReminderSettingsBody: Codable, Sendable, Hashable {
    public var regionCode: String
    public var regionName: String
    /// True while the region has not set its own (the defaults 14, 3, 1; 5; 3, 10, 20 apply).
    public var isDefault: Bool
    public var daysBefore: [Int]
    public var reviewWorkingDays: Int
    public var escalationDays: [Int]

    public init(_ view: RegionReminderSettings) {
        regionCode = view.regionCode
        regionName = view.regionName
        isDefault = view.isDefault
        daysBefore = view.settings.daysBefore
        reviewWorkingDays = view.settings.reviewWorkingDays
        escalationDays = view.settings.escalationDays
    }
}

/// `POST /api/v1/regions/{code}/identification-lists`: a draft list for a year, by a method and rules
/// (seed 000's and the standard ones when left out).
public struct IdentificationDraftRequest: Codable, Sendable, Hashable {
    public var year: Int
    /// The last day (in the region's calendar) municipal coordinators may object.
    public var objectionsUntil: CalendarDate
    public var method: IdentificationMethod?
    public var rules: ProgrammeRules?
    /// Replace the region's open draft (it is kept, discarded).
    public var replaceDraft: Bool?

    public init(year: Int, objectionsUntil: CalendarDate, method: IdentificationMethod? = nil, rules: ProgrammeRules? = nil,
                replaceDraft: Bool? = nil) {
        self.year = year
        self.objectionsUntil = objectionsUntil
        self.method = method
        self.rules = rules
        self.replaceDraft = replaceDraft
    }
}

/// `POST /api/v1/identification-lists/{id}/objections`: a municipal coordinator asks for other flags.
public struct ObjectionRequest: Codable, Sendable, Hashable {
    public var schoolCode: String
    public var wanted: ProgrammeFlags
    public var reason: String

    public init(schoolCode: String, wanted: ProgrammeFlags, reason: String) {
        self.schoolCode = schoolCode
        self.wanted = wanted
        self.reason = reason
    }
}

/// `POST /api/v1/identification-objections/{id}/decision`: the region accepts or rejects (saying why).
public struct ObjectionDecisionRequest: Codable, Sendable, Hashable {
    public var accept: Bool
    public var comment: String?

    public init(accept: Bool, comment: String? = nil) {
        self.accept = accept
        self.comment = comment
    }
}

/// `POST /api/v1/identification-lists/{id}/approval`.
public struct ListApprovalRequest: Codable, Sendable, Hashable {
    /// Approve before the objection period ends, closing it.
    public var closeObjectionsEarly: Bool?

    public init(closeObjectionsEarly: Bool? = nil) { self.closeObjectionsEarly = closeObjectionsEarly }
}

/// `PUT /api/v1/target-indicators/{id}/plans/{year}`: the plan as the programme words it; `confirmed`
/// is the reading the client showed its person (or stated by hand when the wording has no number).
public struct IndicatorPlanRequest: Codable, Sendable, Hashable {
    public var wording: String
    public var confirmed: PlanTarget?

    public init(wording: String, confirmed: PlanTarget? = nil) {
        self.wording = wording
        self.confirmed = confirmed
    }
}

/// `PUT /api/v1/target-indicators/{id}/facts/{year}`: a fact the region enters, naming its evidence.
public struct IndicatorFactRequest: Codable, Sendable, Hashable {
    public var value: Double
    public var comment: String
    /// The region's document (an item with a file) the fact rests on.
    public var evidenceItemID: Int64

    public init(value: Double, comment: String, evidenceItemID: Int64) {
        self.value = value
        self.comment = comment
        self.evidenceItemID = evidenceItemID
    }
}

/// `POST /api/v1/regions/{code}/target-indicators`: an indicator of the region's own programme (its fact entered).
public struct IndicatorDefinitionRequest: Codable, Sendable, Hashable {
    public var code: String
    public var title: String

    public init(code: String, title: String) {
        self.code = code
        self.title = title
    }
}
