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

    struct QueuePage: Sendable {
        var rows: [QueueRow]
        var pagination: Pagination
        var schoolOptions: [SelectOption]
        var kindOptions: [SelectOption]
        var total: Int
        var back: String
    }

    static func register(_ web: WebRoutes) {
        web.get("/queue") { request in
            let actor = try request.actor()
            let all = try await request.service.queue(for: actor)
            let school = request.query("school")
            let kind = request.query("kind").flatMap(ItemKind.init(rawValue:))
            let shown = all.filter { entry in
                (school == nil || entry.item.schoolCode == school) && (kind == nil || entry.item.kind == kind)
            }
            let (page, pagination) = Pagination.slice(shown, request: request)
            let rows = page.map { entry in
                QueueRow(item: ItemRowView(entry.item), waiting: "ждёт " + Presentation.hours(entry.waitingHours),
                         waitingLong: entry.waitingHours >= 72, selectValue: "\(entry.item.id):\(entry.item.revision)")
            }
            return await request.page("queue", title: "Очередь проверки", QueuePage(
                rows: rows, pagination: pagination,
                schoolOptions: ItemPages.schoolOptions(all.map(\.item), selected: school),
                kindOptions: ItemPages.kindOptions(selected: kind), total: all.count,
                back: request.request.uri.description))
        }

        web.post("/queue/confirm") { request, form in
            let actor = try request.actor()
            let selections = try form.all("item").map { value -> (itemID: Int64, request: TransitionRequest) in
                let parts = value.split(separator: ":")
                guard parts.count == 2, let id = Int64(parts[0]), let revision = Int(parts[1]) else { throw WebForm.malformed }
                return (id, TransitionRequest(action: .confirm, expectedState: .submitted, expectedRevision: revision,
                                              comment: form["comment"]))
            }
            let confirmed = try await request.service.transitionAll(selections, by: actor)
            let back = form["back"].map(SessionPages.safeNext) ?? "/queue"
            return request.redirect(back, success: "Подтверждено документов: \(confirmed.count).")
        }
    }
}
