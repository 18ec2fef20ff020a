import Foundation

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

extension MEDKError {
    static func corruptValue(column: String, value: String) -> MEDKError {
        MEDKError(.internalFailure, code: "corrupt_value", message: "В базе данных неверное значение (\(column) = \(value.prefix(40))).")
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

