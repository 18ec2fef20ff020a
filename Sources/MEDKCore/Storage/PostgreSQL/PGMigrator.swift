import Foundation

/// Brings a PostgreSQL database to MEDK's current schema (`PGSchema.migrations`). Each version
/// applies in one transaction — PostgreSQL's DDL is transactional, so a version that fails halfway
/// leaves the database as it was — under an advisory lock, so that servers starting together
/// migrate once, one after the other, and the later ones find nothing to do.
enum PGMigrator {
    /// pg_advisory_xact_lock's key for migrations ("MEDKMIGR" as eight bytes).
    static let lockKey: Int64 = 0x4D45_444B_4D49_4752

    /// The versions applied, oldest first.
    static func applied(_ connection: PGConnection) throws -> [Int] {
        let exists = try connection.query("SELECT to_regclass('medk_schema_versions') IS NOT NULL").first?.integer(0) == 1
        guard exists else { return [] }
        return try connection.query("SELECT version FROM medk_schema_versions ORDER BY version").compactMap { $0.integer(0).map(Int.init) }
    }

    /// Applies what is missing; returns the versions it applied.
    @discardableResult
    static func migrate(_ connection: PGConnection, at moment: Date) throws -> [Int] {
        var done: [Int] = []
        for migration in PGSchema.migrations {
            try connection.execute("BEGIN")
            do {
                try connection.query("SELECT pg_advisory_xact_lock($1)", [.integer(lockKey)])
                try connection.execute("""
                    CREATE TABLE IF NOT EXISTS medk_schema_versions (
                        version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)
                    """)
                if try applied(connection).contains(migration.version) {
                    try connection.execute("COMMIT")
                    continue
                }
                try connection.execute(migration.sql)
                if migration.version == 1 {
                    try connection.query("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, $1)", [.text(AuditEntry.genesisHash)])
                }
                try connection.query("INSERT INTO medk_schema_versions (version, name, applied_at) VALUES ($1, $2, $3)",
                                     [.integer(Int64(migration.version)), .text(migration.name), .text(Timestamp.columnString(moment))])
                try connection.execute("COMMIT")
                done.append(migration.version)
            } catch {
                if connection.isUsable { try? connection.execute("ROLLBACK") }
                throw error
            }
        }
        return done
    }
}
