import Foundation
@testable import MEDKCore
import Testing
import ZIPFoundation

/// Files as people upload them: a CSV as Russian Excel saves it, Word and Excel files (the fixtures
/// in Fixtures/import, made by LibreOffice from the HTML there), and files built to hurt.
@Suite("Opening table files")
struct TableFileReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/import")
    static let context = DeadlineContext(programmeYear: 2023)

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(name))
    }

    static func preview(_ name: String) throws -> RoadmapImportPreview {
        let (format, tables) = try TableFileReader.tables(try fixture(name), fileName: name)
        return try RoadmapTableReader.preview(tables, format: format, context: context)
    }

    /// A zip made in memory, entry by entry.
    static func zip(_ entries: [(path: String, bytes: Data)], compressed: Bool = true) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for entry in entries {
            try archive.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(entry.bytes.count),
                                 compressionMethod: compressed ? .deflate : .none) { position, size in
                entry.bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data!
    }

    static func refusal(_ data: Data, name: String = "карта.xlsx", limits: TableImportLimits = TableImportLimits()) -> MEDKError? {
        #expect(throws: MEDKError.self) { try TableFileReader.tables(data, fileName: name, limits: limits) }
    }

    @Test("a Windows-1251 CSV with `;`, a title above the header and a cell broken over two lines reads in full")
    func windowsCSV() throws {
        let preview = try Self.preview("roadmap-school-cp1251.csv")
        #expect(preview.format == .csv && preview.headerLine == 3)
        #expect(preview.measures.map(\.number) == ["1", "2", "3", "4", "5", "6"])
        #expect(preview.measures[1].title == "Анализ рискового профиля школы по итогам анкетирования и обсуждение на педагогическом совете")
        #expect(preview.measures[1].responsible == "Заместитель директора по УВР педагогический совет")
        #expect(preview.measures[0].task == "Организационно-управленческая деятельность" && preview.measures[0].section == nil,
                "without a task column, the section rows are the tasks")
        #expect(preview.measures[2].task == "Работа с педагогами" && preview.measures[2].recurrence == .monthly)
        #expect(preview.measures[3].dueDates.map(\.description) == ["2023-04-21", "2023-10-31"])
        #expect(preview.measures[4].isFlagged, "«По мере необходимости» has no date and says so")
        #expect(preview.measures[5].dueDates.map(\.description) == ["2023-05-31"])
        #expect(preview.problems.isEmpty, "empty trailing columns are not columns")
    }

    @Test("a municipal order in Word: the signature table is passed over, merged headings and a task merged down are read, a page break is joined")
    func wordRoadmap() throws {
        let preview = try Self.preview("roadmap-municipal.docx")
        #expect(preview.format == .docx && preview.table == "таблица 2" && preview.headerLine == 1)
        #expect(preview.measures.map(\.number) == ["1", "2", "3", "4", "5", "6", "7"], "the repeated header and the column numbers are not measures")
        #expect(preview.measures.map(\.trackNumber) == [.addressSupport, .addressSupport, .addressSupport, .riskZone, .riskZone,
                                                       .failurePrevention, .failurePrevention])
        #expect(preview.measures[0].goal?.hasPrefix("Цель: внедрить") == true && preview.measures[3].goal == nil)
        #expect(preview.measures[1].task == "Организовать мониторинг реализации программ", "the task merged down belongs to both rows")
        #expect(preview.measures[1].dueDates.map(\.description) == ["2023-04-21", "2023-10-31"])
        let seminar = preview.measures[2]
        #expect(seminar.title == "Проведение муниципального семинара для управленческих команд школ-участников проекта")
        #expect(seminar.responsible == "Методист соисполнитель — ИРО" && seminar.result == "Проведён семинар, не менее 90 % участников")
        #expect(seminar.notes.map(\.code) == ["row_continues_measure"])
        #expect(preview.measures.filter(\.isFlagged).map(\.number) == ["5"])
        #expect(preview.measures[5].dueDates == [CalendarDate("2023-03-31")!] && preview.measures[6].dueDates == [CalendarDate("2023-12-31")!])
        #expect(preview.problems.isEmpty, "an empty trailing column is not a column: \(preview.problems)")
    }

    @Test("a regional complex of measures in Excel: title rows above the header, stages and tasks merged across, a real date cell")
    func excelRoadmap() throws {
        let preview = try Self.preview("roadmap-regional.xlsx")
        #expect(preview.format == .xlsx && preview.headerLine == 4)
        #expect(preview.measures.map(\.number) == ["1.1", "1.2", "2.1", "2.2", "3.1"])
        let first = preview.measures[0]
        #expect(first.stage == "Первый этап: 2023 год" && first.task == "Задача 1: выявить школы с низкими результатами обучения")
        #expect(first.deadlineText == "30.04.2023" && first.dueDates == [CalendarDate("2023-04-30")!], "a date cell reads as its date")
        #expect(first.normativeDocument == "Распоряжение № 12-р")
        #expect(preview.measures[2].task == "Задача 2: организовать методическое сопровождение")
        #expect(preview.measures[2].recurrence == .quarterly && preview.measures[2].dueDates.count == 4)
        #expect(preview.measures[3].isFlagged
                && preview.measures[3].notes.map(\.code) == ["deadline_open_range", "planned_value_from_indicator"])
        #expect(preview.measures[3].plannedValue == "Не менее 80 % команд", "the indicator states its target: it is the planned value")
        #expect(preview.measures[4].stage == "Второй этап: 2024 год" && preview.measures[4].task == nil)
        #expect(preview.measures[4].notes.map(\.code) == ["deadline_outside_period"])
    }

    @Test("UTF-8 with a BOM and Windows-1251 decode to the same text")
    func encodings() throws {
        let text = "№;Мероприятие;Срок\r\n1;Семинар «Ёлка»;май 2023\r\n"
        let windows = WindowsBytes.encode(text)
        #expect(TableFileReader.decodeText(windows) == text)
        #expect(TableFileReader.decodeText(Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)) == text)
    }

    @Test("old binary Word and Excel files, PDFs and other zips are refused with what to do instead")
    func unsupportedFiles() {
        #expect(Self.refusal(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]), name: "карта.xls")?.code == "legacy_office_file")
        #expect(Self.refusal(Data("%PDF-1.7".utf8), name: "карта.pdf")?.code == "unsupported_file")
        #expect(Self.refusal(Data(), name: "пусто.csv")?.code == "empty_file")
    }

    @Test("a zip with more parts than any office file has is refused before anything is unpacked")
    func tooManyEntries() throws {
        var limits = TableImportLimits()
        limits.maximumArchiveEntries = 10
        let entries = (0...10).map { (path: "xl/part\($0).xml", bytes: Data("<a/>".utf8)) }
            + [(path: "xl/workbook.xml", bytes: Data("<workbook/>".utf8))]
        #expect(Self.refusal(try Self.zip(entries), limits: limits)?.code == "archive_too_many_entries")
    }

    @Test("a part whose name leaves the package is refused", arguments: ["../../etc/passwd", "/etc/passwd", "xl\\..\\evil.xml", "C:/evil.xml"])
    func unsafeNames(_ name: String) throws {
        let data = try Self.zip([(path: "xl/workbook.xml", bytes: Data("<workbook/>".utf8)), (path: name, bytes: Data("x".utf8))])
        #expect(Self.refusal(data)?.code == "archive_unsafe_path")
    }

    @Test("a zip bomb is refused: a part that unpacks a thousand times larger than it is stored")
    func compressionRatio() throws {
        let zeros = Data(count: 4 << 20)
        let data = try Self.zip([(path: "xl/workbook.xml", bytes: Data("<workbook/>".utf8)), (path: "xl/worksheets/sheet1.xml", bytes: zeros)])
        #expect(data.count < 64 << 10)
        #expect(Self.refusal(data)?.code == "archive_too_large")
    }

    @Test("parts that together unpack past the limit are refused")
    func unpackedTotal() throws {
        var limits = TableImportLimits()
        limits.maximumUnpackedBytes = 1 << 20
        let text = Data((0..<(700 << 10)).map { UInt8(65 + $0 % 26) })
        let data = try Self.zip([(path: "xl/workbook.xml", bytes: Data("<workbook/>".utf8)), (path: "a.xml", bytes: text),
                                 (path: "b.xml", bytes: text)], compressed: false)
        #expect(Self.refusal(data, limits: limits)?.code == "archive_too_large")
    }

    @Test("an XML part that declares a DTD (entity expansion) is refused before it is parsed")
    func dtdRefused() throws {
        let laughs = """
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>
            """
        let data = try Self.zip([(path: "xl/workbook.xml", bytes: Data(laughs.utf8))])
        #expect(Self.refusal(data)?.code == "xml_dtd_refused")
    }

    static let workbook = Data("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
          xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>
        """.utf8)
    static let relationships = Data("""
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>
        """.utf8)

    /// A workbook of one sheet with `sheet` as its XML (and shared strings, when given).
    static func workbook(sheet: Data, sharedStrings: Data? = nil) throws -> Data {
        try zip([(path: "xl/workbook.xml", bytes: workbook), (path: "xl/_rels/workbook.xml.rels", bytes: relationships),
                 (path: "xl/worksheets/sheet1.xml", bytes: sheet)] + (sharedStrings.map { [(path: "xl/sharedStrings.xml", bytes: $0)] } ?? []))
    }

    static func sheet(_ rows: String) -> Data {
        Data("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>\(rows)</sheetData></worksheet>".utf8)
    }

    @Test("a sheet of empty cells past the element budget is refused while it is unpacked, inside every zip limit")
    func tooManyElements() throws {
        var limits = TableImportLimits()
        limits.maximumXMLElements = 5_000
        // Cell references that differ keep the part from packing past the ratio limit, as an attacker's would.
        let cells = (0..<20_000).map { "<c r=\"A\($0 + 1)\"/>" }.joined()
        let data = try Self.workbook(sheet: Self.sheet("<row r=\"1\">\(cells)</row>"))
        #expect(Self.refusal(data, limits: limits)?.code == "xml_too_many_elements")
        // The same sheet inside the budget is read (and has nothing in it).
        limits.maximumXMLElements = 50_000
        #expect(try TableFileReader.tables(data, fileName: "карта.xlsx", limits: limits).1.first?.rows.isEmpty == true)
    }

    @Test("text or a tag running on past the limit without a «<» is refused before parsing")
    func endlessRun() throws {
        var limits = TableImportLimits()
        limits.maximumXMLRun = 4 << 10
        let long = String(repeating: "я", count: 3 << 10)
        let data = try Self.workbook(sheet: Self.sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>\(long)</t></is></c></row>"))
        #expect(Self.refusal(data, limits: limits)?.code == "xml_run_too_long")
        limits.maximumXMLRun = 8 << 10
        #expect(try TableFileReader.tables(data, fileName: "карта.xlsx", limits: limits).1.first?.rows.first?.cells == [long])
    }

    @Test("text kept from a file is counted: past the budget the file is refused")
    func keptText() throws {
        var limits = TableImportLimits()
        limits.maximumKeptTextBytes = 64 << 10
        let strings = (0..<2_000).map { "<si><t>Мероприятие номер \($0)</t></si>" }.joined()
        let data = try Self.workbook(sheet: Self.sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"),
                                     sharedStrings: Data("<sst>\(strings)</sst>".utf8))
        #expect(Self.refusal(data, limits: limits)?.code == "import_text_too_large")
    }

    @Test("a part in UTF-16, or declaring an encoding other than UTF-8, is refused: no DTD can hide in another encoding")
    func otherEncodings() throws {
        let laughs = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]><workbook><sheets/></workbook>"
        var utf16 = Data([0xFF, 0xFE])
        for unit in laughs.utf16 { utf16.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        #expect(Self.refusal(try Self.zip([(path: "xl/workbook.xml", bytes: utf16)]))?.code == "xml_encoding_refused")
        var withoutMark = Data()
        for unit in laughs.utf16 { withoutMark.append(contentsOf: [UInt8(unit >> 8), UInt8(unit & 0xFF)]) }
        #expect(Self.refusal(try Self.zip([(path: "xl/workbook.xml", bytes: withoutMark)]))?.code == "xml_encoding_refused")
        let utf7 = Data("<?xml version=\"1.0\" encoding=\"UTF-7\"?>+ADw-!DOCTYPE x+AD4-<workbook/>".utf8)
        #expect(Self.refusal(try Self.zip([(path: "xl/workbook.xml", bytes: utf7)]))?.code == "xml_encoding_refused")
        let ebcdic = Data([0x4C, 0x6F, 0xA7, 0x94, 0x93, 0x40])
        #expect(Self.refusal(try Self.zip([(path: "xl/workbook.xml", bytes: ebcdic)]))?.code == "xml_encoding_refused")
    }

    @Test("a DTD after a long comment, across the chunks the part is unpacked in, is refused")
    func dtdAfterLongProlog() throws {
        let comment = "<!--" + String(repeating: "пролог ", count: 8_000) + "-->"
        let part = Data("<?xml version=\"1.0\"?>\(comment)<!DOCTYPE w [<!ENTITY a \"b\">]><workbook><sheets/></workbook>".utf8)
        #expect(Self.refusal(try Self.zip([(path: "xl/workbook.xml", bytes: part)]))?.code == "xml_dtd_refused")
    }

    @Test("shared strings read their rich runs but not their phonetic hints; inline strings and numbers read as written")
    func sheetCells() throws {
        let strings = Data("""
            <sst><si><t>Семинар</t></si><si><r><t>Анализ </t></r><r><rPr><b/></rPr><t>результатов</t></r><rPh><t>ヨミ</t></rPh></si></sst>
            """.utf8)
        let data = try Self.workbook(sheet: Self.sheet("""
            <row r="2"><c r="B2" t="s"><v>1</v></c><c r="C2" t="inlineStr"><is><t>до 30 </t><r><t>апреля</t></r></is></c>\
            <c r="D2"><v>85</v></c><c r="E2" t="b"><v>1</v></c></row><row r="3"><c r="B3" t="s"><v>0</v></c></row>
            """), sharedStrings: strings)
        let table = try #require(try TableFileReader.tables(data, fileName: "карта.xlsx").1.first)
        #expect(table.rows.map(\.line) == [2, 3])
        #expect(table.rows[0].cells == ["", "Анализ результатов", "до 30 апреля", "85", "ИСТИНА"])
        #expect(table.rows[1].cells == ["", "Семинар", "", "", ""])
    }

    @Test("a Word table's cells leave out deleted text and a table nested in a cell; a cell merged down repeats the one above")
    func wordCells() throws {
        let body = """
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
            <w:p><w:r><w:t>Приказ</w:t></w:r></w:p>
            <w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>
            <w:tr><w:tc><w:p><w:r><w:t>Задача</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Мероприятие</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>Выявить</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>Семинар</w:t></w:r><w:del><w:r><w:delText>удалено</w:delText></w:r></w:del></w:p>
              <w:p><w:r><w:t>для</w:t></w:r><w:r><w:tab/><w:t>школ</w:t></w:r></w:p>
              <w:tbl><w:tr><w:tc><w:p><w:r><w:t>вложенная</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>Совещание</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Раздел 2</w:t></w:r></w:p></w:tc></w:tr>
            </w:tbl></w:body></w:document>
            """
        let data = try Self.zip([(path: "word/document.xml", bytes: Data(body.utf8))])
        let tables = try TableFileReader.tables(data, fileName: "приказ.docx").1
        #expect(tables.map(\.name) == ["таблица 1"])
        let rows = try #require(tables.first?.rows)
        #expect(rows.map(\.cells) == [["Задача", "Мероприятие"], ["Выявить", "Семинар для школ"], ["Выявить", "Совещание"], ["Раздел 2", ""]])
        #expect(rows.map(\.spansWidth) == [false, false, false, true])
    }

    @Test("a broken zip is refused as unreadable, not as a crash")
    func brokenZip() throws {
        var data = try Self.zip([(path: "xl/workbook.xml", bytes: Data("<workbook/>".utf8))])
        data.replaceSubrange(data.count - 22..<data.count, with: Data(count: 22))
        #expect(Self.refusal(data)?.code == "file_unreadable")
    }
}

/// Windows-1251 bytes for the test's text, by the code page's published table (the reader's own
/// table is what is tested, so the test does not use it).
enum WindowsBytes {
    static func encode(_ text: String) -> Data {
        Data(text.unicodeScalars.map { scalar -> UInt8 in
            switch scalar.value {
            case 0..<0x80: UInt8(scalar.value)
            case 0x0410...0x044F: UInt8(scalar.value - 0x0410 + 0xC0)
            case 0x0401: 0xA8  // Ё
            case 0x0451: 0xB8  // ё
            case 0x2116: 0xB9  // №
            case 0x00AB: 0xAB  // «
            case 0x00BB: 0xBB  // »
            default: 0x3F
            }
        })
    }
}
