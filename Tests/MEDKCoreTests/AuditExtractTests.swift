import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

/// Whole extracts of the audit trail: a period or a document, oldest first, batch by batch.
@Suite("Audit extracts")
struct AuditExtractTests {
    @Test("a period's extract holds exactly the rows written on its days (UTC), oldest first, however small the batches")
    func period() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-11-02 10:00", zone: "UTC"))
        _ = try await world.submittedDocument(school: "A")
        world.clock.set(TestWorld.instant("2026-11-03 23:59", zone: "UTC"))
        let second = try await world.submittedDocument(.midtermProgramme, school: "B")
        world.clock.set(TestWorld.instant("2026-11-04 00:00", zone: "UTC"))
        _ = try await world.act(.return, on: second, by: "curator1", comment: "Нет подписи")
        let all = try await world.auditTrail().sorted { $0.seq < $1.seq }
        let expected = all.filter { $0.at >= "2026-11-03" && $0.at < "2026-11-04" }.map(\.seq)
        #expect(!expected.isEmpty)

        let query = try AuditExtract.query(item: nil, from: CalendarDate("2026-11-03"), through: CalendarDate("2026-11-03"))
        var seen: [Int64] = []
        var last: Int64 = 0
        while true {
            let batch = try await world.service.auditExtract.batch(query, after: last, limit: 2, by: .local)
            guard let tail = batch.last else { break }
            seen += batch.map(\.seq)
            last = tail.seq
        }
        #expect(seen == expected, "every row of the day once, in order, across batches of two")

        var ofItem: [AuditEntry] = []
        try await world.service.auditExtract.forEachBatch(AuditQuery(entityType: .item, entityID: second.item.id), by: .local) { ofItem += $0 }
        #expect(ofItem.map(\.action) == [.itemCreate, .itemUpload, .itemSubmit, .itemReturn])
        #expect(ofItem.first.map { try? AuditExtract.jsonLine($0) }??.hasSuffix("}\n") == true)

        // A workbook stops at its limit and says so in its last line, even when the cut falls inside the last batch.
        let directory = FileManager.default.temporaryDirectory
        let cut = try await world.service.auditExtract.workbook(AuditQuery(entityType: .item, entityID: second.item.id), limit: 3,
                                                                cutNote: "Выгрузка ограничена", in: directory, by: .local)
        let whole = try await world.service.auditExtract.workbook(AuditQuery(entityType: .item, entityID: second.item.id), limit: 4,
                                                                  cutNote: "Выгрузка ограничена", in: directory, by: .local)
        defer { for file in [cut.file, whole.file] { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) } }
        let lastLine = { (file: URL) in try WorkbookCells.read(file).rows.last?.first??["value"] }
        let (cutLast, wholeLast) = (try lastLine(cut.file), try lastLine(whole.file))
        #expect(cut.rows == 3 && cutLast == "Выгрузка ограничена")
        #expect(whole.rows == 4 && wholeLast != "Выгрузка ограничена", "four rows fit a limit of four")

        let backwards = await #expect(throws: MEDKError.self) {
            try AuditExtract.query(item: nil, from: CalendarDate("2026-11-05"), through: CalendarDate("2026-11-03"))
        }
        #expect(backwards?.code == "invalid_period")
        let school = await #expect(throws: MEDKError.self) {
            try await world.service.auditExtract.batch(query, after: 0, by: .user(try await world.actor("school-A")))
        }
        #expect(school?.code == "forbidden")
    }
}
