import Foundation
import GRDB
import Logging

/// The use cases of MEDK over one SQLite database and one file store. The HTTP server and
/// the CLI are thin adapters over this type; every rule lives here or in the domain.
public final class MEDKService: Sendable {
    let pool: DatabasePool
    public let clock: any Clock
    public let files: FileStore
    public let hasher: PasswordHasher
    public let sessionLifetime: TimeInterval
    public let dataDirectory: URL
    let logger: Logger

    /// Opens (creating if needed) the data directory: `medk.sqlite` and `files/`.
    public init(dataDirectory: URL, clock: any Clock = SystemClock(), hasher: PasswordHasher = .standard,
                maxUploadBytes: Int64 = FileStore.defaultMaxBytes, sessionLifetime: TimeInterval = 12 * 3600,
                logger: Logger = Logger(label: "medk.core")) throws {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        self.dataDirectory = dataDirectory
        self.pool = try MEDKDatabase.openPool(at: dataDirectory.appendingPathComponent("medk.sqlite").path)
        self.files = try FileStore(root: dataDirectory.appendingPathComponent("files"), maxBytes: maxUploadBytes)
        self.clock = clock
        self.hasher = hasher
        self.sessionLifetime = sessionLifetime
        self.logger = logger
    }

    private init(sharing other: MEDKService, clock: any Clock) {
        pool = other.pool
        files = other.files
        hasher = other.hasher
        sessionLifetime = other.sessionLifetime
        dataDirectory = other.dataDirectory
        logger = other.logger
        self.clock = clock
    }

    /// The same database and files seen through another clock (demo history, tests).
    public func with(clock: any Clock) -> MEDKService {
        MEDKService(sharing: self, clock: clock)
    }

    public var databasePath: String { pool.path }

    /// `PRAGMA synchronous` of the writer: 2 (FULL) is what decisions rely on.
    public func synchronousLevel() throws -> Int { try MEDKDatabase.synchronousLevel(pool) }

    public func schemaSQL() async throws -> String {
        try await read { db in try MEDKDatabase.schemaDump(db) }
    }

    func now() -> Date { Timestamp.truncated(clock.now()) }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw MEDKError.wrapping(error, logger: logger)
        }
    }

    /// One transaction: the change and its audit rows commit together or not at all.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw MEDKError.wrapping(error, logger: logger)
        }
    }

    /// Runs the whole change and rolls it back when `dryRun`, so that a dry run checks
    /// exactly what the real run would (constraints included) and changes nothing.
    func write<T: Sendable>(dryRun: Bool, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction {
                    result = try body(db)
                    return dryRun ? .rollback : .commit
                }
                return result!
            }
        } catch {
            throw MEDKError.wrapping(error, logger: logger)
        }
    }

    /// A consistent copy of the live database (SQLite online backup), safe while serving.
    public func backup(to path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw MEDKError.invalid("file_exists", "Файл «\(path)» уже существует; укажите новый файл.")
        }
        do {
            let destination = try DatabaseQueue(path: path)
            try pool.backup(to: destination)
            try destination.close()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw MEDKError.wrapping(error, logger: logger)
        }
    }
}
