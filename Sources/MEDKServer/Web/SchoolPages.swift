import Foundation
import MEDKCore

/// The school page: milestones with the days left, what is overdue, the documents, and for
/// the school's own team the buttons to start each document.
enum SchoolPages {
    struct MilestoneRow: Sendable {
        var title: String
        var dueDate: String
        var dueIn: String
        var statusName: String
        var statusClass: String
        var urgent: Bool
        var items: [ItemRowView]
        var createKind: String?
        /// The anti-risk programmes' row: one is started per chosen factor, in the form below.
        var startRisk: Bool
    }

    struct SchoolPage: Sendable {
        var schoolName: String
        var schoolCode: String
        var municipalityName: String
        var regionName: String
        var timeZone: String
        var campaignID: Int64
        var campaignName: String
        var today: String
        var agenda: SchoolAgendaView
        var milestones: [MilestoneRow]
        var measuresSummary: String
        var items: [ItemRowView]
        var canCreate: Bool
        var schoolID: Int64
        var createOptions: [SelectOption]
        var riskOptions: [SelectOption]
    }

    static func schoolPage(_ agenda: SchoolAgenda, campaign: CampaignDetail, chosenRisks: Set<Int64>, canCreate: Bool) -> SchoolPage {
        let overview = agenda.overview
        let items = agenda.items
        let school = overview.school
        let started = Set(items.compactMap(\.riskFactorID))
        let riskOptions = campaign.riskFactors.sorted { $0.number < $1.number }
            .filter { chosenRisks.contains($0.id) && !started.contains($0.id) }
            .map { SelectOption(value: String($0.id), label: "\($0.number). \($0.title)", selected: false) }
        let sorted = items.sorted { ($0.kind.displayOrder, $0.id) < ($1.kind.displayOrder, $1.id) }
        let milestones = school.milestones.map { cell -> MilestoneRow in
            let ofKind = sorted.filter { $0.kind == cell.kind }
            let open = [MilestoneStatus.missing, .late, .returned, .notDue].contains(cell.status)
            let daysLeft = Presentation.daysBetween(overview.today, cell.dueDate)
            let creatable = canCreate && (ofKind.isEmpty || cell.kind == .antiriskProgramme) && cell.kind.isCreatedDirectly
            return MilestoneRow(
                title: cell.title, dueDate: cell.dueDate.russian,
                dueIn: cell.status == .onTime || cell.status == .late || cell.status == .awaitingReview ? "" : Presentation.dueIn(cell.dueDate, today: overview.today),
                statusName: cell.statusName, statusClass: Presentation.statusClass(cell.status),
                urgent: open && daysLeft <= 7, items: ofKind.map { ItemRowView($0, zoneOnPage: true) },
                createKind: creatable && cell.kind != .antiriskProgramme ? cell.kind.rawValue : nil,
                startRisk: canCreate && cell.kind == .antiriskProgramme && !riskOptions.isEmpty)
        }
        let totals = school.measures
        return SchoolPage(
            schoolName: school.schoolName, schoolCode: school.schoolCode, municipalityName: school.municipalityName,
            regionName: school.regionName, timeZone: school.timeZone, campaignID: overview.campaign.id,
            campaignName: overview.campaign.name, today: overview.today.russian, agenda: SchoolAgendaView(agenda), milestones: milestones,
            measuresSummary: totals.total == 0 ? "Мероприятий пока нет."
                : "Мероприятий: \(totals.total), подтверждено отчётов: \(totals.confirmed), просрочено: \(totals.overdue).",
            items: sorted.map { ItemRowView($0, zoneOnPage: true) }, canCreate: canCreate, schoolID: school.schoolID,
            createOptions: ItemKind.allCases.filter { $0.isCreatedDirectly && $0 != .antiriskProgramme }
                .map { SelectOption(value: $0.rawValue, label: $0.russianName, selected: false) },
            riskOptions: riskOptions)
    }
}
