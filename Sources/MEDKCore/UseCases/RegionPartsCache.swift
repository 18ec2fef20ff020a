import Foundation
import Synchronization

/// The regions' parts of the country's pages — the compliance report by region, the dashboard's
/// overdue trend and week ahead — kept between requests (issue 25: the federal operator's first
/// page). A part is reused while nothing it was made from has changed: the region's
/// `ComplianceRevision` (counters the writing transactions move on, by triggers), the region's date
/// (a milestone or a measure falls overdue at midnight without any write: deadlines are day
/// boundaries in the region's zone, so what today's data means changes only with the date), and a
/// context of the request's own (the campaign's milestones and their regional dates). Anything
/// else is made again, region by region, in the request's own read transaction — the revisions and
/// the data it reads are one snapshot, so a part is never newer or older than the revision it is
/// kept under. Pages as of a past day are made in full, as before.
///
/// Each server keeps its own: several servers on one database each see the counters move.
final class RegionPartsCache<Context: Hashable & Sendable, Part: Sendable>: Sendable {
    private struct Key: Hashable {
        var campaignID: Int64
        var regionID: Int64
    }

    private struct Entry: Sendable {
        var revision: ComplianceRevision
        var day: CalendarDate
        var context: Context
        var part: Part
    }

    private let entries = Mutex<[Key: Entry]>([:])

    /// The part kept for these inputs, or nil when it must be made.
    func part(campaignID: Int64, regionID: Int64, revision: ComplianceRevision, day: CalendarDate, context: Context) -> Part? {
        entries.withLock { entries in
            guard let entry = entries[Key(campaignID: campaignID, regionID: regionID)], entry.revision == revision, entry.day == day,
                  entry.context == context else { return nil }
            return entry.part
        }
    }

    func keep(_ part: Part, campaignID: Int64, regionID: Int64, revision: ComplianceRevision, day: CalendarDate, context: Context) {
        entries.withLock { entries in
            entries[Key(campaignID: campaignID, regionID: regionID)] = Entry(revision: revision, day: day, context: context, part: part)
        }
    }
}

/// What a region's compliance is judged by besides its data and date.
struct CountryComplianceInputs: Hashable, Sendable {
    var milestones: [Milestone]
    var overrides: [Int64: [Int64: CalendarDate]]
}

/// A region's part of the country's dashboard: its overdue trend and its open measures of the week ahead.
struct DashboardRegionPart: Sendable {
    var trend: [OverduePoint]
    var dueThisWeek: Int
}

/// The caches of one server's country pages.
final class CountryPartsCaches: Sendable {
    /// Nil for a region with no school in the campaign.
    let compliance = RegionPartsCache<CountryComplianceInputs, TerritoryCompliance?>()
    let dashboard = RegionPartsCache<Int, DashboardRegionPart>()
}
