import Foundation
import ZIPFoundation

/// Writes an `ExportTable` as an Excel workbook of one sheet: the title and the filter on top, a
/// bold header row that stays frozen while scrolling and carries the autofilter, numbers as
/// numbers, dates as dates (Excel serials with a Russian date format), columns as wide as their
/// text. The zip container is ZIPFoundation's; the few OOXML parts are written here because no
/// mirrored library writes SpreadsheetML — each part is small, fixed in shape and XML-escaped.
public enum XLSXWriter {
    public static let mediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// A whole table at once (a few thousand rows at most); long lists stream through `XLSXSheetStream`.
    public static func workbook(_ table: ExportTable) throws -> Data {
        let stream = try XLSXSheetStream(table, in: FileManager.default.temporaryDirectory)
        defer { stream.discard() }
        try stream.append(table.rows)
        return try Data(contentsOf: try stream.finish())
    }

    static func parts(_ table: ExportTable) -> [(String, String)] {
        [("[Content_Types].xml", contentTypes), ("_rels/.rels", rootRelationships), ("xl/workbook.xml", workbookXML(table)),
         ("xl/_rels/workbook.xml.rels", workbookRelationships), ("xl/styles.xml", styles)]
    }

    // MARK: The sheet

    /// Styles by index in `styles`: 0 plain, 1 bold (header), 2 date, 3 date and time, 4 bold and larger (title), 5 one decimal.
    enum Style: Int { case plain = 0, header, date, dateTime, title, tenths, hundredths }

    /// One `<row>`, its cells from column A.
    static func row(_ number: Int, _ cells: [(ExportTable.Cell, Style)]) -> String {
        let xml = cells.enumerated().compactMap { column, cell in Self.cell(cell.0, style: cell.1, at: reference(column, number)) }
        return "<row r=\"\(number)\">\(xml.joined())</row>"
    }

    /// What comes before the rows: the frozen pane under the header and the columns' widths.
    static func sheetStart(headerRow: Int, widths: [Int]) -> String {
        let cols = widths.enumerated().map { "<col min=\"\($0.offset + 1)\" max=\"\($0.offset + 1)\" width=\"\($0.element)\" customWidth=\"1\"/>" }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="\(headerRow)" topLeftCell="A\(headerRow + 1)" \
            activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A\(headerRow + 1)" \
            sqref="A\(headerRow + 1)"/></sheetView></sheetViews>\
            <sheetFormatPr defaultRowHeight="15"/>\(cols.isEmpty ? "" : "<cols>\(cols.joined())</cols>")<sheetData>
            """
    }

    /// What comes after the rows: the autofilter over the header and the rows below it.
    static func sheetEnd(headerRow: Int, lastRow: Int, columns: Int) -> String {
        let lastColumn = reference(max(columns, 1) - 1, 1).prefix { $0.isLetter }
        return "</sheetData><autoFilter ref=\"A\(headerRow):\(lastColumn)\(max(lastRow, headerRow))\"/></worksheet>"
    }

    /// How wide a column shows `text`: its characters and a margin, within reason.
    static func width(_ text: String) -> Int { min(60, max(8, text.count + 2)) }

    private static func cell(_ cell: ExportTable.Cell, style: Style, at reference: String) -> String? {
        switch cell {
        case .empty:
            return nil
        case .text(let value):
            return "<c r=\"\(reference)\" s=\"\(style.rawValue)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(value))</t></is></c>"
        case .number(let value):
            return "<c r=\"\(reference)\" s=\"\(style.rawValue)\"><v>\(value)</v></c>"
        case .tenths(let value):
            guard value.isFinite else { return nil }
            return "<c r=\"\(reference)\" s=\"\(Style.tenths.rawValue)\"><v>\((value * 10).rounded() / 10)</v></c>"
        case .hundredths(let value):
            guard value.isFinite else { return nil }
            return "<c r=\"\(reference)\" s=\"\(Style.hundredths.rawValue)\"><v>\((value * 100).rounded() / 100)</v></c>"
        case .date(let date):
            return "<c r=\"\(reference)\" s=\"\(Style.date.rawValue)\"><v>\(serial(date))</v></c>"
        case .dateTime(let instant, let zone):
            guard let calendar = try? RegionCalendar.cached(zone) else { return Self.cell(.text(cell.text), style: style, at: reference) }
            let (date, seconds) = calendar.wallClock(instant)
            let fraction = Double(seconds) / 86_400
            return "<c r=\"\(reference)\" s=\"\(Style.dateTime.rawValue)\"><v>\(Double(serial(date)) + fraction)</v></c>"
        }
    }

    /// Excel counts days from 30 December 1899 (its 1900 leap-year bug folded in).
    static func serial(_ date: CalendarDate) -> Int { date.dayNumber + 25_569 }

    /// «A1», «AB12»: columns from 0, rows from 1.
    static func reference(_ column: Int, _ row: Int) -> String {
        var letters = "", number = column + 1
        while number > 0 {
            let remainder = (number - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            number = (number - 1) / 26
        }
        return "\(letters)\(row)"
    }

    /// XML text: the five special characters escaped, characters XML 1.0 forbids dropped, and
    /// Excel's limit of 32,767 characters a cell kept.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var count = 0
        for scalar in text.unicodeScalars {
            guard count < 32_767 else { break }
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                guard value >= 0x20, value != 0xFFFE, value != 0xFFFF else { continue }
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }

    // MARK: The fixed parts

    static func workbookXML(_ table: ExportTable) -> String {
        // A sheet name may not hold []:*?/\ and is at most 31 characters.
        let name = String(table.sheetName.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="\(escape(name.isEmpty ? "Лист1" : name))" sheetId="1" r:id="rId1"/></sheets></workbook>
            """
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        </Types>
        """

    static let rootRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    static let workbookRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """

    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="4"><numFmt numFmtId="164" formatCode="dd\\.mm\\.yyyy"/><numFmt numFmtId="165" formatCode="dd\\.mm\\.yyyy\\ hh:mm"/>\
        <numFmt numFmtId="166" formatCode="0.0"/><numFmt numFmtId="167" formatCode="0.00"/></numFmts>\
        <fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font>\
        <font><b/><sz val="13"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
}

private extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
