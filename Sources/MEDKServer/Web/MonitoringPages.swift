import Foundation
import Hummingbird
import MEDKCore

/// Coordinators' deadline compliance with drill-down, the overdue list, and the school page
/// (the school team's cabinet, which curators and coordinators reach from the table).
enum MonitoringPages {
    struct Cell: Sendable {
        var statusName: String
        var statusClass: String
        var dueDate: String
    }

    struct SchoolRow: Sendable {
        var href: String
        var name: String
        var code: String
        var municipalityName: String
        var municipalityHref: String
        var cells: [Cell]
        var measures: String
        var measuresOverdue: Bool
    }

    struct Header: Sendable {
        var title: String
        var dueDate: String
    }

    struct CuratorRow: Sendable {
        var fullName: String
        var login: String
        var schools: Int
        var waiting: Int
        var oldestWait: String?
        var waitingLong: Bool
    }

    struct MonitoringPage: Sendable {
        var campaignName: String
        var scope: String
        var asOfNote: String?
        var headers: [Header]
        var rows: [SchoolRow]
        var pagination: Pagination
        var curators: [CuratorRow]
        var campaignOptions: [SelectOption]
        var municipalityOptions: [SelectOption]
        var asOf: String?
        var csvHref: String
        var legend: [Cell]
    }

    struct OverdueRow: Sendable {
        var schoolHref: String
        var schoolName: String
        var municipalityName: String
        var what: String
        var dueDate: String
        var statusName: String
        var statusClass: String
    }

    struct OverduePage: Sendable {
        var campaignName: String
        var scope: String
        var rows: [OverdueRow]
        var pagination: Pagination
        var csvHref: String
    }

    static func register(_ web: WebRoutes) {
        web.get("/monitoring") { request in
            let actor = try request.actor()
            let report = try await request.service.deadlines(try query(request), for: actor)
            let (page, pagination) = Pagination.slice(report.schools, request: request)
            let view = MonitoringPage(
                campaignName: report.campaignName, scope: report.scope,
                asOfNote: report.asOf.map { "Состояние на конец дня \($0.russian) по времени каждой школы." },
                headers: (report.schools.first?.milestones ?? []).map { Header(title: $0.title, dueDate: $0.dueDate.russian) },
                rows: page.map(schoolRow), pagination: pagination,
                curators: report.curators.map { load in
                    CuratorRow(fullName: load.fullName, login: load.login, schools: load.schools, waiting: load.waiting,
                               oldestWait: load.oldestWaitHours.map { "ждёт " + Presentation.hours($0) },
                               waitingLong: (load.oldestWaitHours ?? 0) >= 72)
                },
                campaignOptions: try await campaignOptions(request, selected: report.campaignCode),
                municipalityOptions: try await municipalityOptions(request, actor: actor),
                asOf: request.query("asOf"), csvHref: link(request, path: "/monitoring.csv"),
                legend: MilestoneStatus.allCases.map { Cell(statusName: $0.russianName, statusClass: Presentation.statusClass($0), dueDate: "") })
            return await request.page("monitoring", title: "Мониторинг сроков", view)
        }

        web.get("/monitoring.csv") { request in
            let report = try await request.service.deadlines(try query(request), for: try request.actor())
            return Downloads.csv(CSV.write(ComplianceTable.rows(report)), name: "deadlines-\(report.campaignCode).csv")
        }

        web.get("/monitoring/overdue") { request in
            let report = try await request.service.deadlines(try query(request), for: try request.actor())
            let (page, pagination) = Pagination.slice(overdueRows(report), request: request)
            return await request.page("overdue", title: "Просрочено", OverduePage(
                campaignName: report.campaignName, scope: report.scope, rows: page, pagination: pagination,
                csvHref: link(request, path: "/monitoring/overdue.csv")))
        }

        web.get("/monitoring/overdue.csv") { request in
            let report = try await request.service.deadlines(try query(request), for: try request.actor())
            let lines = [["Школа", "Муниципалитет", "Что", "Срок", "Состояние"]]
                + overdueRows(report).map { [$0.schoolName, $0.municipalityName, $0.what, $0.dueDate, $0.statusName] }
            return Downloads.csv(CSV.write(lines), name: "overdue-\(report.campaignCode).csv")
        }

        web.get("/school") { request in
            let actor = try request.actor()
            let grants = try await request.service.userInfo(id: actor.userID).grants
            guard let code = grants.first(where: { $0.role == .school })?.organisationCode else {
                throw MEDKError.forbidden("Кабинет школы доступен управленческой команде школы.")
            }
            return request.redirect("/schools/\(code)")
        }

        web.get("/schools/{code}") { request in
            let actor = try request.actor()
            guard let code = request.context.parameters.get("code") else { throw MEDKError.notFound("Школа") }
            let overview = try await request.service.schoolOverview(schoolCode: code, campaignCode: request.query("campaign"), for: actor)
            let items = try await request.service.items(for: actor, filter: ItemFilter(campaignID: overview.campaign.id, schoolCode: code))
            let detail = try await request.service.campaign(id: overview.campaign.id)
            let canCreate = Policy.allows(actor, .ownItem(ItemScope(campaignID: overview.campaign.id, path: overview.path)))
            var chosenRisks: Set<Int64> = []
            if let profile = items.first(where: { $0.kind == .riskProfile }) {
                let entries = try await request.service.item(profile.id, for: actor).riskProfile ?? []
                chosenRisks = Set(entries.filter(\.chosen).map(\.riskFactorID))
            }
            let view = SchoolPages.schoolPage(overview, items: items, campaign: detail, chosenRisks: chosenRisks, canCreate: canCreate)
            return await request.page("school", title: overview.school.schoolName, view)
        }
    }

    static func query(_ request: WebRequest) throws -> DeadlinesQuery {
        let asOf = try request.query("asOf").map(WebForm.date)
        return DeadlinesQuery(regionCode: request.query("region"), municipalityCode: request.query("municipality"),
                              campaignCode: request.query("campaign"), asOf: asOf)
    }

    static func schoolRow(_ school: SchoolCompliance) -> SchoolRow {
        let totals = school.measures
        var measures = "\(totals.confirmed) из \(totals.total) подтверждено"
        if totals.overdue > 0 { measures += ", просрочено \(totals.overdue)" }
        if totals.reportedLate > 0 { measures += ", с опозданием \(totals.reportedLate)" }
        return SchoolRow(href: "/schools/\(school.schoolCode)", name: school.schoolName, code: school.schoolCode,
                         municipalityName: school.municipalityName, municipalityHref: "/monitoring?municipality=\(school.municipalityCode)",
                         cells: school.milestones.map { Cell(statusName: $0.statusName, statusClass: Presentation.statusClass($0.status),
                                                             dueDate: $0.dueDate.russian) },
                         measures: totals.total == 0 ? "нет мероприятий" : measures, measuresOverdue: totals.overdue > 0)
    }

    static func overdueRows(_ report: ComplianceReport) -> [OverdueRow] {
        // Milestones by due date (keeping the table's order within a date), then the schools whose measures are overdue.
        var milestones: [(CalendarDate, OverdueRow)] = []
        var measures: [OverdueRow] = []
        for school in report.schools {
            for cell in school.milestones where [.missing, .late, .returned].contains(cell.status) {
                milestones.append((cell.dueDate, OverdueRow(
                    schoolHref: "/schools/\(school.schoolCode)", schoolName: school.schoolName, municipalityName: school.municipalityName,
                    what: cell.title, dueDate: cell.dueDate.russian, statusName: cell.statusName,
                    statusClass: Presentation.statusClass(cell.status))))
            }
            if school.measures.overdue > 0 {
                measures.append(OverdueRow(
                    schoolHref: "/schools/\(school.schoolCode)", schoolName: school.schoolName, municipalityName: school.municipalityName,
                    what: "Мероприятия дорожной карты: просрочено \(school.measures.overdue) из \(school.measures.total)",
                    dueDate: "—", statusName: "просрочено", statusClass: "status-late"))
            }
        }
        return milestones.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1) + measures
    }

    /// The same page's address with another path: the CSV is what is on screen.
    static func link(_ request: WebRequest, path: String) -> String {
        let query = request.request.uri.query.map { "?\($0)" } ?? ""
        return path + query
    }

    static func campaignOptions(_ request: WebRequest, selected: String) async throws -> [SelectOption] {
        try await request.service.campaigns().map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == selected) }
    }

    /// Municipalities the actor may look at, for the drill-down filter.
    static func municipalityOptions(_ request: WebRequest, actor: Actor) async throws -> [SelectOption] {
        let selected = request.query("municipality")
        let visible = try await request.service.municipalities().filter {
            Policy.allows(actor, .viewMonitoring(.municipality(regionID: $0.regionID, municipalityID: $0.id)))
        }
        return [SelectOption(value: "", label: "Вся доступная территория", selected: selected == nil)]
            + visible.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == selected) }
    }
}
