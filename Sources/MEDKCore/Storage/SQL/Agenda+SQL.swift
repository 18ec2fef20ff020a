import Foundation

/// What changed on a person's items since their previous visit.
extension SQLTransaction {
    func changes(itemIDs: [Int64], since: Date, notBy userID: Int64, limit: Int) throws -> [ItemChange] {
        guard !itemIDs.isEmpty else { return [] }
        // By the entity index, item by item: a school has a few dozen items, a curator a few hundred.
        let placeholders = Array(repeating: "?", count: itemIDs.count).joined(separator: ", ")
        var arguments: [any SQLBindable] = [AuditEntity.item.rawValue]
        arguments += itemIDs.map { String($0) }
        // The audit chain writes its own form of instants (ISO 8601 with «T» and «Z»), not the columns'.
        arguments += [Timestamp.string(since), userID, limit]
        return try rows("""
            SELECT a.entity_id, a.seq, a.at, a.actor_login, a.actor_role, a.action, a.from_state, a.to_state, a.comment, a.details,
                   u.full_name
            FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
            WHERE a.entity_type = ? AND a.entity_id IN (\(placeholders)) AND a.at > ? AND a.actor_id IS DISTINCT FROM ?
            ORDER BY a.seq DESC LIMIT ?
            """, SQLArguments(arguments)).map { row in
            ItemChange(itemID: Int64(row[0] as String) ?? 0, entry: HistoryEntry(
                seq: row[1], at: Timestamp.date(row[2]) ?? Date(timeIntervalSince1970: 0), actor: row[3], actorName: row[10],
                role: try row.decodeIfPresent(Role.self, at: 4), action: try row.decode(AuditAction.self, at: 5),
                fromState: (row[6] as String?).flatMap(ReviewState.init(rawValue:)),
                toState: (row[7] as String?).flatMap(ReviewState.init(rawValue:)), comment: row[8], details: FlatJSON.decode(row[9])))
        }
    }

    func previousVisit(userID: Int64) throws -> Date? {
        let text = try value(String.self, """
            SELECT coalesce(last_seen_at, created_at) FROM sessions WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 1
            """, [userID])
        return text.flatMap(Timestamp.columnDate)
    }
}
