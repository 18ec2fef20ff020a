import Foundation
import GRDB

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        case .blob(let value): Data(value).databaseValue
        }
    }
}

extension SQLArguments {
    var statementArguments: StatementArguments { StatementArguments(values.map(\.databaseValue)) }
}

/// The SQL session on SQLite: GRDB's cached statements and cursors, rows decoded where they stand.
/// Constraint failures become refusals at once (see `SQLiteTransaction.guarded`).
struct GRDBSession: SQLSession {
    let db: Database

    var dialect: SQLDialect { .sqlite }

    func fetch<T>(_ sql: String, _ arguments: SQLArguments, _ decode: (SQLRow) throws -> T) throws -> [T] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments.statementArguments)
        var result: [T] = []
        while let row = try rows.next() { result.append(try decode(SQLRow(row))) }
        return result
    }

    func forEach(_ sql: String, _ arguments: SQLArguments, _ body: (SQLRow) throws -> Bool) throws {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments.statementArguments)
        while let row = try rows.next() {
            guard try body(SQLRow(row)) else { return }
        }
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        do {
            try db.cachedStatement(sql: sql).execute(arguments: arguments.statementArguments)
            return db.changesCount
        } catch let error as DatabaseError {
            if let known = MEDKError.fromDatabase(error) { throw known }
            throw error
        }
    }
}

extension SQLiteTransaction: SQLSession {
    var dialect: SQLDialect { .sqlite }

    func fetch<T>(_ sql: String, _ arguments: SQLArguments, _ decode: (SQLRow) throws -> T) throws -> [T] {
        try GRDBSession(db: db).fetch(sql, arguments, decode)
    }

    func forEach(_ sql: String, _ arguments: SQLArguments, _ body: (SQLRow) throws -> Bool) throws {
        try GRDBSession(db: db).forEach(sql, arguments, body)
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        try GRDBSession(db: db).execute(sql, arguments)
    }
}
