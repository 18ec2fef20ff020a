import Foundation
import GRDB

/// The columns each table's rows are read with, declared once; the decoders beside them read
/// by position in this order, so no row goes through Codable or name lookups.
enum Columns {
    static let region = "r.id, r.code, r.name, r.time_zone"
    static let municipality = "m.id, m.region_id, m.code, m.name"
    static let school = "s.id, s.municipality_id, s.code, s.name, s.low_results, s.hard_social, s.programme_years"
    static let campaign = "c.id, c.code, c.name, c.year"
    static let milestone = "ms.id, ms.campaign_id, ms.kind, ms.title, ms.due_date"
    static let riskFactor = "f.id, f.campaign_id, f.number, f.title"
    static let user = "u.id, u.login, u.full_name, u.email, u.password_hash, u.is_active, u.failed_logins, u.locked_until"
}

extension Region {
    init(row: SQLRow, at offset: Int = 0) {
        self.init(id: row[offset], code: row[offset + 1], name: row[offset + 2], timeZone: row[offset + 3])
    }
}

extension Municipality {
    init(row: SQLRow, at offset: Int = 0) {
        self.init(id: row[offset], regionID: row[offset + 1], code: row[offset + 2], name: row[offset + 3])
    }
}

extension School {
    init(row: SQLRow, at offset: Int = 0) {
        self.init(id: row[offset], municipalityID: row[offset + 1], code: row[offset + 2], name: row[offset + 3],
                  lowResults: row[offset + 4], hardSocialConditions: row[offset + 5], programmeYears: row[offset + 6])
    }
}

extension Campaign {
    init(row: SQLRow) {
        self.init(id: row[0], code: row[1], name: row[2], year: row[3])
    }
}

extension Milestone {
    init(row: SQLRow) throws {
        self.init(id: row[0], campaignID: row[1], kind: try row.decode(ItemKind.self, at: 2), title: row[3],
                  dueDate: try row.decode(CalendarDate.self, at: 4))
    }
}

extension RiskFactor {
    init(row: SQLRow) {
        self.init(id: row[0], campaignID: row[1], number: row[2], title: row[3])
    }
}

extension UserAccount {
    init(row: SQLRow) {
        self.init(id: row[0], login: row[1], fullName: row[2], email: row[3], passwordHash: row[4], isActive: row[5],
                  failedLogins: row[6], lockedUntil: (row[7] as String?).flatMap(Timestamp.columnDate))
    }
}

extension Row {
    /// A typed value that must be there and valid; a corrupt value is an error, never a crash.
    func decode<T: DatabaseValueConvertible>(_ type: T.Type, at index: Int) throws -> T {
        guard let value = T.fromDatabaseValue(self[index] as DatabaseValue) else {
            throw MEDKError.corruptValue(column: Array(columnNames)[index], value: "\(self[index] as DatabaseValue)")
        }
        return value
    }

    func decodeIfPresent<T: DatabaseValueConvertible>(_ type: T.Type, at index: Int) throws -> T? {
        let raw = self[index] as DatabaseValue
        if raw.isNull { return nil }
        return try decode(type, at: index)
    }
}

extension MEDKError {
    static func corruptValue(column: String, value: String) -> MEDKError {
        MEDKError(.internalFailure, code: "corrupt_value", message: "В базе данных неверное значение (\(column) = \(value.prefix(40))).")
    }
}


/// Due dates are stored as `YYYY-MM-DD` text: readable in `sqlite3`, and ordered as dates.
extension CalendarDate: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> CalendarDate? {
        String.fromDatabaseValue(dbValue).flatMap(CalendarDate.parseColumn)
    }
}

/// Instants bind as the column's text form and read back from it by `Timestamp`'s arithmetic;
/// GRDB's own `Date` conversion goes through DateFormatter and Calendar, several microseconds a value.
extension Date {
    var sql: String { Timestamp.columnString(self) }
}

extension Optional where Wrapped == Date {
    var sql: String? { map(Timestamp.columnString) }
}

extension Row {
    func instant(_ index: Int) throws -> Date {
        guard let text = self[index] as String?, let date = Timestamp.columnDate(text) else {
            throw MEDKError.corruptValue(column: Array(columnNames)[index], value: "\(self[index] as DatabaseValue)")
        }
        return date
    }

    func instantIfPresent(_ index: Int) throws -> Date? {
        (self[index] as DatabaseValue).isNull ? nil : try instant(index)
    }
}
