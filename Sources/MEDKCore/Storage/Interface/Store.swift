import Foundation

/// The database as the use cases see it: transactions over operations named in the domain's
/// words. Only implementations of these protocols know SQL; the use cases read as the rules
/// of the domain inside one transaction, and a second implementation (PostgreSQL) can follow
/// without touching them.
protocol Store: CheckableDatabase {
    /// Reads whose statements need not share one snapshot (each sees what is committed when it
    /// runs): a request's sign-in check. PostgreSQL runs them without BEGIN and COMMIT — two round
    /// trips fewer on every request; SQLite reads as `read` does.
    func readEachStatement<T: Sendable>(_ body: @escaping @Sendable (any StoreReading) throws -> T) async throws -> T
    /// One transaction: the change and its audit rows commit together or not at all.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriting) throws -> T) async throws -> T
    /// Runs the whole change and rolls it back when `dryRun`, so a dry run checks exactly what
    /// the real run would (constraints included) and changes nothing.
    func write<T: Sendable>(dryRun: Bool, _ body: @escaping @Sendable (any StoreWriting) throws -> T) async throws -> T

    /// Where uploaded files are kept once whole: `directory` of this machine on SQLite, the
    /// database itself on PostgreSQL (every server serves every file).
    func fileKeeping(directory: URL) -> any FileKeeping

    /// Where the data lives, for people (a file path).
    var location: String { get }
    /// A consistent copy of the live database, safe while serving.
    func backup(to path: String) async throws
    /// The schema as the database reports it, in a stable order.
    func schemaDescription() async throws -> String
    /// How durable a commit is (SQLite: `PRAGMA synchronous`, 2 = FULL).
    func durabilityLevel() throws -> Int
    /// Refreshes the statistics the query planner chooses indexes by (cheap, bounded).
    func optimize() async throws
    /// Leaves the database whole in its own file(s) before the process exits: SQLite copies its
    /// write-ahead log back and empties it; PostgreSQL has nothing to do.
    func settleBeforeExit() async throws
    /// Rebuilds every school's stored progress from the rows it summarises; returns how many.
    func rebuildProgress() async throws -> Int
    /// Settings for loading millions of rows at once, and back to durable ones afterwards.
    func beginBulkLoad() async throws
    func finishBulkLoad() async throws
}

/// What checking a database needs (`DataCheck`): a live store, or a backup's copy read as it is
/// (`SQLiteCopy`).
protocol CheckableDatabase: Sendable {
    /// A consistent snapshot for reading.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReading) throws -> T) async throws -> T
    /// What the database's own consistency check finds wrong (SQLite: `PRAGMA integrity_check`;
    /// empty when whole), or nil where the backend keeps that to its own tools (PostgreSQL:
    /// data checksums, `amcheck`).
    func integrityProblems() async throws -> [String]?
}

/// A part of a transaction that may fail on its own: a refused row of an import is reported and
/// the import goes on, without what the row did half (a savepoint on either database; PostgreSQL
/// would otherwise refuse every statement after a failed one until the transaction ends).
protocol AttemptWriting {
    func attempt<T>(_ body: () throws -> T) throws -> T
}

typealias StoreReading = OrganisationReading & UserReading & CampaignReading & ItemReading & MonitoringReading & AuditReading
    & EvaluationReading & ReviewRoundReading & MailReading & DashboardReading & SignInReading & DraftReading & AgendaReading & RemarkReading & ResultsReading & IdentificationReading & IndicatorReading
    & StagedImportReading
typealias StoreWriting = StoreReading & AttemptWriting & OrganisationWriting & UserWriting & CampaignWriting & ItemWriting & AuditWriting
    & EvaluationWriting & MailWriting & SignInWriting & DraftWriting & RemarkWriting & ResultsWriting & IdentificationWriting & IndicatorWriting
    & StagedImportWriting
