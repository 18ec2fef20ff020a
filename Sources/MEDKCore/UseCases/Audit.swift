import Foundation

extension MEDKService {
    /// Recomputes the whole chain; names the first row that does not fit.
    public func verifyAudit() async throws -> AuditVerification {
        try await read { store in try store.verifyAudit() }
    }

    /// The audit trail, newest first, optionally of one entity.
    public func auditLog(_ query: AuditQuery = AuditQuery(), page: PageRequest = .first, by op: Operator) async throws -> Page<AuditEntry> {
        try await read { store in
            _ = try op.authorize(.viewAudit)
            return try store.auditEntries(query, page: page)
        }
    }
}
