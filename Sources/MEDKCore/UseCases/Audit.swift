import Foundation

extension MEDKService {
    /// Recomputes the whole chain; names the first row that does not fit.
    public func verifyAudit() async throws -> AuditVerification {
        try await read { store in try store.verifyAudit() }
    }

    /// Rebuilds every school's compliance progress from the items, the audit trail and the
    /// measures it summarises (after a damaged database was restored, say). Local operator only.
    public func repairProgress() async throws -> Int {
        try await store.rebuildProgress()
    }

    /// The audit trail, newest first, optionally of one entity.
    public func auditLog(_ query: AuditQuery = AuditQuery(), page: PageRequest = .first, by op: Operator) async throws -> Page<AuditEntry> {
        try await read { store in
            _ = try op.authorize(.viewAudit)
            return try store.auditEntries(query, page: page)
        }
    }
}
