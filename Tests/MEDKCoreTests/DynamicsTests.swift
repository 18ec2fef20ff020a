import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Dynamics of schools' results")
struct DynamicsTests {
    static func placed(_ code: String, _ index: Double?, noise: Double = 0.1, cut: Double = 0) -> Placement {
        Placement(schoolCode: code, resultsIndex: index, socialIndex: 0, group: index.map { $0 < cut ? .struggling : .effective },
                  resultsNoise: index == nil ? nil : noise, uncertain: false, participants: 100)
    }

    static func run(_ year: Int, _ placements: [Placement]) -> IdentificationRun {
        IdentificationRun(year: year, method: .seed000, resultsCut: 0, socialCut: 0, placements: placements)
    }

    @Test("a change within twice the noise of a small school is «не различить», not a gain; beyond it, a gain or a fall")
    func noise() {
        #expect(Dynamics.change(from: Self.placed("S", -0.5, noise: 0.3), to: Self.placed("S", -0.1, noise: 0.3)).0 == .unclear,
                "0.4 up with a combined noise of 0.42: chance could do it")
        #expect(Dynamics.change(from: Self.placed("L", -0.5, noise: 0.05), to: Self.placed("L", -0.1, noise: 0.05)).0 == .improved)
        #expect(Dynamics.change(from: Self.placed("L", 0.3, noise: 0.05), to: Self.placed("L", -0.1, noise: 0.05)).0 == .declined)
        #expect(Dynamics.change(from: nil, to: Self.placed("N", 0.1)).0 == .noData)
        #expect(Dynamics.change(from: Self.placed("S", -0.5, noise: 0.3), to: Self.placed("S", 0.1, noise: 0.3)).0 == .unclear)
        #expect(Dynamics.change(from: Self.placed("S", -0.5, noise: 0.3), to: Self.placed("S", 0.1, noise: 0.3), windowYears: 3).0 == .improved,
                "over a three-year window two consecutive indices share two years: their difference is less noisy")
    }

    @Test("the share of programme schools with a positive dynamic keeps those too small to tell in the denominator and counts them apart")
    func share() throws {
        let runs = [
            Self.run(2025, [Self.placed("A", -1.0), Self.placed("B", -1.0, noise: 0.5), Self.placed("C", -0.8), Self.placed("D", 0.5)]),
            Self.run(2026, [Self.placed("A", -0.4), Self.placed("B", -0.6, noise: 0.5), Self.placed("C", -1.2), Self.placed("D", -0.2)]),
        ]
        let year = try #require(Dynamics.years(runs, programme: ["A", "B", "C"]).first)
        #expect(year.programmeSchools == 3 && year.improved == 1 && year.unclear == 1 && year.declined == 1)
        #expect(year.improvedShare == 1.0 / 3.0)
        #expect(year.enteredLow == ["D"] && year.leftLow.isEmpty, "D fell below the cut: it entered the low-results quadrant")
        let own = try #require(Dynamics.years(runs, programme: ["A", "B", "C"], schools: ["A", "D"]).first)
        #expect(own.programmeSchools == 1 && own.enteredLow == ["D"], "a territory counts its own schools only")
    }

    @Test("a municipality sees its own schools' dynamics; a school its own trajectory and no other's")
    func reach() async throws {
        let world = try await TestWorld()
        let region = Operator.user(try await world.actor("reg-R1"))
        _ = try await world.service.resultsData.importFile(.components, text: ResultsFixtures.components, fileName: "c.csv",
                                                           dryRun: false, by: region)
        let municipal = try await world.service.resultsDynamics.territory(regionCode: "R1", by: .user(try await world.actor("mun-M2")))
        #expect(municipal.schools.map(\.schoolCode) == ["D"] && municipal.years == [2023, 2024, 2025, 2026])
        let whole = try await world.service.resultsDynamics.territory(regionCode: "R1", by: region)
        #expect(whole.schools.count == 4 && whole.changes.map(\.year) == [2024, 2025, 2026])
        let own = try await world.service.resultsDynamics.school(code: "A", by: .user(try await world.actor("school-A")))
        #expect(own.points.map(\.year).suffix(3) == [2024, 2025, 2026] && own.points.last?.placement?.resultsIndex != nil)
        let other = await #expect(throws: MEDKError.self) {
            try await world.service.resultsDynamics.school(code: "B", by: .user(try await world.actor("school-A")))
        }
        #expect(other?.code == "forbidden")
        let foreign = await #expect(throws: MEDKError.self) {
            try await world.service.resultsDynamics.school(code: "A", by: .user(try await world.actor("mun-M2")))
        }
        #expect(foreign?.code == "forbidden")
    }

    @Test("a correction loaded after a page was read is in the next read: runs are kept by the data batch they come from")
    func correctionSeen() async throws {
        let world = try await TestWorld()
        let region = Operator.user(try await world.actor("reg-R1"))
        _ = try await world.service.resultsData.importFile(.components, text: ResultsFixtures.components, fileName: "c.csv", dryRun: false, by: region)
        let before = try await world.service.resultsDynamics.territory(regionCode: "R1", by: region)
        _ = try await world.service.resultsData.importFile(.components, text: ResultsFixtures.components.replacingOccurrences(of: "4,6;120", with: "2,6;120"),
                                                           fileName: "c2.csv", dryRun: false, by: region)
        let after = try await world.service.resultsDynamics.territory(regionCode: "R1", by: region)
        let a = { (report: TerritoryDynamics) in report.schools.first { $0.schoolCode == "A" }?.indices.last ?? nil }
        #expect(try #require(a(after)) < (try #require(a(before))), "A's corrected 2026 mean lowers its index at once")
    }
}
