import ArgumentParser
import Foundation
import MEDKCore

enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, csv
}

/// Listings that already write Excel too (the others follow).
enum TableOutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, csv, xlsx

    /// A workbook is not printed: it needs `--output`.
    func requireFile(_ output: String?) throws {
        if self == .xlsx && output == nil { throw ValidationError("Для --format xlsx укажите файл: --output ФАЙЛ.xlsx.") }
    }
}

/// How every listing prints: an aligned table for people, JSON or CSV for programs.
enum Output {
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Writes a downloaded table to `path` (replacing it) and says where it went.
    static func save(_ data: Data, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw MEDKError.invalid("output_failed", "Не удалось записать файл «\(path)».")
        }
        Swift.print("Таблица записана в \(path).")
    }

    /// A report's table as `format` asks: CSV to `output` or the screen, a workbook to `output`.
    /// Returns false for the screen's table, which the caller prints under its own heading.
    static func export(_ table: ExportTable, format: TableOutputFormat, output: String?) throws -> Bool {
        switch (format, output) {
        case (.csv, let output?): try save(Data(CSV.write(table.textRows).utf8), to: output)
        case (.csv, nil): print(rows: table.textRows, format: .csv)
        case (.xlsx, let output?): try save(try XLSXWriter.workbook(table), to: output)
        case (.json, _), (.xlsx, nil), (.table, _): return false
        }
        return true
    }

    static func print(rows: [[String]], format: OutputFormat) {
        switch format {
        case .csv:
            Swift.print(CSV.write(rows, bom: false), terminator: "")
        case .table, .json:
            Swift.print(table(rows), terminator: "")
        }
    }

    static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        let columns = header.count
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() where index < columns { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ") + "\n"
        }
        var out = line(header)
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows.dropFirst() { out += line(row) }
        return out
    }

    /// Local time of the item's own region, with the zone named.
    static func time(_ date: Date?, zone: String) -> String {
        guard let date else { return "—" }
        return (try? RegionCalendar(timeZoneIdentifier: zone).format(date)) ?? Timestamp.string(date)
    }
}
