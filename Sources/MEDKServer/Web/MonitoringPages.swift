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
        /// The document the cell is about, or the school's milestones.
        var href: String? = nil
        /// Where the document stands now, when that says more than the status («с опозданием» — «на доработке»).
        var stateName: String? = nil
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
        /// The table ordered by this column, and whether it is (for `aria-sort`).
        var sortHref: String? = nil
        var ariaSort: String = "none"
    }

    /// A column heading that orders its table.
    struct SortLink: Sendable {
        var href: String
        var ariaSort: String
    }

    /// How many schools of a territory stand one way against a milestone.
    struct Tally: Sendable {
        var count: Int
        var statusName: String
        var statusClass: String
        /// The territory's schools that stand so.
        var href: String
    }

    struct PartCell: Sendable {
        var tallies: [Tally]
    }

    struct PartRow: Sendable {
        var href: String
        var name: String
        var code: String
        var schools: Int
        var lagging: Int
        var cells: [PartCell]
        var measures: String
        var measuresOverdue: Bool
        var waiting: Int
        /// A region's municipality: its own roadmap today.
        var roadmap: String?
        var roadmapOverdue: Bool
        /// The package's latest FIOCO evaluation total, where the roadmap is shown.
        var evaluation: String?
        var evaluationHref: String
    }

    struct CuratorRow: Sendable {
        var fullName: String
        var login: String
        var schools: Int
        var waiting: Int
        var oldestWait: String?
        var waitingLong: Bool
        var overdueHref: String
    }

    struct Link: Sendable {
        var href: String
        var label: String
    }

    struct MonitoringPage: Sendable {
        var campaignName: String
        var scope: String
        var breadcrumbs: [Link]
        var asOfNote: String?
        var summary: String
        var headers: [Header]
        var partsTitle: String?
        var parts: [PartRow]
        var schoolsTitle: String?
        /// The schools' table ordered by a column, and the territories' table by another.
        var schoolHeaders: [Header] = []
        var sortByName: SortLink? = nil
        var sortByOverdue: SortLink? = nil
        var partsByName: SortLink? = nil
        var partsByLagging: SortLink? = nil
        var partsByOverdue: SortLink? = nil
        var partsByWaiting: SortLink? = nil
        var curatorsByName: SortLink? = nil
        var curatorsBySchools: SortLink? = nil
        var curatorsByWaiting: SortLink? = nil
        var curatorsByOldest: SortLink? = nil
        var sortNote: String? = nil
        var unsortHref: String? = nil
        /// «Только школы, у которых …» with the way back to all, when a count was followed.
        var filterNote: String? = nil
        var clearFilterHref: String? = nil
        var rows: [SchoolRow]
        var pagination: Pagination?
        var showCurators: Bool
        var curators: [CuratorRow]
        var campaignOptions: [SelectOption]
        var territoryLabel: String?
        var territoryName: String
        var territoryOptions: [SelectOption]
        var asOf: String?
        var lagging: Bool
        var csvHref: String
        var partsCsvHref: String?
        var xlsxHref: String
        var partsXlsxHref: String?
        /// A region's page: its municipalities' packages as FIOCO evaluated them.
        var evaluationsHref: String?
        var regionalRoadmapHref: String?
        var overdueHref: String
        var legend: [Cell]
        /// A municipality's own roadmap, today.
        /// The territory's own roadmap: a municipality's, or the region's.
        var ownRoadmap: OwnRoadmapView?
        /// A region's parts carry their municipalities' own roadmaps.
        var showRoadmaps: Bool
    }

    /// A territory's own roadmap above its schools or municipalities: where it stands and what is late.
    struct OwnRoadmapView: Sendable {
        struct Late: Sendable {
            var title: String
            var dueDate: String
            var days: String
            var report: String
        }

        var heading: String
        var href: String?
        var summary: String
        var late: [Late]
        var more: String?
        var ownerHref: String
        var ownerLink: String

        init(municipal roadmap: MunicipalRoadmapStatus, code: String) {
            self.init(roadmap, heading: "Дорожная карта муниципалитета", ownerHref: "/municipalities/\(code)", ownerLink: "Пакет муниципалитета")
        }

        init(regional roadmap: MunicipalRoadmapStatus, code: String, campaign: String) {
            self.init(roadmap, heading: "Региональная дорожная карта", ownerHref: "/regions/\(code)/roadmap?campaign=\(campaign)",
                      ownerLink: "Страница региональной дорожной карты")
        }

        private init(_ roadmap: MunicipalRoadmapStatus, heading: String, ownerHref: String, ownerLink: String) {
            self.heading = heading
            self.ownerHref = ownerHref
            self.ownerLink = ownerLink
            href = roadmap.roadmapID.map { "/items/\($0)#measures" }
            summary = roadmap.roadmapID == nil ? "\(heading) не начата."
                : "\(heading) (\(roadmap.stateName ?? "")): \(roadmap.measuresSummary)."
            late = roadmap.overdue.map {
                Late(title: $0.title, dueDate: $0.dueDate.russian, days: Presentation.days($0.daysOverdue), report: $0.reportState?.russianName ?? "нет")
            }
            more = roadmap.measures.overdue > roadmap.overdue.count ? "и ещё \(roadmap.measures.overdue - roadmap.overdue.count)" : nil
        }
    }

    struct OverdueRow: Sendable {
        var measureHref: String
        var title: String
        var task: String
        var schoolHref: String?
        var owner: String
        var municipalityName: String
        var dueDate: String
        var daysOverdue: String
        var reportName: String
        var reportClass: String
        var responsible: String
    }

    struct OverduePage: Sendable {
        var campaignName: String
        var scope: String
        var rows: [OverdueRow]
        var pagination: Pagination
        var csvHref: String
        var xlsxHref: String
        var campaignOptions: [SelectOption]
        var sortOptions: [SelectOption]
        var territoryLabel: String?
        var territoryName: String
        var territoryOptions: [SelectOption]
        var school: String?
        var curator: String?
        var filtered: Bool
        /// The territory's schools and curators by name, offered as one types (a code or a login alone says little).
        var schoolChoices: [SelectOption] = []
        var curatorChoices: [SelectOption] = []
    }

    static func register(_ web: WebRoutes) {
        web.get("/monitoring") { request in
            let actor = try request.actor()
            let query = try query(request)
            let report = try await request.service.deadlines(query, for: actor)
            let territory = try await territoryFilter(request, actor: actor)
            let headers = report.totals.milestones.map {
                Header(title: Presentation.hyphenated($0.title), dueDate: $0.dueDate.map { "до \($0.russian)" } ?? "сроки различаются")
            }
            let partsOrder = request.query("order"), curatorsOrder = request.query("curators")
            var view = MonitoringPage(
                campaignName: report.campaignName, scope: report.scope, breadcrumbs: try await breadcrumbs(request, report, actor: actor),
                asOfNote: report.asOf.map { "Состояние на конец дня \($0.russian) по времени каждой школы." },
                summary: summary(report.totals),
                headers: headers,
                partsTitle: report.parts.isEmpty ? nil : (report.level == .country ? "По регионам" : "По муниципалитетам"),
                parts: orderedParts(report.parts, by: partsOrder).map { partRow($0, report: report, request: request) },
                schoolsTitle: report.schools == nil ? nil : (request.query("lagging") == "1" ? "Школы с отставанием" : "Школы"),
                rows: (report.schools?.items ?? []).map { schoolRow($0, request: request) },
                pagination: report.schools.map { Pagination.of($0, request: request) },
                showCurators: report.level != .country,
                curators: orderedCurators(report.curators, by: curatorsOrder).map { curatorRow($0, campaign: report.campaignCode) },
                campaignOptions: try await campaignOptions(request, selected: report.campaignCode),
                territoryLabel: territory.label, territoryName: territory.name, territoryOptions: territory.options,
                asOf: request.query("asOf"), lagging: request.query("lagging") == "1",
                csvHref: link(request, path: "/monitoring.csv", dropping: ["cursor", "from"]),
                partsCsvHref: report.parts.isEmpty ? nil : link(request, path: "/monitoring.csv", dropping: ["cursor", "from"], adding: ["table": "parts"]),
                xlsxHref: link(request, path: "/monitoring.xlsx", dropping: ["cursor", "from"]),
                partsXlsxHref: report.parts.isEmpty ? nil : link(request, path: "/monitoring.xlsx", dropping: ["cursor", "from"], adding: ["table": "parts"]),
                evaluationsHref: report.level == .region ? report.scopeCode.map { "/regions/\($0)/evaluations?campaign=\(report.campaignCode)" } : nil,
                regionalRoadmapHref: report.level == .region ? report.scopeCode.map { "/regions/\($0)/roadmap?campaign=\(report.campaignCode)" } : nil,
                overdueHref: link(request, path: "/monitoring/overdue", dropping: ["cursor", "from", "asOf", "lagging"]),
                legend: MilestoneStatus.allCases.map { Cell(statusName: $0.russianName, statusClass: Presentation.statusClass($0), dueDate: "") },
                ownRoadmap: report.municipalRoadmap.map { OwnRoadmapView(municipal: $0, code: report.scopeCode ?? "") }
                    ?? report.regionalRoadmap.map { OwnRoadmapView(regional: $0, code: report.scopeCode ?? "", campaign: report.campaignCode) },
                showRoadmaps: report.parts.contains { $0.municipalRoadmap != nil })
            // Column headings order the tables; the territories' table is ordered here, it is short.
            func sortLink(_ key: String, _ value: String, active: Bool, direction: String, anchor: String) -> SortLink {
                SortLink(href: link(request, path: "/monitoring", dropping: ["cursor", "from", key], adding: [key: value]) + anchor,
                         ariaSort: active ? direction : "none")
            }
            let sort = query.sort
            view.schoolHeaders = zip(headers, report.totals.milestones).map { header, tally in
                let link = sortLink("sort", tally.kind.rawValue, active: sort == .milestone(tally.kind), direction: "other", anchor: "#schools")
                var sortable = header
                (sortable.sortHref, sortable.ariaSort) = (link.href, link.ariaSort)
                return sortable
            }
            view.sortByName = sortLink("sort", "name", active: sort == .name, direction: "ascending", anchor: "#schools")
            view.sortByOverdue = sortLink("sort", "overdue", active: sort == .overdueMeasures, direction: "descending", anchor: "#schools")
            if sort != .place {
                view.sortNote = switch sort {
                case .name: "Школы по названию."
                case .overdueMeasures: "Сначала школы с наибольшим числом просроченных мероприятий."
                case .milestone(let kind): "Сначала школы, у которых «\(report.totals.milestones.first { $0.kind == kind }?.title ?? kind.russianName)» "
                    + "дальше всего от срока: не представлено, с опозданием, на доработке, на проверке."
                case .place: nil
                }
                view.unsortHref = link(request, path: "/monitoring", dropping: ["cursor", "from", "sort"]) + "#schools"
            }
            view.partsByName = sortLink("order", "name", active: partsOrder == "name", direction: "ascending", anchor: "#parts")
            view.partsByLagging = sortLink("order", "lagging", active: partsOrder == "lagging", direction: "descending", anchor: "#parts")
            view.partsByOverdue = sortLink("order", "overdue", active: partsOrder == "overdue", direction: "descending", anchor: "#parts")
            view.partsByWaiting = sortLink("order", "waiting", active: partsOrder == "waiting", direction: "descending", anchor: "#parts")
            view.curatorsByName = sortLink("curators", "name", active: curatorsOrder == "name", direction: "ascending", anchor: "#curators")
            view.curatorsBySchools = sortLink("curators", "schools", active: curatorsOrder == "schools", direction: "descending", anchor: "#curators")
            view.curatorsByWaiting = sortLink("curators", "waiting", active: curatorsOrder == "waiting", direction: "descending", anchor: "#curators")
            view.curatorsByOldest = sortLink("curators", "oldest", active: curatorsOrder == "oldest", direction: "descending", anchor: "#curators")
            if let filter = query.milestone {
                let title = report.totals.milestones.first { $0.kind == filter.kind }?.title ?? filter.kind.russianName
                view.filterNote = "Только школы, у которых «\(title)» — \(filter.status.russianName)."
                view.clearFilterHref = link(request, path: "/monitoring", dropping: ["cursor", "from", "kind", "status"]) + "#schools"
            }
            return await request.page("monitoring", title: "Мониторинг сроков", view)
        }

        web.get("/monitoring.csv") { request in
            let (table, name) = try await complianceDownload(request)
            return Downloads.csv(CSV.write(table.textRows), name: name + ".csv")
        }

        web.get("/monitoring.xlsx") { request in
            let (table, name) = try await complianceDownload(request)
            return try Downloads.xlsx(table, name: "\(name).xlsx")
        }

        web.get("/monitoring/overdue") { request in
            let actor = try request.actor()
            let list = try await request.service.overdueMeasures(try overdueQuery(request, page: try Pagination.request(request)), for: actor)
            let territory = try await territoryFilter(request, actor: actor)
            let sort = list.sort
            var page = OverduePage(
                campaignName: list.campaignName, scope: list.scope,
                rows: list.measures.items.map(overdueRow), pagination: Pagination.of(list.measures, request: request),
                csvHref: link(request, path: "/monitoring/overdue.csv", dropping: ["cursor", "from"]),
                xlsxHref: link(request, path: "/monitoring/overdue.xlsx", dropping: ["cursor", "from"]),
                campaignOptions: try await campaignOptions(request, selected: list.campaignCode),
                sortOptions: OverdueSort.allCases.map { SelectOption(value: $0.rawValue, label: $0.russianName, selected: $0 == sort) },
                territoryLabel: territory.label, territoryName: territory.name, territoryOptions: territory.options,
                school: request.query("school"), curator: request.query("curator"),
                filtered: request.query("school") != nil || request.query("curator") != nil
                    || request.query("region") != nil || request.query("municipality") != nil)
            // A region's or municipality's schools and curators, as the compliance report knows them;
            // the country's 40 000 schools are chosen by drilling down instead.
            if request.query("region") != nil || request.query("municipality") != nil || !Policy.allows(actor, .viewMonitoring(.country)) {
                var names = DeadlinesQuery(regionCode: request.query("region"), municipalityCode: request.query("municipality"),
                                           campaignCode: list.campaignCode, allSchools: true)
                names.page = PageRequest(limit: 1)
                if let report = try? await request.service.deadlines(names, for: actor), report.level != .country {
                    page.schoolChoices = (report.schools?.items ?? []).map {
                        SelectOption(value: $0.schoolCode, label: "\($0.schoolName), \($0.municipalityName)", selected: false)
                    }
                    page.curatorChoices = report.curators.map { SelectOption(value: $0.login, label: $0.fullName, selected: false) }
                }
            }
            return await request.page("overdue", title: "Просроченные мероприятия", page)
        }

        web.get("/monitoring/overdue.csv") { request in
            try await Downloads.overdueCSV(request.service, try overdueQuery(request, page: .first), for: try request.actor())
        }

        web.get("/monitoring/overdue.xlsx") { request in
            try await Downloads.overdueXLSX(request.service, try overdueQuery(request, page: .first),
                                            temporaryDirectory: request.service.files.temporaryDirectory, for: try request.actor())
        }

        web.get("/school") { request in
            request.redirect("/schools/" + (try await ownOrganisation(request, .school,
                                                                      refusal: "Кабинет школы доступен управленческой команде школы.")))
        }

        web.get("/evaluations") { request in
            request.redirect("/regions/" + (try await ownOrganisation(request, .regional,
                                                                      refusal: "Оценки пакетов своего региона видит региональный координатор.")) + "/evaluations")
        }

        web.get("/regional-roadmap") { request in
            request.redirect("/regions/" + (try await ownOrganisation(request, .regional,
                                                                      refusal: "Региональную дорожную карту ведёт региональный координатор.")) + "/roadmap")
        }

        web.get("/regions/{code}/roadmap") { request in
            let actor = try request.actor()
            guard let code = request.context.parameters.get("code") else { throw MEDKError.notFound("Регион") }
            let view = try await request.service.regionalRoadmap(regionCode: code, campaignCode: request.query("campaign"), for: actor)
            return await request.page("regional_roadmap", title: "Региональная дорожная карта: \(view.region.name)", RegionalRoadmapPage(view))
        }

        web.get("/municipality") { request in
            request.redirect("/municipalities/" + (try await ownOrganisation(request, .municipal,
                                                                             refusal: "Пакет муниципалитета ведёт муниципальный координатор.")))
        }

        web.get("/municipalities/{code}") { request in
            let actor = try request.actor()
            guard let code = request.context.parameters.get("code") else { throw MEDKError.notFound("Муниципалитет") }
            let package = try await request.service.municipalPackage(municipalityCode: code, campaignCode: request.query("campaign"), for: actor)
            return await request.page("municipality", title: package.municipality.name, MunicipalityPage(package))
        }

        web.get("/schools/{code}") { request in
            let actor = try request.actor()
            guard let code = request.context.parameters.get("code") else { throw MEDKError.notFound("Школа") }
            let agenda = try await request.service.schoolAgendas.agenda(schoolCode: code, campaignCode: request.query("campaign"), for: actor)
            let overview = agenda.overview
            let items = agenda.items
            let detail = try await request.service.campaign(id: overview.campaign.id)
            let canCreate = Policy.allows(actor, .ownItem(ItemScope(campaignID: overview.campaign.id, path: overview.path)))
            var chosenRisks: Set<Int64> = []
            if let profile = items.first(where: { $0.kind == .riskProfile }) {
                let entries = try await request.service.item(profile.id, for: actor).riskProfile ?? []
                chosenRisks = Set(entries.filter(\.chosen).map(\.riskFactorID))
            }
            let view = SchoolPages.schoolPage(agenda, campaign: detail, chosenRisks: chosenRisks, canCreate: canCreate)
            return await request.page("school", title: overview.school.schoolName, view)
        }
    }

    /// The whole territory's compliance table the page shows (its schools, or with `table=parts` its
    /// regions or municipalities) and the file name it downloads as.
    static func complianceDownload(_ request: WebRequest) async throws -> (ExportTable, String) {
        var query = try query(request)
        query.allSchools = true
        let report = try await request.service.deadlines(query, for: try request.actor())
        let parts = report.level == .country || request.query("table") == "parts"
        let table = parts ? ComplianceTable.territoryTable(report) : ComplianceTable.schoolsTable(report, onlyLagging: query.onlyLagging)
        return (table, ComplianceTable.fileStem(report, byTerritory: parts))
    }

    /// The code of the organisation the signed-in user holds `role` in (their school, their municipality).
    static func ownOrganisation(_ request: WebRequest, _ role: Role, refusal: String) async throws -> String {
        let grants = try await request.service.userInfo(id: try request.actor().userID).grants
        guard let code = grants.first(where: { $0.role == role })?.organisationCode else { throw MEDKError.forbidden(refusal) }
        return code
    }

    static func query(_ request: WebRequest) throws -> DeadlinesQuery {
        let asOf = try request.query("asOf").map(WebForm.date)
        var query = DeadlinesQuery(regionCode: request.query("region"), municipalityCode: request.query("municipality"),
                                   campaignCode: request.query("campaign"), asOf: asOf, page: try Pagination.request(request),
                                   onlyLagging: request.query("lagging") == "1")
        if let order = request.query("sort").flatMap(ComplianceSort.init(parameter:)) { query.sort = order }
        if let kind = request.query("kind").flatMap(ItemKind.init(rawValue:)), let status = request.query("status").flatMap(MilestoneStatus.init(rawValue:)) {
            query.milestone = MilestoneFilter(kind: kind, status: status)
        }
        return query
    }

    static func overdueQuery(_ request: WebRequest, page: PageRequest) throws -> OverdueQuery {
        OverdueQuery(campaignCode: request.query("campaign"), regionCode: request.query("region"),
                     municipalityCode: request.query("municipality"), schoolCode: request.query("school"),
                     curatorLogin: request.query("curator"),
                     sort: request.query("sort").flatMap(OverdueSort.init(rawValue:)) ?? .dueDate, page: page)
    }

    static func summary(_ totals: TerritoryCompliance) -> String {
        var text = "Школ: \(totals.schools), с отставанием: \(totals.laggingSchools). "
        let measures = totals.measures
        text += "Мероприятий: \(measures.total), подтверждено: \(measures.confirmed), просрочено: \(measures.overdue)"
        if measures.reportedLate > 0 { text += ", отчёт с опозданием: \(measures.reportedLate)" }
        return text + ". Ждут проверки: \(totals.waiting)."
    }

    static func schoolRow(_ school: SchoolCompliance, request: WebRequest) -> SchoolRow {
        let totals = school.measures
        var measures = "\(totals.confirmed) из \(totals.total) подтверждено"
        if totals.overdue > 0 { measures += ", просрочено \(totals.overdue)" }
        if totals.reportedLate > 0 { measures += ", с опозданием \(totals.reportedLate)" }
        return SchoolRow(href: "/schools/\(school.schoolCode)", name: school.schoolName, code: school.schoolCode,
                         municipalityName: school.municipalityName,
                         municipalityHref: link(request, path: "/monitoring", dropping: ["cursor", "from", "region", "municipality"],
                                                adding: ["municipality": school.municipalityCode]),
                         cells: school.milestones.map { cell in
                             Cell(statusName: cell.statusName, statusClass: Presentation.statusClass(cell.status), dueDate: cell.dueDate.russian,
                                  href: cell.itemID.map { "/items/\($0)" } ?? "/schools/\(school.schoolCode)#milestones",
                                  stateName: cell.state.flatMap { state in
                                      // «с опозданием» says when it came; the state says what became of it.
                                      cell.status == .late || cell.status == .onTime ? state.russianName : nil
                                  })
                         },
                         measures: totals.total == 0 ? "нет мероприятий" : measures, measuresOverdue: totals.overdue > 0)
    }

    static func partRow(_ part: TerritoryCompliance, report: ComplianceReport, request: WebRequest) -> PartRow {
        let key = report.level == .country ? "region" : "municipality"
        let measures = part.measures
        return PartRow(
            href: link(request, path: "/monitoring", dropping: ["cursor", "from", "region", "municipality"], adding: [key: part.code]),
            name: part.name, code: part.code, schools: part.schools, lagging: part.laggingSchools,
            cells: part.milestones.map { tally in
                PartCell(tallies: MilestoneStatus.allCases.compactMap { status in
                    let count = tally.counts[status]
                    return count == 0 ? nil : Tally(
                        count: count, statusName: status.russianName, statusClass: Presentation.statusClass(status),
                        href: link(request, path: "/monitoring", dropping: ["cursor", "from", "region", "municipality", "lagging"],
                                   adding: [key: part.code, "kind": tally.kind.rawValue, "status": status.rawValue]) + "#schools")
                })
            },
            measures: measures.total == 0 ? "нет" : "\(measures.confirmed) из \(measures.total), просрочено \(measures.overdue)",
            measuresOverdue: measures.overdue > 0, waiting: part.waiting,
            roadmap: part.municipalRoadmap.map { roadmap in
                guard roadmap.roadmapID != nil else { return "не начата" }
                return "\(roadmap.stateName ?? ""): мероприятий \(roadmap.measures.total), просрочено \(roadmap.measures.overdue)"
            },
            roadmapOverdue: (part.municipalRoadmap?.measures.overdue ?? 0) > 0 || part.municipalRoadmap.map { $0.roadmapID == nil } == true,
            evaluation: part.packageEvaluation?.russian,
            evaluationHref: "/municipalities/\(part.code)/evaluation?campaign=\(report.campaignCode)")
    }

    /// A region's municipalities (or the country's regions) in the order a heading chose; by code otherwise.
    static func orderedParts(_ parts: [TerritoryCompliance], by order: String?) -> [TerritoryCompliance] {
        switch order {
        case "name": parts.sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
        case "lagging": parts.sorted { ($0.laggingSchools, $1.code) > ($1.laggingSchools, $0.code) }
        case "overdue": parts.sorted { ($0.measures.overdue, $1.code) > ($1.measures.overdue, $0.code) }
        case "waiting": parts.sorted { ($0.waiting, $1.code) > ($1.waiting, $0.code) }
        default: parts
        }
    }

    static func orderedCurators(_ loads: [CuratorLoad], by order: String?) -> [CuratorLoad] {
        switch order {
        case "name": loads.sorted { $0.fullName.localizedStandardCompare($1.fullName) == .orderedAscending }
        case "schools": loads.sorted { ($0.schools, $1.login) > ($1.schools, $0.login) }
        case "waiting": loads.sorted { ($0.waiting, $1.login) > ($1.waiting, $0.login) }
        case "oldest": loads.sorted { ($0.oldestWaitHours ?? -1, $1.login) > ($1.oldestWaitHours ?? -1, $0.login) }
        default: loads
        }
    }

    static func curatorRow(_ load: CuratorLoad, campaign: String) -> CuratorRow {
        CuratorRow(fullName: load.fullName, login: load.login, schools: load.schools, waiting: load.waiting,
                   oldestWait: load.oldestWaitHours.map { "ждёт " + Presentation.hours($0) },
                   waitingLong: (load.oldestWaitHours ?? 0) >= 72,
                   overdueHref: "/monitoring/overdue?campaign=\(campaign)&curator=\(load.login)")
    }

    static func overdueRow(_ measure: OverdueMeasure) -> OverdueRow {
        OverdueRow(measureHref: measure.reportItemID.map { "/items/\($0)" } ?? "/items/\(measure.roadmapID)#measure-\(measure.measureID)",
                   title: measure.title, task: measure.task, schoolHref: measure.schoolCode.map { "/schools/\($0)" },
                   owner: measure.schoolName.map { "\($0) (\(measure.schoolCode ?? ""))" } ?? measure.ownerName,
                   municipalityName: measure.municipalityName ?? "региональная дорожная карта", dueDate: measure.dueDate.russian,
                   daysOverdue: Presentation.days(measure.daysOverdue),
                   reportName: measure.reportState?.russianName ?? "отчёт не начат",
                   reportClass: measure.reportState.map(Presentation.stateClass) ?? "state-draft",
                   responsible: measure.responsible)
    }

    /// The way up from a territory, only as far as the person may go (a municipality's coordinator
    /// is not led to the region's page, which would answer «Нет доступа»).
    static func breadcrumbs(_ request: WebRequest, _ report: ComplianceReport, actor: Actor) async throws -> [Link] {
        guard report.level != .country || request.query("region") != nil else { return [] }
        let campaign = "campaign=\(report.campaignCode)" + (request.query("asOf").map { "&asOf=\($0)" } ?? "")
        var links = [Link(href: "/monitoring?\(campaign)", label: "Вся доступная территория")]
        if report.level == .municipality, let school = report.schools?.items.first,
           let region = try? await request.service.region(code: school.regionCode), Policy.allows(actor, .viewMonitoring(.region(region.id))) {
            links.append(Link(href: "/monitoring?\(campaign)&region=\(school.regionCode)", label: school.regionName))
        }
        return links
    }

    /// The page's address with another path and some parameters dropped or set.
    static func link(_ request: WebRequest, path: String, dropping: Set<String> = [], adding: [String: String] = [:]) -> String {
        var components = URLComponents()
        components.path = path
        var items = request.request.uri.queryParameters.map { (String($0.key), String($0.value)) }
            .filter { !dropping.contains($0.0) && adding[$0.0] == nil }.map { URLQueryItem(name: $0.0, value: $0.1) }
        items += adding.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? path
    }

    static func campaignOptions(_ request: WebRequest, selected: String) async throws -> [SelectOption] {
        try await request.service.campaigns().map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == selected) }
    }

    /// The territory chooser: regions for the country's operator, municipalities for a region's
    /// coordinator (or the operator inside a region), nothing for a municipality's.
    static func territoryFilter(_ request: WebRequest, actor: Actor) async throws -> (label: String?, name: String, options: [SelectOption]) {
        let reach = Policy.territories(actor)
        let regionCode = request.query("region"), municipalityCode = request.query("municipality")
        if reach.everything && municipalityCode == nil {
            let regions = try await request.service.regions()
            return ("Регион", "region", [SelectOption(value: "", label: "Вся страна", selected: regionCode == nil)]
                + regions.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == regionCode) })
        }
        var regionIDs = reach.regions
        if reach.everything, let code = municipalityCode { regionIDs = [try await request.service.municipality(code: code).regionID] }
        guard !regionIDs.isEmpty else { return (nil, "municipality", []) }
        let municipalities = try await request.service.municipalities(inRegions: regionIDs)
        return ("Муниципалитет", "municipality", [SelectOption(value: "", label: "Весь регион", selected: municipalityCode == nil)]
            + municipalities.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == municipalityCode) })
    }
}
