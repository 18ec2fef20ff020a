import Foundation

/// What a user receives by mail and where: their own choice, or their unsubscription by link.
public struct MailPreferencesView: Sendable, Hashable {
    public var email: String?
    public var enabled: Set<MailKind>
    /// The day of the week the digest comes (1 = Monday … 7 = Sunday).
    public var digestWeekday: Int
}

/// Whose an unsubscribe link is and the kind of message it turns off.
public struct UnsubscribeTarget: Sendable, Hashable {
    public var name: String
    public var kind: MailKind
}

/// A region's reminder settings as the region sees them.
public struct RegionReminderSettings: Sendable, Hashable {
    public var regionCode: String
    public var regionName: String
    public var settings: ReminderSettings
    public var isDefault: Bool

    public init(regionCode: String, regionName: String, settings: ReminderSettings, isDefault: Bool) {
        self.regionCode = regionCode
        self.regionName = regionName
        self.settings = settings
        self.isDefault = isDefault
    }
}

extension MEDKService {
    public func mailPreferences(for actor: Actor) async throws -> MailPreferencesView {
        try await read { store in
            guard let recipient = try store.recipient(userID: actor.userID) else { throw MEDKError.notFound("Пользователь") }
            return MailPreferencesView(email: recipient.email, enabled: Set(MailKind.allCases).subtracting(recipient.disabled),
                                       digestWeekday: recipient.digestWeekday)
        }
    }

    /// A user's own address and the kinds of message they want; audited.
    public func setMailPreferences(email: String?, enabled: Set<MailKind>, digestWeekday: Int = 1,
                                   by actor: Actor) async throws -> MailPreferencesView {
        guard (1...7).contains(digestWeekday) else { throw MEDKError.rejected("invalid_weekday", "День недели для сводки: от 1 (понедельник) до 7 (воскресенье).") }
        let address = try Validation.email(email)
        let now = now()
        return try await write { store in
            guard let user = try store.user(id: actor.userID), let recipient = try store.recipient(userID: actor.userID) else {
                throw MEDKError.notFound("Пользователь")
            }
            let disabled = Set(MailKind.allCases).subtracting(enabled)
            if address != user.email { try store.updateUser(id: user.id, fullName: user.fullName, email: address) }
            try store.saveMailPreferences(userID: user.id, disabled: disabled, digestWeekday: digestWeekday)
            try store.appendAudit(AuditActor(userID: user.id, login: user.login, role: nil), at: now, AuditRecord(
                action: .mailPreferences, entityType: .user, entityID: user.id,
                fromState: user.email, toState: address,
                details: ["disabled": disabled.sorted().map(\.rawValue).joined(separator: ","), "digest_weekday": String(digestWeekday)]))
            return MailPreferencesView(email: address, enabled: enabled, digestWeekday: digestWeekday)
        }
    }

    /// Who an unsubscribe link is for and what it turns off (for the confirmation page), without a login.
    public func unsubscribeTarget(token: String) async throws -> UnsubscribeTarget {
        let now = now()
        return try await read { store in
            let (user, link) = try Self.unsubscribeLink(store, token: token, at: now)
            return UnsubscribeTarget(name: user.fullName, kind: link.kind)
        }
    }

    /// Turns off, for the holder of an unsubscribe link, the kind of message the link came in;
    /// audited as their own act. A link works for a year, and only while the user's address is the
    /// one it was sent to.
    @discardableResult
    public func unsubscribe(token: String) async throws -> UnsubscribeTarget {
        let now = now()
        return try await write { store in
            let (user, link) = try Self.unsubscribeLink(store, token: token, at: now)
            guard let recipient = try store.recipient(userID: user.id) else { throw MEDKError.notFound("Ссылка для отписки") }
            let target = UnsubscribeTarget(name: user.fullName, kind: link.kind)
            guard !recipient.disabled.contains(link.kind) else { return target }
            let disabled = recipient.disabled.union([link.kind])
            try store.saveMailPreferences(userID: user.id, disabled: disabled, digestWeekday: recipient.digestWeekday)
            try store.appendAudit(AuditActor(userID: user.id, login: user.login, role: nil), at: now, AuditRecord(
                action: .mailPreferences, entityType: .user, entityID: user.id, comment: "Отписка по ссылке из письма",
                details: ["disabled": disabled.sorted().map(\.rawValue).joined(separator: ","), "kind": link.kind.rawValue]))
            return target
        }
    }

    /// The link and its user, if the link is one of ours, under a year old, and its address is
    /// still the user's; anything else is «not found» alike.
    private static func unsubscribeLink(_ store: any StoreReading, token: String, at now: Date) throws -> (UserAccount, UnsubscribeLink) {
        guard plausibleToken(token), let link = try store.unsubscribeLink(tokenHash: SessionToken.digest(token)),
              now.timeIntervalSince(link.createdAt) < UnsubscribeLink.lifetime,
              let user = try store.user(id: link.userID), user.email?.lowercased() == link.address.lowercased()
        else { throw MEDKError.notFound("Ссылка для отписки") }
        return (user, link)
    }

    /// Tokens are 43 URL-safe characters; anything else is not looked up.
    static func plausibleToken(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { $0 == 45 || $0 == 95 || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
    }

    /// A region's reminder settings, for those who may change them (its coordinators, FIOCO, the operator).
    public func reminderSettings(regionCode: String, by op: Operator = .local) async throws -> RegionReminderSettings {
        try await read { store in
            let (region, _) = try Lookup.region(store, code: regionCode, by: op) { .manageReminders(regionID: $0.id) }
            let stored = try store.reminderSettings(regionID: region.id)
            return RegionReminderSettings(regionCode: region.code, regionName: region.name, settings: stored ?? .standard, isDefault: stored == nil)
        }
    }

    /// A region's reminder days and review time: set by those who set its deadlines, audited.
    public func setReminderSettings(by op: Operator, regionCode: String, daysBefore: [Int], reviewWorkingDays: Int,
                                    escalationDays: [Int] = ReminderSettings.standard.escalationDays) async throws -> RegionReminderSettings {
        let settings = try ReminderSettings.validated(daysBefore: daysBefore, reviewWorkingDays: reviewWorkingDays, escalationDays: escalationDays)
        let now = now()
        return try await write { store in
            let (region, auditActor) = try Lookup.region(store, code: regionCode, by: op) { .manageReminders(regionID: $0.id) }
            let previous = try store.reminderSettings(regionID: region.id) ?? .standard
            try store.saveReminderSettings(regionID: region.id, settings)
            func text(_ s: ReminderSettings) -> String {
                "дни: \(s.daysBefore.map(String.init).joined(separator: ", ")); проверка: \(s.reviewWorkingDays) раб. дн.; "
                    + "эскалация: \(s.escalationDays.map(String.init).joined(separator: ", ")) дн."
            }
            try store.appendAudit(auditActor, at: now, AuditRecord(
                action: .reminderSettings, entityType: .region, entityID: region.id, fromState: text(previous), toState: text(settings)))
            return RegionReminderSettings(regionCode: region.code, regionName: region.name, settings: settings, isDefault: false)
        }
    }
}
