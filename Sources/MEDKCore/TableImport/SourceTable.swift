import Foundation

/// A table as a file holds it — a CSV, a sheet of a workbook, a table of a Word document — with
/// its merged cells resolved: a cell merged down repeats its text in every row it covers (a task
/// shared by several measures), a cell merged across keeps its text in its first column, and a
/// row that is one cell across the whole width says so (a section heading).
public struct SourceTable: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        /// Where a person finds the row: the sheet's row number, the CSV line, the row of the Word table.
        public var line: Int
        public var cells: [String]
        /// One merged cell spans the table's whole width.
        public var spansWidth: Bool

        public init(line: Int, cells: [String], spansWidth: Bool = false) {
            self.line = line
            self.cells = cells
            self.spansWidth = spansWidth
        }

        public func cell(_ column: Int) -> String {
            column < cells.count ? cells[column] : ""
        }

        /// The columns that hold text.
        public var filledColumns: [Int] {
            cells.indices.filter { !cells[$0].isEmpty }
        }
    }

    /// How a person names the table: «Лист1», «таблица 2», the file's name for a CSV.
    public var name: String
    public var rows: [Row]

    public init(name: String, rows: [Row]) {
        self.name = name
        self.rows = rows
    }

    /// Cell text as people typed it, on one line: runs of spaces and line breaks become one space
    /// (Word and Excel wrap long cells; the import shows each as a line).
    public static func cleaned(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace || $0 == "\u{00A0}" }).joined(separator: " ")
    }
}

/// The formats a table can be imported from, told by their content, not their name.
public enum TableFileFormat: String, Sendable, Codable, CaseIterable {
    case csv
    case xlsx
    case docx

    public var russianName: String {
        switch self {
        case .csv: "CSV"
        case .xlsx: "книга Excel (XLSX)"
        case .docx: "документ Word (DOCX)"
        }
    }
}

/// The limits of what an import reads, so that a hostile or broken file costs bounded time and memory.
public struct TableImportLimits: Sendable, Hashable {
    /// The file as uploaded.
    public var maximumFileBytes: Int = 20 << 20
    /// A zip's entries and what they unpack to: a DOCX or XLSX holds tens of parts, a few megabytes.
    public var maximumArchiveEntries: Int = 2_000
    public var maximumUnpackedBytes: Int = 100 << 20
    /// Unpacked size over packed size for one entry: XML packs about 10:1, a bomb a thousand times more.
    public var maximumCompressionRatio: Int = 200
    /// Rows and columns of one table.
    public var maximumRows: Int = 20_000
    public var maximumColumns: Int = 100
    /// Elements of one XML part: a full sheet of 20,000 rows by 25 columns is about two million.
    public var maximumXMLElements: Int = 2_000_000
    /// Bytes between two `<` of an XML part: one tag, or one stretch of text (a cell holds at most
    /// 32,767 characters, under 100 KB).
    public var maximumXMLRun: Int = 256 << 10
    /// Text kept in memory from one file: its shared strings and the cells of its tables.
    public var maximumKeptTextBytes: Int = 32 << 20

    public init() {}
}
