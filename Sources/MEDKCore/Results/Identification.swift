import Crypto
import Foundation

/// A school's mean score in one exam and subject in one year, with how many took it.
public struct ComponentResult: Codable, Sendable, Hashable {
    public var key: ComponentKey
    public var year: Int
    public var mean: Double
    public var participants: Int

    public init(_ key: ComponentKey, year: Int, mean: Double, participants: Int) {
        self.key = key
        self.year = year
        self.mean = mean
        self.participants = participants
    }
}

/// What identification knows of one school: its results over the years and its social indicators
/// (by the names the method's social components use) for the year identified.
public struct SchoolResultsInput: Codable, Sendable, Hashable {
    public var schoolCode: String
    public var results: [ComponentResult]
    public var social: [String: Double]

    public init(schoolCode: String, results: [ComponentResult], social: [String: Double]) {
        self.schoolCode = schoolCode
        self.results = results
        self.social = social
    }
}

/// The four groups of seed 000 (a map keyed by group is a JSON object keyed by these names).
public enum SchoolGroup: String, Codable, Sendable, CaseIterable, Hashable, CodingKeyRepresentable {
    /// High results, favourable conditions.
    case effective
    /// Low results, favourable conditions.
    case struggling
    /// Low results, hard conditions.
    case deprived
    /// High results, hard conditions.
    case resilient

    public var russianName: String {
        switch self {
        case .effective: "Эффективные"
        case .struggling: "Несправляющиеся"
        case .deprived: "Депривированные"
        case .resilient: "Резильентные"
        }
    }

    public var lowResults: Bool { self == .struggling || self == .deprived }
    public var hardConditions: Bool { self == .deprived || self == .resilient }
}

/// Where identification put a school in a year.
public struct Placement: Codable, Sendable, Hashable {
    public var schoolCode: String
    /// The results index (standardised, weighted), nil when the school has too few participants.
    public var resultsIndex: Double?
    public var socialIndex: Double?
    /// Nil when either index is missing («недостаточно данных»).
    public var group: SchoolGroup?
    /// Below the results cut, known whenever the results index is (even without social data).
    public var lowResults: Bool?
    /// Below the social cut (hard conditions), known whenever the social index is.
    public var hardConditions: Bool?
    /// How far the results index may be off by chance at the school's size (one standard error).
    public var resultsNoise: Double?
    /// Near a cut within twice its noise: the group could be the neighbouring one by chance.
    public var uncertain: Bool
    public var participants: Int

    public init(schoolCode: String, resultsIndex: Double?, socialIndex: Double?, group: SchoolGroup?, resultsNoise: Double?,
                uncertain: Bool, participants: Int, lowResults: Bool? = nil, hardConditions: Bool? = nil) {
        self.schoolCode = schoolCode
        self.resultsIndex = resultsIndex
        self.socialIndex = socialIndex
        self.group = group
        self.lowResults = lowResults ?? group?.lowResults
        self.hardConditions = hardConditions ?? group?.hardConditions
        self.resultsNoise = resultsNoise
        self.uncertain = uncertain
        self.participants = participants
    }
}

/// A region's identification for one year: the cut points as values and every school's placement,
/// in school-code order, so that the same method and data give the same list bit for bit.
public struct IdentificationRun: Codable, Sendable, Hashable {
    public var year: Int
    public var method: IdentificationMethod
    public var resultsCut: Double?
    public var socialCut: Double?
    public var placements: [Placement]

    public init(year: Int, method: IdentificationMethod, resultsCut: Double?, socialCut: Double?, placements: [Placement]) {
        self.year = year
        self.method = method
        self.resultsCut = resultsCut
        self.socialCut = socialCut
        self.placements = placements
    }

    /// SHA-256 of the run's canonical JSON: an approved list keeps it, and a rerun must match it.
    public func contentHash() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SHA256.hash(data: try encoder.encode(self)).hexString
    }
}

/// Identification of schools from results and social context (seed 000 §3–4), as pure functions of
/// the method and the data: standardise each component and year within the region, combine them
/// with their weights over the window, cut each axis, place each school in its group, and mark the
/// schools whose placement their size cannot vouch for.
public enum Identification {
    public static func run(_ method: IdentificationMethod, year: Int, schools unordered: [SchoolResultsInput]) -> IdentificationRun {
        // One order for the arithmetic as well as the list: sums taken in another order differ in
        // the last bits, and an approved list must be reproduced exactly.
        let schools = unordered.sorted { $0.schoolCode < $1.schoolCode }
        let window = (year - method.windowYears + 1)...year
        let weights = Dictionary(method.components.map { ($0.key, $0.weight) }, uniquingKeysWith: { first, _ in first })
        // Each component and year standardised across the schools that have it.
        var columns: [ComponentYear: [(school: Int, value: Double)]] = [:]
        for (index, school) in schools.enumerated() {
            for result in school.results where window.contains(result.year) && weights[result.key] != nil && result.participants > 0 {
                columns[ComponentYear(key: result.key, year: result.year), default: []].append((index, result.mean))
            }
        }
        var standardised: [[ComponentYear: Double]] = Array(repeating: [:], count: schools.count)
        for (column, values) in columns {
            for (school, value) in standardise(values.map(\.value), method.standardisation).enumerated() {
                standardised[values[school].school][column] = value
            }
        }
        var results: [Double?] = []
        var noises: [Double?] = []
        var participants: [Int] = []
        for (index, school) in schools.enumerated() {
            let taken = school.results.filter { window.contains($0.year) && weights[$0.key] != nil && $0.participants > 0 }
            let count = taken.reduce(0) { $0 + $1.participants }
            participants.append(count)
            guard count >= method.minimumParticipants, !taken.isEmpty else {
                results.append(nil)
                noises.append(nil)
                continue
            }
            var sum = 0.0, weightSum = 0.0
            for result in taken {
                let weight = weights[result.key]!
                sum += weight * (standardised[index][ComponentYear(key: result.key, year: result.year)] ?? 0)
                weightSum += weight
            }
            results.append(sum / weightSum)
            // In z units a school mean of n pupils is off by about ratio / √n; percentiles are not.
            noises.append(method.standardisation == .zScore ? method.withinToBetweenRatio / Double(count).squareRoot() : nil)
        }
        let social = socialIndices(method, schools)
        let resultsCut = cut(method.resultsCut, results.compactMap { $0 })
        let socialCut = cut(method.socialCut, social.compactMap { $0 })
        let placements = schools.indices.map { index -> Placement in
            let result = results[index], context = social[index]
            var group: SchoolGroup?
            var uncertain = false
            let low = result.flatMap { result in resultsCut.map { result < $0 } }
            let hard = context.flatMap { context in socialCut.map { context < $0 } }
            if let low, let hard {
                group = switch (low, hard) {
                case (false, false): .effective
                case (true, false): .struggling
                case (true, true): .deprived
                case (false, true): .resilient
                }
            }
            if let result, let resultsCut, let noise = noises[index] { uncertain = abs(result - resultsCut) < 2 * noise }
            return Placement(schoolCode: schools[index].schoolCode, resultsIndex: result, socialIndex: context, group: group,
                             resultsNoise: noises[index], uncertain: uncertain, participants: participants[index],
                             lowResults: low, hardConditions: hard)
        }
        return IdentificationRun(year: year, method: method, resultsCut: resultsCut, socialCut: socialCut, placements: placements)
    }

    struct ComponentYear: Hashable {
        var key: ComponentKey
        var year: Int
    }

    /// The social index: each indicator standardised across the region, turned so that higher is
    /// more favourable, weighted; nil for a school without any of the method's indicators.
    static func socialIndices(_ method: IdentificationMethod, _ schools: [SchoolResultsInput]) -> [Double?] {
        var sums = Array(repeating: 0.0, count: schools.count)
        var weights = Array(repeating: 0.0, count: schools.count)
        for component in method.social {
            let present = schools.indices.compactMap { index in schools[index].social[component.name].map { (index, $0) } }
            for (position, value) in standardise(present.map(\.1), method.standardisation).enumerated() {
                let signed = component.higherIsFavourable ? value : (method.standardisation == .zScore ? -value : 1 - value)
                sums[present[position].0] += component.weight * signed
                weights[present[position].0] += component.weight
            }
        }
        return schools.indices.map { weights[$0] > 0 ? sums[$0] / weights[$0] : nil }
    }

    /// Values made comparable across the region: z-scores (0 when all are equal) or percentile ranks.
    static func standardise(_ values: [Double], _ kind: Standardisation) -> [Double] {
        guard !values.isEmpty else { return [] }
        switch kind {
        case .zScore:
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            let deviation = variance.squareRoot()
            return values.map { deviation > 0 ? ($0 - mean) / deviation : 0 }
        case .percentile:
            let sorted = values.sorted()
            return values.map { value in
                // The share strictly below, plus half the ties: equal values get equal ranks.
                let below = Double(lowerBound(sorted, value)), equal = Double(upperBound(sorted, value) - lowerBound(sorted, value))
                return (below + equal / 2) / Double(values.count)
            }
        }
    }

    /// The value of a cut point among the placed schools' indices (nil when none is placed).
    static func cut(_ point: CutPoint, _ values: [Double]) -> Double? {
        switch point {
        case .value(let value): return value
        case .median: return quantile(values, 0.5)
        case .percentile(let share): return quantile(values, share)
        }
    }

    /// The p-quantile by linear interpolation between the closest ranks.
    static func quantile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = min(max(p, 0), 1) * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = Int(position.rounded(.up))
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    private static func lowerBound(_ sorted: [Double], _ value: Double) -> Int {
        var low = 0, high = sorted.count
        while low < high { let mid = (low + high) / 2; if sorted[mid] < value { low = mid + 1 } else { high = mid } }
        return low
    }

    private static func upperBound(_ sorted: [Double], _ value: Double) -> Int {
        var low = 0, high = sorted.count
        while low < high { let mid = (low + high) / 2; if sorted[mid] <= value { low = mid + 1 } else { high = mid } }
        return low
    }
}
