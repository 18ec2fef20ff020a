import Foundation
import Testing

/// Only `Sources/MEDKCore/Storage` may know SQL and GRDB: use cases speak the domain's words
/// over the store protocols, so a second store (PostgreSQL) can follow without touching them.
@Suite("One storage boundary")
struct StorageBoundaryTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")
    static let storage = sources.appendingPathComponent("MEDKCore/Storage").path + "/"

    /// Statement shapes that only SQL has (keywords in capitals, as all of MEDK's SQL is written).
    static var sqlPatterns: [Regex<AnyRegexOutput>] { [
        #"\bSELECT\b.+\bFROM\b"#, #"\bINSERT\s+INTO\b"#, #"\bUPDATE\s+\w+\s+SET\b"#, #"\bDELETE\s+FROM\b"#,
        #"\bCREATE\s+(TABLE|INDEX|UNIQUE INDEX|TRIGGER|VIEW)\b"#, #"\bPRAGMA\b"#, #"\bWHERE\s+\w+(\.\w+)?\s*(=|IN|IS)"#,
    ].map { try! Regex($0) } }

    static func swiftFiles() throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    /// Lines outside Storage that import GRDB or hold SQL, as «file:line: text».
    static func violations() throws -> [String] {
        var found: [String] = []
        for file in try swiftFiles() where !file.path.hasPrefix(storage) {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                let relative = file.path.replacingOccurrences(of: sources.path + "/", with: "")
                if code.hasPrefix("import GRDB") || code.hasPrefix("@testable import GRDB") {
                    found.append("\(relative):\(number + 1): \(code)")
                } else if sqlPatterns.contains(where: { code.contains($0) }) {
                    found.append("\(relative):\(number + 1): \(code)")
                }
            }
        }
        return found
    }

    @Test("no file outside MEDKCore/Storage imports GRDB or holds SQL")
    func boundaryHolds() throws {
        #expect(try Self.violations() == [])
    }

    @Test("the check finds what it looks for: SQL and GRDB inside Storage are seen")
    func checkSeesSQL() throws {
        var inside = 0
        for file in try Self.swiftFiles() where file.path.hasPrefix(Self.storage) {
            let text = try String(contentsOf: file, encoding: .utf8)
            if text.contains("import GRDB") { inside += 1 }
            #expect(!text.isEmpty)
        }
        #expect(inside >= 5, "the SQLite store lives in Storage and imports GRDB")
        let sample = #"let rows = try Row.fetchAll(db, sql: "SELECT id FROM items WHERE school_id = ?")"#
        #expect(Self.sqlPatterns.contains { sample.contains($0) })
    }
}
