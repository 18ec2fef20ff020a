import Foundation

/// The campaign's documents a school's team hears of with its measures: each milestone (risk
/// profile, concept, programmes, roadmap, interim and final report) on the region's reminder days
/// before it falls due while the document is not yet sent (or is back for revision), and on the
/// day after it was missed while it is still not there. These are the deadlines coordinators
/// check, so the school is told before they do.
enum MilestoneReminders {
    /// The lines of one school's letter, and whether they are for missed deadlines.
    struct Key: Hashable {
        var schoolID: Int64
        var missed: Bool
    }

    struct Reminders {
        var lines: [Key: [MeasuresLetter.DocumentLine]] = [:]
        var owners: [Int64: MailOwner] = [:]
    }

    /// Statuses that still need the school before the deadline, and after it.
    static let remindBefore: Set<MilestoneStatus> = [.notDue, .returned]
    static let remindAfter: Set<MilestoneStatus> = [.missing, .returned]

    /// Every school of the region with a milestone of a campaign due on one of `soon`'s dates or
    /// missed on `missed`, judged now. Costs one read of the campaigns' milestones on most days
    /// (no deadline near) and one pass over the region's schools on the few that have one.
    static func plan(_ store: any StoreReading, regionID: Int64, soon: [(dueDate: CalendarDate, daysLeft: Int)], missed: CalendarDate,
                     calendar: RegionCalendar, at now: Date) throws -> Reminders {
        var reminders = Reminders()
        let daysLeft = Dictionary(soon.map { ($0.dueDate, $0.daysLeft) }) { first, _ in first }
        for campaign in try store.campaigns() {
            let milestones = try store.milestones(campaignID: campaign.id)
            guard !milestones.isEmpty else { continue }
            let overrides = try store.milestoneOverrides(campaignID: campaign.id)
            let judge = ComplianceJudge(milestones: milestones, overrides: overrides, asOf: nil, now: now)
            let clock = judge.clock(regionID: regionID, calendar: calendar)
            let near = clock.dueDates.indices.filter { daysLeft[clock.dueDates[$0]] != nil || clock.dueDates[$0] == missed }
            guard !near.isEmpty else { continue }
            try store.forEachParticipant(campaignID: campaign.id, in: .region(regionID), onlySchoolID: nil) { school, progress in
                let cells = judge.judge(progress, clock: clock).cells
                for index in near {
                    let cell = cells[index]
                    let isMissed = cell.dueDate == missed
                    guard (isMissed ? remindAfter : remindBefore).contains(cell.status) else { continue }
                    let id = school.place.school.id
                    reminders.owners[id] = MailOwner(schoolID: id, municipalityID: school.place.school.municipalityID,
                                                     regionID: regionID, name: school.place.school.name)
                    reminders.lines[Key(schoolID: id, missed: isMissed), default: []].append(MeasuresLetter.DocumentLine(
                        title: cell.title, campaignName: campaign.name, dueDate: cell.dueDate, daysLeft: daysLeft[cell.dueDate] ?? -1,
                        statusName: cell.statusName, schoolCode: school.place.school.code))
                }
            }
        }
        return reminders
    }
}
