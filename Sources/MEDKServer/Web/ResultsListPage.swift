import Foundation
import MEDKCore

/// One list of ШНОР/ШНСУ: what it was made from, its lines (those that change first), the
/// objections with the region's decisions, and the forms the reader may use.
struct ResultsListPage: Sendable {
    struct Tab: Sendable {
        var label: String
        var href: String
        var current: Bool
    }

    struct EntryRow: Sendable {
        var schoolHref: String
        var schoolName: String
        var code: String
        var municipality: String
        var results: String
        var social: String
        var participants: Int
        var group: String
        var uncertain: Bool
        var decision: String
        var socialDecision: String
        var before: String
        var proposed: String
        var changes: Bool
        var objections: Int
        var objectHref: String?
    }

    struct SchoolOption: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct ObjectionRow: Sendable {
        var id: Int64
        var school: String
        var author: String
        var created: String
        var reason: String
        var wanted: String
        var state: String
        var stateClass: String
        var pending: Bool
        var decision: String?
        var canDecide: Bool
    }

    var heading: ResultsPages.ListHeading
    var tabs: [Tab]
    var filterName: String
    var rows: [EntryRow]
    var pagination: Pagination
    var canObject: Bool
    var schoolOptions: [SchoolOption]
    var objections: [ObjectionRow]
    var canDecide: Bool
    var objectionsOpen: Bool
    var overviewHref: String
    var csvHref: String
    var xlsxHref: String

    init(_ view: IdentificationListView, filter: ListEntryFilter, objectable: [ListEntry], objectCode: String?, request: WebRequest) {
        let summary = view.summary
        heading = ResultsPages.heading(summary, counts: view.counts)
        let base = "/results/lists/\(summary.id)"
        let municipality = request.query("municipality").map { "&municipality=\($0)" } ?? ""
        tabs = ListEntryFilter.allCases.map { Tab(label: $0.russianName, href: "\(base)?filter=\($0.rawValue)\(municipality)", current: $0 == filter) }
        filterName = filter.russianName
        let canObject = view.canObject
        rows = view.entries.items.map { entry in
            let p = entry.placement
            return EntryRow(
                schoolHref: "/results/schools/\(entry.schoolCode.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? entry.schoolCode)",
                schoolName: entry.schoolName, code: entry.schoolCode, municipality: entry.municipalityName,
                results: p.resultsIndex.map(ExportTable.hundredthsText) ?? "—", social: p.socialIndex.map(ExportTable.hundredthsText) ?? "—",
                participants: p.participants, group: p.group?.russianName ?? "недостаточно данных", uncertain: p.uncertain,
                decision: entry.decision.russianName, socialDecision: entry.socialDecision.russianName,
                before: entry.before.russian, proposed: entry.proposed.russian, changes: entry.changesFlags, objections: entry.objections,
                objectHref: canObject ? "\(base)?filter=\(filter.rawValue)\(municipality)&object=\(entry.schoolCode)#objection" : nil)
        }
        pagination = Pagination.of(view.entries, request: request)
        self.canObject = canObject
        schoolOptions = objectable.sorted { $0.schoolName < $1.schoolName }.map {
            SchoolOption(value: $0.schoolCode, label: "\($0.schoolName) — сейчас в проекте: \($0.proposed.russian)", selected: $0.schoolCode == objectCode)
        }
        let zone = summary.timeZone
        objections = view.objections.map { objection in
            ObjectionRow(
                id: objection.id, school: "\(objection.schoolName) (\(objection.schoolCode))", author: objection.author ?? "—",
                created: ExportTable.Cell.dateTime(objection.createdAt, zone: zone).text, reason: objection.reason, wanted: objection.wanted.russian,
                state: objection.state.russianName,
                stateClass: objection.state == .pending ? "status-waiting" : (objection.state == .accepted ? "status-ok" : "status-returned"),
                pending: objection.state == .pending,
                decision: objection.decidedBy.map { by in "\(by)" + (objection.decisionComment.map { ": «\($0)»" } ?? "") },
                canDecide: view.canDecide && objection.state == .pending)
        }
        canDecide = view.canDecide
        objectionsOpen = view.objectionsOpen
        overviewHref = "/results?region=\(summary.regionCode)&list=\(summary.id)"
        csvHref = "\(base).csv"
        xlsxHref = "\(base).xlsx"
    }
}
