import Foundation
import Hummingbird
import MEDKAPI
import MEDKCore

// Request and response bodies are declared once, in MEDKAPI, for the server, the CLI and the tests;
// here they only learn to be Hummingbird responses.

extension LoginResult: ResponseEncodable {}
extension UserInfo: ResponseEncodable {}
extension HistoryEntry: ResponseEncodable {}
extension ItemDetail: ResponseEncodable {}
extension Measure: ResponseEncodable {}
extension CampaignDetail: ResponseEncodable {}
extension RegionalRoadmap: ResponseEncodable {}
extension ComplianceReport: ResponseEncodable {}
extension HealthResponse: ResponseEncodable {}
extension MailSettingsBody: ResponseEncodable {}
extension ReminderSettingsBody: ResponseEncodable {}
extension EmptyResponse: ResponseEncodable {}
extension OverdueList: ResponseEncodable {}
extension SchoolOverview: ResponseEncodable {}
extension Page: ResponseGenerator where Element: Codable {}
extension Page: ResponseEncodable where Element: Codable {}

extension ListResponse: ResponseEncodable {}
extension RoadmapImportPreview: ResponseEncodable {}
extension MeasureImportResult: ResponseEncodable {}
extension PackageEvaluationView: ResponseEncodable {}
extension RegionEvaluations: ResponseEncodable {}
extension MunicipalPackage: ResponseEncodable {}
extension ResultsImportReport: ResponseEncodable {}
extension IdentificationListSummary: ResponseEncodable {}
extension IdentificationListView: ResponseEncodable {}
extension PlacementObjection: ResponseEncodable {}
extension ListReproduction: ResponseEncodable {}
extension SchoolTrajectory: ResponseEncodable {}
extension TargetIndicator: ResponseEncodable {}
