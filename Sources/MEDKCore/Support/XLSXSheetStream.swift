import Foundation
import ZIPFoundation

/// A workbook written while its rows arrive, for lists too long to hold (a country's overdue
/// measures): the rows go to a temporary file as they come, the columns' widths are kept as they
/// grow, and `finish` zips the sheet — its start (which needs the widths), the rows from the file,
/// its end — into a workbook file beside it. Memory stays at one page of rows.
public final class XLSXSheetStream {
    private let table: ExportTable
    private let directory: URL
    private let rowsURL: URL
    private let rows: FileHandle
    private let headerRow: Int
    private var rowNumber: Int
    private var widths: [Int]

    /// Starts a workbook of `table`'s title, notes and header (its rows are appended, not read).
    public init(_ table: ExportTable, in temporaryDirectory: URL) throws {
        self.table = table
        directory = temporaryDirectory.appendingPathComponent("medk-xlsx-\(UUID().uuidString)")
        try PrivateFiles.makeDirectory(directory)
        rowsURL = directory.appendingPathComponent("rows.xml")
        guard FileManager.default.createFile(atPath: rowsURL.path, contents: nil, attributes: [.posixPermissions: PrivateFiles.fileMode]) else {
            throw MEDKError(.internalFailure, code: "export_failed", message: "Не удалось собрать файл Excel.")
        }
        rows = try FileHandle(forWritingTo: rowsURL)
        var lines = [XLSXWriter.row(1, [(.text(table.title), .title)])]
        for (offset, note) in table.notes.enumerated() { lines.append(XLSXWriter.row(offset + 2, [(.text(note), .plain)])) }
        // An empty line, then the header.
        headerRow = table.notes.count + 3
        lines.append(XLSXWriter.row(headerRow, table.header.map { (.text($0), .header) }))
        rowNumber = headerRow
        widths = table.header.map(XLSXWriter.width)
        try rows.write(contentsOf: Data(lines.joined().utf8))
    }

    public func append(_ newRows: [[ExportTable.Cell]]) throws {
        var xml = ""
        for row in newRows {
            rowNumber += 1
            xml += XLSXWriter.row(rowNumber, row.map { ($0, .plain) })
            for (column, cell) in row.enumerated() {
                if column >= widths.count { widths.append(8) }
                widths[column] = max(widths[column], XLSXWriter.width(cell.text))
            }
        }
        try rows.write(contentsOf: Data(xml.utf8))
    }

    /// Writes the workbook and returns its file, alone in a directory of its own that `discard` (or
    /// the caller, once it has sent the file) removes.
    public func finish() throws -> URL {
        try rows.close()
        let start = Data(XLSXWriter.sheetStart(headerRow: headerRow, widths: widths).utf8)
        let end = Data(XLSXWriter.sheetEnd(headerRow: headerRow, lastRow: rowNumber, columns: widths.count).utf8)
        let rowBytes = Int64((try FileManager.default.attributesOfItem(atPath: rowsURL.path)[.size] as? NSNumber)?.int64Value ?? 0)
        let workbookURL = directory.appendingPathComponent("workbook.xlsx")
        let archive = try Archive(url: workbookURL, accessMode: .create)
        for (path, text) in XLSXWriter.parts(table) {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let reader = try FileHandle(forReadingFrom: rowsURL)
        defer { try? reader.close() }
        let total = Int64(start.count) + rowBytes + Int64(end.count)
        // The sheet is its start, the rows' file and its end, read in the order the zip asks for them.
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: total, compressionMethod: .deflate) { position, size in
            var out = Data()
            var at = position
            let stop = position + Int64(size)
            while at < stop {
                if at < Int64(start.count) {
                    let upTo = min(stop, Int64(start.count))
                    out += start.subdata(in: Int(at)..<Int(upTo))
                    at = upTo
                } else if at < Int64(start.count) + rowBytes {
                    let offset = at - Int64(start.count)
                    let count = Int(min(stop - at, rowBytes - offset))
                    try reader.seek(toOffset: UInt64(offset))
                    let chunk = try reader.read(upToCount: count) ?? Data()
                    guard !chunk.isEmpty else { throw MEDKError(.internalFailure, code: "export_failed", message: "Не удалось собрать файл Excel.") }
                    out += chunk
                    at += Int64(chunk.count)
                } else {
                    let offset = Int(at - Int64(start.count) - rowBytes)
                    let upTo = min(Int(stop - Int64(start.count) - rowBytes), end.count)
                    out += end.subdata(in: offset..<upTo)
                    at = Int64(start.count) + rowBytes + Int64(upTo)
                }
            }
            return out
        }
        return workbookURL
    }

    /// Removes the temporary files, whether or not the workbook was finished.
    public func discard() {
        try? rows.close()
        try? FileManager.default.removeItem(at: directory)
    }
}
