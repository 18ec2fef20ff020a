import Foundation

/// A school of a territory over the years: its index each year and the last change.
public struct SchoolDynamicsRow: Codable, Sendable, Hashable {
    public var schoolCode: String
    public var schoolName: String
    public var municipalityName: String
    /// ШНОР now.
    public var programme: Bool
    /// The results index of each year of the report (nil: not enough data).
    public var indices: [Double?]
    public var change: DynamicsChange
    public var delta: Double?
}

/// A territory's dynamics (issue 23, seed 000 §3 1.2): per year the programme schools' changes and
/// who crossed the cut, and every school's indices, by the method of the region's last approved list.
public struct TerritoryDynamics: Codable, Sendable, Hashable {
    public var region: Region
    public var municipalityID: Int64?
    public var municipalityName: String?
    public var years: [Int]
    /// The method's version in the region, nil for seed 000's default (no list approved yet).
    public var methodVersion: Int?
    public var method: IdentificationMethod
    public var changes: [YearDynamics]
    public var schools: [SchoolDynamicsRow]
}

/// A school's trajectory over the years.
public struct SchoolTrajectory: Codable, Sendable, Hashable {
    public var schoolCode: String
    public var schoolName: String
    public var municipalityName: String
    public var regionName: String
    public var regionCode: String
    public var flags: ProgrammeFlags
    public var methodVersion: Int?
    public var points: [TrajectoryPoint]
}

/// Reads dynamics and trajectories from the data as it stands (the latest import), by the method
/// of the region's last approved list.
public struct ResultsDynamicsReader: Sendable {
    let service: MEDKService

    /// The last `count` years with results (at most ten).
    public func territory(regionCode: String, municipalityID: Int64? = nil, years count: Int = 4, by op: Operator) async throws -> TerritoryDynamics {
        try await service.read { store in
            guard let region = try store.region(code: regionCode) else { throw MEDKError.notFound("Регион «\(regionCode)»") }
            let reach = try IdentificationLists.reach(store, regionID: region.id, requested: municipalityID, by: op)
            let (method, version) = try Self.method(store, regionID: region.id)
            let standings = try store.schoolStandings(regionID: region.id).filter { reach.municipalityID == nil || $0.municipalityID == reach.municipalityID }
            guard let last = try store.resultsCoverage(regionID: region.id).last(where: { $0.schoolsWithResults > 0 })?.year else {
                return TerritoryDynamics(region: region, municipalityID: reach.municipalityID, municipalityName: nil, years: [], methodVersion: version,
                                         method: method, changes: [], schools: [])
            }
            let years = (last - min(max(count, 2), 10) + 1)...last
            let runs = try Self.runs(store, regionID: region.id, years: years, method: method, cache: service.identificationRuns)
            let programme = Set(standings.filter(\.flags.lowResults).map(\.code))
            let trajectories = Dynamics.trajectories(standings.map(\.code), runs: runs)
            let rows = standings.map { school -> SchoolDynamicsRow in
                let points = trajectories[school.code] ?? []
                return SchoolDynamicsRow(schoolCode: school.code, schoolName: school.name, municipalityName: school.municipalityName,
                                         programme: school.flags.lowResults, indices: points.map { $0.placement?.resultsIndex },
                                         change: points.last?.change ?? .noData, delta: points.last?.delta)
            }
            return TerritoryDynamics(
                region: region, municipalityID: reach.municipalityID,
                municipalityName: try reach.municipalityID.flatMap { try store.municipality(id: $0)?.name }, years: Array(years),
                methodVersion: version, method: method,
                changes: Dynamics.years(runs, programme: programme, schools: Set(standings.map(\.code))), schools: rows)
        }
    }

    /// A school's trajectory: for its own team, and for those who see its region or municipality.
    public func school(code: String, years count: Int = 5, by op: Operator) async throws -> SchoolTrajectory {
        try await service.read { store in
            guard let school = try store.school(code: code), let place = try store.schoolPlace(schoolID: school.id) else {
                throw MEDKError.notFound("Школа «\(code)»")
            }
            let ownSchool: Bool = if case .user(let actor) = op {
                actor.grants.contains { $0.role == .school && $0.organisationID == school.id }
            } else { false }
            if !ownSchool {
                let reach = try IdentificationLists.reach(store, regionID: place.path.regionID, requested: school.municipalityID, by: op)
                if let municipality = reach.municipalityID, municipality != school.municipalityID {
                    throw MEDKError.forbidden("Траекторию школы видят её команда и координаторы её территории.")
                }
            }
            let (method, version) = try Self.method(store, regionID: place.path.regionID)
            let last = try store.resultsCoverage(regionID: place.path.regionID).last(where: { $0.schoolsWithResults > 0 })?.year
            let runs = try last.map {
                try Self.runs(store, regionID: place.path.regionID, years: ($0 - min(max(count, 2), 10) + 1)...$0, method: method,
                              cache: service.identificationRuns)
            } ?? []
            return SchoolTrajectory(schoolCode: school.code, schoolName: school.name, municipalityName: place.municipalityName,
                                    regionName: place.regionName, regionCode: place.regionCode,
                                    flags: ProgrammeFlags(lowResults: school.lowResults, hardSocialConditions: school.hardSocialConditions),
                                    methodVersion: version, points: Dynamics.trajectory(school.code, runs: runs))
        }
    }

    /// The method of the region's last approved list, or seed 000's.
    static func method(_ store: any StoreReading, regionID: Int64) throws -> (IdentificationMethod, Int?) {
        guard let approved = try store.identificationLists(regionID: regionID).first(where: { $0.state == .approved }) else {
            return (.seed000, nil)
        }
        return (approved.method, approved.methodVersion)
    }

    /// Identification of every year, from the data as of the latest import (kept in `cache`).
    static func runs(_ store: any StoreReading, regionID: Int64, years: ClosedRange<Int>, method: IdentificationMethod,
                     cache: IdentificationRunCache) throws -> [IdentificationRun] {
        let batch = try store.latestResultsBatch()
        let keys = try IdentificationRunCache.keys(regionID: regionID, batch: batch, method: method,
                                                   schoolCodes: try store.schoolStandings(regionID: regionID).map(\.code), years: years)
        if let cached = cache.runs(keys) { return cached }
        let histories = try store.resultsHistories(regionID: regionID, years: (years.lowerBound - method.windowYears + 1)...years.upperBound,
                                                   asOf: batch)
        let runs = years.map { year in
            Identification.run(method, year: year, schools: histories.map { $0.input(for: year, windowYears: method.windowYears) })
        }
        cache.keep(Array(zip(keys, runs)))
        return runs
    }
}

extension MEDKService {
    public var resultsDynamics: ResultsDynamicsReader { ResultsDynamicsReader(service: self) }
}
