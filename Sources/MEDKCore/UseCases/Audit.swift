import Foundation
import GRDB

extension MEDKService {
    /// Recomputes the whole chain; names the first row that does not fit.
    public func verifyAudit() async throws -> AuditVerification {
        try await read { db in try AuditLog.verify(db) }
    }

    /// The audit trail, oldest first, optionally of one item; `limit` keeps the newest rows.
    public func auditLog(itemID: Int64? = nil, limit: Int? = nil, by op: Operator) async throws -> [AuditEntry] {
        try await read { db in
            _ = try op.authorize(.viewAudit)
            let entries = try AuditLog.entries(db, entityType: itemID == nil ? nil : "item", entityID: itemID.map { String($0) })
            guard let limit, entries.count > limit else { return entries }
            return Array(entries.suffix(limit))
        }
    }
}
