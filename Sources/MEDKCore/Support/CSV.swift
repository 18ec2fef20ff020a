import Foundation

/// RFC 4180 CSV as spreadsheet programs write it: `;` or `,` separated (guessed from the
/// header line), quoted fields with doubled quotes, CRLF or LF, an optional UTF-8 BOM.
public enum CSV {
    public struct Record: Sendable, Hashable {
        /// 1-based line number where the record starts, as an editor shows it.
        public var line: Int
        public var fields: [String]
    }

    public static func detectSeparator(_ text: String) -> Character {
        let header = text.prefix { $0 != "\n" && $0 != "\r\n" }
        return header.filter { $0 == ";" }.count >= header.filter { $0 == "," }.count ? ";" : ","
    }

    public static func parse(_ rawText: String, separator: Character? = nil) throws(MEDKError) -> [Record] {
        let text = rawText.hasPrefix("\u{FEFF}") ? String(rawText.dropFirst()) : rawText
        let separator = separator ?? detectSeparator(text)
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var fieldWasQuoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let character = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty:
                inQuotes = true
                fieldWasQuoted = true
            case separator:
                fields.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(character)
            }
        }
        if inQuotes {
            throw MEDKError.rejected("csv_unterminated_quote", "Строка \(recordLine): не закрыта кавычка.")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }

    /// Writes `;`-separated CSV with a BOM, which Russian-locale Excel opens correctly.
    public static func write(_ rows: [[String]], separator: Character = ";", bom: Bool = true) -> String {
        var out = bom ? "\u{FEFF}" : ""
        for row in rows {
            out += row.map { escape($0, separator: separator) }.joined(separator: String(separator)) + "\r\n"
        }
        return out
    }

    private static let skipped: Set<Unicode.Scalar> = ["\t", "\r", "\n", " "]
    private static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@"]

    static func escape(_ value: String, separator: Character) -> String {
        // A cell a spreadsheet could run as a formula (OWASP «CSV injection»: = + - @, also after
        // the tabs, line breaks and spaces spreadsheets skip, and a leading tab or line break itself)
        // gets an apostrophe in front so it stays text. A plain number such as «-5» or «-0,55» (the
        // decimal comma Russian Excel reads) stays as it is.
        var value = value
        let scalars = value.unicodeScalars
        // Most cells start with a letter or a digit: only the others need the closer look.
        if let first = scalars.first, skipped.contains(first) || formulaStarts.contains(first) {
            let startsSkipped = first != " " && skipped.contains(first)
            let formula = scalars.first { !skipped.contains($0) }.map { formulaStarts.contains($0) } ?? false
            let number = Double(value) != nil || Double(value.replacingOccurrences(of: ",", with: ".")) != nil
            if startsSkipped || (formula && (first == " " || !number)) { value = "'" + value }
        }
        // One pass over the bytes (the separator is ASCII) rather than four searches by character.
        let separatorByte = separator.asciiValue
        let needsQuotes = value.utf8.contains { $0 == 0x22 || $0 == 0x0A || $0 == 0x0D || $0 == separatorByte }
            || (separatorByte == nil && value.contains(separator))
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
