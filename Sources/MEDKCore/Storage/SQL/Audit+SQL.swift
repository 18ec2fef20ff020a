import Foundation

private enum AuditSQL {
    static let select = """
        a.seq, a.at, a.actor_id, a.actor_login, a.actor_role, a.action, a.entity_type, a.entity_id, a.from_state, a.to_state,
        a.comment, a.details, a.prev_hash, a.hash
        """

    /// Nil when a stored value is not one MEDK writes: only tampering produces that.
    static func entry(_ row: SQLRow) -> AuditEntry? {
        let role: Role?
        if let text = row[4] as String? {
            guard let parsed = Role(rawValue: text) else { return nil }
            role = parsed
        } else {
            role = nil
        }
        let entityID: Int64?
        if let text = row[7] as String? {
            guard let parsed = Int64(text) else { return nil }
            entityID = parsed
        } else {
            entityID = nil
        }
        guard let action = AuditAction(rawValue: row[5]), let entity = AuditEntity(rawValue: row[6]) else { return nil }
        return AuditEntry(seq: row[0], at: row[1], actorID: row[2], actorLogin: row[3], actorRole: role, action: action,
                          entityType: entity, entityID: entityID, fromState: row[8], toState: row[9], comment: row[10],
                          details: row[11], prevHash: row[12], hash: row[13])
    }
}

extension SQLTransaction {
    func appendAudit(_ actor: AuditActor, at instant: Date, _ record: AuditRecord) throws {
        guard dialect.locksAuditChain else {
            _ = try writeAudit(actor, at: instant, record)
            return
        }
        // Written with the chain locked just before COMMIT (`flushAudit`): see `ChainHead`.
        chain.pending.append(PendingAudit(actor: actor, at: instant, record: record))
    }

    func appendAuditNow(_ actor: AuditActor, at instant: Date, _ record: AuditRecord) throws -> AuditEntry {
        try flushAudit()
        return try writeAudit(actor, at: instant, record)
    }

    /// Writes the records waiting in this transaction (PostgreSQL): the chain is locked here, and
    /// stays locked until the transaction ends. `beforeCommit`: nothing follows but COMMIT, so the
    /// last record may go with it (`executeWithCommit`).
    func flushAudit(beforeCommit: Bool = false) throws {
        guard !chain.pending.isEmpty else { return }
        let pending = chain.pending
        chain.pending = []
        for (index, record) in pending.enumerated() {
            _ = try writeAudit(record.actor, at: record.at, record.record, withCommit: beforeCommit && index == pending.count - 1)
        }
    }

    /// Writes one record after the chain's last.
    private func writeAudit(_ actor: AuditActor, at instant: Date, _ record: AuditRecord, withCommit: Bool = false) throws -> AuditEntry {
        if chain.last == nil {
            // The log's last row and the keys it is hashed with, in one statement: on PostgreSQL in
            // the same trip as the lock, read once the lock is held (a key added meanwhile is seen).
            let headAndKeys = """
                SELECT 0, seq, hash FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)
                UNION ALL SELECT 1, from_seq, key_id FROM audit_keys
                ORDER BY 1, 2
                """
            let found: [SQLRow]
            if let lock = dialect.transactionLock {
                // Locked until this transaction ends: a writer on another server waits here and then
                // reads the row the one before it appended (its snapshot is taken after the wait).
                found = try rows(after: lock, ["medk.audit_chain"], headAndKeys, [])
            } else {
                found = try rows(headAndKeys)
            }
            let head = found.first { $0[0] as Int == 0 }
            chain.ring = try chain.keys.effectiveRing(recorded: found.filter { $0[0] as Int == 1 }.map { (id: $0[2], from: $0[1]) })
            chain.last = head.map { (seq: $0[1], hash: $0[2]) } ?? (seq: 0, hash: AuditEntry.genesisHash)
        }
        let last = chain.last!
        var entry = AuditEntry(
            seq: last.seq + 1, at: Timestamp.string(instant), actorID: actor.userID, actorLogin: actor.login,
            actorRole: actor.role, action: record.action, entityType: record.entityType, entityID: record.entityID,
            fromState: record.fromState, toState: record.toState, comment: record.comment,
            details: AuditChain.canonicalJSON(record.details), prevHash: last.hash, hash: "")
        entry.hash = entry.computedHash(key: chain.ring?.key(for: entry.seq))
        let insert = """
            INSERT INTO audit_log (seq, at, actor_id, actor_login, actor_role, action, entity_type, entity_id, from_state, to_state,
                                   comment, details, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        let arguments: SQLArguments = [entry.seq, entry.at, entry.actorID, entry.actorLogin, entry.actorRole, entry.action,
                                       entry.entityType, entry.entityID.map { String($0) }, entry.fromState, entry.toState,
                                       entry.comment, entry.details, entry.prevHash, entry.hash]
        if withCommit { try executeWithCommit(insert, arguments) } else { try execute(insert, arguments) }
        chain.last = (entry.seq, entry.hash)
        return entry
    }

    func verifyAudit(extending checkpoint: AuditCheckpoint?) throws -> AuditVerification {
        let ring = try chain.keys.effectiveRing(self)
        if let checkpoint, !checkpoint.isSigned(by: ring) {
            return .broken(seq: checkpoint.seq, reason: "контрольная точка не подписана ключом этого журнала: она подделана или от другой установки")
        }
        var verifier = AuditChain.Verifier(keys: ring)
        var reachedCheckpoint = false
        var outcome: AuditVerification?
        try forEach("SELECT \(AuditSQL.select) FROM audit_log a ORDER BY a.seq", []) { row in
            guard let entry = AuditSQL.entry(row) else {
                outcome = .broken(seq: row[0], reason: "запись содержит значение, которого МЭДК не пишет: строка изменена")
                return false
            }
            if let broken = verifier.check(entry) {
                outcome = broken
                return false
            }
            if let checkpoint, entry.seq == checkpoint.seq {
                guard entry.hash == checkpoint.hash else {
                    outcome = .broken(seq: entry.seq, reason: "журнал не продолжает контрольную точку: запись №\(entry.seq) другая, журнал переписан")
                    return false
                }
                reachedCheckpoint = true
            }
            return true
        }
        if let outcome { return outcome }
        if let checkpoint, !reachedCheckpoint {
            return .broken(seq: checkpoint.seq, reason: "в журнале нет записи №\(checkpoint.seq) из контрольной точки: журнал укорочен")
        }
        return verifier.result
    }

    func auditHead() throws -> (seq: Int64, hash: String)? {
        try row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").map { (seq: $0[0], hash: $0[1]) }
    }

    func auditKeys() throws -> AuditKeyRing { try chain.keys.effectiveRing(self) }

    func addAuditKey(_ key: AuditKey) throws {
        try chain.keys.add(key)
        try execute("INSERT INTO audit_keys (key_id, from_seq) VALUES (?, ?)", [key.id, key.fromSeq])
    }

    func auditEntries(_ query: AuditQuery, page: PageRequest) throws -> Page<AuditEntry> {
        let conditions = try auditConditions(query)
        // The chain numbers its rows 1, 2, 3… without gaps (verification insists), so the whole
        // trail's length is its last number: no need to count twelve million rows.
        let known: Int? = query.entityType == nil && query.entityID == nil && query.from == nil && query.to == nil
            ? try value(Int.self, "SELECT coalesce(max(seq), 0) FROM audit_log") : nil
        return try KeysetPage.fetch(self, select: AuditSQL.select, from: "audit_log a", total: known, conditions,
                                    order: [.integer("a.seq", descending: true)], page: page) { row in
            guard let entry = AuditSQL.entry(row) else {
                throw MEDKError.corruptValue(column: "audit_log", value: "seq \(row[0] as Int64)")
            }
            return entry
        }
    }

    func auditEntries(_ query: AuditQuery, after seq: Int64, limit: Int) throws -> [AuditEntry] {
        var conditions = try auditConditions(query)
        conditions.append("a.seq > ?", seq)
        return try rows("SELECT \(AuditSQL.select) FROM audit_log a WHERE \(conditions.sql) ORDER BY a.seq LIMIT ?", conditions.arguments + [limit]).map { row in
            guard let entry = AuditSQL.entry(row) else {
                throw MEDKError.corruptValue(column: "audit_log", value: "seq \(row[0] as Int64)")
            }
            return entry
        }
    }

    /// The query as SQL. A period is found by the rows' numbers first: rows are written in time
    /// order, so the first row at or after a moment is found by bisecting the numbers (a few dozen
    /// key lookups, where the log has no index by time); a margin around it absorbs the few
    /// milliseconds by which concurrent writers may commit out of order, and the time itself is
    /// still compared, so the period is exact.
    private func auditConditions(_ query: AuditQuery) throws -> SQLConditions {
        var conditions = SQLConditions()
        if let type = query.entityType { conditions.append("a.entity_type = ?", type) }
        if let id = query.entityID { conditions.append("a.entity_id = ?", String(id)) }
        let margin: Int64 = 10_000
        if let from = query.from {
            conditions.append("a.seq >= ?", try firstAuditRow(atOrAfter: from) - margin)
            conditions.append("a.at >= ?", Timestamp.string(from))
        }
        if let to = query.to {
            conditions.append("a.seq < ?", try firstAuditRow(atOrAfter: to) + margin)
            conditions.append("a.at < ?", Timestamp.string(to))
        }
        return conditions
    }

    /// The number of the first row written at or after `moment` (one past the last row if none).
    private func firstAuditRow(atOrAfter moment: Date) throws -> Int64 {
        let bound = Timestamp.string(moment)
        let last = try value(Int64.self, "SELECT coalesce(max(seq), 0) FROM audit_log") ?? 0
        var low: Int64 = 1, high = last + 1
        while low < high {
            let middle = low + (high - low) / 2
            let text = try value(String.self, "SELECT at FROM audit_log WHERE seq = ?", [middle]) ?? ""
            if text < bound { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
