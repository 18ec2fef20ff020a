import Foundation

/// What the owner changed in a document after its reviewer last decided on it (returned it,
/// confirmed it, or it was reopened for a new edition): files uploaded, measures added, changed
/// field by field and removed, the risk profile, answers to remarks — so that a re-review looks at
/// what is new rather than the whole document again.
public struct ChangesSinceDecision: Codable, Sendable, Hashable {
    /// The decision the changes follow.
    public var decision: HistoryEntry
    /// The owner's changes after it, oldest first.
    public var changes: [HistoryEntry]
    /// More changes were made than are listed (the oldest are listed).
    public var truncated: Bool
    /// The newest file version at the decision, to compare with the version sent now.
    public var versionAtDecision: Int?

    public init(decision: HistoryEntry, changes: [HistoryEntry], truncated: Bool, versionAtDecision: Int?) {
        self.decision = decision
        self.changes = changes
        self.truncated = truncated
        self.versionAtDecision = versionAtDecision
    }

    /// History actions that end a round of review.
    static let decisions: Set<AuditAction> = [.itemReturn, .itemConfirm, .itemReopen]
    /// History actions that change what the reviewer looks at.
    static let contentChanges: Set<AuditAction> = [
        .itemUpload, .measureAdd, .measureUpdate, .measureRemove, .measureImport, .measureReportValue, .riskProfileUpdate,
        .remarkAnswer,
    ]
    /// Most changes listed: a roadmap imported anew has one line per measure.
    static let maximumListed = 300
    /// Most history lines read back looking for the decision.
    static let maximumScanned = 6_000

    /// The changes since the last decision, or nil when there was none (a first submission) or it
    /// lies further back than `maximumScanned` lines.
    static func read(_ store: any StoreReading, itemID: Int64, files: [FileVersion]) throws -> ChangesSinceDecision? {
        var newestFirst: [HistoryEntry] = []
        var page = PageRequest(limit: PageRequest.maximumLimit, countsTotal: false)
        var scanned = 0
        while scanned < maximumScanned {
            let batch = try store.history(itemID: itemID, page: page)
            for entry in batch.items {
                if decisions.contains(entry.action) {
                    let listed = newestFirst.reversed().filter { contentChanges.contains($0.action) }
                    // Versions are numbered one by one, so the newest at the decision is the newest
                    // now less those uploaded since (times alone may tie within a second).
                    let uploadsSince = newestFirst.filter { $0.action == .itemUpload }.count
                    let versionAtDecision = files.map(\.version).max().map { $0 - uploadsSince }.flatMap { $0 > 0 ? $0 : nil }
                    return ChangesSinceDecision(
                        decision: entry, changes: Array(listed.prefix(maximumListed)), truncated: listed.count > maximumListed,
                        versionAtDecision: versionAtDecision)
                }
                newestFirst.append(entry)
            }
            scanned += batch.items.count
            guard let next = batch.nextCursor else { return nil }
            page.after = next
        }
        return nil
    }
}
