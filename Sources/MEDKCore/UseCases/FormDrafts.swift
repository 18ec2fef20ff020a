import Foundation

/// Keeping refused forms for the pages to show again (`FormDraft`): nothing a person types is
/// lost to a refusal or to a sign-in that ended while they wrote. Not a change of the domain's
/// state, so not audited; bounded per user and in time.
public struct FormDrafts: Sendable {
    let store: any Store
    let clock: any Clock
    /// Drafts a user has at once: enough for every form of a page refused in turn.
    static let perUser = 20

    /// Keeps a refused form of a signed-in user; returns the draft's id.
    public func keep(action: String, fields: [FormDraft.Field], files: [FormDraft.Field] = [], refusal: MEDKError,
                     for actor: Actor) async throws -> String {
        try await keep(FormDraft(userID: actor.userID, action: action, fields: fields, files: files, refusal: refusal,
                                 createdAt: Timestamp.truncated(clock.now())))
    }

    /// Whether the token names a session that ended by time within the last day (never one that
    /// was signed out): a form posted with it is worth reading and keeping.
    public func isEndedSession(token: String) async throws -> Bool {
        try await userOfEndedSession(token: token) != nil
    }

    /// Keeps a form posted after its sender's sign-in ended, for the user of that session; nil when
    /// the token names no such session.
    public func keepForEndedSession(token: String, action: String, fields: [FormDraft.Field],
                                    files: [FormDraft.Field] = []) async throws -> String? {
        guard let userID = try await userOfEndedSession(token: token) else { return nil }
        return try await keep(FormDraft(userID: userID, action: action, fields: fields, files: files,
                                        refusal: FormDraft.sessionEnded, createdAt: Timestamp.truncated(clock.now())))
    }

    private func userOfEndedSession(token: String) async throws -> Int64? {
        let since = Timestamp.truncated(clock.now()).addingTimeInterval(-86_400)
        let digest = SessionToken.digest(token)
        return try await store.read { store in try store.userOfEndedSession(tokenHash: digest, since: since) }
    }

    /// The user's draft with this id, while it is kept.
    public func draft(id: String, for actor: Actor) async throws -> FormDraft? {
        guard FormDraft.isPlausibleID(id) else { return nil }
        let since = Timestamp.truncated(clock.now()).addingTimeInterval(-FormDraft.lifetime)
        return try await store.read { store in try store.formDraft(id: id, userID: actor.userID, since: since) }
    }

    private func keep(_ draft: FormDraft) async throws -> String {
        try await store.write { store in
            try store.forgetFormDrafts(before: draft.createdAt.addingTimeInterval(-FormDraft.lifetime), userID: draft.userID,
                                       keep: Self.perUser - 1)
            try store.insertFormDraft(draft)
        }
        return draft.id
    }
}

extension MEDKService {
    /// Refused forms kept for their pages.
    public var formDrafts: FormDrafts { FormDrafts(store: store, clock: clock) }
}
