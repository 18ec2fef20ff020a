import Foundation
import MEDKTestSupport
@testable import MEDKCore
import Testing

/// Excel exports are opened the way the people downloading them would: with openpyxl (what Python
/// scripts read) and with LibreOffice (a spreadsheet application), and their cells compared.
@Suite("Excel exports as spreadsheet programs read them")
struct XLSXWriterTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let table = ExportTable(
        sheetName: "Оценка: пакеты/МО", title: "Оценка пакетов",
        notes: ["Регион: Забайкальский край (75)."],
        header: ["Код МО", "Муниципалитет", "Итого", "Срок", "Когда", "Комментарий"],
        rows: [
            // 6 December 2026, 09:57 UTC: 18:57 in Chita.
            [.text("075001"), .text("Балейский округ"), .number(13), .date(CalendarDate("2026-04-30")!),
             .dateTime(Date(timeIntervalSince1970: 1_796_551_020), zone: "Asia/Chita"), .text("=СУММ(A1:A9) <&> \"кавычки\"\u{1}")],
            [.text("75002"), .text("Город Чита"), .empty, .empty, .empty, .text("не оценён")],
        ])

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        // Foundation's Process.run() is not safe beside another launch (MEDKTestSupport/ProcessLaunch.swift).
        try processLaunch.withLock { _ in try process.run() }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func written() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medk-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("оценка.xlsx")
        try XLSXWriter.workbook(Self.table).write(to: file)
        return file
    }

    @Test("openpyxl reads text as text (codes keep their zeros, a formula stays words), numbers as numbers, dates as dates; the header is frozen and filtered")
    func openpyxl() throws {
        let file = try Self.written()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let (status, output) = try Self.run(["python3", Self.root.appendingPathComponent("scripts/xlsx_cells.py").path, file.path])
        #expect(status == 0, "openpyxl could not read the file: \(output)")
        let read = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(read["sheets"] as? [String] == ["Оценка пакетыМО"])
        #expect(read["frozen"] as? String == "A5")
        #expect(read["autofilter"] as? String == "A4:F6")
        let rows = try #require(read["rows"] as? [[Any]])
        func cell(_ row: Int, _ column: Int) -> [String: String] {
            guard let value = rows[row][column] as? [String: Any] else { return [:] }
            return ["type": "\(value["type"]!)", "value": "\(value["value"]!)"]
        }
        #expect(cell(0, 0) == ["type": "text", "value": "Оценка пакетов"])
        #expect(cell(1, 0) == ["type": "text", "value": "Регион: Забайкальский край (75)."])
        #expect(rows[2].allSatisfy { $0 is NSNull }, "a blank line before the header")
        #expect(cell(3, 2) == ["type": "text", "value": "Итого"])
        #expect(cell(4, 0) == ["type": "text", "value": "075001"])
        #expect(cell(4, 2) == ["type": "number", "value": "13"])
        #expect(cell(4, 3) == ["type": "datetime", "value": "2026-04-30T00:00"])
        #expect(cell(4, 4) == ["type": "datetime", "value": "2026-12-06T18:57"], "the region's wall clock")
        #expect(cell(4, 5) == ["type": "text", "value": "=СУММ(A1:A9) <&> \"кавычки\""], "a formula stays text; a control character is dropped")
        #expect(rows[5][2] is NSNull && cell(5, 5)["value"] == "не оценён")
        let widths = try #require(read["widths"] as? [String: Double])
        #expect(widths["B"] == 17 && widths["A"] == 8, "columns as wide as their text")
    }

    @Test("LibreOffice opens it and shows the dates in the Russian format")
    func libreOffice() throws {
        let file = try Self.written()
        let directory = file.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A profile of its own, so a running LibreOffice or another test does not lock it.
        let (status, output) = try Self.run([
            "soffice", "-env:UserInstallation=file://\(directory.path)/profile", "--headless",
            "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76", "--outdir", directory.path, file.path,
        ])
        #expect(status == 0, "LibreOffice failed: \(output)")
        let csv = try String(contentsOf: directory.appendingPathComponent("оценка.csv"), encoding: .utf8)
        let lines = csv.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.first == "Оценка пакетов;;;;;")
        #expect(lines.contains("Код МО;Муниципалитет;Итого;Срок;Когда;Комментарий"))
        #expect(lines.contains("075001;Балейский округ;13;30.04.2026;06.12.2026 18:57;\"=СУММ(A1:A9) <&> \"\"кавычки\"\"\""), "\(lines)")
        #expect(lines.contains("75002;Город Чита;;;;не оценён"))
    }
}
