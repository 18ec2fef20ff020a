import Foundation
import SWXMLHash

/// The tables of a Word document's body, in order («таблица 1», «таблица 2»…): cells placed on
/// the table's grid by their spans, a cell merged down (`vMerge`) repeating the text of the cell it
/// continues, paragraphs of a cell joined by spaces, deleted text left out.
enum DOCXTableReader {
    static func tables(_ data: Data, limits: TableImportLimits) throws(MEDKError) -> [SourceTable] {
        var package = try OOXMLPackage(data, format: .docx, limits: limits)
        guard let document = try package.xml("word/document.xml"), let body = document.element("body") else {
            throw OOXMLPackage.broken(.docx)
        }
        var tables: [SourceTable] = []
        for element in body.elements("tbl") {
            tables.append(try table(element, name: "таблица \(tables.count + 1)", limits: limits))
        }
        return tables
    }

    static func table(_ table: SWXMLHash.XMLElement, name: String, limits: TableImportLimits) throws(MEDKError) -> SourceTable {
        let gridWidth = table.element("tblGrid")?.elements("gridCol").count ?? 0
        var rows: [SourceTable.Row] = []
        var above: [Int: String] = [:]
        for (index, row) in table.elements("tr").enumerated() {
            guard index < limits.maximumRows else {
                throw MEDKError.rejected("table_too_long", "В \(name) больше \(limits.maximumRows) строк.")
            }
            var cells: [String] = []
            var spansWidth = false
            // Cells skipped before the first («gridBefore») keep the grid aligned.
            let before = row.element("trPr")?.element("gridBefore")?.value("val").flatMap(Int.init) ?? 0
            cells += Array(repeating: "", count: min(max(before, 0), limits.maximumColumns))
            for cell in row.elements("tc") {
                let properties = cell.element("tcPr")
                let span = min(max(properties?.element("gridSpan")?.value("val").flatMap(Int.init) ?? 1, 1), limits.maximumColumns)
                let column = cells.count
                guard column + span <= limits.maximumColumns else {
                    throw MEDKError.rejected("table_too_wide", "\(name.prefix(1).uppercased() + name.dropFirst()) шире \(limits.maximumColumns) столбцов.")
                }
                var text = SourceTable.cleaned(Self.text(of: cell))
                // «vMerge» without «restart» continues the cell above: the same task for several measures.
                if let merge = properties?.element("vMerge"), merge.value("val") != "restart" {
                    text = above[column] ?? ""
                }
                above[column] = text
                cells.append(text)
                cells += Array(repeating: "", count: span - 1)
                if span > 1 && column == 0 && span >= max(gridWidth, 2) { spansWidth = true }
            }
            rows.append(SourceTable.Row(line: index + 1, cells: cells, spansWidth: spansWidth))
        }
        return SourceTable(name: name, rows: rows)
    }

    /// The visible text of a cell: its paragraphs' runs (inserted text too, deleted text not),
    /// tabs and breaks as spaces; a table nested in the cell is not this cell's text.
    static func text(of element: SWXMLHash.XMLElement) -> String {
        var text = ""
        func collect(_ element: SWXMLHash.XMLElement) {
            for child in element.children {
                guard let child = child as? SWXMLHash.XMLElement else { continue }
                switch child.localName {
                case "t": text += child.text
                case "tab", "br", "cr": text += " "
                case "p": if !text.isEmpty { text += " " }; collect(child)
                case "tbl", "delText", "instrText", "tcPr", "rPr", "pPr": continue
                default: collect(child)
                }
            }
        }
        collect(element)
        return text
    }
}
