import Foundation

/// What one XML part of a DOCX or XLSX may be, checked on its bytes as they are unpacked, before
/// a parser sees any of them — so that a hostile part is refused at the cost of reading it once,
/// in constant memory:
///
/// - **UTF-8 only.** Word, Excel and LibreOffice write UTF-8; a part in UTF-16, UCS-4 or EBCDIC,
///   or declaring another encoding (UTF-7 would hide `<!DOCTYPE` as `+ADw-!DOCTYPE`), is refused,
///   which makes the byte checks below complete: in UTF-8 the byte `<` is always the character.
/// - **No DTD.** OOXML parts never declare one; `<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, `<!ATTLIST`
///   and `<!NOTATION` anywhere refuse the part (no entity expansion, no external entities).
/// - **A bounded number of tags**: every element is one or two `<`, so counting them caps the
///   elements (40 MB of empty `<c/>` cells is refused after its first few megabytes).
/// - **No endless run**: the bytes between two `<` — one tag, or the text of one cell — are
///   bounded, so neither a tag with a million attributes nor a megabyte-long text reaches the parser.
struct XMLPartScreen {
    let part: String
    let maximumElements: Int
    let maximumRun: Int
    /// An element is one tag (`<c/>`) or two; comments and the declaration are a few more.
    private var maximumTags: Int { maximumElements * 2 + 16 }

    private(set) var tags = 0
    private var run = 0
    /// 0: ordinary byte; 1: just after `<`; 2: just after `<!`.
    private var markup: UInt8 = 0
    /// The part's first bytes, until its encoding is known.
    private var head: [UInt8] = []
    private var headChecked = false
    static let headBytes = 512

    init(part: String, limits: TableImportLimits) {
        self.part = part
        maximumElements = limits.maximumXMLElements
        maximumRun = limits.maximumXMLRun
    }

    mutating func screen(_ bytes: UnsafeRawBufferPointer) throws(MEDKError) {
        if !headChecked {
            head.append(contentsOf: bytes.prefix(Self.headBytes - head.count))
            if head.count >= Self.headBytes { try checkHead() }
        }
        var tags = self.tags, run = self.run, markup = self.markup
        let maximumTags = maximumTags
        defer { (self.tags, self.run, self.markup) = (tags, run, markup) }
        for byte in bytes {
            if byte == UInt8(ascii: "<") {
                tags += 1
                run = 0
                markup = 1
                if tags > maximumTags { throw tooManyElements }
                continue
            }
            run += 1
            if run > maximumRun { throw runTooLong }
            switch markup {
            case 1:
                markup = byte == UInt8(ascii: "!") ? 2 : 0
            case 2:
                // <!DOCTYPE, <!ENTITY, <!ELEMENT, <!ATTLIST, <!NOTATION; comments (<!--) and CDATA (<![) pass.
                if byte == UInt8(ascii: "D") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "A") || byte == UInt8(ascii: "N") {
                    throw Self.dtdRefused(part)
                }
                markup = 0
            default:
                break
            }
        }
    }

    /// Called when the part has ended: a part shorter than the head is checked now.
    mutating func finish() throws(MEDKError) {
        if !headChecked { try checkHead() }
    }

    /// UTF-8 (with or without its byte-order mark): the part begins with `<` that is not the first
    /// half of a UTF-16 or UCS-4 character, and an XML declaration names no other encoding.
    private mutating func checkHead() throws(MEDKError) {
        headChecked = true
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        while let first = bytes.first, [0x20, 0x09, 0x0A, 0x0D].contains(first) { bytes = bytes.dropFirst() }
        guard !bytes.isEmpty else { return }  // an empty part: the parser says it is broken
        guard bytes.first == UInt8(ascii: "<"), bytes.dropFirst().first != 0 else { throw notUTF8 }
        guard bytes.starts(with: Array("<?xml".utf8)) else { return }
        guard let end = bytes.firstRange(of: Array("?>".utf8)) else { throw notUTF8 }
        let declaration = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
        guard let encoding = declaration.range(of: "encoding") else { return }
        let value = declaration[encoding.upperBound...]
            .drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" || $0 == "\t" }
            .prefix { $0 != "\"" && $0 != "'" && $0 != " " }
            .lowercased()
        guard value == "utf-8" || value == "utf8" else { throw notUTF8 }
    }

    static func dtdRefused(_ part: String) -> MEDKError {
        MEDKError.rejected("xml_dtd_refused", "Часть «\(part)» объявляет DTD: в файлах Word и Excel такого не бывает, файл не импортируется.")
    }

    private var notUTF8: MEDKError {
        MEDKError.rejected("xml_encoding_refused", """
            Часть «\(part)» записана не в кодировке UTF-8: Word и Excel так не сохраняют. \
            Откройте файл в Word или Excel и сохраните его заново.
            """)
    }

    private var tooManyElements: MEDKError {
        MEDKError.rejected("xml_too_many_elements", """
            В части «\(part)» больше \(maximumElements) элементов: в дорожной карте столько не бывает (так выглядят, например, \
            оформленные пустые строки до конца листа). Удалите пустые строки и столбцы или перенесите таблицу в новый файл.
            """)
    }

    private var runTooLong: MEDKError {
        MEDKError.rejected("xml_run_too_long", """
            В части «\(part)» есть текст или тег длиннее \(maximumRun >> 10) КБ без перерыва: Word и Excel так не пишут, \
            файл не импортируется.
            """)
    }
}
