import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

/// A region's identification from the operator's console: data in, a draft, its lines, approval
/// and the check that the approved list comes out of its data again.
@Suite("CLI: results and lists of ШНОР/ШНСУ", .serialized)
struct CLIResultsTests {
    @Test("medk results import, draft, show, approve and verify take a region from its data to an approved list")
    func fromDataToApprovedList() async throws {
        let world = try await TestWorld(start: Date())
        let directory = world.directory.path
        let files = FileManager.default.temporaryDirectory.appendingPathComponent("medk-results-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: files) }
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        var components = ["Код школы;Год;Экзамен;Предмет;Средний балл;Участников"]
        for (offset, means) in [[4.0, 3.0, 3.1, 4.4], [4.2, 3.0, 3.2, 4.3], [4.6, 3.1, 3.0, 4.5]].enumerated() {
            for (code, mean) in zip(["A", "B", "C", "D"], means) {
                components.append("\(code);\(year - 2 + offset);ОГЭ;математика;\(String(mean).replacingOccurrences(of: ".", with: ","));80")
            }
        }
        let social = ["Код школы;Год;Показатель;Значение", "A;\(year - 2);Доля из неполных семей;0,10", "B;\(year - 2);Доля из неполных семей;0,12",
                      "C;\(year - 2);Доля из неполных семей;0,60", "D;\(year - 2);Доля из неполных семей;0,55"]
        // As Russian Excel saves «CSV (разделители — точки с запятой)»: Windows-1251.
        let componentsFile = files.appendingPathComponent("баллы.csv"), socialFile = files.appendingPathComponent("контекст.csv")
        try components.joined(separator: "\r\n").data(using: .windowsCP1251)!.write(to: componentsFile)
        try social.joined(separator: "\r\n").data(using: .windowsCP1251)!.write(to: socialFile)
        let medk = MEDKProcess()
        let checked = try medk.run(["results", "import", "components", componentsFile.path, "--dry-run", "--data-dir", directory])
        #expect(checked.status == 0 && checked.stdout.contains("новых значений 12"), "\(checked)")
        #expect(try medk.run(["results", "import", "components", componentsFile.path, "--data-dir", directory]).status == 0)
        #expect(try medk.run(["results", "import", "social", socialFile.path, "--data-dir", directory]).status == 0)

        let until = CalendarDate(dayNumber: Int(Date().timeIntervalSince1970 / 86_400) + 10).description
        let drafted = try medk.run(["results", "draft", "--region", "R1", "--year", String(year), "--objections-until", until,
                                    "--results-cut", "50", "--social-cut", "50", "--indicator", "Доля из неполных семей", "--data-dir", directory])
        #expect(drafted.status == 0 && drafted.stdout.contains("Проект списка №1"), "\(drafted)")
        let shown = try medk.run(["results", "show", "1", "--filter", "all", "--format", "csv", "--data-dir", directory])
        #expect(shown.status == 0 && shown.stdout.hasPrefix("Код школы;Школа") && shown.stdout.split(whereSeparator: \.isNewline).count == 5, "\(shown)")
        let early = try medk.run(["results", "approve", "1", "--data-dir", directory])
        #expect(early.status != 0 && early.stderr.contains("objection_period_open"), "\(early)")
        #expect(try medk.run(["results", "approve", "1", "--close-objections", "--data-dir", directory]).status == 0)
        let verified = try medk.run(["results", "verify", "1", "--data-dir", directory])
        #expect(verified.status == 0 && verified.stdout.contains("воспроизводится бит в бит"), "\(verified)")
        let listed = try medk.run(["results", "lists", "--region", "R1", "--format", "json", "--data-dir", directory])
        #expect(listed.status == 0 && listed.stdout.contains("\"state\" : \"approved\""), "\(listed)")
    }

    @Test("medk indicators adopt, plan and fact: a plan is kept only with --yes, a fact only with the region's document")
    func indicatorsFromTheConsole() async throws {
        let world = try await TestWorld(start: Date())
        let directory = world.directory.path
        let reg = try await world.actor("reg-R1")
        let regionID = try #require(try await world.service.regions().first { $0.code == "R1" }).id
        let note = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .analyticalNote, regionID: regionID), by: reg)
        _ = try await world.service.upload(itemID: note.item.id, fileName: "справка.pdf", chunks: OneChunk(bytes: TestWorld.pdf("n")), by: reg)
        let medk = MEDKProcess()
        let adopted = try medk.run(["indicators", "adopt", "--region", "R1", "--data-dir", directory])
        #expect(adopted.status == 0 && adopted.stdout.contains("1.3.1"), "\(adopted)")
        let teachers = try #require(try await world.service.targetIndicators.report(regionCode: "R1", year: 2026, by: .local).rows
            .first { $0.indicator.code == "1.3.1" }).indicator.id
        let read = try medk.run(["indicators", "plan", String(teachers), "--year", "2026", "--wording", "не менее 80% педагогов", "--data-dir", directory])
        #expect(read.status == 0 && read.stdout.contains("Ничего не сохранено"), "\(read)")
        #expect(try medk.run(["indicators", "plan", String(teachers), "--year", "2026", "--wording", "не менее 80% педагогов", "--yes",
                              "--data-dir", directory]).status == 0)
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap, regionID: regionID), by: reg)
        let refused = try medk.run(["indicators", "fact", String(teachers), "--year", "2026", "--value", "85", "--comment", "Мониторинг",
                                    "--document", String(roadmap.item.id), "--data-dir", directory])
        #expect(refused.status != 0 && refused.stderr.contains("evidence_document"), "\(refused)")
        let entered = try medk.run(["indicators", "fact", String(teachers), "--year", "2026", "--value", "85", "--comment", "Мониторинг ЦНППМ",
                                    "--document", String(note.item.id), "--data-dir", directory])
        #expect(entered.status == 0, "\(entered)")
        let listed = try medk.run(["indicators", "list", "--region", "R1", "--year", "2026", "--data-dir", directory])
        #expect(listed.status == 0 && listed.stdout.contains("факт ждёт подтверждения документа") && listed.stdout.contains("черновик"),
                "the fact waits for its document, still a draft: \(listed)")
    }
}
