import Foundation
import Synchronization

/// The regions' parts of the country's compliance report, kept between requests (issue 25: the
/// federal operator's first page). A part is reused while nothing it was judged from has changed:
/// the region's `ComplianceRevision` (counters the writing transactions move on, by triggers), the
/// region's date (a milestone falls overdue at midnight without any write: deadlines are day
/// boundaries in the region's zone, so the verdicts of today's data change only with the date),
/// and the campaign's milestones and their regional dates. Anything else is judged again, region by
/// region, in the request's own read transaction — the revisions and the data it reads are one
/// snapshot, so a part is never newer or older than the revision it is kept under. Reports as of a
/// past day are judged in full, as before.
///
/// Each server keeps its own: several servers on one database each see the counters move.
final class RegionComplianceCache: Sendable {
    private struct Key: Hashable {
        var campaignID: Int64
        var regionID: Int64
    }

    private struct Entry: Sendable {
        var revision: ComplianceRevision
        var day: CalendarDate
        var milestones: [Milestone]
        var overrides: [Int64: [Int64: CalendarDate]]
        /// Nil for a region with no school in the campaign.
        var part: TerritoryCompliance?
    }

    private let entries = Mutex<[Key: Entry]>([:])

    /// The part kept for these inputs: `.some(nil)` for a region known to have no school in the
    /// campaign, nil when it must be judged.
    func part(campaignID: Int64, regionID: Int64, revision: ComplianceRevision, day: CalendarDate,
              judge: ComplianceJudge) -> TerritoryCompliance?? {
        entries.withLock { entries in
            guard let entry = entries[Key(campaignID: campaignID, regionID: regionID)], entry.revision == revision, entry.day == day,
                  entry.milestones == judge.milestones, entry.overrides == judge.overrides else { return nil }
            return .some(entry.part)
        }
    }

    func keep(_ part: TerritoryCompliance?, campaignID: Int64, regionID: Int64, revision: ComplianceRevision, day: CalendarDate,
              judge: ComplianceJudge) {
        entries.withLock { entries in
            entries[Key(campaignID: campaignID, regionID: regionID)] = Entry(
                revision: revision, day: day, milestones: judge.milestones, overrides: judge.overrides, part: part)
        }
    }
}
