import Foundation

/// The sheets of an XLSX workbook as tables, in the workbook's order: shared and inline strings,
/// numbers as written, dates (numbers in a date format) as «30.04.2023», merged cells resolved.
/// Every part is streamed (`OOXMLPackage.read`); what is kept is the workbook's list of sheets, its
/// styles' date formats, the shared strings and the cells that hold text — all counted.
enum XLSXTableReader {
    static func tables(_ data: Data, limits: TableImportLimits, temporaryDirectory: URL) throws(MEDKError) -> [SourceTable] {
        var package = try OOXMLPackage(data, format: .xlsx, limits: limits, temporaryDirectory: temporaryDirectory)
        let kept = KeptText(limit: limits.maximumKeptTextBytes)
        let workbook = WorkbookReader()
        guard try package.read("xl/workbook.xml", into: workbook) else { throw OOXMLPackage.broken(.xlsx) }
        let relationships = RelationshipsReader()
        _ = try package.read("xl/_rels/workbook.xml.rels", into: relationships)
        let strings = SharedStringsReader(kept: kept)
        _ = try package.read("xl/sharedStrings.xml", into: strings)
        let styles = StylesReader()
        _ = try package.read("xl/styles.xml", into: styles)
        // Day 0 of the workbook's dates: 30 December 1899 (Excel counts a 29 February 1900 that never was),
        // or 1 January 1904 in workbooks from old Macs.
        let epoch = workbook.uses1904 ? CalendarDate(year: 1904, month: 1, day: 1)!.dayNumber
            : CalendarDate(year: 1900, month: 1, day: 1)!.dayNumber - 2
        let cells = Cells(strings: strings.strings, dateStyles: styles.dateStyles, epoch: epoch)
        var tables: [SourceTable] = []
        for sheet in workbook.sheets {
            guard let target = relationships.targets[sheet.relationship] else { continue }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            let name = sheet.name ?? path
            let worksheet = WorksheetReader(name: name, cells: cells, limits: limits, kept: kept)
            guard try package.read(path, into: worksheet) else { continue }
            tables.append(try worksheet.table())
        }
        guard !tables.isEmpty else { throw OOXMLPackage.broken(.xlsx) }
        return tables
    }

    /// The sheets in the workbook's order and its date system.
    final class WorkbookReader: XMLEventHandler {
        struct Sheet {
            var name: String?
            var relationship: String
        }
        private(set) var sheets: [Sheet] = []
        private(set) var uses1904 = false

        func start(_ name: Substring, _ attributes: XMLAttributes) throws(MEDKError) {
            switch name {
            case "sheet":
                guard let id = attributes["id"] else { return }
                guard sheets.count < 1_000 else { throw MEDKError.rejected("too_many_sheets", "В книге больше 1000 листов.") }
                sheets.append(Sheet(name: attributes["name"], relationship: id))
            case "workbookPr":
                uses1904 = ["1", "true"].contains(attributes["date1904"] ?? "")
            default:
                break
            }
        }
    }

    /// The workbook's relationships: which part each sheet is.
    final class RelationshipsReader: XMLEventHandler {
        private(set) var targets: [String: String] = [:]

        func start(_ name: Substring, _ attributes: XMLAttributes) throws(MEDKError) {
            guard name == "Relationship", let id = attributes["Id"], let target = attributes["Target"], targets.count < 10_000 else { return }
            targets[id] = target
        }
    }

    /// Shared strings: each item's text and the text of its rich runs, not the phonetic hints.
    final class SharedStringsReader: XMLEventHandler {
        private let kept: KeptText
        private(set) var strings: [String] = []
        private var path: [Substring] = []
        private var current: String?

        init(kept: KeptText) { self.kept = kept }

        func start(_ name: Substring, _ attributes: XMLAttributes) throws(MEDKError) {
            path.append(name)
            if name == "si" { current = "" }
        }

        func end(_ name: Substring) throws(MEDKError) {
            path.removeLast()
            if name == "si", let text = current {
                try kept.keep("")
                strings.append(text)
                current = nil
            }
        }

        func text(_ text: String) throws(MEDKError) {
            // «si/t» or «si/r/t»; the «t» of «si/rPh» is a reading hint, not the text.
            guard current != nil, path.last == "t", path.count >= 2 else { return }
            let parent = path[path.count - 2]
            guard parent == "si" || (parent == "r" && path.count >= 3 && path[path.count - 3] == "si") else { return }
            try kept.keep(text)
            current! += text
        }
    }

    /// The cell styles whose number format shows a date: Excel's built-in date formats, and custom
    /// ones that write a day or a year (outside quoted text and [colour] brackets).
    final class StylesReader: XMLEventHandler {
        private var dateFormats = Set(Array(14...22) + Array(27...36) + Array(45...47) + Array(50...58))
        private(set) var dateStyles = Set<Int>()
        private var inCellFormats = false
        private var cellFormat = 0

        func start(_ name: Substring, _ attributes: XMLAttributes) throws(MEDKError) {
            switch name {
            case "numFmt":
                guard let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] else { return }
                if Self.showsDate(code) { dateFormats.insert(id) } else { dateFormats.remove(id) }
            case "cellXfs":
                inCellFormats = true
            case "xf" where inCellFormats:
                if let id = attributes["numFmtId"].flatMap(Int.init), dateFormats.contains(id) { dateStyles.insert(cellFormat) }
                cellFormat += 1
            default:
                break
            }
        }

        func end(_ name: Substring) throws(MEDKError) {
            if name == "cellXfs" { inCellFormats = false }
        }

        static func showsDate(_ code: String) -> Bool {
            var plain = ""
            var quoted = false, bracketed = false
            for character in code.lowercased() {
                switch character {
                case "\"": quoted.toggle()
                case "[" where !quoted: bracketed = true
                case "]" where !quoted: bracketed = false
                default: if !quoted && !bracketed { plain.append(character) }
                }
            }
            return plain.contains("d") || plain.contains("y")
        }
    }

    struct Cells {
        let strings: [String]
        let dateStyles: Set<Int>
        /// The day number of the workbook's day 0.
        let epoch: Int

        /// A cell's text from its type, style, value (`<v>`) and inline string (`<is>`).
        func text(type: Substring, style: Int?, value: String, inline: String) -> String {
            switch type {
            case "s": return Int(value).flatMap { $0 >= 0 && $0 < strings.count ? strings[$0] : nil } ?? ""
            case "inlineStr": return inline
            case "b": return value == "1" ? "ИСТИНА" : "ЛОЖЬ"
            case "d": return CalendarDate(String(value.prefix(10))).map(\.russian) ?? value
            case "n":
                // A date is a number of days since the workbook's epoch, shown in a date format.
                if let style, dateStyles.contains(style), let serial = Double(value), serial >= 1, serial < 200_000 {
                    return CalendarDate(dayNumber: epoch + Int(serial.rounded(.down))).russian
                }
                return value
            default: return value
            }
        }
    }

    /// «B12» as (row 12, column 1).
    static func position(_ reference: String) -> (row: Int, column: Int)? {
        var column = 0, row = 0, letters = 0
        for scalar in reference.unicodeScalars {
            switch scalar {
            case "A"..."Z" where row == 0:
                column = column * 26 + Int(scalar.value - 64)
                letters += 1
            case "0"..."9":
                row = row * 10 + Int(scalar.value - 48)
            default: return nil
            }
            guard letters <= 3, row <= 1_048_576 else { return nil }
        }
        guard letters > 0, row > 0 else { return nil }
        return (row, column - 1)
    }

    /// One sheet: the cells that hold text, by row and column, and its merged ranges.
    final class WorksheetReader: XMLEventHandler {
        private let name: String
        private let cells: Cells
        private let limits: TableImportLimits
        private let kept: KeptText
        private var values: [Int: [Int: String]] = [:]
        private var merges: [(top: (row: Int, column: Int), bottom: (row: Int, column: Int))] = []
        private var inSheetData = false
        private var row = 0
        private var previousColumn = -1
        /// The cell being read: its column, type and style, and the text of its value and inline string.
        private var cell: (column: Int, type: Substring, style: Int?)?
        private var value = "", inline = ""
        private var path: [Substring] = []
        static let maximumMerges = 100_000

        init(name: String, cells: Cells, limits: TableImportLimits, kept: KeptText) {
            self.name = name
            self.cells = cells
            self.limits = limits
            self.kept = kept
        }

        func start(_ element: Substring, _ attributes: XMLAttributes) throws(MEDKError) {
            path.append(element)
            switch element {
            case "sheetData":
                inSheetData = true
            case "row" where inSheetData:
                row = attributes["r"].flatMap(Int.init) ?? row + 1
                previousColumn = -1
            case "c" where inSheetData:
                let column = attributes["r"].flatMap(XLSXTableReader.position)?.column ?? previousColumn + 1
                previousColumn = column
                cell = (column, Substring(attributes["t"] ?? "n"), attributes["s"].flatMap(Int.init))
                value = ""
                inline = ""
            case "mergeCell":
                let corners = (attributes["ref"] ?? "").split(separator: ":").map(String.init)
                guard corners.count == 2, let top = XLSXTableReader.position(corners[0]),
                      let bottom = XLSXTableReader.position(corners[1]), top.row <= bottom.row, top.column <= bottom.column else { return }
                guard merges.count < Self.maximumMerges else {
                    throw MEDKError.rejected("table_too_long", "На листе «\(name)» слишком много объединённых ячеек.")
                }
                merges.append((top, bottom))
            default:
                break
            }
        }

        func end(_ element: Substring) throws(MEDKError) {
            path.removeLast()
            switch element {
            case "sheetData":
                inSheetData = false
            case "c" where cell != nil:
                let (column, type, style) = cell!
                cell = nil
                let text = SourceTable.cleaned(cells.text(type: type, style: style, value: value, inline: inline))
                guard !text.isEmpty else { return }
                guard column < limits.maximumColumns else {
                    throw MEDKError.rejected("table_too_wide", "Лист «\(name)» шире \(limits.maximumColumns) столбцов: это не дорожная карта.")
                }
                values[row, default: [:]][column] = text
                guard values.count <= limits.maximumRows else {
                    throw MEDKError.rejected("table_too_long", "На листе «\(name)» больше \(limits.maximumRows) строк.")
                }
            default:
                break
            }
        }

        func text(_ text: String) throws(MEDKError) {
            guard cell != nil, path.count >= 2 else { return }
            let parent = path[path.count - 2]
            switch path.last {
            case "v" where parent == "c":
                try kept.keep(text)
                value += text
            case "t" where parent == "is" || (parent == "r" && path.count >= 3 && path[path.count - 3] == "is"):
                try kept.keep(text)
                inline += text
            default:
                break
            }
        }

        /// The sheet as a table. Merged cells: a block merged down repeats its text in the rows below;
        /// one merged across the used width is a heading. Bounded by the used range, whatever the merges claim.
        func table() throws(MEDKError) -> SourceTable {
            guard let lastRow = values.keys.max() else { return SourceTable(name: name, rows: []) }
            let usedColumns = values.values.flatMap(\.keys)
            let firstColumn = usedColumns.min()!, lastColumn = usedColumns.max()!
            var spanning = Set<Int>()
            // Every row a merge covers is counted, filled or not: overlapping merges must not cost
            // a million steps each.
            var covered = 0
            for (top, bottom) in merges where top.row <= lastRow {
                if top.column <= firstColumn && bottom.column >= lastColumn && top.column < bottom.column {
                    spanning.insert(top.row)
                    continue
                }
                let end = min(bottom.row, lastRow)
                guard let text = values[top.row]?[top.column], end > top.row else { continue }
                covered += end - top.row
                guard covered <= limits.maximumRows * 4 else {
                    throw MEDKError.rejected("table_too_long", "На листе «\(name)» слишком много объединённых ячеек.")
                }
                for row in (top.row + 1)...end where values[row]?[top.column] == nil {
                    values[row, default: [:]][top.column] = text
                }
            }
            let rows = values.keys.sorted().map { number in
                let row = values[number]!
                return SourceTable.Row(line: number, cells: (0...lastColumn).map { row[$0] ?? "" }, spansWidth: spanning.contains(number))
            }
            return SourceTable(name: name, rows: rows)
        }
    }
}
