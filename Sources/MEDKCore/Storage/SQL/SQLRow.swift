import Foundation
import GRDB

/// A result row of either database, read by column position (the store's decoders read columns in
/// the order their SELECT names them). On SQLite it is GRDB's row where the cursor stands, not a
/// copy: reading a page of a list decodes in place, as it did before there were two databases.
struct SQLRow {
    fileprivate enum Storage {
        case sqlite(GRDB.Row)
        case postgres(PGRow)
    }

    fileprivate let storage: Storage

    init(_ row: GRDB.Row) { storage = .sqlite(row) }
    init(_ row: PGRow) { storage = .postgres(row) }

    /// A row that stays valid after the cursor moves on (GRDB reuses the row a cursor stands on).
    func copied() -> SQLRow {
        switch storage {
        case .sqlite(let row): SQLRow(row.copy())
        case .postgres: self
        }
    }

    var count: Int {
        switch storage {
        case .sqlite(let row): row.count
        case .postgres(let row): row.values.count
        }
    }

    func value(_ index: Int) -> SQLValue {
        switch storage {
        case .sqlite(let row):
            switch (row[index] as DatabaseValue).storage {
            case .null: return .null
            case .int64(let value): return .integer(value)
            case .double(let value): return .real(value)
            case .string(let value): return .text(value)
            case .blob(let value): return .blob([UInt8](value))
            }
        case .postgres(let row):
            switch row[index] {
            case .null: return .null
            case .integer(let value): return .integer(value)
            case .real(let value): return .real(value)
            case .text(let value): return .text(value)
            case .bytes(let value): return .blob(value)
            case .bool(let value): return .integer(value ? 1 : 0)
            }
        }
    }

    func isNull(_ index: Int) -> Bool { value(index).isNull }

    /// A blob's bytes without copying them where the database allows (SQLite); nil for NULL.
    func withBytes<T>(_ index: Int, _ body: (UnsafeRawBufferPointer?) throws -> T) throws -> T {
        switch storage {
        case .sqlite(let row):
            return try row.withUnsafeData(atIndex: index) { data in
                guard let data else { return try body(nil) }
                return try data.withUnsafeBytes { try body($0) }
            }
        case .postgres(let row):
            guard case .bytes(let bytes) = row[index] else { return try body(nil) }
            return try bytes.withUnsafeBytes { try body($0) }
        }
    }

    func columnName(_ index: Int) -> String {
        switch storage {
        case .sqlite(let row): Array(row.columnNames)[index]
        // libpq's text results are read by position; an error names the column by it.
        case .postgres: "#\(index)"
        }
    }

    /// A value that must be there and of its type; anything else means the database holds what MEDK
    /// never writes, and stops the program as GRDB's own subscript does.
    subscript<T: SQLReadable>(_ index: Int) -> T {
        guard let value = T(sqlValue: value(index)) else {
            preconditionFailure("column \(columnName(index)) holds \(value(index)), not \(T.self)")
        }
        return value
    }

    subscript<T: SQLReadable>(_ index: Int) -> T? {
        let raw = value(index)
        guard !raw.isNull else { return nil }
        guard let value = T(sqlValue: raw) else {
            preconditionFailure("column \(columnName(index)) holds \(raw), not \(T.self)")
        }
        return value
    }

    /// A typed value that must be there and valid; a corrupt value is an error, never a crash.
    func decode<T: SQLReadable>(_ type: T.Type, at index: Int) throws -> T {
        guard let value = T(sqlValue: value(index)) else {
            throw MEDKError.corruptValue(column: columnName(index), value: "\(value(index))")
        }
        return value
    }

    func decodeIfPresent<T: SQLReadable>(_ type: T.Type, at index: Int) throws -> T? {
        isNull(index) ? nil : try decode(type, at: index)
    }

    /// An instant in its column text form (`Timestamp.columnString`).
    func instant(_ index: Int) throws -> Date {
        guard case .text(let text) = value(index), let date = Timestamp.columnDate(text) else {
            throw MEDKError.corruptValue(column: columnName(index), value: "\(value(index))")
        }
        return date
    }

    func instantIfPresent(_ index: Int) throws -> Date? {
        isNull(index) ? nil : try instant(index)
    }
}
