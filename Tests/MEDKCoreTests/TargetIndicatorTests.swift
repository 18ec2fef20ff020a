import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Target indicators with plan and fact")
struct TargetIndicatorTests {
    func adopted() async throws -> (TestWorld, [TargetIndicator]) {
        let world = try await TestWorld()
        let region = Operator.user(try await world.actor("reg-R1"))
        _ = try await world.service.resultsData.importFile(.components, text: ResultsFixtures.components, fileName: "c.csv", dryRun: false, by: region)
        let indicators = try await world.service.targetIndicators.adoptCatalogue(regionCode: "R1", by: region)
        return (world, indicators)
    }

    @Test("a region adopts seed 000's indicators once; adopting again adds nothing")
    func adopt() async throws {
        let (world, indicators) = try await adopted()
        #expect(indicators.map(\.code).contains("1.2") && indicators.count == IndicatorCatalogue.seed000.count)
        let again = try await world.service.targetIndicators.adoptCatalogue(regionCode: "R1", by: .local)
        #expect(again.count == indicators.count)
        #expect(try await world.auditTrail().filter { $0.action == .indicatorAdopt }.count == indicators.count)
    }

    @Test("the share of programme schools with a positive dynamic is computed with its trace and judged against the plan as worded")
    func computedFact() async throws {
        let (world, indicators) = try await adopted()
        let dynamics = try #require(indicators.first { $0.source == .positiveDynamics })
        let region = Operator.user(try await world.actor("reg-R1"))
        let planned = try await world.service.targetIndicators.setPlan(indicatorID: dynamics.id, year: 2026, wording: "не менее 30% школ", by: region)
        #expect(planned.plans.first?.target.russian == "не менее 30 % школ")
        let report = try await world.service.targetIndicators.report(regionCode: "R1", year: 2026, by: region)
        let row = try #require(report.rows.first { $0.indicator.id == dynamics.id })
        let fact = try #require(row.fact, "A, B, C, D have both years' index")
        #expect(fact.trace.count == 3 && fact.trace.last?.hasPrefix("Доля = ") == true)
        #expect(row.status == (fact.value >= 30 ? .met : .notMet))
        #expect(report.canEdit)
    }

    @Test("a region enters the facts MEDK cannot compute with a document as evidence; MEDK's own are not entered by hand")
    func enteredFact() async throws {
        let (world, indicators) = try await adopted()
        let reg = try await world.actor("reg-R1")
        let region = Operator.user(reg)
        let teachers = try #require(indicators.first { $0.code == "1.3.1" })
        _ = try await world.service.targetIndicators.setPlan(indicatorID: teachers.id, year: 2026, wording: "не менее 80%", by: region)
        let bare = await #expect(throws: MEDKError.self) {
            try await world.service.targetIndicators.enterFact(indicatorID: teachers.id, year: 2026, value: 85, comment: " ",
                                                               fileName: "справка.pdf", chunks: OneChunk(bytes: TestWorld.pdf("fact")), by: reg)
        }
        #expect(bare?.code == "evidence_required")
        try await world.service.targetIndicators.enterFact(indicatorID: teachers.id, year: 2026, value: 72.5, comment: "Мониторинг ЦНППМ от 01.12.2026",
                                                           fileName: "справка ЦНППМ.pdf", chunks: OneChunk(bytes: TestWorld.pdf("fact")), by: reg)
        let row = try #require(try await world.service.targetIndicators.report(regionCode: "R1", year: 2026, by: region).rows
            .first { $0.indicator.id == teachers.id })
        let evidence = try #require(row.fact?.evidence, "the file became the region's document")
        #expect(row.fact?.value == 72.5 && evidence.state == .submitted)
        let computed = try #require(indicators.first { $0.source == .positiveDynamics })
        let refused = await #expect(throws: MEDKError.self) {
            try await world.service.targetIndicators.enterFact(indicatorID: computed.id, year: 2026, value: 50, comment: "Приказ",
                                                               evidenceItemID: evidence.itemID, by: region)
        }
        #expect(refused?.code == "fact_computed")
        let unread = await #expect(throws: MEDKError.self) {
            try await world.service.targetIndicators.setPlan(indicatorID: teachers.id, year: 2027, wording: "обеспечить сопровождение", by: region)
        }
        #expect(unread?.code == "plan_unread", "a wording without a number is not guessed at")
        let other = await #expect(throws: MEDKError.self) {
            try await world.service.targetIndicators.setPlan(indicatorID: teachers.id, year: 2026, wording: "не менее 90%",
                                                             by: .user(try await world.actor("mun-M1")))
        }
        #expect(other?.code == "forbidden", "a municipality sees the indicators but does not set them")
    }

    @Test("an entered fact counts only once the federal operator confirms its document, and not while it is returned")
    func factCountsOnceItsDocumentIsConfirmed() async throws {
        let (world, indicators) = try await adopted()
        let reg = try await world.actor("reg-R1"), federal = try await world.actor("federal")
        let teachers = try #require(indicators.first { $0.code == "1.3.1" })
        _ = try await world.service.targetIndicators.setPlan(indicatorID: teachers.id, year: 2026, wording: "не менее 60%", by: .user(reg))
        try await world.service.targetIndicators.enterFact(indicatorID: teachers.id, year: 2026, value: 72.5, comment: "Мониторинг ЦНППМ",
                                                           fileName: "справка.pdf", chunks: OneChunk(bytes: TestWorld.pdf("fact")), by: reg)
        func row() async throws -> IndicatorRow {
            let report = try await world.service.targetIndicators.report(regionCode: "R1", year: 2026, by: .user(reg))
            return try #require(report.rows.first { $0.indicator.id == teachers.id })
        }
        let sent = try await row()
        #expect(sent.status == .unconfirmed, "72.5 meets the plan, but its document is still in review")
        let itemID = try #require(sent.fact?.evidence?.itemID)
        let queue = try await world.service.queue(for: federal, page: PageRequest(limit: 50))
        #expect(queue.items.contains { $0.item.id == itemID }, "the document waits in the federal operator's queue like any other")
        _ = try await world.service.transition(itemID: itemID, TransitionRequest(action: .return, expectedState: .submitted,
                                                                                 comment: "Приложите протокол мониторинга"), by: federal)
        #expect(try await row().status == .unconfirmed)
        let revised = try await world.service.upload(itemID: itemID, fileName: "протокол.pdf", chunks: OneChunk(bytes: TestWorld.pdf("protocol")), by: reg)
        _ = try await world.act(.submit, on: try await world.answerRemarks(revised, by: "reg-R1"), by: "reg-R1")
        _ = try await world.service.transition(itemID: itemID, TransitionRequest(action: .confirm, expectedState: .submitted), by: federal)
        let confirmed = try await row()
        #expect(confirmed.status == .met && confirmed.fact?.evidence?.state == .confirmed)
    }

    @Test("a fact cannot rest on another region's document, on a roadmap or on a document without a file")
    func evidenceMustBeTheRegionsOwnDocument() async throws {
        let (world, indicators) = try await adopted()
        let reg1 = try await world.actor("reg-R1"), reg2 = try await world.actor("reg-R2")
        let teachers = try #require(indicators.first { $0.code == "1.3.1" })
        let regions = try await world.service.regions()
        let r1 = try #require(regions.first { $0.code == "R1" }), r2 = try #require(regions.first { $0.code == "R2" })
        let foreign = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .order, regionID: r2.id), by: reg2)
        _ = try await world.service.upload(itemID: foreign.item.id, fileName: "приказ.pdf", chunks: OneChunk(bytes: TestWorld.pdf("order")), by: reg2)
        let empty = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .meetingProtocol, regionID: r1.id), by: reg1)
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap, regionID: r1.id), by: reg1)
        for (itemID, code) in [(foreign.item.id, "evidence_document"), (roadmap.item.id, "evidence_document"), (empty.item.id, "evidence_without_file"),
                               (Int64(999_999), "evidence_document")] {
            let refused = await #expect(throws: MEDKError.self) {
                try await world.service.targetIndicators.enterFact(indicatorID: teachers.id, year: 2026, value: 70, comment: "Приказ",
                                                                   evidenceItemID: itemID, by: .user(reg1))
            }
            #expect(refused?.code == code, "\(itemID)")
        }
        #expect(try await world.service.targetIndicators.report(regionCode: "R1", year: 2026, by: .user(reg1)).rows
            .first { $0.indicator.id == teachers.id }?.fact == nil, "nothing was kept")
        _ = try await world.service.upload(itemID: empty.item.id, fileName: "протокол.pdf", chunks: OneChunk(bytes: TestWorld.pdf("p")), by: reg1)
        try await world.service.targetIndicators.enterFact(indicatorID: teachers.id, year: 2026, value: 70, comment: "Протокол коллегии",
                                                           evidenceItemID: empty.item.id, by: .user(reg1))
        let documents = try await world.service.targetIndicators.evidenceDocuments(regionCode: "R1", by: .user(reg1))
        #expect(documents.map(\.itemID) == [empty.item.id], "the region's documents other than its roadmap")
    }

    @Test("a federal operator entering a fact with a new file is refused before the file is kept: the region keeps its documents")
    func onlyTheRegionFilesItsDocuments() async throws {
        let (world, indicators) = try await adopted()
        let teachers = try #require(indicators.first { $0.code == "1.3.1" })
        let refused = await #expect(throws: MEDKError.self) {
            try await world.service.targetIndicators.enterFact(indicatorID: teachers.id, year: 2026, value: 70, comment: "Мониторинг",
                                                               fileName: "справка.pdf", chunks: OneChunk(bytes: TestWorld.pdf("f")),
                                                               by: try await world.actor("federal"))
        }
        #expect(refused?.code == "forbidden")
    }

    @Test("a region adds an indicator of its own programme, entered by hand; a number it already has is refused")
    func ownIndicator() async throws {
        let (world, _) = try await adopted()
        let region = Operator.user(try await world.actor("reg-R1"))
        let own = try await world.service.targetIndicators.define(regionCode: "R1", code: "2.3", title: "Доля ШНОР с программой наставничества",
                                                                  by: region)
        #expect(own.source == .entered && own.code == "2.3")
        let twice = await #expect(throws: MEDKError.self) {
            try await world.service.targetIndicators.define(regionCode: "R1", code: "2.3", title: "Снова", by: region)
        }
        #expect(twice?.code == "indicator_exists")
        let municipal = await #expect(throws: MEDKError.self) {
            try await world.service.targetIndicators.define(regionCode: "R1", code: "9", title: "Своё", by: .user(try await world.actor("mun-M1")))
        }
        #expect(municipal?.code == "forbidden")
    }
}
