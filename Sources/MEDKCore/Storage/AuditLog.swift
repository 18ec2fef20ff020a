import Foundation
import GRDB

/// Who an audit row names: a signed-in user under one role, or a local operator.
public struct AuditActor: Sendable {
    public var userID: Int64?
    public var login: String
    public var role: Role?

    public init(userID: Int64?, login: String, role: Role?) {
        self.userID = userID
        self.login = login
        self.role = role
    }

    /// A command run on the server machine itself (`medk import`, `medk init`).
    public static func localOperator() -> AuditActor {
        let name = ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "root"
        return AuditActor(userID: nil, login: "local:\(name)", role: .admin)
    }
}

enum AuditLog {
    /// Appends inside the caller's transaction, so the row commits or rolls back with the change.
    @discardableResult
    static func append(_ db: Database, actor: AuditActor, at instant: Date, _ record: AuditRecord) throws -> AuditEntry {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        let previousSeq: Int64 = last?["seq"] ?? 0
        let previousHash: String = last?["hash"] ?? AuditEntry.genesisHash
        var entry = AuditEntry(
            seq: previousSeq + 1, at: Timestamp.string(instant), actorID: actor.userID, actorLogin: actor.login,
            actorRole: actor.role?.rawValue, action: record.action, entityType: record.entityType,
            entityID: record.entityID, fromState: record.fromState, toState: record.toState,
            comment: record.comment, details: AuditChain.canonicalJSON(record.details),
            prevHash: previousHash, hash: "")
        entry.hash = entry.computedHash()
        var row = AuditRow(entry)
        try row.insert(db)
        return entry
    }

    static func entries(_ db: Database, entityType: String? = nil, entityID: String? = nil, limit: Int? = nil) throws -> [AuditEntry] {
        var request = AuditRow.all()
        if let entityType { request = request.filter(Column("entity_type") == entityType) }
        if let entityID { request = request.filter(Column("entity_id") == entityID) }
        request = request.order(Column("seq"))
        if let limit { request = request.limit(limit) }
        return try request.fetchAll(db).map(\.entry)
    }

    static func verify(_ db: Database) throws -> AuditVerification {
        let cursor = try AuditRow.order(Column("seq")).fetchCursor(db)
        var rows: [AuditEntry] = []
        while let row = try cursor.next() { rows.append(row.entry) }
        return AuditChain.verify(rows)
    }
}
