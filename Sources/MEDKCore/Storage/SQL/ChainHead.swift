import Foundation

/// The audit chain as one write transaction sees it: its last (seq, hash) once read — appends
/// after the first need not look it up again, since nothing else writes in between — and, where
/// writers lock the chain (PostgreSQL), the records appended but not yet written.
///
/// Why records wait there: the chain's lock is held from the moment it is taken until COMMIT has
/// reached the disk, and every writer on every server queues on it. Taking it only when the
/// transaction is about to commit — the records written last, in one go, the last of them with
/// COMMIT — keeps that queue to a round trip and the flush instead of the whole transaction.
final class ChainHead: @unchecked Sendable {
    var last: (seq: Int64, hash: String)?
    /// The keys in use, read with `last`.
    var ring: AuditKeyRing?
    let keys: AuditKeySource
    /// Records appended and not yet written (PostgreSQL only), in order.
    var pending: [PendingAudit] = []

    init(keys: AuditKeySource) { self.keys = keys }
}

struct PendingAudit {
    var actor: AuditActor
    var at: Date
    var record: AuditRecord
}
