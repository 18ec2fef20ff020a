import GRDB

extension Migrations {
    /// Brings the database to the current schema in one transaction: every pending step, or none.
    /// A step that fails leaves the database exactly as it was before the upgrade began — the
    /// version the previous MEDK ran on, which it can run on again — rather than at a version
    /// between that no release paired with any code. (GRDB's own migrator commits each step on
    /// its own.) SQLite's DDL is transactional, so tables rebuilt by a failing step come back too.
    ///
    /// A database a newer MEDK has upgraded is refused: its schema has steps this one does not know.
    static func upgrade(_ writer: some DatabaseWriter, steps: [Step] = steps) throws {
        try writer.writeWithoutTransaction { db in
            let applied = try appliedSteps(db)
            let known = Set(steps.map(\.id))
            if let unknown = applied.first(where: { !known.contains($0) }) {
                throw MEDKError(.conflict, code: "database_too_new", message: """
                    База обновлена более новой версией МЭДК (шаг схемы «\(unknown)» этой версии неизвестен): \
                    запустите ту версию МЭДК, что её обновила, или новее.
                    """)
            }
            let pending = steps.filter { !applied.contains($0.id) }
            guard !pending.isEmpty else { return }
            // Foreign keys cannot be switched inside a transaction: off for the whole upgrade when a
            // step rebuilds tables, and checked once before it commits.
            let deferred = pending.contains(where: \.foreignKeysDeferred)
            if deferred { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
            defer { if deferred { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
            try db.inTransaction(.immediate) {
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                for step in pending {
                    try step.apply(db)
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [step.id])
                }
                if deferred, let violation = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
                    throw MEDKError(.conflict, code: "upgrade_failed", message: """
                        Обновление схемы не выполнено, база осталась прежней: строка таблицы \(violation[0] as String? ?? "?") \
                        ссылается на несуществующую запись.
                        """)
                }
                return .commit
            }
        }
    }

    /// The steps recorded in the database (GRDB's table, so databases GRDB's migrator upgraded read the same).
    static func appliedSteps(_ db: Database) throws -> Set<String> {
        guard try db.tableExists("grdb_migrations") else { return [] }
        return try Set(String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
    }
}
