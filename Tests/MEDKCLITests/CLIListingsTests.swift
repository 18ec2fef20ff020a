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
        try WorkbookCells.read(file).rows.map { row in row.map { $0.map { (type: $0["type"] ?? "", value: $0["value"] ?? "") } } }
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
        #expect(confirmation[5]?.value == "документ" && confirmation[7]?.value == "на проверке → подтверждено")

        // The whole trail as JSON Lines on standard output, oldest first, each row with its hash.
        let lines = try MEDKProcess().run(["audit", "log", "--data-dir", world.directory.path, "--format", "jsonl"])
        #expect(lines.status == 0, "\(lines)")
        let entries = try lines.stdout.split(separator: "\n").map { try JSONDecoder().decode(AuditEntry.self, from: Data($0.utf8)) }
        #expect(entries.map(\.seq) == Array(1...Int64(entries.count)), "every row once, in order")
        #expect(entries.count == (try await world.auditTrail().count) && entries.count > 50, "the whole trail, not one page")
    }

    @Test("an administrator's CSV import and a roadmap table's preview are reports to keep as workbooks")
    func importReports() async throws {
        let world = try await TestWorld(start: Date())
        let schools = FileManager.default.temporaryDirectory.appendingPathComponent("medk-schools-\(UUID().uuidString).csv")
        try Data(TestWorld.schools.utf8).write(to: schools)
        defer { try? FileManager.default.removeItem(at: schools) }
        let importFile = Self.workbook("import")
        defer { try? FileManager.default.removeItem(at: importFile) }
        let checked = try MEDKProcess().run(["import", "schools", schools.path, "--data-dir", world.directory.path, "--dry-run",
                                             "--format", "xlsx", "--output", importFile.path])
        #expect(checked.status == 0, "\(checked)")
        let importRows = try Self.cells(importFile)
        #expect(importRows.contains { $0.first??.value.hasPrefix("Проверка: ничего не записано. Создано: 0, изменено: 0, без изменений: 5") == true })
        let school = try #require(importRows.first { $0.count > 2 && $0[1]?.value == "A" })
        #expect(school[0]?.type == "number" && school[0]?.value == "2" && school[2]?.value == "Школа А" && school[3]?.value == "без изменений")

        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")),
                                                         by: try await world.actor("school-A")).item.id
        let server = try RunningServer(dataDirectory: world.directory)
        defer { server.stop() }
        let team = MEDKProcess()
        #expect(try team.run(["login", "--server", server.url, "--user", "school-A"]).status == 0)
        let table = Self.root.appendingPathComponent("Tests/MEDKCoreTests/Fixtures/import/roadmap-school-cp1251.csv")
        let previewFile = Self.workbook("preview")
        defer { try? FileManager.default.removeItem(at: previewFile) }
        #expect(try team.run(["measure", "import", String(roadmap), table.path, "--format", "xlsx", "--output", previewFile.path]).status == 2,
                "a workbook shows a preview, not an import")
        let preview = try team.run(["measure", "import", String(roadmap), table.path, "--dry-run", "--year", "2023",
                                    "--format", "xlsx", "--output", previewFile.path])
        #expect(preview.status == 0, "\(preview)")
        let rows = try Self.cells(previewFile)
        let first = try #require(rows.first { $0.count > 6 && $0[3]?.value == "Назначение ответственного за реализацию программы" })
        #expect(first[0]?.type == "number" && first[6]?.type == "datetime" && first[6]?.value == "2023-01-31T00:00", "one due date is a date")
        let flagged = try #require(rows.first { $0.count > 6 && $0[3]?.value == "Обмен опытом с кураторами" })
        #expect(flagged[2]?.value == "да" && flagged[6]?.value == "без даты")
        #expect(try await world.service.item(roadmap, for: try await world.actor("school-A")).measures?.isEmpty == true, "nothing was saved")
    }
}
