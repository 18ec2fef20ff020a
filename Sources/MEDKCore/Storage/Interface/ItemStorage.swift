import Foundation

/// An item as stored, with where it sits: enough for the policy, the state machine and the views.
struct StoredItem: Sendable {
    var summary: ItemSummary
    var createdBy: Int64
    var firstSubmittedAt: Date?
    var submittedByID: Int64?
    var decidedAt: Date?
    var decidedBy: Int64?
    var firstConfirmedAt: Date?
    var confirmedVersion: Int?

    var id: Int64 { summary.id }
    var campaignID: Int64 { summary.campaignID }
    var kind: ItemKind { summary.kind }
    var state: ReviewState { summary.state }
    var revision: Int { summary.revision }
    var schoolID: Int64? { summary.schoolID }
    var measureID: Int64? { summary.measureID }
    var path: OrganisationPath {
        OrganisationPath(regionID: summary.regionID, municipalityID: summary.municipalityID, schoolID: summary.schoolID)
    }
    var scope: ItemScope { ItemScope(campaignID: summary.campaignID, path: path, submittedBy: submittedByID) }
    var owner: OwnerLevel { path.level }
    var isMunicipal: Bool { owner == .municipality }
}

extension StoredItem {
    /// The item after a review step: which columns the step sets (the one place that says so; the
    /// store writes exactly these, and callers see the result without reading the row again).
    func applying(_ change: ItemStateChange, byLogin login: String) -> StoredItem {
        var item = self
        item.summary.state = change.to
        item.summary.stateName = change.to.russianName
        item.summary.revision = change.revision
        item.summary.updatedAt = change.at
        switch change.action {
        case .submit:
            item.summary.submittedAt = change.at
            item.summary.submittedBy = login
            item.submittedByID = change.by
            item.firstSubmittedAt = item.firstSubmittedAt ?? change.at
        case .confirm:
            item.decidedAt = change.at
            item.decidedBy = change.by
            item.confirmedVersion = change.confirmedVersion
            item.firstConfirmedAt = item.firstConfirmedAt ?? change.at
        case .return:
            item.decidedAt = change.at
            item.decidedBy = change.by
        case .withdraw, .reopen, .edit:
            break
        }
        return item
    }
}

/// A new item's row.
struct ItemDraft: Sendable {
    var campaignID: Int64
    var kind: ItemKind
    var path: OrganisationPath
    var riskFactorID: Int64?
    var measureID: Int64?
    var title: String
    var createdAt: Date
    var createdBy: Int64
}

/// What a step through review changes on the item row.
struct ItemStateChange: Sendable {
    var action: ReviewAction
    var to: ReviewState
    var revision: Int
    var at: Date
    var by: Int64
    /// The file version a confirmation approves.
    var confirmedVersion: Int?
}

/// A new or edited measure's fields, as validated.
struct MeasureFields: Sendable {
    var riskFactorID: Int64?
    var track: MunicipalTrack?
    var task: String
    var title: String
    var dueDate: CalendarDate?
    var responsible: String
    var expectedResult: String
    var indicator: String
    var plannedValue: String
    var regionalMeasure: String?
    /// Municipal roadmaps: the measure of the region's confirmed roadmap this one implements.
    var regionalMeasureID: Int64? = nil
    /// Regional roadmaps: the stage and the normative document as typed by hand.
    var outline: MeasureOutline? = nil
    /// What only an import writes; an edit leaves them as they are.
    var imported: ImportedMeasureFields?
}

/// Where a regional measure sits and what it rests on, as its coordinator types them: nil leaves
/// what is stored (what an import wrote), an empty text clears it.
struct MeasureOutline: Sendable {
    var stage: String?
    var normativeDocument: String?
}

/// A measure's fields that come from the table it was imported from.
struct ImportedMeasureFields: Sendable {
    var deadlineText: String
    var recurrence: DeadlineRecurrence?
    /// Rows of one insert with the same key become one series, keyed by the first one's id.
    var seriesKey: Int?
    var stage: String?
    var goal: String?
    var section: String?
    var normativeDocument: String?
}

/// One factor of a risk-profile selection as the school sets it.
struct RiskChoice: Sendable {
    var riskFactorID: Int64
    var significance: Significance
    var chosen: Bool
}

/// Narrows a list of items beyond what the actor may see.
struct ItemListFilter: Sendable, Hashable {
    var campaignID: Int64?
    var schoolID: Int64?
    /// A municipality's own items (its package), not its schools'.
    var municipalOwnID: Int64?
    /// A region's own items (its regional roadmap), not its municipalities' or schools'.
    var regionalOwnID: Int64?
    var state: ReviewState?
    var kind: ItemKind?
    var sort: ItemSort = .newest
}

/// A measure of a region's confirmed roadmap, as a municipal measure chooses the one it implements.
public struct RegionalMeasureChoice: Codable, Sendable, Hashable {
    public var id: Int64
    public var position: Int
    public var stage: String?
    public var task: String
    public var title: String
    public var dueDate: CalendarDate?

    /// «№3. Семинар для директоров (Задача 1: …)», for a list to choose from.
    public var label: String {
        "№\(position). \(title)" + (task.isBlank ? "" : " (\(task))")
    }
}

/// A municipality's own roadmap in a region, with its measures counted on `today` in the region's zone.
struct MunicipalRoadmapCount: Sendable, Hashable {
    var municipalityID: Int64
    var roadmapID: Int64
    var state: ReviewState
    var measures: MeasureTotals
}

/// A file some document version names, once however many versions name it.
struct KeptFile: Sendable, Hashable {
    var sha256: String
    var size: Int64
}

protocol ItemReading {
    /// Every file document versions name (the copy between databases reads each back).
    func documentFiles() throws -> [KeptFile]
    func item(id: Int64) throws -> StoredItem?
    /// The campaign's municipal roadmaps in a region, counted as of `today` there.
    func municipalRoadmaps(campaignID: Int64, regionID: Int64, today: CalendarDate) throws -> [MunicipalRoadmapCount]
    /// A roadmap's creation, review steps and measures, for judging it as it stood at a past instant.
    func roadmapHistory(roadmapID: Int64) throws -> RoadmapHistory?
    /// Items in `visibility` matching `filter`, newest first.
    func items(_ visibility: ItemVisibility, _ filter: ItemListFilter, page: PageRequest) throws -> Page<ItemSummary>
    /// Submitted items in `visibility` matching `filter`, longest waiting first.
    func queue(_ visibility: ItemVisibility, _ filter: ItemListFilter, page: PageRequest) throws -> Page<ItemSummary>
    func files(itemID: Int64) throws -> [FileVersion]
    func latestFileVersion(itemID: Int64) throws -> Int?
    /// One item's history, newest first.
    func history(itemID: Int64, page: PageRequest) throws -> Page<HistoryEntry>
    func riskProfile(itemID: Int64) throws -> [RiskProfileEntry]
    /// Whether the school chose this factor in its risk-profile selection of the campaign.
    func isRiskChosen(campaignID: Int64, schoolID: Int64, riskFactorID: Int64) throws -> Bool
    /// The measures of a roadmap in order, or one measure; `overdue` judged at `moment` in `calendar`.
    func measures(roadmapID: Int64, calendar: RegionCalendar, at moment: Date) throws -> [Measure]
    func measure(id: Int64, calendar: RegionCalendar, at moment: Date) throws -> Measure?
    /// The roadmap a measure belongs to.
    func roadmapID(ofMeasure measureID: Int64) throws -> Int64?
    func reportItemID(measureID: Int64) throws -> Int64?
    func measureCount(roadmapID: Int64) throws -> Int
    /// The measures of the region's roadmap in the campaign, if it was ever confirmed (a revision in
    /// progress keeps what was confirmed linkable); empty otherwise.
    func regionalMeasureChoices(campaignID: Int64, regionID: Int64) throws -> [RegionalMeasureChoice]
    /// How many municipal measures name one of these measures as the regional measure they implement.
    func linkedMunicipalMeasureCount(regionalMeasureIDs: [Int64]) throws -> Int
}

protocol ItemWriting {
    func insertItem(_ draft: ItemDraft) throws -> Int64
    /// Applies a review step if the item is still in `expected` state and revision; false when
    /// someone else changed it meanwhile (the caller reports a conflict and nothing is written).
    func changeState(of item: StoredItem, _ change: ItemStateChange) throws -> Bool
    /// A content change: a new revision, so that decisions taken on the old one conflict.
    func touchItem(id: Int64, at: Date) throws
    func insertFileVersion(itemID: Int64, version: Int, fileName: String, mediaType: String, size: Int64, sha256: String,
                           uploadedBy: Int64, at: Date) throws
    /// Sets the significance and choice of the factors given; others keep what they had.
    func saveRiskProfile(of item: StoredItem, _ choices: [RiskChoice]) throws
    func nextMeasurePosition(roadmapID: Int64) throws -> Int
    /// Inserts measures at consecutive positions from `position`; returns their ids in order.
    func insertMeasures(roadmap: StoredItem, position: Int, _ fields: [MeasureFields], at: Date) throws -> [Int64]
    func updateMeasure(id: Int64, roadmap: StoredItem, _ fields: MeasureFields, at: Date) throws
    func deleteMeasure(id: Int64, roadmap: StoredItem) throws
    /// Files measures of one roadmap under a track, a risk factor or a regional measure, leaving
    /// their other fields as they are.
    func groupMeasures(ids: [Int64], _ grouping: MeasureGroupingColumn, at: Date) throws
    func setActualValue(measureID: Int64, _ value: String, at: Date) throws
}

/// What grouping several measures at once writes: one column, to the value (nil clears it).
enum MeasureGroupingColumn: Sendable, Hashable {
    case track(MunicipalTrack?)
    case riskFactor(id: Int64?)
    case regionalMeasure(id: Int64?)
}
