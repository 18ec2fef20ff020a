import Foundation

/// A school of a campaign with where it sits, as compliance lists it.
struct ParticipantSchool: Sendable, Hashable {
    var place: SchoolPlace
    var regionCode: String { place.regionCode }
}

/// Narrows the list of overdue measures.
struct OverdueMeasureQuery: Sendable, Hashable {
    var campaignID: Int64
    var territory: MonitoringScope
    var schoolID: Int64?
    /// Measures of the schools this curator is assigned in the campaign.
    var curatorID: Int64?
    var sort: OverdueSort
    /// Per region: the first local date on which a measure due the day before counts as overdue.
    var todayByRegion: [Int64: CalendarDate]
}

/// A school of a campaign with its progress as stored, decoded when asked: a report decodes the
/// schools of a batch on several cores (see `ChunkedWork`).
struct StoredParticipant: Sendable {
    var school: ParticipantSchool
    var progress: EncodedProgress
}

protocol MonitoringReading {
    /// Each region's compliance revision: its municipalities and the sum of their counters, which
    /// every change of what the compliance report reads there moves on (`compliance_revisions`).
    func complianceRevisions() throws -> [Int64: ComplianceRevision]
    /// Calls `body` with the participating schools of the territory and their progress, at most
    /// `batchSize` at a time so that the country fits in memory, in no particular order.
    func forEachParticipantBatch(campaignID: Int64, in territory: MonitoringScope, onlySchoolID: Int64?, batchSize: Int,
                                 _ body: ([StoredParticipant]) throws -> Void) throws
    /// (school id, curator login, curator name) of the territory's assignments in the campaign.
    func assignments(campaignID: Int64, in territory: MonitoringScope) throws -> [(schoolID: Int64, login: String, fullName: String)]
    /// Overdue measures visible in `visibility`, as the query sorts them.
    func overdueMeasures(_ visibility: ItemVisibility, _ query: OverdueMeasureQuery, page: PageRequest) throws -> Page<OverdueMeasure>
    /// The progress of one school rebuilt from the rows it summarises (for checks and repairs).
    func rebuiltProgress(campaignID: Int64, schoolID: Int64) throws -> SchoolProgress
    func storedProgress(campaignID: Int64, schoolID: Int64) throws -> SchoolProgress
}

extension MonitoringReading {
    /// Each participating school of the territory with its progress decoded, one at a time.
    func forEachParticipant(campaignID: Int64, in territory: MonitoringScope, onlySchoolID: Int64?,
                            _ body: (ParticipantSchool, SchoolProgress) throws -> Void) throws {
        try forEachParticipantBatch(campaignID: campaignID, in: territory, onlySchoolID: onlySchoolID, batchSize: 256) { batch in
            for participant in batch { try body(participant.school, try participant.progress.decoded()) }
        }
    }
}

/// Where a region's compliance data stands: equal revisions, equal data.
struct ComplianceRevision: Sendable, Hashable {
    var municipalities: Int
    var sum: Int64
}
