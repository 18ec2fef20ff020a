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

    @Test("a region enters the facts MEDK cannot compute, naming their evidence; MEDK's own are not entered by hand")
    func enteredFact() async throws {
        let (world, indicators) = try await adopted()
        let region = Operator.user(try await world.actor("reg-R1"))
        let teachers = try #require(indicators.first { $0.code == "1.3.1" })
        _ = try await world.service.targetIndicators.setPlan(indicatorID: teachers.id, year: 2026, wording: "не менее 80%", by: region)
        let bare = await #expect(throws: MEDKError.self) {
            try await world.service.targetIndicators.enterFact(indicatorID: teachers.id, year: 2026, value: 85, comment: " ", by: region)
        }
        #expect(bare?.code == "evidence_required")
        try await world.service.targetIndicators.enterFact(indicatorID: teachers.id, year: 2026, value: 72.5,
                                                           comment: "Мониторинг ЦНППМ от 01.12.2026", by: region)
        let row = try #require(try await world.service.targetIndicators.report(regionCode: "R1", year: 2026, by: region).rows
            .first { $0.indicator.id == teachers.id })
        #expect(row.fact?.value == 72.5 && row.status == .notMet)
        let computed = try #require(indicators.first { $0.source == .positiveDynamics })
        let refused = await #expect(throws: MEDKError.self) {
            try await world.service.targetIndicators.enterFact(indicatorID: computed.id, year: 2026, value: 50, comment: "Приказ", by: region)
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
