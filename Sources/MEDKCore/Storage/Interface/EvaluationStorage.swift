import Foundation

protocol EvaluationReading {
    /// Every version of a municipality's package evaluation in a campaign, newest first.
    func packageEvaluations(campaignID: Int64, municipalityID: Int64) throws -> [PackageEvaluation]
    /// The latest evaluation of each evaluated municipality of a region, by municipality id.
    func latestPackageEvaluations(campaignID: Int64, regionID: Int64) throws -> [Int64: PackageEvaluation]
}

protocol EvaluationWriting {
    /// Writes a new version; a version is never changed afterwards.
    func insertPackageEvaluation(campaignID: Int64, municipality: Municipality, version: Int, by evaluator: AuditActor,
                                 at: Date, scores: [PositionScore], findings: [PositionFinding]) throws
}
