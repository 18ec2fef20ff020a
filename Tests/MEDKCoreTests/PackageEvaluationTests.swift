import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// FIOCO's evaluation of a municipal package: the system judges what it can from the package and
/// shows why, the region's coordinator scores every position, each judgement is a new audited version.
@Suite("Evaluating municipal packages against FIOCO's positions")
struct PackageEvaluationTests {
    static func measure(_ title: String, track: MunicipalTrack?, due: String?, regional: String? = "Мера 1.1") -> Measure {
        Measure(id: Int64(title.count), roadmapID: 1, position: 1, riskFactorID: nil, track: track, task: "Задача", title: title,
                dueDate: due.flatMap { CalendarDate($0) }, deadlineText: due == nil ? "По мере необходимости" : nil, series: nil,
                responsible: "Методист", expectedResult: "Итог", indicator: "Доля", plannedValue: "100", actualValue: nil,
                regionalMeasure: regional, stage: nil, goal: nil, section: nil, normativeDocument: nil, reportItemID: nil,
                reportState: nil, overdue: false)
    }

    static func finding(_ findings: [PositionFinding], _ position: EvaluationPosition) -> PositionFinding {
        findings.first { $0.position == position }!
    }

    @Test("deadlines are met only when every measure has a date; the undated ones are named with their words")
    func deadlines() {
        let dated = Self.measure("Семинар", track: .addressSupport, due: "2026-04-30")
        let undated = Self.measure("Выезды в школы", track: .riskZone, due: nil)
        #expect(PackageFindings.deadlines([dated]).met == true)
        let missing = PackageFindings.deadlines([dated, undated])
        #expect(missing.met == false)
        #expect(missing.evidence == ["Со сроком: 1 из 2.", "Без срока: «Выезды в школы» (в таблице: «По мере необходимости»)."])
        #expect(PackageFindings.deadlines([]).met == false)
    }

    @Test("tracks are met only when each of the three has a measure")
    func tracks() {
        let two = [Self.measure("А", track: .addressSupport, due: "2026-04-30"), Self.measure("Б", track: .riskZone, due: "2026-04-30")]
        #expect(PackageFindings.tracks(two).met == false)
        #expect(PackageFindings.tracks(two + [Self.measure("В", track: .failurePrevention, due: "2026-04-30")]).met == true)
    }

    @Test("the regional complex is met when every measure links to a confirmed regional measure, not met while one names none; named only in words, the expert judges")
    func regionalComplex() {
        let inWords = Self.measure("А", track: .addressSupport, due: "2026-04-30")
        let unlinked = Self.measure("Без связи", track: .riskZone, due: "2026-04-30", regional: nil)
        var referenced = Self.measure("По ссылке", track: .failurePrevention, due: "2026-04-30", regional: nil)
        referenced.regionalMeasureID = 7
        #expect(PackageFindings.regionalComplex([inWords, unlinked], agreements: []).met == false)
        #expect(PackageFindings.regionalComplex([inWords], agreements: []).met == nil)
        #expect(PackageFindings.regionalComplex([referenced, inWords], agreements: []).met == nil)
        let all = PackageFindings.regionalComplex([referenced], agreements: [])
        #expect(all.met == true)
        #expect(all.evidence.first == "Мероприятий со ссылкой на мероприятие региональной дорожной карты: 1 из 1.")
    }

    @Test("a person judges the specifics and how they are taken into account; a package without a note fails the first")
    func humanPositions() {
        let findings = PackageFindings.judge(documents: [:], measures: nil)
        #expect(Self.finding(findings, .specifics).met == false)
        #expect(Self.finding(findings, .specificsConsidered).met == nil)
        #expect(Self.finding(findings, .supportingDocuments).met == false)
        #expect(findings.map(\.position) == EvaluationPosition.allCases)
    }

    @Test("every position must be scored 0–2, with a comment wherever a point is withheld")
    func validation() throws {
        var scores = EvaluationPosition.allCases.map { PositionScore(position: $0, score: 2, comment: "") }
        #expect(try MEDKService.validated(scores).count == 7)
        scores[3].score = 1
        scores[4].score = 3
        scores.removeLast()
        do {
            _ = try MEDKService.validated(scores)
            Issue.record("an incomplete evaluation was accepted")
        } catch let error as MEDKError {
            #expect(error.code == "invalid_evaluation")
            #expect(error.details == [
                "«Наличие сроков мероприятий, мер и управленческих решений»: объясните в комментарии, почему балл ниже 2.",
                "«Меры по трём трекам ФИОКО»: балл — от 0 до 2, а указано 3.",
                "Не оценена позиция «Подтверждающие документы».",
            ])
        }
    }

    static func allScores(_ score: Int = 2, except: [EvaluationPosition: (Int, String)] = [:]) -> [PositionScore] {
        EvaluationPosition.allCases.map { position in
            let (value, comment) = except[position] ?? (score, "")
            return PositionScore(position: position, score: value, comment: comment)
        }
    }

    @Test("the region's coordinator evaluates; a new judgement is a new version, audited; the earlier stays")
    func versions() async throws {
        let world = try await TestWorld()
        let municipal = try await world.actor("mun-M1")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 municipalityID: try await world.municipalityID("M1")), by: municipal)
        _ = try await world.service.addMeasures(roadmapID: roadmap.item.id, [
            MeasureInput(task: "Мониторинг", title: "Собеседование с руководителями", dueDate: CalendarDate("2026-05-31")!,
                         responsible: "Координатор", expectedResult: "Проведено", indicator: "Доля школ", plannedValue: "100",
                         track: .addressSupport, regionalMeasure: "Мера 1.1"),
        ], by: municipal)
        let regional = try await world.actor("reg-R1")
        let before = try await world.service.packageEvaluation(municipalityCode: "M1", for: regional)
        #expect(before.current == nil && before.canEvaluate)
        #expect(Self.finding(before.findings, .deadlines).met == true && Self.finding(before.findings, .tracks).met == false)

        let first = try await world.service.evaluatePackage(
            municipalityCode: "M1", scores: Self.allScores(except: [.tracks: (0, "Нет мер по трекам 2 и 3")]), expectedVersion: 0,
            by: regional)
        #expect(first.current?.version == 1 && first.current?.total == 12 && first.current?.maximum == 14)
        #expect(first.current?.evaluatorName == "Координатор Р1" && first.current?.evaluatorRole == .regional)
        #expect(first.current.map { Self.finding($0.findings, .tracks).met } == false, "the findings of the moment are kept")

        world.clock.advance(by: 3600)
        let second = try await world.service.evaluatePackage(municipalityCode: "M1", scores: Self.allScores(), expectedVersion: 1,
                                                             by: try await world.actor("federal"))
        #expect(second.current?.version == 2 && second.current?.total == 14 && second.history.map(\.version) == [1])
        #expect(second.history.first?.score(.tracks)?.comment == "Нет мер по трекам 2 и 3")

        await #expect(throws: MEDKError.self, "a judgement made on version 1 does not overwrite version 2") {
            _ = try await world.service.evaluatePackage(municipalityCode: "M1", scores: Self.allScores(), expectedVersion: 1, by: regional)
        }
        let records = try await world.auditTrail().filter { $0.action == .packageEvaluate }
        #expect(records.count == 2 && records.allSatisfy { $0.entityType == .municipality })
        #expect(records.first?.details.contains("\"scores\":\"specifics=2,concreteMeasures=2,specificsConsidered=2,deadlines=2,tracks=0") == true)
        #expect(records.first?.details.contains("Нет мер по трекам 2 и 3") == true)
        if case .broken(let seq, let reason) = try await world.service.verifyAudit() { Issue.record("audit broken at \(seq): \(reason)") }

        // The municipality sees its evaluation; its package names it.
        let own = try await world.service.packageEvaluation(municipalityCode: "M1", for: municipal)
        #expect(own.current?.version == 2 && !own.canEvaluate)
        #expect(try await world.service.municipalPackage(municipalityCode: "M1", for: municipal).evaluation?.version == 2)
    }

    @Test("nobody else evaluates: the municipality itself, another region's coordinator, a curator, a school")
    func whoEvaluates() async throws {
        let world = try await TestWorld()
        for login in ["mun-M1", "reg-R2", "curator1", "school-A"] {
            await #expect(throws: MEDKError.self, "\(login) evaluated M1") {
                _ = try await world.service.evaluatePackage(municipalityCode: "M1", scores: Self.allScores(), by: try await world.actor(login))
            }
        }
        #expect(try await world.auditTrail().filter { $0.action == .packageEvaluate }.isEmpty)
        await #expect(throws: MEDKError.self, "another region's coordinator does not even see it") {
            _ = try await world.service.packageEvaluation(municipalityCode: "M1", for: try await world.actor("reg-R2"))
        }
    }

    @Test("a region sees its municipalities side by side, evaluated or not, and exports them")
    func regionTable() async throws {
        let world = try await TestWorld()
        let regional = try await world.actor("reg-R1")
        _ = try await world.service.evaluatePackage(municipalityCode: "M2",
                                                    scores: Self.allScores(except: [.deadlines: (1, "Сроки не у всех")]), by: regional)
        let report = try await world.service.regionEvaluations(regionCode: "R1", for: regional)
        #expect(report.rows.map(\.municipalityCode) == ["M1", "M2"] && report.evaluatedCount == 1)
        #expect(report.rows[0].evaluation == nil && report.rows[1].evaluation?.total == 13)
        let table = EvaluationTable.table(report)
        #expect(table.rows[1][9] == .number(13) && table.rows[1][0] == .text("M2"), "numbers are numbers, codes are text")
        #expect(table.notes.first == "Регион: Забайкальский край (R1); кампания: 500+ 2026 (C2026).")
        let rows = table.textRows
        #expect(rows[0] == ["Код МО", "Муниципалитет", "Специфика", "Меры", "Учёт специфики", "Сроки", "Треки", "Региональный комплекс",
                            "Документы", "Итого", "Из", "Версия", "Оценил", "Когда"])
        #expect(rows[1] == ["M1", "Балейский округ", "", "", "", "", "", "", "", "не оценён", "", "", "", ""])
        #expect(rows[2] == ["M2", "Город Чита", "2", "2", "2", "1", "2", "2", "2", "13", "14", "1", "Координатор Р1", "15.03.2026 21:00"])
        await #expect(throws: MEDKError.self, "another region's coordinator") {
            _ = try await world.service.regionEvaluations(regionCode: "R1", for: try await world.actor("reg-R2"))
        }
        await #expect(throws: MEDKError.self, "a municipal coordinator") {
            _ = try await world.service.regionEvaluations(regionCode: "R1", for: try await world.actor("mun-M1"))
        }
    }
}
