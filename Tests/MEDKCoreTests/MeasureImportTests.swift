import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// A roadmap filled from the table people already have: every row saved, one measure per due date,
/// nothing dropped or silently dated, all or nothing, as the owner's one audited edit.
@Suite("Importing a roadmap table")
struct MeasureImportTests {
    static let schoolCSV: Data = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/import/roadmap-school-cp1251.csv")
        return try! Data(contentsOf: url)
    }()

    static func roadmap(_ world: TestWorld, school: String = "A") async throws -> Int64 {
        try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap, schoolID: try await world.schoolID(school)),
                                           by: try await world.actor("school-\(school)")).item.id
    }

    static func imported(title: String, dates: [String], recurrence: DeadlineRecurrence? = nil, text: String = "срок") -> ImportedMeasure {
        ImportedMeasure(line: 5, number: "1", title: title, stage: nil, track: "Трек 1. Адресная поддержка", trackNumber: .addressSupport,
                        goal: nil, section: nil, task: nil, deadlineText: text, dueDates: dates.map { CalendarDate($0)! },
                        recurrence: recurrence, responsible: "", indicator: "", result: "", plannedValue: "",
                        normativeDocument: "", regionalMeasure: "", notes: [])
    }

    @Test("a monthly row becomes twelve measures of one series; a row with two dates, two; one with none stays, undated")
    func occurrences() throws {
        let months = (1...12).map { String(format: "2023-%02d-01", $0) }
        let fields = try MeasureImportPlan.fields([
            Self.imported(title: "Посещение уроков", dates: months, recurrence: .monthly),
            Self.imported(title: "Вебинары", dates: ["2023-04-21", "2023-10-31"]),
            Self.imported(title: "Обмен опытом", dates: [], text: "По мере необходимости"),
            Self.imported(title: "Назначение ответственного", dates: ["2023-01-31"]),
        ], owner: .municipality)
        #expect(fields.count == 12 + 2 + 1 + 1)
        #expect(Set(fields.prefix(12).map(\.imported?.seriesKey)) == [0])
        #expect(fields.prefix(12).allSatisfy { $0.imported?.recurrence == .monthly })
        #expect(Set(fields[12...13].map(\.imported?.seriesKey)) == [1])
        #expect(fields[14].dueDate == nil && fields[14].imported?.deadlineText == "По мере необходимости")
        #expect(fields[14].imported?.seriesKey == nil && fields[15].imported?.seriesKey == nil)
        #expect(fields.allSatisfy { $0.track == .addressSupport })
    }

    @Test("a school's measures filed under a factor heading get that risk factor; other roadmaps ignore it")
    func riskFactorMapping() throws {
        var measure = Self.imported(title: "Проектная неделя", dates: ["2023-05-31"])
        (measure.riskFactor, measure.riskFactorNumber) = ("Низкая учебная мотивация обучающихся", 10)
        let school = try MeasureImportPlan.fields([measure], owner: .school, riskFactorIDs: [10: 710])
        #expect(school[0].riskFactorID == 710)
        let municipal = try MeasureImportPlan.fields([measure], owner: .municipality, riskFactorIDs: [10: 710])
        #expect(municipal[0].riskFactorID == nil)
        (measure.riskFactorNumber, measure.track) = (nil, nil)
        let unknown = try MeasureImportPlan.fields([measure], owner: .school, riskFactorIDs: [10: 710])
        #expect(unknown[0].riskFactorID == nil && unknown[0].imported?.section == "Низкая учебная мотивация обучающихся",
                "an unmatched factor is left for the person, its heading kept")
    }

    @Test("a school table written by factor, without a task column, imports with each measure's factor, task and target")
    func schoolTableByFactor() async throws {
        let world = try await TestWorld()
        let id = try await Self.roadmap(world)
        let school = try await world.actor("school-A")
        let table = """
            №;Мероприятие;Срок;Ответственный;Ожидаемый результат;Показатель реализации
            Фактор 2. Дефицит педагогических кадров;;;;;
            Закрыть вакансии;;;;;
            1;Привлечение молодых специалистов;до 30 августа;Директор;Вакансии закрыты;Доля вакансий — 0 %
            Низкая учебная мотивация обучающихся;;;;;
            2;Проектная неделя;ноябрь;Заместитель директора;Неделя проведена;Новости на сайте: не менее 1 в месяц
            """
        let result = try await world.service.importMeasures(roadmapID: id, fileName: "карта.csv", by: school) { Data(table.utf8) }
        let factors = try await world.service.campaign(id: world.campaignID).riskFactors
        #expect(result.measures.map(\.riskFactorID) == [factors.first { $0.number == 2 }?.id, factors.first { $0.number == 10 }?.id])
        #expect(result.measures.map(\.plannedValue) == ["0 %", "не менее 1 в месяц"])
        let detail = try await world.service.item(id, for: school)
        #expect(result.measures.map(\.task) == ["Закрыть вакансии", ""], "a section row under the factor is the task")
        #expect(detail.completenessProblems == [] && detail.completenessFindings == ["Мероприятие №2 «Проектная неделя»: не указана задача."],
                "factor and planned value came from the table; only the task the table lacks is left to the school")
    }

    @Test("a school roadmap keeps a track heading as the section, not as a municipal track")
    func schoolTrackHeading() throws {
        let fields = try MeasureImportPlan.fields([Self.imported(title: "Посещение уроков", dates: ["2023-01-31"])], owner: .school)
        #expect(fields[0].track == nil && fields[0].imported?.section == "Трек 1. Адресная поддержка")
    }

    @Test("a row without a title stops the whole import, named by its line")
    func untitledRow() throws {
        var untitled = Self.imported(title: "", dates: ["2023-01-31"])
        untitled.line = 17
        #expect {
            try MeasureImportPlan.fields([Self.imported(title: "Вебинары", dates: ["2023-04-21"]), untitled], owner: .municipality)
        } throws: { error in
            (error as? MEDKError)?.code == "invalid_import" && (error as? MEDKError)?.details == ["Строка 17: нет названия мероприятия."]
        }
    }

    @Test("importing the school's CSV saves every row — 18 measures from 6 rows — with one audit record naming the file")
    func importsSchoolTable() async throws {
        let world = try await TestWorld()
        let id = try await Self.roadmap(world)
        let school = try await world.actor("school-A")
        let result = try await world.service.importMeasures(roadmapID: id, fileName: "план.csv", programmeYear: 2023,
                                                            expectedRevision: 1, by: school) { Self.schoolCSV }
        #expect(result.rows == 6 && result.measuresCreated == 18 && result.undated == 1 && result.revision == 2)
        let measures = try #require(try await world.service.item(id, for: school).measures)
        #expect(measures.count == 18)
        let monthly = measures.filter { $0.series?.recurrence == .monthly }
        #expect(monthly.count == 12 && Set(monthly.map(\.series?.id)).count == 1)
        #expect(monthly.map(\.series?.occurrence) == Array(1...12))
        #expect(monthly.first?.deadlineText == "Ежемесячно" && monthly.first?.task == "Работа с педагогами")
        let webinars = measures.filter { $0.title == "Участие в вебинарах ФИОКО" }
        #expect(webinars.map(\.dueDate?.description) == ["2023-04-21", "2023-10-31"])
        #expect(webinars.map { $0.series?.russian } == ["срок 1 из 2", "срок 2 из 2"])
        let undated = try #require(measures.first { $0.dueDate == nil })
        #expect(undated.title == "Обмен опытом с кураторами" && undated.deadlineText == "По мере необходимости" && !undated.overdue)
        // Everything dated is in 2023, long past on 15 March 2026 — but a draft's measures are a plan, not yet
        // promised: none is overdue until the roadmap is sent.
        #expect(measures.filter(\.overdue).isEmpty)

        let records = try await world.auditTrail().filter { $0.action == .measureImport }
        #expect(records.count == 1)
        let details = try JSONDecoder().decode([String: String].self, from: Data(try #require(records.first).details.utf8))
        #expect(details["file_name"] == "план.csv" && details["measures"] == "18" && details["rows"] == "6")
        #expect(details["sha256"]?.count == 64 && details["undated"] == "1")
        if case .broken(let seq, let reason) = try await world.service.verifyAudit() { Issue.record("audit broken at \(seq): \(reason)") }
        #expect(try await SchoolProgressTests.rebuiltEqualsStored(world.service) > 0)
    }

    @Test("an undated measure keeps its roadmap from review until a person dates it; dated, it is a plan like the others until the roadmap is sent")
    func undatedBlocksSubmission() async throws {
        let world = try await TestWorld()
        let id = try await Self.roadmap(world)
        let school = try await world.actor("school-A")
        _ = try await world.service.importMeasures(roadmapID: id, fileName: "план.csv", programmeYear: 2023, by: school) { Self.schoolCSV }
        let detail = try await world.service.item(id, for: school)
        let undated = try #require(detail.measures?.first { $0.dueDate == nil })
        #expect(detail.completenessProblems?.contains {
            $0.contains("«Обмен опытом с кураторами»: не указан срок (в таблице: «По мере необходимости»)")
        } == true)
        let overdueBefore = try await world.service.overdueMeasures(OverdueQuery(schoolCode: "A"), for: school).measures.total

        var input = MeasureInput(task: undated.task, title: undated.title, dueDate: CalendarDate("2023-12-29")!,
                                 responsible: undated.responsible, expectedResult: undated.expectedResult,
                                 indicator: undated.indicator, plannedValue: undated.plannedValue)
        input.riskFactorNumber = nil
        let dated = try await world.service.updateMeasure(undated.id, input, by: school)
        #expect(dated.dueDate?.description == "2023-12-29" && dated.deadlineText == "По мере необходимости" && !dated.overdue)
        let after = try await world.service.item(id, for: school)
        #expect(after.completenessProblems?.contains { $0.contains("не указан срок") } == false)
        #expect(overdueBefore == 0, "a draft's measures are not yet promised")
        #expect(try await world.service.overdueMeasures(OverdueQuery(schoolCode: "A"), for: school).measures.total == 0)
        #expect(try await SchoolProgressTests.rebuiltEqualsStored(world.service) > 0)
        #expect(try await OpenMeasureDaysTests.agree(world) == 0)
    }

    @Test("a municipal order naming each row's indicator, planned value and regional measure goes to review once its one undated row is dated")
    func municipalOrderGoesToReview() async throws {
        let world = try await TestWorld()
        let coordinator = try await world.actor("mun-M1")
        let id = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                            municipalityID: try await world.municipalityID("M1")), by: coordinator).item.id
        let order = try TableFileReaderTests.fixture("roadmap-municipal-linked.docx")
        let result = try await world.service.importMeasures(roadmapID: id, fileName: "приказ.docx", programmeYear: 2023,
                                                            by: coordinator) { order }
        #expect(result.rows == 6 && result.measuresCreated == 10 && result.undated == 1)
        let detail = try await world.service.item(id, for: coordinator)
        let measures = try #require(detail.measures)
        #expect(Set(measures.compactMap(\.track)) == Set(MunicipalTrack.allCases))
        #expect(measures.allSatisfy { !($0.regionalMeasure ?? "").isEmpty && !$0.plannedValue.isEmpty })
        #expect(measures.first { $0.title.hasPrefix("Работа сетевого сообщества") }?.title
            == "Работа сетевого сообщества учителей начальных классов и русского языка", "the row broken across a page is joined")
        #expect(detail.completenessProblems == ["Мероприятие №\(try #require(measures.first { $0.dueDate == nil }).position) «Выезды в школы»: не указан срок (в таблице: «По мере необходимости»)."])
        await #expect(throws: MEDKError.self) {
            try await world.service.transition(itemID: id, TransitionRequest(action: .submit, expectedState: .draft), by: coordinator)
        }

        let visits = try #require(measures.first { $0.dueDate == nil })
        _ = try await world.service.updateMeasure(visits.id, MeasureInput(
            task: visits.task, title: visits.title, dueDate: CalendarDate("2023-12-15")!, responsible: visits.responsible,
            expectedResult: visits.expectedResult, indicator: visits.indicator, plannedValue: visits.plannedValue,
            track: visits.track, regionalMeasure: visits.regionalMeasure), by: coordinator)
        let dated = try await world.service.item(id, for: coordinator)
        #expect(dated.completenessProblems == [])
        // A 2023 order imported in 2026: every date has passed, which the sender is told and accepts.
        #expect(dated.completenessFindings?.count == 1
                && dated.completenessFindings?.first?.hasPrefix("Срок уже прошёл у 10 мероприятий: ") == true)
        let submitted = try await world.service.transition(itemID: id, TransitionRequest(action: .submit, expectedState: .draft,
                                                                                          acceptFindings: true), by: coordinator)
        #expect(submitted.item.state == .submitted)
    }

    @Test("nothing is saved when the roadmap moved since the preview, or the importer may not edit it")
    func refusals() async throws {
        let world = try await TestWorld()
        let id = try await Self.roadmap(world)
        let school = try await world.actor("school-A")
        await #expect(throws: MEDKError.self) {
            _ = try await world.service.importMeasures(roadmapID: id, fileName: "план.csv", expectedRevision: 7, by: school) { Self.schoolCSV }
        }
        for login in ["school-B", "curator1", "mun-M1"] {
            await #expect(throws: MEDKError.self) {
                _ = try await world.service.importMeasures(roadmapID: id, fileName: "план.csv", by: try await world.actor(login)) {
                    Issue.record("the file of \(login) was read before the refusal")
                    return Self.schoolCSV
                }
            }
        }
        #expect(try await world.service.item(id, for: school).measures?.isEmpty == true)
        #expect(try await world.auditTrail().filter { $0.action == .measureImport }.isEmpty)
    }

    @Test("a table of more occurrences than a roadmap may hold is refused before they are made, and nothing is saved")
    func tooManyOccurrences() async throws {
        let world = try await TestWorld()
        let id = try await Self.roadmap(world)
        let school = try await world.actor("school-A")
        // 200 monthly rows are 2,400 measures; a roadmap holds 2,000.
        let rows = (1...200).map { "\($0);Консультация \($0);Ежемесячно;Методист;Журнал;Проведена" }
        let table = Data((["№;Мероприятие;Сроки реализации;Ответственные;Показатель реализации;Результат"] + rows)
            .joined(separator: "\n").utf8)
        do {
            _ = try await world.service.importMeasures(roadmapID: id, fileName: "много.csv", programmeYear: 2023, by: school) { table }
            Issue.record("2,400 measures were imported")
        } catch let error as MEDKError {
            #expect(error.code == "too_many" && error.message.contains("2400"))
        }
        #expect(try await world.service.item(id, for: school).measures?.isEmpty == true)
    }

    /// The school's table with one more row, as a table extended since it was first imported.
    static let extendedCSV: Data = schoolCSV + "7;Родительское собрание;31.05.2023;Директор;Протокол;Проведено;;\r\n"
        .data(using: .windowsCP1251)!

    @Test("the same table imported again never doubles the roadmap: adding is refused, only new rows or a replacement are taken")
    func importingAgain() async throws {
        let world = try await TestWorld()
        let id = try await Self.roadmap(world)
        let school = try await world.actor("school-A")
        _ = try await world.service.importMeasures(roadmapID: id, fileName: "план.csv", programmeYear: 2023, by: school) { Self.schoolCSV }
        let again = await #expect(throws: MEDKError.self) {
            try await world.service.importMeasures(roadmapID: id, fileName: "план.csv", programmeYear: 2023, by: school) { Self.schoolCSV }
        }
        #expect(again?.code == "import_duplicates" && again?.message.contains("уже есть 18 из 18") == true)
        #expect(try await world.service.item(id, for: school).measures?.count == 18, "refused, nothing added")

        let staged = try await world.service.stageMeasureImport(roadmapID: id, fileName: "план.csv", programmeYear: 2023, by: school) {
            Self.extendedCSV
        }
        #expect(staged.existingMeasures == 18 && staged.alreadyPresent == 18 && staged.preview.occurrenceCount == 19,
                "the preview says how much of the table the roadmap already has")
        let nothingNew = await #expect(throws: MEDKError.self) {
            try await world.service.importMeasures(roadmapID: id, fileName: "план.csv", programmeYear: 2023, mode: .addNew, by: school) {
                Self.schoolCSV
            }
        }
        #expect(nothingNew?.code == "nothing_new")
        let extended = try await world.service.importStagedMeasures(roadmapID: id, token: staged.token, fileName: "план.csv",
                                                                    programmeYear: 2023, mode: .addNew, by: school)
        #expect(extended.measuresCreated == 1 && extended.skipped == 18 && extended.measures.map(\.title) == ["Родительское собрание"])
        #expect(try await world.service.item(id, for: school).measures?.count == 19)
    }

    @Test("a corrected table imported again replaces the measures, unless one is already being reported on")
    func replacing() async throws {
        let world = try await TestWorld()
        let id = try await Self.roadmap(world)
        let school = try await world.actor("school-A")
        _ = try await world.service.importMeasures(roadmapID: id, fileName: "план.csv", programmeYear: 2023, by: school) { Self.extendedCSV }
        let replaced = try await world.service.importMeasures(roadmapID: id, fileName: "план.csv", programmeYear: 2023, mode: .replace,
                                                              by: school) { Self.schoolCSV }
        #expect(replaced.replaced == 19 && replaced.measuresCreated == 18)
        let measures = try #require(try await world.service.item(id, for: school).measures)
        #expect(measures.count == 18 && measures.map(\.position) == Array(1...18))
        #expect(try await SchoolProgressTests.rebuiltEqualsStored(world.service) > 0)

        // Another school's roadmap, confirmed and reported on, then reopened: its measures stay.
        let roadmap = try await OverdueMeasuresTests.roadmap(world, school: "B", due: ["2026-09-01"], left: .draft)
        let owner = try await world.actor("school-B")
        let submitted = try await world.act(.submit, on: roadmap, by: "school-B", acceptFindings: true)
        let confirmed = try await world.act(.confirm, on: submitted, by: "curator1")
        _ = try await world.service.reportMeasure(try #require(roadmap.measures?.first).id, actualValue: "1", by: owner)
        _ = try await world.act(.reopen, on: confirmed, by: "school-B", comment: "Добавим мероприятия из таблицы")
        do {
            _ = try await world.service.importMeasures(roadmapID: roadmap.item.id, fileName: "план.csv", programmeYear: 2023,
                                                       mode: .replace, by: owner) { Self.schoolCSV }
            Issue.record("measures being reported on were replaced")
        } catch let error as MEDKError {
            #expect(error.code == "measure_reported" && error.message.contains("«Мероприятие B-0»"))
        }
        #expect(try await world.service.item(roadmap.item.id, for: owner).measures?.count == 1)
    }

    @Test("a staged table is applied only by the person who checked it, once")
    func stagedOnlyForItsOwner() async throws {
        let world = try await TestWorld()
        let id = try await Self.roadmap(world)
        let school = try await world.actor("school-A")
        let staged = try await world.service.stageMeasureImport(roadmapID: id, fileName: "план.csv", programmeYear: 2023, by: school) {
            Self.schoolCSV
        }
        #expect(staged.preview.occurrenceCount == 18 && staged.roadmapRevision == 1)
        let other = try await world.actor("school-B")
        await #expect(throws: MEDKError.self) {
            _ = try await world.service.importStagedMeasures(roadmapID: id, token: staged.token, fileName: "план.csv", by: other)
        }
        await #expect(throws: MEDKError.self) {
            _ = try await world.service.importStagedMeasures(roadmapID: id, token: "../../medk.sqlite", fileName: "план.csv", by: school)
        }
        let result = try await world.service.importStagedMeasures(roadmapID: id, token: staged.token, fileName: "план.csv",
                                                                  programmeYear: 2023, expectedRevision: staged.roadmapRevision, by: school)
        #expect(result.measuresCreated == 18)
        do {
            _ = try await world.service.importStagedMeasures(roadmapID: id, token: staged.token, fileName: "план.csv", by: school)
            Issue.record("a staged table was applied twice")
        } catch let error as MEDKError {
            #expect(error.code == "staged_import_gone")
        }
    }
}

@Suite("Staged roadmap tables")
struct StagedImportTests {
    @Test("a staged table is kept a day and no longer")
    func keptADay() async throws {
        let world = try await TestWorld()
        let id = try await MeasureImportTests.roadmap(world)
        let school = try await world.actor("school-A")
        let staged = try await world.service.stageMeasureImport(roadmapID: id, fileName: "план.csv", programmeYear: 2023, by: school) {
            MeasureImportTests.schoolCSV
        }
        world.clock.advance(by: 23 * 3600)
        #expect(try await world.service.stagedMeasureImport(roadmapID: id, token: staged.token, fileName: "план.csv", by: school)
            .preview.occurrenceCount == 18)
        world.clock.advance(by: 2 * 3600)
        let gone = await #expect(throws: MEDKError.self) {
            try await world.service.stagedMeasureImport(roadmapID: id, token: staged.token, fileName: "план.csv", by: school)
        }
        #expect(gone?.code == "staged_import_gone")
    }

    @Test("a person keeps five staged tables at most: a sixth drops the oldest, another person's stay")
    func fiveAPerson() async throws {
        let world = try await TestWorld()
        let id = try await MeasureImportTests.roadmap(world)
        let school = try await world.actor("school-A")
        var tokens: [String] = []
        for _ in 0..<6 {
            world.clock.advance(by: 60)
            tokens.append(try await world.service.stageMeasureImport(roadmapID: id, fileName: "план.csv", programmeYear: 2023, by: school) {
                MeasureImportTests.schoolCSV
            }.token)
        }
        await #expect(throws: MEDKError.self) {
            try await world.service.stagedMeasureImport(roadmapID: id, token: tokens[0], fileName: "план.csv", by: school)
        }
        for token in tokens.dropFirst() {
            #expect(try await world.service.stagedMeasureImport(roadmapID: id, token: token, fileName: "план.csv", by: school)
                .preview.occurrenceCount == 18)
        }
    }

    @Test("a table previewed on one server is applied on another (PostgreSQL: staged tables live in the database)")
    func appliedOnAnotherServer() async throws {
        let world = try await TestWorld()
        guard let other = try world.anotherServer() else { return }
        let id = try await MeasureImportTests.roadmap(world)
        let school = try await world.actor("school-A")
        let staged = try await world.service.stageMeasureImport(roadmapID: id, fileName: "план.csv", programmeYear: 2023, by: school) {
            MeasureImportTests.schoolCSV
        }
        let result = try await other.importStagedMeasures(roadmapID: id, token: staged.token, fileName: "план.csv", programmeYear: 2023,
                                                          expectedRevision: staged.roadmapRevision, by: school)
        #expect(result.measuresCreated == 18)
    }
}
