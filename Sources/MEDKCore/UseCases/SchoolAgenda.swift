import Foundation

/// What a school's team has to do now, as its first page says it (like OpenProject's «My page»):
/// what came back with which remarks, what is missing, what falls due in the next weeks, what waits
/// for review, whether reminders reach the team, and what others did since the person's last visit.
public struct SchoolAgenda: Sendable {
    /// A document returned for revision, with the reviewer's last remark.
    public struct Returned: Sendable, Hashable {
        public var item: ItemSummary
        public var remark: String?
        public var returnedBy: String?
        public var returnedAt: Date?
        /// The reviewer's remarks still waiting for the school's answer.
        public var unansweredRemarks: Int = 0
    }

    /// Something with a date within the horizon, not yet done.
    public struct Deadline: Sendable, Hashable {
        public enum Subject: Sendable, Hashable {
            /// A milestone of the campaign: its document, if started.
            case document(ItemKind, itemID: Int64?)
            /// A measure of the school's roadmap.
            case measure(roadmapID: Int64, measureID: Int64)
        }
        public var title: String
        public var subject: Subject
        public var dueDate: CalendarDate
        public var daysLeft: Int
        /// «срок не наступил», «на доработке», «отчёт не начат»…
        public var stateName: String
    }

    /// A line of history on one of the school's items, by someone else.
    public struct Change: Sendable, Hashable {
        public var itemID: Int64
        public var itemTitle: String
        public var entry: HistoryEntry
    }

    /// Who hears of deadlines by e-mail: the person looking, and the team as a whole.
    public struct Reminders: Sendable, Hashable {
        /// The person's own address, when they are one of the team.
        public var ownAddress: String?
        /// The person turned off the reminders of deadlines.
        public var ownRemindersOff: Bool
        /// Members of the team whose address takes reminders.
        public var teamReached: Int
        public var isTeamMember: Bool
    }

    public var overview: SchoolOverview
    /// The school's items of the campaign, as the actor may see them.
    public var items: [ItemSummary]
    public var returned: [Returned]
    /// Milestones whose deadline passed with nothing sent.
    public var missing: [MilestoneCell]
    /// Milestones and measures due from today to `horizon`, soonest first.
    public var dueSoon: [Deadline]
    public var horizonDays: Int
    /// Measures the school committed to whose date has passed without a confirmed report.
    public var overdueMeasures: [Measure]
    /// Documents sent and not yet decided.
    public var waiting: [ItemSummary]
    public var reminders: Reminders
    /// The end of the person's previous visit, when known; else changes of the last week are shown.
    public var since: Date
    public var sinceIsPreviousVisit: Bool
    public var changes: [Change]

    /// Nothing to do now.
    public var isClear: Bool { returned.isEmpty && missing.isEmpty && dueSoon.isEmpty && overdueMeasures.isEmpty }
}

/// Builds a school's agenda for whoever may see the school: its team, its curator, its coordinators.
public struct SchoolAgendas: Sendable {
    let service: MEDKService

    /// How far ahead «скоро срок» looks.
    public static let horizonDays = 21
    /// Most lines of «что изменилось» shown.
    public static let changesShown = 30

    public func agenda(schoolCode: String, campaignCode: String? = nil, for actor: Actor) async throws -> SchoolAgenda {
        let overview = try await service.schoolOverview(schoolCode: schoolCode, campaignCode: campaignCode, for: actor)
        // One school's items of a campaign: its documents and a report per measure, a few dozen.
        let items = try await service.items(for: actor, filter: ItemFilter(campaignID: overview.campaign.id, schoolCode: schoolCode),
                                            page: PageRequest(limit: PageRequest.maximumLimit)).items
        let now = service.now()
        let today = overview.today
        let horizon = today.adding(days: Self.horizonDays)
        return try await service.read { store in
            let calendar = try RegionCalendar.cached(overview.school.timeZone)
            var returned: [SchoolAgenda.Returned] = []
            for item in items where item.state == .returned {
                let history = try store.history(itemID: item.id, page: PageRequest(limit: 50, countsTotal: false)).items
                let last = history.first { $0.action == .itemReturn }
                returned.append(SchoolAgenda.Returned(item: item, remark: last?.comment, returnedBy: last?.actorName ?? last?.actor,
                                                      returnedAt: last?.at,
                                                      unansweredRemarks: try store.remarks(itemID: item.id).filter { $0.state == .open }.count))
            }
            var dueSoon: [SchoolAgenda.Deadline] = []
            for cell in overview.school.milestones where [.notDue, .returned].contains(cell.status) && cell.dueDate <= horizon {
                let item = items.first { $0.kind == cell.kind }
                dueSoon.append(SchoolAgenda.Deadline(
                    title: cell.title, subject: .document(cell.kind, itemID: item?.id), dueDate: cell.dueDate,
                    daysLeft: today.days(to: cell.dueDate), stateName: item == nil ? "не начат" : cell.statusName))
            }
            var overdue: [Measure] = []
            if let roadmap = items.first(where: { $0.kind == .roadmap }) {
                for measure in try store.measures(roadmapID: roadmap.id, calendar: calendar, at: now) where measure.reportState != .confirmed {
                    if measure.overdue { overdue.append(measure); continue }
                    guard let due = measure.dueDate, due >= today, due <= horizon else { continue }
                    dueSoon.append(SchoolAgenda.Deadline(
                        title: measure.title, subject: .measure(roadmapID: roadmap.id, measureID: measure.id), dueDate: due,
                        daysLeft: today.days(to: due), stateName: measure.reportState.map { "отчёт: \($0.russianName)" } ?? "отчёт не начат"))
                }
            }
            dueSoon.sort { ($0.dueDate, $0.title) < ($1.dueDate, $1.title) }
            let team = try store.recipients(role: .school, organisationID: overview.school.schoolID)
            let me = team.first { $0.userID == actor.userID }
            let reminders = SchoolAgenda.Reminders(ownAddress: me?.email, ownRemindersOff: me?.disabled.contains(.measureDue) ?? false,
                                                   teamReached: team.filter { $0.wants(.measureDue) }.count, isTeamMember: me != nil)
            let previous = try store.previousVisit(userID: actor.userID)
            let since = previous ?? now.addingTimeInterval(-7 * 86_400)
            let titles = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.title) })
            let changes = try store.changes(itemIDs: items.map(\.id), since: since, notBy: actor.userID, limit: Self.changesShown)
                .map { SchoolAgenda.Change(itemID: $0.itemID, itemTitle: titles[$0.itemID] ?? "", entry: $0.entry) }
            return SchoolAgenda(
                overview: overview, items: items, returned: returned, missing: overview.school.milestones.filter { $0.status == .missing },
                dueSoon: dueSoon, horizonDays: Self.horizonDays, overdueMeasures: overdue,
                waiting: items.filter { $0.state == .submitted }.sorted { ($0.submittedAt ?? $0.updatedAt) < ($1.submittedAt ?? $1.updatedAt) },
                reminders: reminders, since: since, sinceIsPreviousVisit: previous != nil, changes: changes)
        }
    }
}

extension MEDKService {
    public var schoolAgendas: SchoolAgendas { SchoolAgendas(service: self) }
}
