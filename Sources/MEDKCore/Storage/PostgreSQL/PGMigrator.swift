import Foundation

/// Brings a PostgreSQL database to MEDK's current schema (`PGSchema.migrations`). Every pending
/// version applies in one transaction — PostgreSQL's DDL is transactional, so a version that fails
/// leaves the database as it was before the upgrade began, at the version the previous MEDK ran on —
/// under an advisory lock, so that servers starting together migrate once, one after the other, and
/// the later ones find nothing to do. A database with versions this MEDK does not know is refused.
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
    static func migrate(_ connection: PGConnection, at moment: Date,
                        migrations: [PGSchema.Migration] = PGSchema.migrations) throws -> [Int] {
        try connection.execute("BEGIN")
        do {
            try connection.query("SELECT pg_advisory_xact_lock($1)", [.integer(lockKey)])
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS medk_schema_versions (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)
                """)
            let applied = Set(try applied(connection))
            let known = Set(migrations.map(\.version))
            if let unknown = applied.subtracting(known).min() {
                throw MEDKError(.conflict, code: "database_too_new", message: """
                    База обновлена более новой версией МЭДК (версия схемы \(unknown) этой версии неизвестна): \
                    запустите ту версию МЭДК, что её обновила, или новее.
                    """)
            }
            var done: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                try connection.execute(migration.sql)
                if migration.version == 1 {
                    try connection.query("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, $1)", [.text(AuditEntry.genesisHash)])
                }
                try connection.query("INSERT INTO medk_schema_versions (version, name, applied_at) VALUES ($1, $2, $3)",
                                     [.integer(Int64(migration.version)), .text(migration.name), .text(Timestamp.columnString(moment))])
                done.append(migration.version)
            }
            try connection.execute("COMMIT")
            return done
        } catch {
            if connection.isUsable { try? connection.execute("ROLLBACK") }
            throw error
        }
    }
}
