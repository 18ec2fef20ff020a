import Foundation

extension MEDKService {
    /// Recomputes the whole chain; names the first row that does not fit. With a checkpoint, also
    /// proves the log still extends it: not rewritten up to it and not cut short.
    public func verifyAudit(extending checkpoint: AuditCheckpoint? = nil) async throws -> AuditVerification {
        try await read { store in try store.verifyAudit(extending: checkpoint) }
    }

    /// A signed statement of the log's last row, for keeping outside the server: a later
    /// `verifyAudit(extending:)` with it detects rewriting and truncation even by someone who has
    /// the key.
    public func auditCheckpoint() async throws -> AuditCheckpoint {
        let now = now()
        return try await read { store in
            guard let head = try store.auditHead() else {
                throw MEDKError(.conflict, code: "audit_empty", message: "Журнал аудита пуст: отмечать пока нечего.")
            }
            guard let key = try store.auditKeys().key(for: head.seq) else {
                throw MEDKError(.conflict, code: "audit_not_keyed",
                                message: "Последняя запись журнала сделана до появления ключа: подпишите точку после следующей записи.")
            }
            return try AuditCheckpoint.signed(seq: head.seq, hash: head.hash, at: Timestamp.string(now), with: key)
        }
    }

    /// Starts hashing with a new key (the old one stays in the key file to verify older rows):
    /// after a suspected leak, or on schedule. Recorded in the log under the old key.
    public func rotateAuditKey(by op: Operator) async throws -> AuditKey {
        let now = now()
        return try await write { store in
            let actor = try op.authorize(.administer)
            let entry = try store.appendAuditNow(actor, at: now, AuditRecord(action: .auditKeyRotated, entityType: .audit))
            let key = AuditKey.generate(fromSeq: entry.seq + 1)
            try store.addAuditKey(key)
            return key
        }
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
