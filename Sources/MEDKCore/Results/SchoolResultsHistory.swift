import Crypto
import Foundation

/// One social indicator of a school in one year.
public struct SocialValue: Codable, Sendable, Hashable {
    public var year: Int
    public var indicator: String
    public var value: Double

    public init(year: Int, indicator: String, value: Double) {
        self.year = year
        self.indicator = indicator
        self.value = value
    }
}

/// Everything loaded about one school that a draft list may use: its results over all the years
/// the entry rule looks back on, and its social indicators by year. Kept in one canonical order so
/// that the same data always hashes alike.
public struct SchoolResultsHistory: Codable, Sendable, Hashable {
    public var schoolCode: String
    public var results: [ComponentResult]
    public var social: [SocialValue]

    public init(schoolCode: String, results: [ComponentResult], social: [SocialValue]) {
        self.schoolCode = schoolCode
        self.results = results.sorted { ($0.year, $0.key) < ($1.year, $1.key) }
        self.social = social.sorted { ($0.year, $0.indicator) < ($1.year, $1.indicator) }
    }

    /// What identification for `year` sees: the results in the method's window, and each social
    /// indicator as last measured up to that year (regions collect the social context less often
    /// than exams are sat, so an older measurement stands until a newer one is loaded).
    public func input(for year: Int, windowYears: Int) -> SchoolResultsInput {
        let window = (year - windowYears + 1)...year
        var latest: [String: SocialValue] = [:]
        for value in social where value.year <= year {
            if let known = latest[value.indicator], known.year >= value.year { continue }
            latest[value.indicator] = value
        }
        return SchoolResultsInput(schoolCode: schoolCode, results: results.filter { window.contains($0.year) },
                                  social: latest.mapValues(\.value))
    }

    /// SHA-256 of the histories' canonical JSON, in school-code order.
    public static func contentHash(_ histories: [SchoolResultsHistory]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SHA256.hash(data: try encoder.encode(histories.sorted { $0.schoolCode < $1.schoolCode })).hexString
    }
}
