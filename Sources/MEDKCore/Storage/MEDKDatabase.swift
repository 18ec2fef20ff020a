import Foundation
import GRDB
import Logging

/// Opens the SQLite database the way every part of MEDK needs it: WAL, foreign keys on,
/// migrated, and `synchronous=FULL` so that a confirmed decision and its audit row survive
/// a power cut, not just a process crash.
enum MEDKDatabase {
    static func openPool(at path: String, migrate: Bool = true) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA trusted_schema = OFF")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // DatabasePool sets NORMAL on its writer after prepareDatabase; set FULL afterwards.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        if migrate {
            try Migrations.migrator.migrate(pool)
        }
        return pool
    }

    static func synchronousLevel(_ pool: DatabasePool) throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// The schema as SQLite reports it, in a stable order: what `schema.sql` must equal.
    static func schemaDump(_ db: Database) throws -> String {
        let rows = try Row.fetchAll(db, sql: """
            SELECT type, name, sql FROM sqlite_master
            WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
            ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name
            """)
        return rows.map { ($0["sql"] as String) + ";" }.joined(separator: "\n\n") + "\n"
    }
}

extension MEDKError {
    /// Turns anything thrown below the use cases into what a person may see; the
    /// original goes to the log only.
    static func wrapping(_ error: any Error, logger: Logger) -> MEDKError {
        if let error = error as? MEDKError { return error }
        if let error = error as? DatabaseError {
            switch error.extendedResultCode {
            case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
                return MEDKError(.conflict, code: "already_exists", message: "Такая запись уже существует.")
            case .SQLITE_CONSTRAINT_FOREIGNKEY:
                return MEDKError(.conflict, code: "still_referenced",
                                 message: "Запись связана с другими данными и не может быть изменена или удалена.")
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return MEDKError(.conflict, code: "busy", message: "База данных занята, повторите попытку.")
            default:
                break
            }
        }
        logger.error("unexpected failure", metadata: ["error": "\(String(reflecting: error))"])
        return MEDKError(.internalFailure, code: "internal_error",
                         message: "Внутренняя ошибка сервера. Действие не выполнено; администратор увидит подробности в журнале.")
    }
}
