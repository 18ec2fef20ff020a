import Foundation

/// A value as both databases store it: SQLite's storage classes, which the PostgreSQL schema keeps
/// (`PGSchema`), so that one statement text binds and reads the same on either.
enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    var isNull: Bool { self == .null }
}

/// What binds as a statement argument.
protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

/// What a column reads as; nil when the stored value is not one of this type.
protocol SQLReadable {
    init?(sqlValue: SQLValue)
}

extension Int64: SQLBindable, SQLReadable {
    var sqlValue: SQLValue { .integer(self) }
    init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .integer(let value): self = value
        case .real(let value) where value.rounded() == value && abs(value) < 9.2e18: self = Int64(value)
        default: return nil
        }
    }
}

extension Int: SQLBindable, SQLReadable {
    var sqlValue: SQLValue { .integer(Int64(self)) }
    init?(sqlValue: SQLValue) {
        guard let value = Int64(sqlValue: sqlValue) else { return nil }
        self = Int(value)
    }
}

extension Int32: SQLBindable, SQLReadable {
    var sqlValue: SQLValue { .integer(Int64(self)) }
    init?(sqlValue: SQLValue) {
        guard let value = Int64(sqlValue: sqlValue), let exact = Int32(exactly: value) else { return nil }
        self = exact
    }
}

extension Double: SQLBindable, SQLReadable {
    var sqlValue: SQLValue { .real(self) }
    init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .real(let value): self = value
        case .integer(let value): self = Double(value)
        default: return nil
        }
    }
}

/// Booleans are 0 and 1, as SQLite keeps them and as MEDK's PostgreSQL columns do.
extension Bool: SQLBindable, SQLReadable {
    var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    init?(sqlValue: SQLValue) {
        guard let value = Int64(sqlValue: sqlValue) else { return nil }
        self = value != 0
    }
}

extension String: SQLBindable, SQLReadable {
    var sqlValue: SQLValue { .text(self) }
    init?(sqlValue: SQLValue) {
        guard case .text(let value) = sqlValue else { return nil }
        self = value
    }
}

extension Data: SQLBindable, SQLReadable {
    var sqlValue: SQLValue { .blob([UInt8](self)) }
    init?(sqlValue: SQLValue) {
        guard case .blob(let value) = sqlValue else { return nil }
        self = Data(value)
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// Enumerations stored by their raw text (roles, states, kinds).
extension SQLBindable where Self: RawRepresentable, RawValue == String {
    var sqlValue: SQLValue { .text(rawValue) }
}

extension SQLReadable where Self: RawRepresentable, RawValue == String {
    init?(sqlValue: SQLValue) {
        guard case .text(let text) = sqlValue else { return nil }
        self.init(rawValue: text)
    }
}

extension Role: SQLBindable, SQLReadable {}
extension ReviewState: SQLBindable, SQLReadable {}
extension ItemKind: SQLBindable, SQLReadable {}
extension RemarkAnswer: SQLBindable, SQLReadable {}
extension Significance: SQLBindable, SQLReadable {}
extension AuditAction: SQLBindable, SQLReadable {}
extension AuditEntity: SQLBindable, SQLReadable {}
extension IndicatorSource: SQLBindable, SQLReadable {}

/// Due dates are `YYYY-MM-DD` text: readable by people in either database, ordered as dates.
extension CalendarDate: SQLBindable, SQLReadable {
    var sqlValue: SQLValue { .text(description) }
    init?(sqlValue: SQLValue) {
        guard case .text(let text) = sqlValue, let date = CalendarDate.parseColumn(text) else { return nil }
        self = date
    }
}

extension CalendarDate {
    /// Exactly ten ASCII characters `YYYY-MM-DD`, read digit by digit (lists read thousands).
    static func parseColumn(_ text: String) -> CalendarDate? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> CalendarDate? in
            guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45 else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    guard bytes[index] >= 48 && bytes[index] <= 57 else { return nil }
                    value = value * 10 + Int(bytes[index] - 48)
                }
                return value
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
            return CalendarDate(year: year, month: month, day: day)
        } ?? CalendarDate(text)
    }
}

/// A statement's arguments, in the order of its `?` placeholders.
struct SQLArguments: ExpressibleByArrayLiteral, Sendable {
    private(set) var values: [SQLValue]

    init() { values = [] }
    init(_ values: [SQLValue]) { self.values = values }
    init(_ bindables: [any SQLBindable]) { values = bindables.map(\.sqlValue) }
    init(_ optionals: [(any SQLBindable)?]) { values = optionals.map { $0?.sqlValue ?? .null } }
    init(arrayLiteral elements: (any SQLBindable)?...) { self.init(elements) }

    static func += (lhs: inout SQLArguments, rhs: SQLArguments) { lhs.values += rhs.values }
    static func + (lhs: SQLArguments, rhs: SQLArguments) -> SQLArguments { SQLArguments(lhs.values + rhs.values) }
}
