import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

/// The lists people take to Excel from the command line, read back as Excel-compatible readers
/// see them (openpyxl, through scripts/xlsx_cells.py): numbers stay numbers, times stay times.
@Suite("CLI listings as Excel workbooks, and reviewers' times", .serialized)
struct CLIListingsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Each row's cells as (type, value) text, as openpyxl reads them.
    static func cells(_ file: URL) throws -> [[(type: String, value: String)?]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/xlsx_cells.py").path, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (json["rows"] as? [[Any]] ?? []).map { row in
            row.map { cell in (cell as? [String: Any]).map { (type: "\($0["type"]!)", value: "\($0["value"]!)") } }
        }
    }

    static func workbook(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("medk-\(name)-\(UUID().uuidString).xlsx")
    }

    @Test("a curator's queue, the users and one document's audit extract download as workbooks; review times print and download")
    func listings() async throws {
        let world = try await TestWorld(start: Date())
        let concept = try await world.submittedDocument(school: "A")
        let server = try RunningServer(dataDirectory: world.directory)
        defer { server.stop() }
        let curator = MEDKProcess(), region = MEDKProcess()
        #expect(try curator.run(["login", "--server", server.url, "--user", "curator1"]).status == 0)
        #expect(try region.run(["login", "--server", server.url, "--user", "reg-R1"]).status == 0)

        let queueFile = Self.workbook("queue")
        defer { try? FileManager.default.removeItem(at: queueFile) }
        #expect(try curator.run(["queue", "--format", "xlsx"]).status == 2, "a workbook needs a file")
        let queue = try curator.run(["queue", "--format", "xlsx", "--output", queueFile.path])
        #expect(queue.status == 0, "\(queue)")
        let queueRows = try Self.cells(queueFile)
        let row = try #require(queueRows.first { $0.count > 2 && $0[1]?.value == "Школа А" })
        #expect(row[0]?.type == "number" && row[0]?.value == String(concept.item.id))
        #expect(row[5]?.type == "datetime" && row[7]?.type == "number", "sent is a time, the wait a number of hours")

        #expect(try curator.run(["confirm", String(concept.item.id)]).status == 0)
        let times = try region.run(["review-times", "--region", "R1"])
        #expect(times.status == 0, "\(times)")
        #expect(times.stdout.contains("Всего решений: 1") && times.stdout.contains("Куратор Первый"))
        let timesFile = Self.workbook("review-times")
        defer { try? FileManager.default.removeItem(at: timesFile) }
        #expect(try region.run(["review-times", "--format", "xlsx", "--output", timesFile.path]).status == 0)
        #expect(try Self.cells(timesFile).contains { $0.first??.value == "Куратор Первый" && $0[2]?.type == "number" })
        #expect(try region.run(["review-times", "--from", "2026-13-01"]).status == 2, "a date that is no date is refused before asking")

        let usersFile = Self.workbook("users")
        defer { try? FileManager.default.removeItem(at: usersFile) }
        let users = try MEDKProcess().run(["users", "list", "--data-dir", world.directory.path, "--role", "curator",
                                           "--format", "xlsx", "--output", usersFile.path])
        #expect(users.status == 0, "\(users)")
        let userRows = try Self.cells(usersFile)
        #expect(userRows.contains { $0.first??.value == "Отбор: роль curator." })
        #expect(userRows.filter { $0.first??.value.hasPrefix("curator") == true }.map { $0.first??.value } == ["curator1", "curator2"])

        let auditFile = Self.workbook("audit")
        defer { try? FileManager.default.removeItem(at: auditFile) }
        let audit = try MEDKProcess().run(["audit", "log", "--data-dir", world.directory.path, "--item", String(concept.item.id),
                                           "--format", "xlsx", "--output", auditFile.path])
        #expect(audit.status == 0, "\(audit)")
        let auditRows = try Self.cells(auditFile)
        let confirmation = try #require(auditRows.first { $0.count > 4 && $0[4]?.value == "подтверждение" })
        #expect(confirmation[0]?.type == "number" && confirmation[1]?.type == "datetime" && confirmation[2]?.value == "curator1")
        #expect(confirmation[7]?.value == "submitted → confirmed")
    }
}
