import Foundation

/// One value going to or coming from PostgreSQL. MEDK's schema keeps SQLite's value kinds on both
/// backends — 64-bit integers, doubles, text (times as ISO text), bytes — so that the two return
/// the same answers to the same questions.
enum PGValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case bytes([UInt8])
    case bool(Bool)

    /// PostgreSQL's type OIDs of the columns MEDK reads (pg_type.dat).
    enum TypeID {
        static let bool: UInt32 = 16, bytea: UInt32 = 17, int8: UInt32 = 20, int2: UInt32 = 21, int4: UInt32 = 23
        static let oid: UInt32 = 26, float4: UInt32 = 700, float8: UInt32 = 701, numeric: UInt32 = 1700
    }

    /// A text-format result value read by its column's type.
    init(text: String, type: UInt32) {
        switch type {
        case TypeID.int8, TypeID.int4, TypeID.int2, TypeID.oid:
            self = Int64(text).map(PGValue.integer) ?? .text(text)
        case TypeID.float4, TypeID.float8, TypeID.numeric:
            self = Double(text).map(PGValue.real) ?? .text(text)
        case TypeID.bool:
            self = .bool(text == "t")
        case TypeID.bytea:
            self = PGValue.hexBytes(text).map(PGValue.bytes) ?? .text(text)
        default:
            self = .text(text)
        }
    }

    /// A parameter in text format (bytes go binary and have none).
    var text: String? {
        switch self {
        case .null, .bytes: nil
        case .integer(let value): String(value)
        // Shortest text that reads back as the same double.
        case .real(let value): "\(value)"
        case .text(let value): value
        case .bool(let value): value ? "t" : "f"
        }
    }

    /// bytea's text output: `\x` and two hex digits a byte.
    static func hexBytes(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { hexBytes(UnsafeRawBufferPointer($0)) }
    }

    /// The same, read where libpq keeps it: a school's progress is kilobytes, and the country's
    /// report reads 40,000 of them — no String, no copy of the digits on the way.
    static func hexBytes(_ digits: UnsafeRawBufferPointer) -> [UInt8]? {
        guard digits.count >= 2, digits[0] == UInt8(ascii: "\\"), digits[1] == UInt8(ascii: "x"), digits.count % 2 == 0 else { return nil }
        let count = (digits.count - 2) / 2
        var valid = true
        // The table fetched once: a global's accessor in the loop cost a lazy-initialisation check a digit.
        let bytes = nibbles.withUnsafeBufferPointer { nibbles in
            [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                for index in 0..<count {
                    let high = nibbles[Int(digits[2 + 2 * index])], low = nibbles[Int(digits[3 + 2 * index])]
                    guard high | low < 16 else {
                        valid = false
                        break
                    }
                    buffer[index] = high << 4 | low
                }
                initialized = valid ? count : 0
            }
        }
        return valid ? bytes : nil
    }

    /// Each byte's value as a hex digit, 255 where it is none.
    private static let nibbles: [UInt8] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(byte) - UInt8(ascii: "A") + 10
        default: 255
        }
    }
}

/// A result row: values by column position.
struct PGRow: Sendable, Hashable {
    var values: [PGValue]

    subscript(_ index: Int) -> PGValue { values[index] }

    func integer(_ index: Int) -> Int64? {
        switch values[index] {
        case .integer(let value): value
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    func text(_ index: Int) -> String? {
        if case .text(let value) = values[index] { return value }
        return nil
    }

}
