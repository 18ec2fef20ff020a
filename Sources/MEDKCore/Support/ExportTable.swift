import Foundation

/// A table as people download it: what it is and which filter made it (written above the header),
/// the header, and typed cells — numbers and dates stay numbers and dates in Excel, codes stay
/// text. CSV and XLSX are written from the same table, so the two never disagree.
public struct ExportTable: Sendable, Hashable {
    public enum Cell: Sendable, Hashable {
        case text(String)
        case number(Int)
        /// A number shown with one decimal: «3,5» in text, a number formatted 0.0 in Excel.
        case tenths(Double)
        /// A number shown with two decimals (an index in standard deviations): «−0,42».
        case hundredths(Double)
        case date(CalendarDate)
        /// A moment shown as the wall-clock time of `zone` (a region's).
        case dateTime(Date, zone: String)
        case empty

        /// The cell as text: «06.12.2026», «06.12.2026 18:57».
        public var text: String {
            switch self {
            case .text(let value): value
            case .number(let value): String(value)
            case .tenths(let value): ExportTable.tenthsText(value)
            case .hundredths(let value): ExportTable.hundredthsText(value)
            case .date(let value): value.russian
            case .dateTime(let value, let zone): ExportTable.wallClockText(value, zone: zone)
            case .empty: ""
            }
        }
    }

    /// The sheet's name in the workbook (Excel allows 31 characters).
    public var sheetName: String
    public var title: String
    /// The filter used, one line each: «Регион: Забайкальский край (75)».
    public var notes: [String]
    public var header: [String]
    public var rows: [[Cell]]

    public init(sheetName: String, title: String, notes: [String], header: [String], rows: [[Cell]]) {
        self.sheetName = sheetName
        self.title = title
        self.notes = notes
        self.header = header
        self.rows = rows
    }

    /// «3,5», «12,0»: one decimal, with the decimal comma Russian Excel reads.
    public static func tenthsText(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths < 0 ? "-" : "")\(abs(tenths) / 10),\(abs(tenths) % 10)"
    }

    /// «-0,42», «1,05»: two decimals with the decimal comma Russian Excel reads (a hyphen for the sign, so a CSV stays numbers).
    public static func hundredthsText(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        let hundredths = Int((value * 100).rounded())
        let fraction = abs(hundredths) % 100
        return "\(hundredths < 0 ? "-" : "")\(abs(hundredths) / 100),\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Header and rows as text, for CSV and the terminal (the title and notes are the file's name and the caller's).
    public var textRows: [[String]] { [header] + rows.map { $0.map(\.text) } }
}

extension ExportTable {
    /// «06.12.2026 18:57»: the zone is the table's (said in its notes), not repeated in every cell.
    static func wallClockText(_ instant: Date, zone: String) -> String {
        guard let calendar = try? RegionCalendar.cached(zone) else { return Timestamp.string(instant) }
        let (date, seconds) = calendar.wallClock(instant)
        return date.russian + String(format: " %02d:%02d", seconds / 3600, seconds % 3600 / 60)
    }
}
