import Foundation
import Hummingbird
import MEDKCore

/// Request bodies of the API; responses are the core's own read models.
struct LoginRequest: Codable, Sendable {
    var login: String
    var password: String
}

struct CommentRequest: Codable, Sendable {
    var text: String
}

struct RiskProfileRequest: Codable, Sendable {
    var entries: [RiskProfileInput]
    var expectedRevision: Int?
}

struct MeasureRequest: Codable, Sendable {
    var measure: MeasureInput
    var expectedRevision: Int?
}

struct MeasureReportRequest: Codable, Sendable {
    var actualValue: String?
    var expectedRevision: Int?
}

struct CuratorAssignmentRequest: Codable, Sendable {
    var campaignCode: String
    var schoolCode: String
    var curatorLogin: String
}

struct MilestoneShiftRequest: Codable, Sendable {
    var campaignCode: String
    var kind: ItemKind
    var regionCode: String
    var dueDate: CalendarDate
}

struct HealthResponse: Codable, Sendable {
    var status: String
}

struct EmptyResponse: Codable, Sendable {
    var ok: Bool
}

extension LoginResult: ResponseEncodable {}
extension UserInfo: ResponseEncodable {}
extension ItemDetail: ResponseEncodable {}
extension Measure: ResponseEncodable {}
extension CampaignDetail: ResponseEncodable {}
extension ComplianceReport: ResponseEncodable {}
extension HealthResponse: ResponseEncodable {}
extension EmptyResponse: ResponseEncodable {}
extension OverdueList: ResponseEncodable {}
extension SchoolOverview: ResponseEncodable {}
extension Page: ResponseGenerator where Element: Codable {}
extension Page: ResponseEncodable where Element: Codable {}

/// Top-level arrays are wrapped in an object so the API can grow fields later.
struct ListResponse<Element: Codable & Sendable>: Codable, Sendable, ResponseEncodable {
    var items: [Element]
}
