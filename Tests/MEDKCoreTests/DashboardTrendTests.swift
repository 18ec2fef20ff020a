import Foundation
import GRDB
@testable import MEDKCore
import MEDKTestSupport
import Testing

@Suite("The dashboard's trend of overdue measures")
struct DashboardTrendTests {
    @Test("a measure confirmed late counts as overdue on the mornings before its confirmation, not after", .enabled(if: TestWorld.onSQLite, "reads the SQLite file directly"))
    func confirmedLate() async throws {
        // Two measures of school A, its roadmap sent on 10 February; then 15 March 2026 in Chita.
        let world = try await TestWorld(start: TestWorld.instant("2026-02-10 10:00", zone: "Asia/Chita"))
        _ = try await OverdueMeasuresTests.roadmap(world, school: "A", due: ["2026-02-20", "2026-03-02"])
        world.clock.set(TestWorld.defaultStart)
        // The first one's report was confirmed on 10 March at 21:00 in Chita (a fixture: the report flow is tested elsewhere).
        let queue = try ItemTalliesTests.openBeside(world.directory.appendingPathComponent("medk.sqlite").path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE measures SET report_first_confirmed_at = ? WHERE due_date = '2026-02-20'",
                           arguments: [TestWorld.instant("2026-03-10 21:00", zone: "Asia/Chita").sql])
        }
        let dashboard = try await world.service.dashboard(DeadlinesQuery(regionCode: "R1"), for: try await world.actor("reg-R1"))
        #expect(dashboard.trend.count == 9)
        #expect(dashboard.trend.suffix(3).map(\.date.russian) == ["01.03.2026", "08.03.2026", "15.03.2026"])
        #expect(dashboard.trend.suffix(3).map(\.overdue) == [1, 2, 1])
        #expect(dashboard.trend.first?.overdue == 0, "on 18 January nothing was due yet")
        let municipality = try await world.service.dashboard(DeadlinesQuery(municipalityCode: "M2"), for: try await world.actor("reg-R1"))
        #expect(municipality.trend.allSatisfy { $0.overdue == 0 }, "school A is in M1, not M2")
    }
}
