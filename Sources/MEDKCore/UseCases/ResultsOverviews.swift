import Foundation

/// How a municipality's schools are spread over the four groups in a list.
public struct MunicipalityQuadrants: Codable, Sendable, Hashable {
    public var municipalityID: Int64
    public var name: String
    public var schools: Int
    public var effective: Int
    public var struggling: Int
    public var deprived: Int
    public var resilient: Int
    public var insufficientData: Int
    /// ШНОР before the list, and as the list proposes.
    public var lowResultsBefore: Int
    public var lowResultsProposed: Int

    public func count(_ group: SchoolGroup) -> Int {
        switch group {
        case .effective: effective
        case .struggling: struggling
        case .deprived: deprived
        case .resilient: resilient
        }
    }
}

/// A territory's «Результаты»: the data loaded, the lists made, and the list to look at now (the
/// open draft, else the last approved) with every school's point within the reader's reach.
public struct ResultsOverview: Codable, Sendable, Hashable {
    public var region: Region
    /// The regions the reader may choose among (only when more than one).
    public var regionChoices: [Region]
    /// Set when the reader sees one municipality's schools only.
    public var municipalityID: Int64?
    public var municipalityName: String?
    public var lists: [IdentificationListSummary]
    public var shown: IdentificationListSummary?
    public var entries: [ListEntry]
    public var municipalities: [MunicipalityQuadrants]
    public var coverage: [ResultsCoverage]
    public var indicators: [String]
    /// Whether the reader loads data and draws up lists here.
    public var canIdentify: Bool
    public var today: CalendarDate
}

/// Reads a territory's results overview in one snapshot.
public struct ResultsOverviews: Sendable {
    let service: MEDKService

    /// `regionCode` nil: the reader's own region (the first by code for FIOCO and administrators).
    public func overview(regionCode: String?, listID: Int64? = nil, by op: Operator) async throws -> ResultsOverview {
        let now = service.now()
        return try await service.read { store in
            let (region, choices) = try Self.region(store, code: regionCode, by: op)
            let reach = try IdentificationLists.reach(store, regionID: region.id, requested: nil, by: op)
            let lists = try store.identificationLists(regionID: region.id)
            let shown: IdentificationListSummary?
            if let listID {
                guard let list = lists.first(where: { $0.id == listID }) else { throw MEDKError.notFound("Список №\(listID)") }
                shown = list
            } else {
                shown = lists.first { $0.state == .draft } ?? lists.first { $0.state == .approved }
            }
            let entries = try shown.map { try store.allListEntries(listID: $0.id, municipalityID: reach.municipalityID) } ?? []
            return ResultsOverview(
                region: region, regionChoices: choices.count > 1 ? choices : [], municipalityID: reach.municipalityID,
                municipalityName: try reach.municipalityID.flatMap { try store.municipality(id: $0)?.name },
                lists: lists, shown: shown, entries: entries, municipalities: Self.quadrants(entries),
                coverage: try store.resultsCoverage(regionID: region.id), indicators: try store.socialIndicators(regionID: region.id),
                canIdentify: reach.decides, today: try RegionCalendar.cached(region.timeZone).date(of: now))
        }
    }

    /// The region a results page is about, and the regions the reader may choose among: a page that
    /// needs only these (dynamics, indicators) reads no more than this.
    /// `latestYear`: the last year with results, or the region's current year before any are loaded.
    public func region(code regionCode: String?, by op: Operator) async throws -> (region: Region, latestYear: Int) {
        let now = service.now()
        return try await service.read { store in
            let region = try Self.region(store, code: regionCode, by: op).region
            let latest = try store.resultsCoverage(regionID: region.id).last(where: { $0.schoolsWithResults > 0 })?.year
            let today = try RegionCalendar.cached(region.timeZone).date(of: now)
            return (region, latest ?? today.year)
        }
    }

    /// `regionCode` nil: the reader's own region (the first by code for FIOCO and administrators).
    static func region(_ store: any StoreReading, code regionCode: String?, by op: Operator) throws -> (region: Region, choices: [Region]) {
        let all = try store.allRegions()
        let choices: [Region]
        switch op {
        case .local: choices = all
        case .user(let actor):
            let reach = Policy.territories(actor)
            var regionIDs = reach.regions
            for id in reach.municipalities { if let municipality = try store.municipality(id: id) { regionIDs.insert(municipality.regionID) } }
            choices = reach.everything ? all : all.filter { regionIDs.contains($0.id) }
        }
        guard !choices.isEmpty else {
            throw MEDKError.forbidden("Результаты школ видят координаторы своей территории, ФИОКО и администратор.")
        }
        let region: Region
        if let regionCode {
            guard let chosen = choices.first(where: { $0.code == regionCode }) else {
                if all.contains(where: { $0.code == regionCode }) { throw MEDKError.forbidden("Нет доступа к результатам этого региона.") }
                throw MEDKError.notFound("Регион «\(regionCode)»")
            }
            region = chosen
        } else {
            region = choices[0]
        }
        return (region, choices)
    }

    /// Per municipality, by name.
    static func quadrants(_ entries: [ListEntry]) -> [MunicipalityQuadrants] {
        var byID: [Int64: MunicipalityQuadrants] = [:]
        for entry in entries {
            var row = byID[entry.municipalityID] ?? MunicipalityQuadrants(
                municipalityID: entry.municipalityID, name: entry.municipalityName, schools: 0, effective: 0, struggling: 0, deprived: 0,
                resilient: 0, insufficientData: 0, lowResultsBefore: 0, lowResultsProposed: 0)
            row.schools += 1
            switch entry.placement.group {
            case .effective: row.effective += 1
            case .struggling: row.struggling += 1
            case .deprived: row.deprived += 1
            case .resilient: row.resilient += 1
            case nil: row.insufficientData += 1
            }
            if entry.before.lowResults { row.lowResultsBefore += 1 }
            if entry.proposed.lowResults { row.lowResultsProposed += 1 }
            byID[entry.municipalityID] = row
        }
        return byID.values.sorted { ($0.name, $0.municipalityID) < ($1.name, $1.municipalityID) }
    }
}

extension MEDKService {
    public var resultsOverviews: ResultsOverviews { ResultsOverviews(service: self) }
}
