import Foundation
import Logging

/// The use cases of MEDK over one store and one file store. The HTTP server and the CLI are
/// thin adapters over this type; every rule lives here or in the domain, and only the store
/// knows how data is kept.
public final class MEDKService: Sendable {
    let store: any Store
    public let clock: any Clock
    public let files: FileStore
    public let hasher: PasswordHasher
    /// Hashing on threads of its own, bounded: see `PasswordWork`.
    let passwords: PasswordWork
    /// Compliance reports built at once: each already uses every core (see `ChunkedWork`), so more
    /// at a time only hold more memory — a region's report holds its 1,700 school lines while it is
    /// built. The rest wait their turn, and past `queueLimit` are told the server is busy.
    let reportGate: WorkGate
    /// Uploaded tables (DOCX, XLSX, CSV) are read here, a few at a time, off the request threads.
    let tableWork: BlockingWork
    public let loginThrottle: LoginThrottle
    let throttleNotes = ThrottleNotes()
    public let sessionLifetime: TimeInterval
    /// A session unused for this long ends (ASVS 3.3.2: 30 minutes of inactivity).
    public let sessionIdleTimeout: TimeInterval
    public let dataDirectory: URL
    /// Held shared while this service is open: `medk restore --replace` waits for no one.
    let directoryLock: DataDirectoryLock
    /// The audit chain's keys (file or environment), also for checking a backup of this database.
    let auditKeys: AuditKeySource
    /// Where the core's own figures go (`OperationMetrics`).
    let metrics: OperationMetrics
    let logger: Logger
    /// Identification runs of the data as it stands, shared by dynamics, trajectories and indicators.
    let identificationRuns: IdentificationRunCache
    /// The regions' parts of the country's pages, while their data stands.
    let countryParts: CountryPartsCaches

    /// Opens (creating if needed) the data directory: `medk.sqlite` and `files/` (or, on the
    /// PostgreSQL database `database` names, only `files/tmp` for requests in progress).
    public convenience init(dataDirectory: URL, database: DatabaseChoice = .embedded, clock: any Clock = SystemClock(),
                            hasher: PasswordHasher = .standard,
                            maxUploadBytes: Int64 = FileStore.defaultMaxBytes, sessionLifetime: TimeInterval = 12 * 3600,
                            sessionIdleTimeout: TimeInterval = 30 * 60, loginThrottle: LoginThrottle = .standard,
                            metrics: OperationMetrics = .none, logger: Logger = Logger(label: "medk.core")) throws {
        try self.init(dataDirectory: dataDirectory, database: database, clock: clock, hasher: hasher, maxUploadBytes: maxUploadBytes,
                      sessionLifetime: sessionLifetime, sessionIdleTimeout: sessionIdleTimeout, loginThrottle: loginThrottle,
                      metrics: metrics, logger: logger, statementTrace: nil)
    }

    /// The same, with every SQL statement reported to `statementTrace` (tests of query plans).
    init(dataDirectory: URL, database: DatabaseChoice = .embedded, clock: any Clock = SystemClock(), hasher: PasswordHasher = .standard,
         maxUploadBytes: Int64 = FileStore.defaultMaxBytes, sessionLifetime: TimeInterval = 12 * 3600,
         sessionIdleTimeout: TimeInterval = 30 * 60, loginThrottle: LoginThrottle = .standard,
         metrics: OperationMetrics = .none, logger: Logger = Logger(label: "medk.core"),
         statementTrace: (@Sendable (String) -> Void)?) throws {
        try PrivateFiles.makeDirectory(dataDirectory)
        self.dataDirectory = dataDirectory
        self.directoryLock = try DataDirectoryLock.shared(dataDirectory)
        let databasePath = dataDirectory.appendingPathComponent("medk.sqlite").path
        let auditKeys = try AuditKeySource(file: dataDirectory.appendingPathComponent("audit.key"),
                                           environmentText: ProcessInfo.processInfo.environment["MEDK_AUDIT_KEY"])
        self.auditKeys = auditKeys
        let base: any Store
        switch database {
        case .embedded:
            base = try SQLiteStore(path: databasePath, auditKeys: auditKeys, groupCommitWrites: metrics.groupCommitWrites,
                                   logger: logger, trace: statementTrace)
            PrivateFiles.restrict(databasePath, databasePath + "-wal", databasePath + "-shm")
        case .postgres(let url, let connections):
            base = try PostgresStore(url: url, connections: connections, auditKeys: auditKeys, logger: logger, at: clock.now(),
                                     trace: statementTrace)
        }
        self.store = MeasuredStore(base, metrics: metrics)
        self.metrics = metrics
        let filesRoot = dataDirectory.appendingPathComponent("files")
        self.files = try FileStore(root: filesRoot, maxBytes: maxUploadBytes, keeping: store.fileKeeping(directory: filesRoot),
                                   uploadsInProgress: metrics.uploadsInProgress)
        self.clock = clock
        self.hasher = hasher
        self.passwords = PasswordWork(hasher: hasher)
        self.reportGate = Self.makeReportGate()
        self.tableWork = Self.makeTableWork()
        self.loginThrottle = loginThrottle
        self.sessionLifetime = sessionLifetime
        self.sessionIdleTimeout = sessionIdleTimeout
        self.logger = logger
        self.identificationRuns = IdentificationRunCache()
        self.countryParts = CountryPartsCaches()
    }

    private init(sharing other: MEDKService, clock: any Clock) {
        store = other.store
        files = other.files
        hasher = other.hasher
        passwords = other.passwords
        reportGate = other.reportGate
        tableWork = other.tableWork
        loginThrottle = other.loginThrottle
        sessionLifetime = other.sessionLifetime
        sessionIdleTimeout = other.sessionIdleTimeout
        dataDirectory = other.dataDirectory
        directoryLock = other.directoryLock
        auditKeys = other.auditKeys
        metrics = other.metrics
        logger = other.logger
        identificationRuns = other.identificationRuns
        countryParts = other.countryParts
        self.clock = clock
    }

    static func makeReportGate() -> WorkGate {
        WorkGate(width: ChunkedWork.workers, queueLimit: 256, refusal: MEDKError(
            .unavailable, code: "busy", message: "Сервер сейчас занят построением отчётов о сроках. Повторите через минуту.", retryAfter: 60))
    }

    static func makeTableWork() -> BlockingWork {
        BlockingWork(label: "medk.table-reading", queueLimit: 16, refusal: MEDKError(
            .unavailable, code: "busy", message: "Сервер сейчас занят чтением загруженных таблиц. Повторите через минуту.", retryAfter: 60))
    }

    /// The same database and files seen through another clock (demo history, tests).
    public func with(clock: any Clock) -> MEDKService {
        MEDKService(sharing: self, clock: clock)
    }

    public var databasePath: String { store.location }

    /// How durable a commit is: 2 (`synchronous=FULL`) is what decisions rely on.
    public func synchronousLevel() throws -> Int { try store.durabilityLevel() }

    public func schemaSQL() async throws -> String { try await store.schemaDescription() }

    /// Refreshes the query planner's statistics (bounded; run after bulk loads and now and then).
    public func optimizeStorage() async throws { try await store.optimize() }

    /// The last thing a stopping server does: the database left whole in its file (see `Store`).
    public func settleBeforeExit() async throws { try await store.settleBeforeExit() }

    func now() -> Date { Timestamp.truncated(clock.now()) }

    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReading) throws -> T) async throws -> T {
        try await store.read(body)
    }

    func readEachStatement<T: Sendable>(_ body: @escaping @Sendable (any StoreReading) throws -> T) async throws -> T {
        try await store.readEachStatement(body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriting) throws -> T) async throws -> T {
        try await store.write(body)
    }

    func write<T: Sendable>(dryRun: Bool, _ body: @escaping @Sendable (any StoreWriting) throws -> T) async throws -> T {
        try await store.write(dryRun: dryRun, body)
    }

    /// A consistent copy of the live database (SQLite online backup), safe while serving.
    public func backup(to path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw MEDKError.invalid("file_exists", "Файл «\(path)» уже существует; укажите новый файл.")
        }
        // Created private before a byte of the database is copied into it.
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw MEDKError(.internalFailure, code: "backup_failed", message: "Не удалось создать файл «\(path)».")
        }
        do {
            try await store.backup(to: path)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }
}

extension MEDKError {
    /// Anything thrown below the use cases that is not already a refusal: logged, then hidden.
    static func wrapping(_ error: any Error, logger: Logger) -> MEDKError {
        if let error = error as? MEDKError { return error }
        logger.error("unexpected failure", metadata: ["error": "\(String(reflecting: error))"])
        return .internalFailure
    }
}
