import Foundation
import HTTPTypes
import MEDKCore
import MEDKTestSupport
import NIOCore
import Testing

@Suite("The audit trail downloaded whole through the API")
struct AuditDownloadTests {
    @Test("a document's trail as JSON Lines and CSV, oldest first with hashes; a school may not download it")
    func extracts() async throws {
        let world = try await TestWorld()
        let item = try await world.act(.return, on: try await world.submittedDocument(school: "A"), by: "curator1", comment: "Нет подписи")
        try await withAPI(world) { client in
            let federal = try await APISession.login(client, "federal")
            let lines = try await federal.raw(.get, "/api/v1/audit?item=\(item.item.id)&format=jsonl")
            #expect(lines.status == .ok && lines.headers[.contentType] == "application/jsonl; charset=utf-8")
            let decoder = JSONDecoder()
            let entries = try String(buffer: lines.body).split(separator: "\n").map { try decoder.decode(AuditEntry.self, from: Data($0.utf8)) }
            #expect(entries.map(\.action) == [.itemCreate, .itemUpload, .itemSubmit, .itemReturn])
            #expect(lines.headers[.contentDisposition]?.contains("filename*=UTF-8''") == true)

            let csv = try await federal.raw(.get, "/api/v1/audit?item=\(item.item.id)&format=csv&from=2026-01-01&to=2026-12-31")
            let rows = String(buffer: csv.body).split(separator: "\r\n")
            #expect(rows.count == 5 && rows[0].hasPrefix("\u{FEFF}№;Время (UTC)"), "\(rows.first ?? "")")
            #expect(rows[4].contains("возврат на доработку") && rows[4].hasSuffix(entries[3].hash))

            let school = try await APISession.login(client, "school-A")
            #expect(try await school.refusal(.get, "/api/v1/audit?format=jsonl").0 == .forbidden)
            #expect(try await federal.refusal(.get, "/api/v1/audit?format=jsonl&from=2026-05-02&to=2026-05-01").0 == .unprocessableContent)
        }
    }
}
