import Foundation

/// Where the audit keys come from and which of them the log uses. The secrets are in a file
/// outside the database (`audit.key`, 0600) or in `MEDK_AUDIT_KEY`; the database records only
/// which key (by id) starts at which row (`audit_keys`), so a key in the file that never came
/// into use (a rotation whose transaction failed) is ignored, and a key the log names but the
/// file lacks stops every write: the chain could no longer be extended verifiably.
final class AuditKeySource: @unchecked Sendable {
    let file: URL
    /// Keys given in the environment: the file is then neither read nor written.
    private let given: AuditKeyRing?
    private let lock = NSLock()
    private var cached: AuditKeyRing?

    init(file: URL, environmentText: String?) throws {
        self.file = file
        given = try environmentText.map { text throws(MEDKError) in try AuditKeyRing(parsing: text) }
    }

    var isGivenByEnvironment: Bool { given != nil }

    /// The keys on hand (file or environment), re-read from the file when `reload`.
    func ring(reload: Bool = false) throws -> AuditKeyRing {
        if let given { return given }
        lock.lock()
        defer { lock.unlock() }
        if let cached, !reload { return cached }
        let ring: AuditKeyRing
        if FileManager.default.fileExists(atPath: file.path) {
            ring = try AuditKeyRing(parsing: try String(contentsOf: file, encoding: .utf8))
        } else {
            ring = AuditKeyRing()
        }
        cached = ring
        return ring
    }

    /// Adds a key to the file, written to a temporary file, synced and renamed over the old one.
    func add(_ key: AuditKey) throws {
        guard given == nil else {
            throw MEDKError.invalid("audit_key_in_environment",
                                    "Ключи журнала заданы переменной MEDK_AUDIT_KEY: новый ключ добавьте в неё сами.")
        }
        var ring = try ring(reload: true)
        ring.add(key)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".audit.key.\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(ring.fileText.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw MEDKError(.internalFailure, code: "audit_key_write_failed", message: "Не удалось записать файл ключей журнала аудита.")
        }
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.synchronize()
        try handle.close()
        guard rename(temporary.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw MEDKError(.internalFailure, code: "audit_key_write_failed", message: "Не удалось записать файл ключей журнала аудита.")
        }
        lock.lock()
        cached = ring
        lock.unlock()
    }

    /// The keys the log uses, as `audit_keys` records them, with their secrets.
    func effectiveRing(_ session: any SQLSession) throws -> AuditKeyRing {
        try effectiveRing(recorded: session.fetch("SELECT key_id, from_seq FROM audit_keys ORDER BY from_seq", []) {
            (id: $0[0] as String, from: $0[1] as Int64)
        })
    }

    /// The same from `audit_keys`' rows read already, in `from_seq` order.
    func effectiveRing(recorded: [(id: String, from: Int64)]) throws -> AuditKeyRing {
        guard !recorded.isEmpty else { return AuditKeyRing() }
        var ring = try ring()
        if recorded.contains(where: { ring.key(id: $0.id) == nil }) { ring = try self.ring(reload: true) }
        var keys: [AuditKey] = []
        for record in recorded {
            guard let key = ring.key(id: record.id), key.fromSeq == record.from else { throw Self.missing(record.id, file: file) }
            keys.append(key)
        }
        return AuditKeyRing(keys)
    }

    /// Makes sure the log is keyed from now on: on a new database (or one from before keying) a
    /// key is created for the rows to come; a key the log names must be on hand.
    func bootstrap(_ session: any SQLSession) throws {
        let lastSeq = try session.value(Int64.self, "SELECT max(seq) FROM audit_log") ?? 0
        let recorded = try session.value(Int.self, "SELECT count(*) FROM audit_keys") ?? 0
        if recorded > 0 {
            _ = try effectiveRing(session)
            return
        }
        let key: AuditKey
        if let newest = try ring().newest {
            guard newest.fromSeq > lastSeq else { throw Self.missing(newest.id, file: file) }
            key = newest
        } else {
            key = AuditKey.generate(fromSeq: lastSeq + 1)
            try add(key)
        }
        try session.execute("INSERT INTO audit_keys (key_id, from_seq) VALUES (?, ?)", [key.id, key.fromSeq])
    }

    static func missing(_ id: String, file: URL) -> MEDKError {
        MEDKError(.internalFailure, code: "audit_key_missing",
                  message: "Нет ключа журнала аудита \(id) (файл \(file.path) или переменная MEDK_AUDIT_KEY): без него журнал "
                      + "нельзя ни продолжить, ни проверить. Верните файл ключей из безопасной копии.")
    }
}
