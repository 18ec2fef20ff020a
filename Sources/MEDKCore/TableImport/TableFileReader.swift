import Foundation

/// Opens a file people upload as a table: DOCX, XLSX (told by their zip contents, whatever the
/// name says) or CSV as Russian Excel saves it — `;`-separated, UTF-8 with or without a BOM, or
/// Windows-1251.
public enum TableFileReader {
    /// - Parameter temporaryDirectory: where the parts of a DOCX or XLSX are unpacked while they are
    ///   read (private files, removed as soon as each part is read).
    public static func tables(_ data: Data, fileName: String, limits: TableImportLimits = TableImportLimits(),
                              temporaryDirectory: URL = FileManager.default.temporaryDirectory) throws(MEDKError) -> (TableFileFormat, [SourceTable]) {
        guard data.count <= limits.maximumFileBytes else {
            throw MEDKError.rejected("file_too_large", "Файл больше \(limits.maximumFileBytes >> 20) МБ: таблицу такого размера не импортировать.")
        }
        guard !data.isEmpty else { throw MEDKError.rejected("empty_file", "Файл пуст.") }
        let format = try format(of: data, fileName: fileName)
        switch format {
        case .docx: return (format, try DOCXTableReader.tables(data, limits: limits, temporaryDirectory: temporaryDirectory))
        case .xlsx: return (format, try XLSXTableReader.tables(data, limits: limits, temporaryDirectory: temporaryDirectory))
        case .csv: return (format, [try csvTable(data, name: fileName, limits: limits)])
        }
    }

    /// A zip is a DOCX when it has a Word body, an XLSX when it has a workbook; anything else that
    /// is text is read as CSV. Old binary .doc/.xls files are named for what to do instead.
    static func format(of data: Data, fileName: String) throws(MEDKError) -> TableFileFormat {
        let start = [UInt8](data.prefix(8))
        if start.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            // Central-directory names are stored as plain bytes: enough to tell the two apart.
            if data.range(of: Data("word/document.xml".utf8)) != nil { return .docx }
            if data.range(of: Data("xl/workbook.xml".utf8)) != nil { return .xlsx }
            throw MEDKError.rejected("unsupported_file", "Это zip-архив, но не документ Word (DOCX) и не книга Excel (XLSX).")
        }
        if start.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw MEDKError.rejected("legacy_office_file", """
                Это файл старого формата Word или Excel (DOC/XLS). Сохраните его как DOCX или XLSX («Файл → Сохранить как») и загрузите снова.
                """)
        }
        if start.starts(with: Array("%PDF".utf8)) {
            throw MEDKError.rejected("unsupported_file", "PDF не импортируется: загрузите таблицу в виде DOCX, XLSX или CSV.")
        }
        return .csv
    }

    static func csvTable(_ data: Data, name: String, limits: TableImportLimits) throws(MEDKError) -> SourceTable {
        let text = decodeText(data)
        guard !text.unicodeScalars.contains("\u{0}") else {
            throw MEDKError.rejected("unsupported_file", "Файл не похож на таблицу: загрузите DOCX, XLSX или CSV.")
        }
        let records = try CSV.parse(text, separator: separator(of: text))
        guard records.count <= limits.maximumRows else {
            throw MEDKError.rejected("table_too_long", "В файле больше \(limits.maximumRows) строк.")
        }
        var rows: [SourceTable.Row] = []
        for record in records {
            // Trailing empty columns (Excel writes «;;;» to the width of the widest row) carry nothing.
            var cells = record.fields.map(SourceTable.cleaned)
            while cells.last?.isEmpty == true { cells.removeLast() }
            guard cells.count <= limits.maximumColumns else {
                throw MEDKError.rejected("table_too_wide", "Строка \(record.line) шире \(limits.maximumColumns) столбцов.")
            }
            rows.append(SourceTable.Row(line: record.line, cells: cells))
        }
        return SourceTable(name: name, rows: rows)
    }

    /// The separator most used near the top: `;` as Russian Excel writes, a tab as copied from Word,
    /// `,` otherwise. Counted over the first lines, since a title may come before the header.
    static func separator(of text: String) -> Character {
        let top = text.prefix(8_192)
        let counts: [(Character, Int)] = [(";", top.filter { $0 == ";" }.count), ("\t", top.filter { $0 == "\t" }.count),
                                          (",", top.filter { $0 == "," }.count)]
        return counts.max { $0.1 < $1.1 }.map { $0.1 == 0 ? ";" : $0.0 } ?? ";"
    }

    /// UTF-8 when the bytes are UTF-8 (with or without a BOM), else Windows-1251: Russian text in
    /// Windows-1251 is practically never valid UTF-8.
    public static func decodeText(_ data: Data) -> String {
        let bytes = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return WindowsCyrillic.decode(bytes)
    }
}

/// Windows-1251, the code page Russian Windows saves «CSV (разделители — точки с запятой)» in.
/// Hand-written: it is one table of 128 characters, and Foundation on Linux does not promise the
/// encoding.
enum WindowsCyrillic {
    static func decode(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if byte < 0x80 {
                scalars.append(Unicode.Scalar(byte))
            } else if byte >= 0xC0 {
                scalars.append(Unicode.Scalar(0x0410 + UInt32(byte - 0xC0))!)  // А…я
            } else {
                scalars.append(Unicode.Scalar(upper[Int(byte - 0x80)])!)
            }
        }
        return String(scalars)
    }

    /// 0x80–0xBF: Serbian, Macedonian, Ukrainian and Belarusian letters, Ё/ё, typographic marks.
    static let upper: [UInt32] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
    ]
}
