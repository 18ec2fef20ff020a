import Foundation
import Synchronization

/// A calendar date with no time and no zone, as deadlines are written: «до 30 апреля».
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Refuses dates that do not exist (31 April, 29 February of a common year).
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2999).contains(year), (1...12).contains(month), day >= 1,
              day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` or the Russian `DD.MM.YYYY`.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let iso = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        let ru = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        if iso.count == 3, iso[0].count == 4, iso[1].count == 2, iso[2].count == 2,
           let y = Int(iso[0]), let m = Int(iso[1]), let d = Int(iso[2]) {
            self.init(year: y, month: m, day: d)
        } else if ru.count == 3, ru[0].count == 2, ru[1].count == 2, ru[2].count == 4,
                  let d = Int(ru[0]), let m = Int(ru[1]), let y = Int(ru[2]) {
            self.init(year: y, month: m, day: d)
        } else {
            return nil
        }
    }

    /// Parses exactly `YYYY-MM-DD`, the wire format of the API and of stored values: no spaces,
    /// no other separators, so that what the API document calls a date is what is accepted.
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    // Written by hand: `String(format:)` goes through Foundation's varargs formatting and was a
    // twentieth of the CPU of a page of 100 overdue measures.
    public var description: String {
        Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2)
    }

    /// The way Russian users write dates: 30.04.2026.
    public var russian: String {
        Self.padded(day, 2) + "." + Self.padded(month, 2) + "." + Self.padded(year, 4)
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.utf8.count >= width ? digits : String(repeating: "0", count: width - digits.utf8.count) + digits
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(dayNumber: dayNumber + days)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), by integer arithmetic: reports compare
    /// millions of due dates and Foundation's calendar is far too slow for that.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    /// The date `dayNumber` days after 1970-01-01 (civil_from_days).
    public init(dayNumber: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The day of the week, 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 + 1 }

    /// Whole days from this date to `other` (negative when `other` is earlier).
    public func days(to other: CalendarDate) -> Int { other.dayNumber - dayNumber }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "Expected a date YYYY-MM-DD, got \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Deadline arithmetic in a region's own zone: a date-only deadline «до D» is met by
/// anything that happens before 00:00 of the next day *there*, whatever UTC says.
public struct RegionCalendar: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZoneIdentifier: String) throws(MEDKError) {
        guard let zone = TimeZone(identifier: timeZoneIdentifier) else {
            throw MEDKError.rejected("unknown_time_zone", "Неизвестный часовой пояс «\(timeZoneIdentifier)» (нужен идентификатор IANA, например Europe/Moscow).")
        }
        self.timeZone = zone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// The first instant that is already too late for a deadline on `date`.
    public func endOfDay(_ date: CalendarDate) -> Date {
        startOfDay(date.adding(days: 1))
    }

    public func startOfDay(_ date: CalendarDate) -> Date {
        calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))!
    }

    public func isOnTime(_ instant: Date, dueDate: CalendarDate) -> Bool {
        instant < endOfDay(dueDate)
    }

    /// The local calendar date of an instant.
    public func date(of instant: Date) -> CalendarDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// An instant as a clock on the wall here shows it: the date and the seconds since its midnight.
    public func wallClock(_ instant: Date) -> (date: CalendarDate, seconds: Int) {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        return (CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!,
                parts.hour! * 3600 + parts.minute! * 60 + parts.second!)
    }

    /// «30.04.2026 23:30 (Asia/Chita)», the way every time is shown to people.
    /// «07.12.2026 09:14»: for a page that names the zone once, not beside every time.
    public func wallTime(_ instant: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return String(format: "%02d.%02d.%04d %02d:%02d", parts.day!, parts.month!, parts.year!, parts.hour!, parts.minute!)
    }

    public func format(_ instant: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return String(format: "%02d.%02d.%04d %02d:%02d", parts.day!, parts.month!, parts.year!, parts.hour!, parts.minute!)
            + " (\(timeZone.identifier))"
    }

    /// «30.04.2026 23:30 (UTC+9, Asia/Chita)»: the offset tells people far from the region what time that was.
    public func formatWithOffset(_ instant: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return String(format: "%02d.%02d.%04d %02d:%02d", parts.day!, parts.month!, parts.year!, parts.hour!, parts.minute!)
            + " (\(zoneName(at: instant)))"
    }

    /// «UTC+9, Asia/Chita»: the zone as a page names it once.
    public func zoneName(at instant: Date) -> String {
        let seconds = timeZone.secondsFromGMT(for: instant)
        let sign = seconds < 0 ? "−" : "+"
        let hours = abs(seconds) / 3600, minutes = abs(seconds) % 3600 / 60
        return "UTC\(sign)\(hours)" + (minutes == 0 ? "" : String(format: ":%02d", minutes)) + ", \(timeZone.identifier)"
    }

    /// One calendar per zone for the life of the process: building a time zone and a calendar
    /// costs more than the deadline arithmetic done with them.
    public static func cached(_ identifier: String) throws(MEDKError) -> RegionCalendar {
        if let known = cache.withLock({ $0[identifier] }) { return known }
        let calendar = try RegionCalendar(timeZoneIdentifier: identifier)
        cache.withLock { $0[identifier] = calendar }
        return calendar
    }

    private static let cache = Mutex<[String: RegionCalendar]>([:])

    public static func isKnownZone(_ identifier: String) -> Bool {
        TimeZone(identifier: identifier) != nil
    }
}
