import Foundation

/// A role to add or remove, its organisation named by code (region, municipality or school, as the
/// role needs; none for FIOCO and administrators).
public struct RoleChange: Codable, Sendable, Hashable {
    public var role: Role
    public var scope: String?

    public init(role: Role, scope: String? = nil) {
        self.role = role
        self.scope = scope
    }
}

/// What an administrator changes in an account; what is nil stays as it is.
public struct UserEdit: Codable, Sendable, Hashable {
    public var fullName: String?
    /// The new address; an empty one removes it (the person then gets no reminders).
    public var email: String?
    /// False deactivates the account and ends its sessions at once; true lets it sign in again.
    public var active: Bool?
    public var addRoles: [RoleChange]?
    public var removeRoles: [RoleChange]?

    public init(fullName: String? = nil, email: String? = nil, active: Bool? = nil, addRoles: [RoleChange]? = nil,
                removeRoles: [RoleChange]? = nil) {
        self.fullName = fullName
        self.email = email
        self.active = active
        self.addRoles = addRoles
        self.removeRoles = removeRoles
    }
}

/// Administrators manage people as they expect: rename, change the address, add and remove roles,
/// deactivate (which ends every session at once) and activate again — one transaction per edit,
/// each change audited. MEDK never locks its administrators out: nobody deactivates themselves or
/// takes their own administrator's role, and the last active administrator stays one. A curator
/// keeps the role while schools are assigned to them, so that no school is left without a reviewer
/// unnoticed.
public struct UserAccounts: Sendable {
    let service: MEDKService

    public static let maximumNameLength = 200

    public func user(login: String, by op: Operator) async throws -> UserInfo {
        try await service.read { store in
            _ = try op.authorize(.administer)
            guard let user = try store.user(login: login) else { throw MEDKError.notFound("Пользователь «\(login)»") }
            return try store.userInfo(user)
        }
    }

    /// Most roles one edit adds or removes: people hold a few.
    public static let maximumRoleChanges = 20

    public func edit(login: String, _ edit: UserEdit, by op: Operator) async throws -> UserInfo {
        guard (edit.addRoles?.count ?? 0) <= Self.maximumRoleChanges, (edit.removeRoles?.count ?? 0) <= Self.maximumRoleChanges else {
            throw MEDKError.rejected("too_many_roles", "За один раз можно добавить или снять не более \(Self.maximumRoleChanges) ролей.")
        }
        let now = service.now()
        return try await service.write { store in
            let auditActor = try op.authorize(.administer)
            guard let user = try store.user(login: login) else { throw MEDKError.notFound("Пользователь «\(login)»") }
            let isSelf = if case .user(let actor) = op { actor.userID == user.id } else { false }
            try Self.rename(store, auditActor, user, edit, at: now)
            let removed = try (edit.removeRoles ?? []).map { try Self.grant(store, $0) }
            let added = try (edit.addRoles ?? []).map { try Self.grant(store, $0) }
            let held = Set(try store.grants(userID: user.id))
            if let stranger = removed.first(where: { !held.contains($0) }) {
                throw MEDKError.rejected("role_not_held", "У пользователя «\(user.login)» нет роли «\(stranger.role.russianName)» с этой организацией.")
            }
            for grant in removed where !added.contains(grant) {
                if grant.role == .admin && isSelf {
                    throw MEDKError.rejected("own_admin_role", "Свою роль администратора снять нельзя: это сделает другой администратор.")
                }
                if grant.role == .curator, case let count = try store.curatorAssignmentCount(curatorID: user.id), count > 0 {
                    throw MEDKError.rejected("curator_has_schools", """
                        У куратора \(RussianPlural.count(count, "школа", "школы", "школ")): сначала назначьте им другого куратора \
                        (страница «Кураторы»), потом снимайте роль.
                        """)
                }
                try store.deleteGrant(userID: user.id, grant)
                try store.appendAudit(auditActor, at: now, AuditRecord(
                    action: .userRevokeRole, entityType: .user, entityID: user.id,
                    details: ["login": user.login, "role": grant.role.rawValue, "organisation_id": grant.organisationID.map(String.init) ?? ""]))
            }
            for grant in added {
                try Validation.grantScope(store, grant)
                _ = try OrganisationWrites.grantRole(store, auditActor, at: now, userID: user.id, grant: grant)
            }
            if let active = edit.active, active != user.isActive {
                if !active && isSelf {
                    throw MEDKError.rejected("deactivate_self", "Свою учётную запись отключить нельзя.")
                }
                try store.setUserActive(id: user.id, active)
                // Deactivation takes effect now, not when the sessions expire.
                if !active { try store.revokeSessions(userID: user.id, at: now) }
                try store.appendAudit(auditActor, at: now, AuditRecord(
                    action: active ? .userActivate : .userDeactivate, entityType: .user, entityID: user.id, details: ["login": user.login]))
            }
            guard try store.activeAdministratorCount() > 0 else {
                throw MEDKError.rejected("last_admin", "Это последний действующий администратор: назначьте сначала другого.")
            }
            guard let updated = try store.user(id: user.id) else { throw MEDKError.notFound("Пользователь «\(login)»") }
            return try store.userInfo(updated)
        }
    }

    /// The name and the address, checked and audited old → new.
    static func rename(_ store: any StoreWriting, _ auditActor: AuditActor, _ user: UserAccount, _ edit: UserEdit, at now: Date) throws {
        var fullName = user.fullName
        if let name = edit.fullName?.trimmingCharacters(in: .whitespacesAndNewlines) {
            guard !name.isEmpty else {
                throw MEDKError.rejected("empty_name", "Укажите ФИО.", fields: ["fullName": "Укажите ФИО."])
            }
            guard name.count <= maximumNameLength else {
                let text = "ФИО длиннее \(maximumNameLength) символов."
                throw MEDKError.rejected("name_too_long", text, fields: ["fullName": text])
            }
            fullName = name
        }
        let email = try edit.email.map { try Validation.email($0) } ?? user.email
        guard fullName != user.fullName || email != user.email else { return }
        try store.updateUser(id: user.id, fullName: fullName, email: email)
        var details = ["login": user.login]
        if fullName != user.fullName { (details["full_name.old"], details["full_name.new"]) = (user.fullName, fullName) }
        if email != user.email { (details["email.old"], details["email.new"]) = (user.email ?? "", email ?? "") }
        try store.appendAudit(auditActor, at: now, AuditRecord(action: .userUpdate, entityType: .user, entityID: user.id, details: details))
    }

    /// A role change resolved to a grant, in words for the form that named it.
    static func grant(_ store: any StoreReading, _ change: RoleChange) throws -> RoleGrant {
        let trimmed = change.scope?.trimmingCharacters(in: .whitespaces)
        let code = trimmed?.isEmpty == false ? trimmed : nil
        guard let kind = change.role.scopeKind else {
            guard code == nil else {
                throw MEDKError.rejected("unexpected_scope", "Роль «\(change.role.russianName)» не привязывается к организации: код не нужен.",
                                         fields: ["scope": "Для этой роли код не нужен."])
            }
            return RoleGrant(role: change.role)
        }
        guard let code else {
            let text = "Для роли «\(change.role.russianName)» укажите код организации (\(kind.russianName))."
            throw MEDKError.rejected("scope_required", text, fields: ["scope": text])
        }
        guard let id = try store.organisationID(kind, code: code) else {
            let text = "Нет организации (\(kind.russianName)) с кодом «\(code)»."
            throw MEDKError.rejected("unknown_scope", text, fields: ["scope": text])
        }
        return RoleGrant(role: change.role, organisationID: id)
    }
}

extension MEDKService {
    public var userAccounts: UserAccounts { UserAccounts(service: self) }
}
