import Foundation

/// The audit trail's details: a flat JSON object of strings, written canonically (keys sorted by
/// their UTF-8 bytes, as JSONEncoder's `.sortedKeys` does) and read back without a general
/// decoder. Both run on every write or history line, where JSONEncoder/Decoder dominated.
enum FlatJSON {
    static func encode(_ values: [String: String]) -> String {
        guard !values.isEmpty else { return "{}" }
        var out = "{"
        for (index, key) in values.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { out += "," }
            appendString(key, to: &out)
            out += ":"
            appendString(values[key]!, to: &out)
        }
        return out + "}"
    }

    private static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// Reads what `encode` (or any JSON encoder) wrote for a flat object of strings; anything
    /// else falls back to Foundation's parser, and unreadable text gives an empty map.
    static func decode(_ text: String) -> [String: String] {
        if let fast = fastDecode(Array(text.unicodeScalars)) { return fast }
        return (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }

    private static func fastDecode(_ s: [Unicode.Scalar]) -> [String: String]? {
        var index = 0
        func skipSpace() { while index < s.count, s[index] == " " || s[index] == "\n" || s[index] == "\t" || s[index] == "\r" { index += 1 } }
        func string() -> String? {
            guard index < s.count, s[index] == "\"" else { return nil }
            index += 1
            var out = String.UnicodeScalarView()
            while index < s.count {
                let c = s[index]
                index += 1
                switch c {
                case "\"": return String(out)
                case "\\":
                    guard index < s.count else { return nil }
                    let e = s[index]
                    index += 1
                    switch e {
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    case "/": out.append("/")
                    case "n": out.append("\n")
                    case "r": out.append("\r")
                    case "t": out.append("\t")
                    case "b": out.append("\u{8}")
                    case "f": out.append("\u{C}")
                    default: return nil  // \u escapes and the rest: leave to Foundation
                    }
                default: out.append(c)
                }
            }
            return nil
        }
        skipSpace()
        guard index < s.count, s[index] == "{" else { return nil }
        index += 1
        var result: [String: String] = [:]
        skipSpace()
        if index < s.count, s[index] == "}" { return result }
        while true {
            skipSpace()
            guard let key = string() else { return nil }
            skipSpace()
            guard index < s.count, s[index] == ":" else { return nil }
            index += 1
            skipSpace()
            guard let value = string() else { return nil }
            result[key] = value
            skipSpace()
            guard index < s.count else { return nil }
            if s[index] == "," { index += 1; continue }
            if s[index] == "}" { index += 1; skipSpace(); return index == s.count ? result : nil }
            return nil
        }
    }
}
