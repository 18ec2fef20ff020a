import Foundation

/// The tables of a Word document's body, in order («таблица 1», «таблица 2»…): cells placed on
/// the table's grid by their spans, a cell merged down (`vMerge`) repeating the text of the cell it
/// continues, paragraphs of a cell joined by spaces, deleted text left out. The document is
/// streamed (`OOXMLPackage.read`): only the tables' cells are kept, and they are counted.
enum DOCXTableReader {
    static func tables(_ data: Data, limits: TableImportLimits, temporaryDirectory: URL) throws(MEDKError) -> [SourceTable] {
        var package = try OOXMLPackage(data, format: .docx, limits: limits, temporaryDirectory: temporaryDirectory)
        let reader = BodyReader(limits: limits, kept: KeptText(limit: limits.maximumKeptTextBytes))
        guard try package.read("word/document.xml", into: reader), reader.sawBody else { throw OOXMLPackage.broken(.docx) }
        return reader.tables
    }

    /// Reads the tables that are children of the body; a table nested in a cell is not this table's
    /// rows, and its text is not the cell's.
    final class BodyReader: XMLEventHandler {
        private let limits: TableImportLimits
        private let kept: KeptText
        private(set) var tables: [SourceTable] = []
        private(set) var sawBody = false
        /// Elements open above the current one, by local name.
        private var path: [Substring] = []
        /// The depth (in `path`) of the body's table being read, when one is.
        private var tableDepth: Int?
        private var table = TableState()
        /// Depth of an element whose text the cell leaves out (a nested table, deleted text,
        /// properties), while inside one.
        private var skippedFrom: Int?

        struct TableState {
            var name = ""
            var gridWidth = 0
            var rows: [SourceTable.Row] = []
            var above: [Int: String] = [:]
            var cells: [String] = []
            var spansWidth = false
            var inRow = false
            /// The cell being read: its span, whether it continues the cell above, and its text.
            var cell: (span: Int, continues: Bool, text: String)?
        }

        init(limits: TableImportLimits, kept: KeptText) {
            self.limits = limits
            self.kept = kept
        }

        private var displayName: String { table.name.prefix(1).uppercased() + table.name.dropFirst() }

        func start(_ name: Substring, _ attributes: XMLAttributes) throws(MEDKError) {
            path.append(name)
            let depth = path.count
            if name == "body" && depth == 2 { sawBody = true }
            guard let tableDepth else {
                // A table directly in the body: «document/body/tbl».
                if name == "tbl" && depth == 3 && path[1] == "body" {
                    self.tableDepth = depth
                    table = TableState(name: "таблица \(tables.count + 1)")
                }
                return
            }
            // Inside the body's table: its grid, rows and cells sit at fixed depths under it.
            switch (name, depth - tableDepth) {
            case ("gridCol", 2) where path[depth - 2] == "tblGrid":
                table.gridWidth += 1
            case ("tr", 1):
                guard table.rows.count < limits.maximumRows else {
                    throw MEDKError.rejected("table_too_long", "В \(table.name) больше \(limits.maximumRows) строк.")
                }
                table.inRow = true
                table.cells = []
                table.spansWidth = false
            case ("gridBefore", 3) where path[depth - 2] == "trPr":
                // Cells skipped before the first keep the grid aligned.
                let before = attributes["val"].flatMap(Int.init) ?? 0
                table.cells += Array(repeating: "", count: min(max(before, 0), limits.maximumColumns))
            case ("tc", 2) where table.inRow:
                table.cell = (1, false, "")
            case ("gridSpan", 4) where path[depth - 2] == "tcPr" && table.cell != nil:
                table.cell!.span = min(max(attributes["val"].flatMap(Int.init) ?? 1, 1), limits.maximumColumns)
            case ("vMerge", 4) where path[depth - 2] == "tcPr" && table.cell != nil:
                // «vMerge» without «restart» continues the cell above: the same task for several measures.
                table.cell!.continues = attributes["val"] != "restart"
            default:
                guard table.cell != nil, skippedFrom == nil else { return }
                switch name {
                case "tbl", "delText", "instrText", "tcPr", "rPr", "pPr": skippedFrom = depth
                case "tab", "br", "cr": table.cell!.text += " "
                case "p": if !table.cell!.text.isEmpty { table.cell!.text += " " }
                default: break
                }
            }
        }

        func end(_ name: Substring) throws(MEDKError) {
            let depth = path.count
            path.removeLast()
            if let skipped = skippedFrom, depth == skipped { skippedFrom = nil }
            guard let tableDepth else { return }
            switch depth - tableDepth {
            case 0:
                tables.append(SourceTable(name: table.name, rows: table.rows))
                self.tableDepth = nil
            case 1 where name == "tr" && table.inRow:
                table.rows.append(SourceTable.Row(line: table.rows.count + 1, cells: table.cells, spansWidth: table.spansWidth))
                table.inRow = false
            case 2 where name == "tc" && table.cell != nil:
                try finishCell()
            default:
                break
            }
        }

        func text(_ text: String) throws(MEDKError) {
            guard table.cell != nil, skippedFrom == nil, path.last == "t" else { return }
            try kept.keep(text)
            table.cell!.text += text
        }

        private func finishCell() throws(MEDKError) {
            let (span, continues, raw) = table.cell!
            table.cell = nil
            let column = table.cells.count
            guard column + span <= limits.maximumColumns else {
                throw MEDKError.rejected("table_too_wide", "\(displayName) шире \(limits.maximumColumns) столбцов.")
            }
            var text = SourceTable.cleaned(raw)
            if continues { text = table.above[column] ?? "" }
            table.above[column] = text
            table.cells.append(text)
            table.cells += Array(repeating: "", count: span - 1)
            if span > 1 && column == 0 && span >= max(table.gridWidth, 2) { table.spansWidth = true }
        }
    }
}
