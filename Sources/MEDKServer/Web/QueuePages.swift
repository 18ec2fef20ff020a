import Foundation
import MEDKCore

/// The curator's review queue: everything waiting across their schools, oldest first.
enum QueuePages {
    struct QueueRow: Sendable {
        var item: ItemRowView
        var waiting: String
        var waitingLong: Bool
        var selectValue: String
    }

    /// One of the curator's schools: where it stands, in words.
    struct SchoolRow: Sendable {
        var code: String
        var name: String
        var href: String
        var municipality: String
        var attention: String
        var needsAttention: Bool
        var waiting: Int
        var overdue: Int
    }

    struct QueuePage: Sendable {
        var rows: [QueueRow]
        var mySchools: [SchoolRow]
        /// What the curator's schools did since the curator's previous visit.
        var showChanges = false
        var changesHeading = ""
        var changes: [SchoolAgendaView.Change] = []
        var campaignName: String
        var pagination: Pagination
        var school: SchoolFilterView
        var kindOptions: [SelectOption]
        var total: String
        var back: String
    }

    static func register(_ web: WebRoutes) {
        web.get("/queue") { request in
            let actor = try request.actor()
            let school = request.query("school")
            let kind = request.query("kind").flatMap(ItemKind.init(rawValue:))
            let page = try await request.service.queue(for: actor, filter: ItemFilter(schoolCode: school, kind: kind),
                                                       page: try Pagination.request(request))
            let rows = page.items.map { entry in
                QueueRow(item: ItemRowView(entry.item), waiting: "ждёт " + Presentation.hours(entry.waitingHours),
                         waitingLong: entry.waitingHours >= 72, selectValue: "\(entry.item.id):\(entry.item.revision)")
            }
            let curated = actor.holds(.curator) ? try await request.service.curatedSchools(for: actor) : nil
            var recent: RecentChanges?
            if curated?.schools.isEmpty == false { recent = try await request.service.curatorChanges.changes(for: actor) }
            var view = QueuePage(
                rows: rows, mySchools: (curated?.schools ?? []).map(Self.schoolRow), campaignName: curated?.campaign.name ?? "",
                pagination: Pagination.of(page, request: request),
                school: try await SchoolFilterView.make(request, actor: actor, selected: school, id: "q-school"),
                kindOptions: ItemPages.kindOptions(selected: kind), total: Pagination.totalText(page),
                back: request.request.uri.description)
            if let recent {
                // A curator's schools may lie in several regions: the times are told in the first school's zone, named.
                let time = { (instant: Date?) in Presentation.time(instant, zone: curated?.schools.first?.timeZone ?? "UTC") }
                view.changesHeading = SchoolAgendaView.changesHeading(since: time(recent.since), sinceIsPreviousVisit: recent.sinceIsPreviousVisit,
                                                                     place: "в ваших школах")
                view.changes = SchoolAgendaView.changeRows(recent.changes, time: time)
                view.showChanges = true
            }
            return await request.page("queue", title: "Очередь проверки", view)
        }

        web.post("/queue/confirm") { request, form in
            let actor = try request.actor()
            let selections = try form.all("item").map { value -> (itemID: Int64, request: TransitionRequest) in
                let parts = value.split(separator: ":")
                guard parts.count == 2, let id = Int64(parts[0]), let revision = Int(parts[1]) else { throw WebForm.malformed }
                return (id, TransitionRequest(action: .confirm, expectedState: .submitted, expectedRevision: revision,
                                              comment: form["comment"]))
            }
            // Each selected document is confirmed if it still can be; the rest are named with the reason.
            let outcomes = try await request.service.transitionEach(selections, by: actor)
            let back = form["back"].map(SessionPages.safeNext) ?? "/queue"
            let confirmed = outcomes.filter { $0.refusal == nil }.count
            let refused = outcomes.filter { $0.refusal != nil }
            guard !refused.isEmpty else { return request.redirect(back, success: "Подтверждено документов: \(confirmed).") }
            let reasons = refused.map { outcome in
                "«\(outcome.title)»\(outcome.ownerName.map { " (\($0))" } ?? "") — \(outcome.refusal?.message ?? "")"
            }.joined(separator: " ")
            return request.redirect(back, error: "Подтверждено документов: \(confirmed) из \(outcomes.count). Не подтверждено: \(reasons)")
        }
    }
}

extension QueuePages {
    /// «не представлено: 2 · на доработке: 1», or «всё в порядке».
    static func schoolRow(_ school: SchoolCompliance) -> SchoolRow {
        var parts: [String] = []
        for status in [MilestoneStatus.missing, .returned, .late] {
            let count = school.milestones.filter { $0.status == status }.count
            if count > 0 { parts.append("\(status.russianName): \(count)") }
        }
        return SchoolRow(code: school.schoolCode, name: school.schoolName, href: "/schools/\(school.schoolCode)", municipality: school.municipalityName,
                         attention: parts.isEmpty ? "в срок" : parts.joined(separator: " · "),
                         needsAttention: !parts.isEmpty || school.measures.overdue > 0,
                         waiting: school.waiting, overdue: school.measures.overdue)
    }
}

/// The school filter of a list: a list to choose from when the actor works with few schools,
/// a code to type otherwise (a region has a thousand).
struct SchoolFilterView: Sendable {
    /// The form field's id, for its label.
    var id: String
    var choose: Bool
    var options: [SelectOption]
    var code: String?

    static func make(_ request: WebRequest, actor: Actor, selected: String?, id: String = "f-school") async throws -> SchoolFilterView {
        guard let schools = try await request.service.schoolChoices(for: actor) else {
            return SchoolFilterView(id: id, choose: false, options: [], code: selected)
        }
        return SchoolFilterView(id: id, choose: true,
                                options: [SelectOption(value: "", label: "Все школы", selected: selected == nil)]
                                    + schools.map { SelectOption(value: $0.code, label: "\($0.name) (\($0.code))", selected: $0.code == selected) },
                                code: selected)
    }
}
