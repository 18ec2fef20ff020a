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
/// Constraint failures become refusals at once, so an import checking every row can report and go on.
struct GRDBSession: SQLSession {
    let db: Database

    var dialect: SQLDialect { .sqlite }

    func fetch<T>(_ sql: String, _ arguments: SQLArguments, _ decode: (SQLRow) throws -> T) throws -> [T] {
        try refusing {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments.statementArguments)
            var result: [T] = []
            while let row = try rows.next() { result.append(try decode(SQLRow(row))) }
            return result
        }
    }

    func forEach(_ sql: String, _ arguments: SQLArguments, _ body: (SQLRow) throws -> Bool) throws {
        try refusing {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments.statementArguments)
            while let row = try rows.next() {
                guard try body(SQLRow(row)) else { return }
            }
        }
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        try refusing {
            try db.cachedStatement(sql: sql).execute(arguments: arguments.statementArguments)
            return db.changesCount
        }
    }

    /// Constraint failures (an INSERT … RETURNING among them) as the refusals they mean.
    private func refusing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            if let known = MEDKError.fromDatabase(error) { throw known }
            throw error
        }
    }
}

extension SearchFolding {
    static func makeFunction() -> DatabaseFunction {
        DatabaseFunction(functionName, argumentCount: 1, pure: true) { values in
            String.fromDatabaseValue(values[0]).map(fold)
        }
    }
}
