import Foundation
import MEDKCore

/// «Что сделать сейчас» on a school's page: the agenda in the page's words, times in the region's
/// zone (named once, at the top of the page).
struct SchoolAgendaView: Sendable {
    struct Returned: Sendable {
        var href: String
        var title: String
        var byLine: String?
        var remark: String?
        var unanswered: String?
    }

    struct Missing: Sendable {
        var title: String
        var dueDate: String
        var href: String?
    }

    struct Deadline: Sendable {
        var title: String
        var what: String
        var href: String
        var dueDate: String
        var dueIn: String
        var stateName: String
        var urgent: Bool
    }

    struct Waiting: Sendable {
        var href: String
        var title: String
        var since: String?
    }

    struct Change: Sendable {
        var at: String
        var actor: String
        var action: String
        var itemTitle: String
        var href: String
        var comment: String?
    }

    var isClear: Bool
    var returned: [Returned]
    var missing: [Missing]
    var overdueCount: Int
    var overdue: [Deadline]
    var dueSoon: [Deadline]
    var horizon: String
    var waiting: [Waiting]
    /// The team member's own reminder situation, said plainly; nil for people outside the team.
    var remindersNote: String?
    var remindersWarning: Bool
    var changesHeading: String
    var changes: [Change]

    init(_ agenda: SchoolAgenda) {
        let calendar = try? RegionCalendar.cached(agenda.overview.school.timeZone)
        func time(_ instant: Date?) -> String? { instant.flatMap { calendar?.wallTime($0) } }
        let today = agenda.overview.today
        let byKind = Dictionary(agenda.items.map { ($0.kind, $0) }) { first, _ in first }
        isClear = agenda.isClear
        returned = agenda.returned.map { entry in
            Returned(href: "/items/\(entry.item.id)", title: entry.item.title,
                     byLine: entry.returnedBy.map { "Кто вернул: \($0)" + (time(entry.returnedAt).map { ", \($0)" } ?? "") },
                     remark: entry.remark,
                     unanswered: entry.unansweredRemarks == 0 ? nil : "Без ответа: "
                         + RussianPlural.count(entry.unansweredRemarks, "замечание", "замечания", "замечаний"))
        }
        missing = agenda.missing.map { cell in
            Missing(title: cell.title, dueDate: cell.dueDate.russian, href: byKind[cell.kind].map { "/items/\($0.id)" })
        }
        overdueCount = agenda.overdueMeasures.count
        overdue = agenda.overdueMeasures.prefix(5).map { measure in
            let due = measure.dueDate ?? today
            return Deadline(title: measure.title, what: "мероприятие", href: "/items/\(measure.roadmapID)#measure-\(measure.id)",
                            dueDate: due.russian, dueIn: Presentation.dueIn(due, today: today),
                            stateName: measure.reportState.map { "отчёт: \($0.russianName)" } ?? "отчёт не начат", urgent: true)
        }
        dueSoon = agenda.dueSoon.map { deadline in
            let (what, href): (String, String) = switch deadline.subject {
            case .document(_, let itemID): ("документ", itemID.map { "/items/\($0)" } ?? "#milestones")
            case .measure(let roadmapID, let measureID): ("мероприятие", "/items/\(roadmapID)#measure-\(measureID)")
            }
            return Deadline(title: deadline.title, what: what, href: href, dueDate: deadline.dueDate.russian,
                            dueIn: Presentation.dueIn(deadline.dueDate, today: today), stateName: deadline.stateName,
                            urgent: deadline.daysLeft <= 7)
        }
        horizon = RussianPlural.count(agenda.horizonDays, "день", "дня", "дней")
        waiting = agenda.waiting.map { Waiting(href: "/items/\($0.id)", title: $0.title, since: time($0.submittedAt)) }
        let reminders = agenda.reminders
        if reminders.isTeamMember {
            if let address = reminders.ownAddress, !reminders.ownRemindersOff {
                remindersNote = "Напоминания о сроках приходят вам на \(address)."
                remindersWarning = false
            } else if reminders.ownAddress == nil {
                remindersNote = reminders.teamReached == 0
                    ? "У вас не указан адрес электронной почты, и напоминаний о сроках не получает никто из команды школы."
                    : "У вас не указан адрес электронной почты: напоминания о сроках получаете не вы, а другие участники команды (\(reminders.teamReached))."
                remindersWarning = true
            } else {
                remindersNote = "Вы отключили напоминания о сроках."
                    + (reminders.teamReached == 0 ? " Их не получает никто из команды школы." : "")
                remindersWarning = reminders.teamReached == 0
            }
        } else {
            remindersNote = nil
            remindersWarning = false
        }
        changesHeading = Self.changesHeading(since: time(agenda.since), sinceIsPreviousVisit: agenda.sinceIsPreviousVisit)
        changes = Self.changeRows(agenda.changes, time: time)
    }

    /// - Parameter place: where, for a page that follows more than one school («в ваших школах»).
    static func changesHeading(since: String?, sinceIsPreviousVisit: Bool, place: String? = nil) -> String {
        "Что изменилось" + (place.map { " " + $0 } ?? "")
            + (sinceIsPreviousVisit ? " с вашего прошлого визита (\(since ?? ""))" : " за последнюю неделю")
    }

    /// The lines of «что изменилось», each with what happened, to which document, by whom and when.
    static func changeRows(_ changes: [SchoolAgenda.Change], time: (Date?) -> String?) -> [Change] {
        changes.map { change in
            var action = change.entry.action.russianName
            if let from = change.entry.fromState, let to = change.entry.toState, from != to {
                action += ": \(from.russianName) → \(to.russianName)"
            }
            let words = HistoryWords.details(change.entry)
            return Change(at: time(change.entry.at) ?? "", actor: change.entry.actorName ?? change.entry.actor,
                          action: action + (words.isEmpty ? "" : " (\(words))"),
                          itemTitle: change.itemTitle, href: "/items/\(change.itemID)", comment: change.entry.comment)
        }
    }
}
