import Foundation

/// Refused forms kept for their owners for an hour (`FormDraft`).
protocol DraftReading {
    /// The draft with this id if it is the user's and was kept after `since`.
    func formDraft(id: String, userID: Int64, since: Date) throws -> FormDraft?
    /// The user of a session that has ended by time (not revoked: a person who signed out meant
    /// it) and was last used after `since`.
    func userOfEndedSession(tokenHash: String, since: Date) throws -> Int64?
}

protocol DraftWriting {
    func insertFormDraft(_ draft: FormDraft) throws
    /// Forgets drafts kept before `moment`, and a user's beyond the most recent `keep`.
    func forgetFormDrafts(before moment: Date, userID: Int64, keep: Int) throws
}
