/// Who runs an administrative use case: a signed-in user (checked by the policy) or the
/// operator of the machine itself, who already holds the database file.
public enum Operator: Sendable {
    case local
    case user(Actor)

    func authorize(_ permission: Permission) throws(MEDKError) -> AuditActor {
        switch self {
        case .local:
            return .localOperator()
        case .user(let actor):
            let role = try Policy.authorize(actor, permission)
            return AuditActor(userID: actor.userID, login: actor.login, role: role)
        }
    }
}
