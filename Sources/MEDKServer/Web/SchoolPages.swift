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
        var milestones: [MilestoneRow]
        var overdueMeasures: String?
        var measuresSummary: String
        var problems: [String]
        var items: [ItemRowView]
        var canCreate: Bool
        var schoolID: Int64
        var createOptions: [SelectOption]
        var riskOptions: [SelectOption]
    }

    static func schoolPage(_ overview: SchoolOverview, items: [ItemSummary], campaign: CampaignDetail, chosenRisks: Set<Int64>,
                           canCreate: Bool) -> SchoolPage {
        let school = overview.school
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
                urgent: open && daysLeft <= 7, items: ofKind.map(ItemRowView.init),
                createKind: creatable && cell.kind != .antiriskProgramme ? cell.kind.rawValue : nil)
        }
        let totals = school.measures
        var problems: [String] = []
        for cell in school.milestones where cell.status == .missing { problems.append("Не представлено: «\(cell.title)», срок был \(cell.dueDate.russian).") }
        for cell in school.milestones where cell.status == .returned { problems.append("Возвращено на доработку: «\(cell.title)».") }
        let started = Set(items.compactMap(\.riskFactorID))
        return SchoolPage(
            schoolName: school.schoolName, schoolCode: school.schoolCode, municipalityName: school.municipalityName,
            regionName: school.regionName, timeZone: school.timeZone, campaignID: overview.campaign.id,
            campaignName: overview.campaign.name, today: overview.today.russian, milestones: milestones,
            overdueMeasures: totals.overdue > 0 ? "Просрочено мероприятий дорожной карты: \(totals.overdue) из \(totals.total)." : nil,
            measuresSummary: totals.total == 0 ? "Мероприятий пока нет." : "Мероприятий: \(totals.total), подтверждено отчётов: \(totals.confirmed).",
            problems: problems, items: sorted.map(ItemRowView.init), canCreate: canCreate, schoolID: school.schoolID,
            createOptions: ItemKind.allCases.filter { $0.isCreatedDirectly && $0 != .antiriskProgramme }
                .map { SelectOption(value: $0.rawValue, label: $0.russianName, selected: false) },
            riskOptions: campaign.riskFactors.sorted { $0.number < $1.number }
                .filter { chosenRisks.contains($0.id) && !started.contains($0.id) }
                .map { SelectOption(value: String($0.id), label: "\($0.number). \($0.title)", selected: false) })
    }
}
