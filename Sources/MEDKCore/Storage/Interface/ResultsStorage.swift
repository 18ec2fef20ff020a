import Foundation

protocol ResultsReading {
    /// A region's schools' results in `years` and social indicators up to the last of them, as the
    /// data stood after import `batch` (corrections made later are not seen).
    func resultsHistories(regionID: Int64, years: ClosedRange<Int>, asOf batch: Int64) throws -> [SchoolResultsHistory]
    /// The last results or social import (0 before the first).
    func latestResultsBatch() throws -> Int64
    /// Per year, how many of a region's schools have current results and social data.
    func resultsCoverage(regionID: Int64) throws -> [ResultsCoverage]
    /// The names of the social indicators loaded for a region's schools, by name.
    func socialIndicators(regionID: Int64) throws -> [String]
}

protocol ResultsWriting {
    /// Numbers an import, so that the values it writes are versions of that import.
    func insertResultsImport(kind: ResultsFileKind, fileName: String, sha256: String, at moment: Date, by userID: Int64?) throws -> Int64
    /// Writes a school's mean for a component and year as of `batch`, closing the value it corrects;
    /// says whether it was new, changed or the same.
    func upsertResult(schoolID: Int64, _ result: ComponentResult, batch: Int64) throws -> UpsertOutcome
    func upsertSocial(schoolID: Int64, year: Int, indicator: String, value: Double, batch: Int64) throws -> UpsertOutcome
}

/// A list's new row: everything that makes it reproducible.
struct NewIdentificationList: Sendable {
    var regionID: Int64
    var year: Int
    var methodID: Int64
    var rules: ProgrammeRules
    var dataBatch: Int64
    var inputsHash: String
    var runHash: String
    /// The cut points of the list's year, as values of the indices.
    var resultsCut: Double?
    var socialCut: Double?
    var objectionsUntil: CalendarDate
    var createdAt: Date
    var createdBy: Int64?
}

protocol IdentificationReading {
    /// A region's schools with their municipality and flags now.
    func schoolStandings(regionID: Int64) throws -> [SchoolStanding]
    /// The region's method with this definition hash, if stored.
    func identificationMethod(regionID: Int64, sha256: String) throws -> (id: Int64, version: Int)?
    func identificationList(id: Int64) throws -> IdentificationListSummary?
    /// A region's lists, newest first.
    func identificationLists(regionID: Int64) throws -> [IdentificationListSummary]
    /// The region's open draft, if any.
    func draftListID(regionID: Int64) throws -> Int64?
    /// A list's lines, optionally one municipality's, filtered, ordered by municipality and school name.
    func listEntries(listID: Int64, municipalityID: Int64?, filter: ListEntryFilter, page: PageRequest) throws -> Page<ListEntry>
    /// Every line of a list (a region's ~1,700 at most), or one municipality's.
    func allListEntries(listID: Int64, municipalityID: Int64?) throws -> [ListEntry]
    func listEntry(listID: Int64, schoolID: Int64) throws -> ListEntry?
    func listCounts(listID: Int64, municipalityID: Int64?) throws -> ListCounts
    func objections(listID: Int64, municipalityID: Int64?) throws -> [PlacementObjection]
    func objection(id: Int64) throws -> PlacementObjection?
}

protocol IdentificationWriting {
    /// Stores a region's method as its next version.
    func insertIdentificationMethod(regionID: Int64, definition: String, sha256: String, at moment: Date, by userID: Int64?) throws
        -> (id: Int64, version: Int)
    func insertIdentificationList(_ list: NewIdentificationList, entries: [ListEntry]) throws -> Int64
    func setListState(id: Int64, _ state: IdentificationListState, at moment: Date, by userID: Int64?) throws
    func insertObjection(listID: Int64, schoolID: Int64, reason: String, wanted: ProgrammeFlags, at moment: Date, by userID: Int64?) throws -> Int64
    func decideObjection(id: Int64, _ state: ObjectionState, comment: String?, at moment: Date, by userID: Int64?) throws
    func setProposedFlags(listID: Int64, schoolID: Int64, _ flags: ProgrammeFlags) throws
}
