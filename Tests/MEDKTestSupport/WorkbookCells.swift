import Foundation

/// What an Excel-compatible reader sees in a workbook: openpyxl, through scripts/xlsx_cells.py
/// (Python from Debian, openpyxl from PyPI, installed by the test scripts).
public enum WorkbookCells {
    public struct Unreadable: Error, CustomStringConvertible {
        public var description: String
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/xlsx_cells.py")

    /// The frozen pane and each row's cells as ["type": …, "value": …] (nil for an empty cell).
    public static func read(_ file: URL) throws -> (frozen: String?, rows: [[[String: String]?]]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try processLaunch.withLock { _ in try process.run() }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Unreadable(description: "xlsx_cells.py could not read \(file.lastPathComponent)")
        }
        let rows = (json["rows"] as? [[Any]] ?? []).map { row in
            row.map { cell in (cell as? [String: Any]).map { ["type": "\($0["type"]!)", "value": "\($0["value"]!)"] } }
        }
        return (json["frozen"] as? String, rows)
    }

    /// The same for a workbook in memory (a download).
    public static func read(_ bytes: [UInt8]) throws -> (frozen: String?, rows: [[[String: String]?]]) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("medk-\(UUID().uuidString).xlsx")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try read(file)
    }
}
