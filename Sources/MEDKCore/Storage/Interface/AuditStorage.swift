import Foundation

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

/// Narrows the audit trail.
public struct AuditQuery: Sendable, Hashable {
    public var entityType: AuditEntity?
    public var entityID: Int64?
    /// The period, from this moment (inclusive) to `to` (exclusive).
    public var from: Date?
    public var to: Date?

    public init(entityType: AuditEntity? = nil, entityID: Int64? = nil, from: Date? = nil, to: Date? = nil) {
        self.entityType = entityType
        self.entityID = entityID
        self.from = from
        self.to = to
    }
}

protocol AuditReading {
    /// Recomputes the whole chain, streaming; names the first row that does not fit. With a
    /// checkpoint, also proves that the log still extends it (its row is there with its hash).
    func verifyAudit(extending checkpoint: AuditCheckpoint?) throws -> AuditVerification
    /// The last row's number and hash (nil for an empty log).
    func auditHead() throws -> (seq: Int64, hash: String)?
    /// The keys the log is hashed with, as recorded, with their secrets.
    func auditKeys() throws -> AuditKeyRing
    /// The trail, newest first.
    func auditEntries(_ query: AuditQuery, page: PageRequest) throws -> Page<AuditEntry>
    /// The trail oldest first, after row `seq`, at most `limit` rows: an extract read batch by batch.
    func auditEntries(_ query: AuditQuery, after seq: Int64, limit: Int) throws -> [AuditEntry]
}

protocol AuditWriting {
    /// Appends inside the caller's transaction, so the row commits or rolls back with the change
    /// (on PostgreSQL it is written when the transaction is about to commit: `ChainHead`).
    func appendAudit(_ actor: AuditActor, at: Date, _ record: AuditRecord) throws
    /// Appends at once and returns the entry with its place in the chain (a key rotation starts
    /// the new key after it).
    func appendAuditNow(_ actor: AuditActor, at: Date, _ record: AuditRecord) throws -> AuditEntry
    /// Puts a new key in use for the rows from its `fromSeq` on: the secret where keys are kept,
    /// its id and first row in the log.
    func addAuditKey(_ key: AuditKey) throws
}
