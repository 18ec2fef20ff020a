import Foundation

/// How a school's results index moved from one year to the next, judged against the noise of its
/// size (seed 000 §3 1.2 asks for the share of programme schools with a positive dynamic; a small
/// school's index swings by chance, so a change within the noise is «не различить», counted apart).
public enum DynamicsChange: String, Codable, Sendable, CaseIterable, Hashable {
    case improved
    case declined
    /// The change is within twice the combined noise of the two years: chance could explain it.
    case unclear
    /// One of the two years has no index.
    case noData

    public var russianName: String {
        switch self {
        case .improved: "рост"
        case .declined: "снижение"
        case .unclear: "не различить"
        case .noData: "нет данных"
        }
    }
}

/// One year of a school's trajectory.
public struct TrajectoryPoint: Codable, Sendable, Hashable {
    public var year: Int
    public var placement: Placement?
    public var resultsCut: Double?
    public var socialCut: Double?
    /// The change from the year before.
    public var change: DynamicsChange
    public var delta: Double?
}

/// A year of a territory's programme schools: how many moved which way, and who crossed the cut.
public struct YearDynamics: Codable, Sendable, Hashable {
    public var year: Int
    public var programmeSchools: Int
    public var improved: Int
    public var declined: Int
    public var unclear: Int
    public var noData: Int
    /// Schools (all, not only programme ones) below the results cut this year and not the year before.
    public var enteredLow: [String]
    /// Schools above the cut this year that were below it the year before.
    public var leftLow: [String]

    /// The share of programme schools with a positive dynamic among those with both years' index
    /// (nil when none has); the unclear ones stay in the denominator — they did not show a gain.
    public var improvedShare: Double? {
        let known = improved + declined + unclear
        return known > 0 ? Double(improved) / Double(known) : nil
    }
}

public enum Dynamics {
    /// The change between two placements: beyond twice the noise of the difference, or not.
    ///
    /// Consecutive indices over a window of W years share W − 1 of them: the difference is the new
    /// year's results less the dropped year's, over W, so its noise is about √((σ₁² + σ₂²) / W) of the
    /// two indices' noises σ (for W = 1, two independent years). Percentile ranks carry no noise, and
    /// every change of theirs counts as seen.
    public static func change(from earlier: Placement?, to later: Placement?, windowYears: Int = 1) -> (DynamicsChange, Double?) {
        guard let before = earlier?.resultsIndex, let after = later?.resultsIndex else { return (.noData, nil) }
        let delta = after - before
        let first = earlier?.resultsNoise ?? 0, second = later?.resultsNoise ?? 0
        let noise = ((first * first + second * second) / Double(max(1, windowYears))).squareRoot()
        if abs(delta) <= 2 * noise { return (.unclear, delta) }
        return (delta > 0 ? .improved : .declined, delta)
    }

    /// A school's trajectory over the runs (oldest first).
    public static func trajectory(_ code: String, runs: [IdentificationRun]) -> [TrajectoryPoint] {
        trajectories([code], runs: runs)[code] ?? []
    }

    /// Every school's trajectory at once: each run indexed by school code once, not searched per school
    /// (a region's 1,700 schools over five runs).
    public static func trajectories(_ codes: [String], runs: [IdentificationRun]) -> [String: [TrajectoryPoint]] {
        let byYear = runs.map { run in Dictionary(run.placements.map { ($0.schoolCode, $0) }, uniquingKeysWith: { first, _ in first }) }
        var result: [String: [TrajectoryPoint]] = [:]
        for code in codes {
            var previous: Placement?
            result[code] = runs.indices.map { index in
                let run = runs[index], placement = byYear[index][code]
                let (change, delta) = change(from: previous, to: placement, windowYears: run.method.windowYears)
                previous = placement
                return TrajectoryPoint(year: run.year, placement: placement, resultsCut: run.resultsCut, socialCut: run.socialCut,
                                       change: change, delta: delta)
            }
        }
        return result
    }

    /// Per year after the first: the programme schools' changes and who crossed the results cut.
    /// `schools` limits it to a territory's schools (nil: every school of the runs).
    public static func years(_ runs: [IdentificationRun], programme: Set<String>, schools: Set<String>? = nil) -> [YearDynamics] {
        let byYear = runs.map { run in Dictionary(uniqueKeysWithValues: run.placements.map { ($0.schoolCode, $0) }) }
        return runs.indices.dropFirst().map { index in
            let before = byYear[index - 1], now = byYear[index]
            var year = YearDynamics(year: runs[index].year, programmeSchools: 0, improved: 0, declined: 0, unclear: 0, noData: 0,
                                    enteredLow: [], leftLow: [])
            let codes = Set(before.keys).union(now.keys).union(programme).filter { schools?.contains($0) ?? true }.sorted()
            for code in codes {
                if programme.contains(code) {
                    year.programmeSchools += 1
                    switch change(from: before[code], to: now[code], windowYears: runs[index].method.windowYears).0 {
                    case .improved: year.improved += 1
                    case .declined: year.declined += 1
                    case .unclear: year.unclear += 1
                    case .noData: year.noData += 1
                    }
                }
                if let wasLow = before[code]?.lowResults, let isLow = now[code]?.lowResults {
                    if isLow && !wasLow { year.enteredLow.append(code) }
                    if wasLow && !isLow { year.leftLow.append(code) }
                }
            }
            return year
        }
    }
}
