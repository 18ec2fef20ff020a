import Foundation
import SWXMLHash

/// The sheets of an XLSX workbook as tables, in the workbook's order: shared and inline strings,
/// numbers as written, dates (numbers in a date format) as «30.04.2023», merged cells resolved.
enum XLSXTableReader {
    static func tables(_ data: Data, limits: TableImportLimits) throws(MEDKError) -> [SourceTable] {
        var package = try OOXMLPackage(data, format: .xlsx, limits: limits)
        guard let workbook = try package.xml("xl/workbook.xml") else { throw OOXMLPackage.broken(.xlsx) }
        var targets: [String: String] = [:]
        for relation in try package.xml("xl/_rels/workbook.xml.rels")?.elements("Relationship") ?? [] {
            if let id = relation.value("Id"), let target = relation.value("Target") { targets[id] = target }
        }
        let strings = try sharedStrings(&package)
        let dateStyles = try dateStyles(&package)
        // Day 0 of the workbook's dates: 30 December 1899 (Excel counts a 29 February 1900 that never was),
        // or 1 January 1904 in workbooks from old Macs.
        let epoch = ["1", "true"].contains(workbook.element("workbookPr")?.value("date1904") ?? "")
            ? CalendarDate(year: 1904, month: 1, day: 1)!.dayNumber : CalendarDate(year: 1900, month: 1, day: 1)!.dayNumber - 2
        let cells = Cells(strings: strings, dateStyles: dateStyles, epoch: epoch)
        var tables: [SourceTable] = []
        for sheet in workbook.element("sheets")?.elements("sheet") ?? [] {
            guard let id = sheet.value("id"), let target = targets[id] else { continue }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            guard let worksheet = try package.xml(path) else { continue }
            tables.append(try table(worksheet, name: sheet.value("name") ?? path, cells: cells, limits: limits))
        }
        guard !tables.isEmpty else { throw OOXMLPackage.broken(.xlsx) }
        return tables
    }

    /// A shared string, or an inline one: its text and the text of its rich runs, not the phonetic hints.
    static func text(of item: SWXMLHash.XMLElement) -> String {
        var text = item.element("t")?.text ?? ""
        for run in item.elements("r") { text += run.element("t")?.text ?? "" }
        return text
    }

    static func sharedStrings(_ package: inout OOXMLPackage) throws(MEDKError) -> [String] {
        guard let table = try package.xml("xl/sharedStrings.xml") else { return [] }
        return table.elements("si").map(text(of:))
    }

    /// The cell styles whose number format shows a date: Excel's built-in date formats, and custom
    /// ones that write a day or a year (outside quoted text and [colour] brackets).
    static func dateStyles(_ package: inout OOXMLPackage) throws(MEDKError) -> Set<Int> {
        guard let styles = try package.xml("xl/styles.xml") else { return [] }
        var dateFormats = Set(Array(14...22) + Array(27...36) + Array(45...47) + Array(50...58))
        for format in styles.element("numFmts")?.elements("numFmt") ?? [] {
            guard let id = format.value("numFmtId").flatMap(Int.init), let code = format.value("formatCode") else { continue }
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
            if plain.contains("d") || plain.contains("y") { dateFormats.insert(id) } else { dateFormats.remove(id) }
        }
        var dates = Set<Int>()
        for (index, format) in (styles.element("cellXfs")?.elements("xf") ?? []).enumerated() {
            if let id = format.value("numFmtId").flatMap(Int.init), dateFormats.contains(id) { dates.insert(index) }
        }
        return dates
    }

    struct Cells {
        let strings: [String]
        let dateStyles: Set<Int>
        /// The day number of the workbook's day 0.
        let epoch: Int

        func text(of cell: SWXMLHash.XMLElement) -> String {
            let value = cell.element("v")?.text ?? ""
            switch cell.value("t") ?? "n" {
            case "s": return Int(value).flatMap { $0 >= 0 && $0 < strings.count ? strings[$0] : nil } ?? ""
            case "inlineStr": return cell.element("is").map(XLSXTableReader.text(of:)) ?? ""
            case "b": return value == "1" ? "ИСТИНА" : "ЛОЖЬ"
            case "d": return CalendarDate(String(value.prefix(10))).map(\.russian) ?? value
            case "n":
                // A date is a number of days since the workbook's epoch, shown in a date format.
                if let style = cell.value("s").flatMap(Int.init), dateStyles.contains(style),
                   let serial = Double(value), serial >= 1, serial < 200_000 {
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

    static func table(_ worksheet: SWXMLHash.XMLElement, name: String, cells: Cells,
                      limits: TableImportLimits) throws(MEDKError) -> SourceTable {
        var values: [Int: [Int: String]] = [:]
        var previousRow = 0
        for row in worksheet.element("sheetData")?.elements("row") ?? [] {
            let number = row.value("r").flatMap(Int.init) ?? previousRow + 1
            previousRow = number
            var previousColumn = -1
            for cell in row.elements("c") {
                let column = cell.value("r").flatMap(position)?.column ?? previousColumn + 1
                previousColumn = column
                let text = SourceTable.cleaned(cells.text(of: cell))
                guard !text.isEmpty else { continue }
                guard column < limits.maximumColumns else {
                    throw MEDKError.rejected("table_too_wide", "Лист «\(name)» шире \(limits.maximumColumns) столбцов: это не дорожная карта.")
                }
                values[number, default: [:]][column] = text
                guard values.count <= limits.maximumRows else {
                    throw MEDKError.rejected("table_too_long", "На листе «\(name)» больше \(limits.maximumRows) строк.")
                }
            }
        }
        guard let lastRow = values.keys.max() else { return SourceTable(name: name, rows: []) }
        let usedColumns = values.values.flatMap(\.keys)
        let firstColumn = usedColumns.min()!, lastColumn = usedColumns.max()!

        // Merged cells: a block merged down repeats its text in the rows below; one merged across
        // the used width is a heading. Bounded by the used range, whatever the merges claim.
        var spanning = Set<Int>()
        var filled = 0
        for merge in worksheet.element("mergeCells")?.elements("mergeCell") ?? [] {
            let corners = (merge.value("ref") ?? "").split(separator: ":").map(String.init)
            guard corners.count == 2, let top = position(corners[0]), let bottom = position(corners[1]),
                  top.row <= bottom.row, top.column <= bottom.column, top.row <= lastRow else { continue }
            if top.column <= firstColumn && bottom.column >= lastColumn && top.column < bottom.column {
                spanning.insert(top.row)
                continue
            }
            let end = min(bottom.row, lastRow)
            guard let text = values[top.row]?[top.column], end > top.row else { continue }
            for row in (top.row + 1)...end where values[row]?[top.column] == nil {
                filled += 1
                guard filled <= limits.maximumRows * 4 else {
                    throw MEDKError.rejected("table_too_long", "На листе «\(name)» слишком много объединённых ячеек.")
                }
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
