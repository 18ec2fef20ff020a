import Foundation

protocol ResultsReading {
    /// A region's schools with their results in `years` and their social indicators of `socialYear`.
    func resultsInputs(regionID: Int64, years: ClosedRange<Int>, socialYear: Int) throws -> [SchoolResultsInput]
}

protocol ResultsWriting {
    /// Writes a school's mean for a component and year; says whether it was new, changed or the same.
    func upsertResult(schoolID: Int64, _ result: ComponentResult) throws -> UpsertOutcome
    func upsertSocial(schoolID: Int64, year: Int, indicator: String, value: Double) throws -> UpsertOutcome
}
