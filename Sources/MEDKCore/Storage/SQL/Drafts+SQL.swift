import Foundation

/// Refused forms, as JSON, by id and owner; a few per user, for an hour.
extension SQLTransaction {
    func formDraft(id: String, userID: Int64, since: Date) throws -> FormDraft? {
        guard let body = try value(String.self, """
            SELECT body FROM form_drafts WHERE id = ? AND user_id = ? AND created_at >= ?
            """, [id, userID, since.sql]) else { return nil }
        return try Self.draftDecoder.decode(FormDraft.self, from: Data(body.utf8))
    }

    func userOfEndedSession(tokenHash: String, since: Date) throws -> Int64? {
        try value(Int64.self, """
            SELECT user_id FROM sessions WHERE token_hash = ? AND revoked_at IS NULL AND coalesce(last_seen_at, created_at) >= ?
            """, [tokenHash, since.sql])
    }

    func insertFormDraft(_ draft: FormDraft) throws {
        let body = String(decoding: try Self.draftEncoder.encode(draft), as: UTF8.self)
        try execute("INSERT INTO form_drafts (id, user_id, created_at, body) VALUES (?, ?, ?, ?)", [draft.id, draft.userID, draft.createdAt.sql, body])
    }

    func forgetFormDrafts(before moment: Date, userID: Int64, keep: Int) throws {
        try execute("DELETE FROM form_drafts WHERE created_at < ?", [moment.sql])
        try execute("""
            DELETE FROM form_drafts WHERE user_id = ? AND id NOT IN (
                SELECT id FROM form_drafts WHERE user_id = ? ORDER BY created_at DESC LIMIT ?)
            """, [userID, userID, keep])
    }

    private static let draftEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    private static let draftDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()
}
