import Foundation

/// What a user receives by mail and where: their own choice, or their unsubscription by link.
public struct MailPreferencesView: Sendable, Hashable {
    public var email: String?
    public var enabled: Set<MailKind>
    /// The day of the week the digest comes (1 = Monday … 7 = Sunday).
    public var digestWeekday: Int
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
        let email = email?.trimmingCharacters(in: .whitespaces)
        let address = try email.flatMap { $0.isEmpty ? nil : try MailAddress($0).address }
        let now = now()
        return try await write { store in
            guard let user = try store.user(id: actor.userID), let recipient = try store.recipient(userID: actor.userID) else {
                throw MEDKError.notFound("Пользователь")
            }
            let disabled = Set(MailKind.allCases).subtracting(enabled)
            if address != user.email { try store.updateUser(id: user.id, fullName: user.fullName, email: address) }
            try store.saveMailPreferences(userID: user.id, disabled: disabled, token: recipient.unsubscribeToken ?? Self.newUnsubscribeToken(),
                                          digestWeekday: digestWeekday)
            try store.appendAudit(AuditActor(userID: user.id, login: user.login, role: nil), at: now, AuditRecord(
                action: .mailPreferences, entityType: .user, entityID: user.id,
                fromState: user.email, toState: address,
                details: ["disabled": disabled.sorted().map(\.rawValue).joined(separator: ","), "digest_weekday": String(digestWeekday)]))
            return MailPreferencesView(email: address, enabled: enabled, digestWeekday: digestWeekday)
        }
    }

    /// Who an unsubscribe link is for (their name, for the confirmation page), without a login.
    public func unsubscribeTarget(token: String) async throws -> String {
        try await read { store in
            guard Self.plausibleToken(token), let id = try store.userID(unsubscribeToken: token), let user = try store.user(id: id) else {
                throw MEDKError.notFound("Ссылка для отписки")
            }
            return user.fullName
        }
    }

    /// Turns one kind of message off for the holder of an unsubscribe link; audited as their own act.
    /// Returns their name, for the confirmation.
    @discardableResult
    public func unsubscribe(token: String, kind: MailKind) async throws -> String {
        let now = now()
        return try await write { store in
            guard Self.plausibleToken(token), let id = try store.userID(unsubscribeToken: token), let user = try store.user(id: id),
                  let recipient = try store.recipient(userID: id)
            else { throw MEDKError.notFound("Ссылка для отписки") }
            guard !recipient.disabled.contains(kind) else { return user.fullName }
            let disabled = recipient.disabled.union([kind])
            try store.saveMailPreferences(userID: id, disabled: disabled, token: token, digestWeekday: recipient.digestWeekday)
            try store.appendAudit(AuditActor(userID: id, login: user.login, role: nil), at: now, AuditRecord(
                action: .mailPreferences, entityType: .user, entityID: id, comment: "Отписка по ссылке из письма",
                details: ["disabled": disabled.sorted().map(\.rawValue).joined(separator: ",")]))
            return user.fullName
        }
    }

    /// Tokens are 43 URL-safe characters; anything else is not looked up.
    static func plausibleToken(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { $0 == 45 || $0 == 95 || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
    }

    /// A region's reminder settings, for those who may change them (its coordinators, FIOCO, the operator).
    public func reminderSettings(regionCode: String, by op: Operator = .local) async throws -> RegionReminderSettings {
        try await read { store in
            guard let region = try store.region(code: regionCode) else { throw MEDKError.notFound("Регион «\(regionCode)»") }
            _ = try op.authorize(.shiftMilestones(regionID: region.id))
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
            guard let region = try store.region(code: regionCode) else { throw MEDKError.notFound("Регион «\(regionCode)»") }
            let auditActor = try op.authorize(.shiftMilestones(regionID: region.id))
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
