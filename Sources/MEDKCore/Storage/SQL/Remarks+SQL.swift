import Foundation

/// Remarks of returned documents and their answers.
extension SQLTransaction {
    func remarks(itemID: Int64) throws -> [Remark] {
        try rows("""
            SELECT r.id, r.item_id, r.text, r.returned_at, coalesce(ru.full_name, ru.login), r.answer, r.answer_text, r.answered_at,
                   coalesce(au.full_name, au.login), r.closed_at
            FROM remarks r JOIN users ru ON ru.id = r.returned_by LEFT JOIN users au ON au.id = r.answered_by
            WHERE r.item_id = ? ORDER BY r.id
            """, [itemID]).map { row in
            Remark(id: row[0], itemID: row[1], text: row[2], returnedAt: try row.instant(3), returnedBy: row[4],
                   answer: try row.decodeIfPresent(RemarkAnswer.self, at: 5), answerText: row[6], answeredAt: try row.instantIfPresent(7),
                   answeredBy: row[8], closedAt: try row.instantIfPresent(9))
        }
    }

    func insertRemarks(itemID: Int64, texts: [String], by userID: Int64, at moment: Date) throws {
        let insertRemark = "INSERT INTO remarks (item_id, text, returned_at, returned_by) VALUES (?, ?, ?, ?)"
        for text in texts { try execute(insertRemark, [itemID, text, moment.sql, userID]) }
    }

    func answerRemark(id: Int64, _ answer: RemarkAnswer, text: String?, by userID: Int64, at moment: Date) throws {
        try execute("UPDATE remarks SET answer = ?, answer_text = ?, answered_at = ?, answered_by = ? WHERE id = ? AND closed_at IS NULL", [answer, text, moment.sql, userID, id])
    }

    func closeRemarks(itemID: Int64, keepingOpen: Set<Int64>, by userID: Int64, at moment: Date) throws {
        let kept = keepingOpen.sorted()
        // `id NOT IN (NULL)` is never true in SQL, so closing everything has no list at all.
        let placeholders = Array(repeating: "?", count: kept.count).joined(separator: ", ")
        let exceptKept = kept.isEmpty ? "" : " AND id NOT IN (\(placeholders))"
        var arguments: [any SQLBindable] = [moment.sql, userID, itemID]
        arguments += kept
        try execute("""
            UPDATE remarks SET closed_at = ?, closed_by = ? WHERE item_id = ? AND closed_at IS NULL\(exceptKept)
            """, SQLArguments(arguments))
        guard !kept.isEmpty else { return }
        var reopen: [any SQLBindable] = [itemID]
        reopen += kept
        try execute("""
            UPDATE remarks SET answer = NULL, answer_text = NULL, answered_at = NULL, answered_by = NULL
            WHERE item_id = ? AND closed_at IS NULL AND id IN (\(placeholders))
            """, SQLArguments(reopen))
    }
}
