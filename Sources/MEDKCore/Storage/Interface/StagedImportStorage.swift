import Foundation

/// Roadmap tables kept between the preview a person looked at and their «apply», so the web page
/// need not ask for the file twice — in the database, so that the «apply» may reach another
/// server behind the balancer than the preview did. Each is named by a random token and belongs to
/// the user who staged it: only that user can apply it.
protocol StagedImportReading {
    /// The table `ownerID` staged under `token` no earlier than `stagedAfter`; nil when it is gone
    /// (applied, expired or someone else's).
    func stagedImport(token: String, ownerID: Int64, stagedAfter: Date) throws -> Data?
}

protocol StagedImportWriting {
    /// Keeps `data` under `token`; drops every table staged before `expiredBefore` and the owner's
    /// oldest beyond `keepingPerOwner`, so previews cannot fill the database.
    func stageImport(token: String, ownerID: Int64, data: Data, at: Date, expiredBefore: Date, keepingPerOwner: Int) throws
    func discardStagedImport(token: String, ownerID: Int64) throws
}
