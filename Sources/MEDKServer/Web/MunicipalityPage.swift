import Foundation
import MEDKCore

/// A municipality's package: each part FIOCO asks for, its documents, and for the municipality's
/// coordinator the button to start one.
struct MunicipalityPage: Sendable {
    struct Part: Sendable {
        var title: String
        var purpose: String
        var items: [ItemRowView]
        var createKind: String?
    }

    var name: String
    var code: String
    var regionName: String
    var campaignName: String
    var campaignID: Int64
    var municipalityID: Int64
    var parts: [Part]
    var gaps: [String]
    var canEdit: Bool
    var schoolsHref: String
    var evaluationHref: String
    var evaluationSummary: String?

    init(_ package: MunicipalPackage) {
        name = package.municipality.name
        code = package.municipality.code
        regionName = package.regionName
        campaignName = package.campaign.name
        campaignID = package.campaign.id
        municipalityID = package.municipality.id
        parts = package.parts.map { part in
            Part(title: part.kind.russianName, purpose: part.purpose, items: part.items.map(ItemRowView.init),
                 createKind: part.canStart ? part.kind.rawValue : nil)
        }
        gaps = package.gaps
        canEdit = package.canEdit
        schoolsHref = "/monitoring?municipality=\(package.municipality.code)"
        evaluationHref = "/municipalities/\(package.municipality.code)/evaluation"
        evaluationSummary = package.evaluation.map { "версия \($0.version): \($0.total) из \($0.maximum)" } ?? "не оценён"
    }
}

/// A region's own roadmap: where it stands, what it still lacks, and for the region's coordinator
/// the button to start it.
struct RegionalRoadmapPage: Sendable {
    var name: String
    var code: String
    var campaignName: String
    var campaignID: Int64
    var regionID: Int64
    var roadmap: ItemRowView?
    var measuresSummary: String
    var problems: [String]
    var findings: [String]
    var canStart: Bool

    init(_ view: RegionalRoadmap) {
        name = view.region.name
        code = view.region.code
        campaignName = view.campaign.name
        campaignID = view.campaign.id
        regionID = view.region.id
        roadmap = view.roadmap.map(ItemRowView.init)
        measuresSummary = view.measures.summary
        problems = view.problems
        findings = view.findings
        canStart = view.canStart
    }
}
