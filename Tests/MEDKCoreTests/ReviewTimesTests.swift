import Foundation
import GRDB
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// How quickly reviewers decide: from each submission to the decision that ended it, per
/// reviewer, with what waits for them now.
@Suite("Reviewers' response times")
struct ReviewTimesTests {
    static let day: TimeInterval = 86_400

    /// curator1 decides A's document twice (returned after one day, confirmed after three) and B's
    /// after two; curator2 decides C's after six days and has D's waiting since then.
    static func reviewedWorld() async throws -> TestWorld {
        let world = try await TestWorld()
        var a = try await world.submittedDocument(school: "A")
        world.clock.advance(by: day)
        a = try await world.act(.return, on: a, by: "curator1", comment: "Уточните цели.")
        world.clock.advance(by: 3600)
        a = try await world.act(.submit, on: try await world.answerRemarks(a, by: "school-A"), by: "school-A")
        var b = try await world.submittedDocument(school: "B")
        var c = try await world.submittedDocument(school: "C")
        world.clock.advance(by: 2 * day)
        b = try await world.act(.confirm, on: b, by: "curator1")
        world.clock.advance(by: day)
        a = try await world.act(.confirm, on: a, by: "curator1")
        world.clock.advance(by: 3 * day)
        c = try await world.act(.confirm, on: c, by: "curator2")
        _ = try await world.submittedDocument(school: "D")
        world.clock.advance(by: 2 * day + 3600)
        return world
    }

    @Test("a curator's median and 90th percentile run from each submission to its decision; returns count in the share")
    func perCurator() async throws {
        let world = try await Self.reviewedWorld()
        let report = try await world.service.reviewTimes(ReviewTimesQuery(regionCode: "R1"), for: try await world.actor("reg-R1"))
        #expect(report.reviewers.map(\.login) == ["curator2", "curator1"], "the slowest first")
        let first = try #require(report.reviewers.last)
        #expect(first.figures.decided == 3 && first.figures.returned == 1 && first.figures.returnedShare == 1.0 / 3)
        #expect(first.figures.medianSeconds == 2 * 86_400 && first.figures.p90Seconds == 3 * 86_400 && first.figures.longestSeconds == 3 * 86_400)
        #expect(first.figures.waitingNow == 0 && first.figures.oldestWaitingSince == nil && !first.figures.isSlowest)
        let second = try #require(report.reviewers.first)
        #expect(second.figures.decided == 1 && second.figures.medianSeconds == 6 * 86_400 && second.figures.isSlowest)
        #expect(second.figures.waitingNow == 1 && second.figures.oldestWaitingDays == 2, "D's document has waited two days and an hour")
        #expect(report.totals.decided == 4 && report.totals.returned == 1 && report.totals.waitingNow == 1)
        #expect(report.totals.medianSeconds == 2 * 86_400 && report.totals.p90Seconds == 6 * 86_400)
        #expect(report.timeZone == "Asia/Chita" && report.from == report.to.adding(days: -29))
    }

    @Test("a municipality's report has only its schools' documents; a period before the decisions has none")
    func territoryAndPeriod() async throws {
        let world = try await Self.reviewedWorld()
        let m2 = try await world.service.reviewTimes(ReviewTimesQuery(municipalityCode: "M2"), for: try await world.actor("mun-M2"))
        #expect(m2.reviewers.map(\.login) == ["curator2"] && m2.reviewers[0].figures.decided == 0 && m2.reviewers[0].figures.waitingNow == 1)
        #expect(m2.municipalityCode == "M2" && m2.regionCode == "R1" && !m2.isCountry)
        let before = try await world.service.reviewTimes(
            ReviewTimesQuery(regionCode: "R1", from: CalendarDate("2026-01-01")!, to: CalendarDate("2026-03-14")!),
            for: try await world.actor("reg-R1"))
        #expect(before.totals.decided == 0 && before.reviewers.map(\.login) == ["curator2"], "what waits now is shown whatever the period")
        let r2 = try await world.service.reviewTimes(ReviewTimesQuery(regionCode: "R2"), for: try await world.actor("federal"))
        #expect(r2.reviewers.isEmpty && r2.totals.decided == 0)
    }

    @Test("a withdrawn submission is no decision; a municipality's own document waits for the region, not for a curator")
    func withdrawnAndTerritoryDocuments() async throws {
        let world = try await TestWorld()
        let a = try await world.submittedDocument(school: "A")
        world.clock.advance(by: Self.day)
        _ = try await world.act(.withdraw, on: a, by: "school-A")
        let coordinator = try await world.actor("mun-M1")
        let order = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .order,
                                                               municipalityID: try await world.municipalityID("M1")), by: coordinator)
        let uploaded = try await world.service.upload(itemID: order.item.id, fileName: "приказ.pdf", chunks: OneChunk(bytes: TestWorld.pdf("п")),
                                                      by: coordinator)
        _ = try await world.act(.submit, on: uploaded, by: "mun-M1")
        let report = try await world.service.reviewTimes(ReviewTimesQuery(regionCode: "R1"), for: try await world.actor("reg-R1"))
        #expect(report.totals.decided == 0 && report.reviewers.isEmpty)
        #expect(report.totals.waitingNow == 1 && report.totals.waitingTerritoryDocuments == 1 && report.totals.waitingWithoutCurator == 0)
    }

    @Test("only those who watch the territory see its reviewers' times")
    func visibility() async throws {
        let world = try await Self.reviewedWorld()
        for (login, query) in [("mun-M1", ReviewTimesQuery(municipalityCode: "M2")), ("reg-R2", ReviewTimesQuery(regionCode: "R1")),
                               ("school-A", ReviewTimesQuery(regionCode: "R1")), ("curator1", ReviewTimesQuery(regionCode: "R1"))] {
            await #expect(throws: MEDKError.self, "\(login)") {
                try await world.service.reviewTimes(query, for: try await world.actor(login))
            }
        }
    }

    @Test("the slowest is marked only among two or more who decided, ties all marked")
    func slowestNeedsComparison() {
        func decided(_ wait: Int) -> WaitDistribution {
            var distribution = WaitDistribution()
            distribution.add(waitSeconds: wait, returned: false)
            return distribution
        }
        let names: [Int64: (login: String, fullName: String)] = [1: ("c1", "К1"), 2: ("c2", "К2"), 3: ("c3", "К3")]
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(ReviewTimesBuilder.reviewers([1: decided(100)], names: names, [], now: now).map(\.figures.isSlowest) == [false])
        let three = ReviewTimesBuilder.reviewers([1: decided(100), 2: decided(300), 3: decided(300)], names: names, [], now: now)
        #expect(three.map(\.login) == ["c2", "c3", "c1"] && three.map(\.figures.isSlowest) == [true, true, false])
    }

    @Test("percentiles are by nearest rank: the ⌈n/2⌉-th and ⌈0.9·n⌉-th wait in order", arguments: [
        ([5], 5, 5), ([1, 2], 1, 2), ([3, 1, 2], 2, 3), ([4, 1, 3, 2], 2, 4), (Array(1...10), 5, 9), (Array(1...11), 6, 10),
        (Array(1...100).reversed(), 50, 90)] as [([Int], Int, Int)])
    func nearestRank(_ waits: [Int], _ median: Int, _ p90: Int) throws {
        var distribution = WaitDistribution()
        for wait in waits { distribution.add(waitSeconds: wait, returned: wait.isMultiple(of: 2)) }
        let percentiles = try #require(distribution.percentiles())
        #expect(percentiles.median == median && percentiles.p90 == p90 && percentiles.longest == waits.max())
        #expect(distribution.decided == waits.count && distribution.returned == waits.filter { $0.isMultiple(of: 2) }.count)
    }

    @Test("the country is shown by region, the slowest region first, to drill into")
    func countryByRegion() async throws {
        let world = try await Self.reviewedWorld()
        let e = try await world.submittedDocument(school: "E")
        world.clock.advance(by: 3600)
        _ = try await world.act(.confirm, on: e, by: "curator2")
        let country = try await world.service.reviewTimes(ReviewTimesQuery(), for: try await world.actor("federal"))
        #expect(country.reviewers.isEmpty && country.isCountry && country.timeZone == "Europe/Moscow")
        #expect(country.regions.map(\.regionCode) == ["R1", "R2"])
        let r1 = country.regions[0].figures, r2 = country.regions[1].figures
        #expect(r1.decided == 4 && r1.returned == 1 && r1.medianSeconds == 2 * 86_400 && r1.waitingNow == 1 && r1.isSlowest)
        #expect(r2.decided == 1 && r2.medianSeconds == 3600 && r2.waitingNow == 0 && !r2.isSlowest)
        #expect(country.totals.decided == 5 && country.totals.waitingNow == 1)
    }

    @Test("a period that ends before it starts is refused")
    func invalidPeriod() async throws {
        let world = try await TestWorld()
        let error = await #expect(throws: MEDKError.self) {
            try await world.service.reviewTimes(ReviewTimesQuery(regionCode: "R1", from: CalendarDate("2026-03-10")!,
                                                                 to: CalendarDate("2026-03-01")!), for: try await world.actor("reg-R1"))
        }
        #expect(error?.code == "invalid_period")
    }

    @Test("the rounds rebuilt from the audit trail (as the migration does) equal those kept as documents moved", .enabled(if: TestWorld.onSQLite, "reads the SQLite file directly"))
    func backfillAgreesWithTriggers() async throws {
        let world = try await Self.reviewedWorld()
        let database = try DatabaseQueue(path: world.directory.appendingPathComponent("medk.sqlite").path)
        let query = "SELECT item_id, round, campaign_id, region_id, municipality_id, school_id, submitted_at, closed_at, closed_by, "
            + "outcome, wait_seconds FROM review_rounds ORDER BY item_id, round"
        @Sendable func texts(_ db: Database) throws -> [[String]] {
            try Row.fetchAll(db, sql: query).map { $0.databaseValues.map(\.description) }
        }
        let (kept, rebuilt) = try await database.writeWithoutTransaction { db in
            var result: ([[String]], [[String]]) = ([], [])
            try db.inTransaction {
                let kept = try texts(db)
                try db.execute(sql: "DELETE FROM review_rounds")
                try db.execute(sql: Migrations.v12Backfill)
                result = (kept, try texts(db))
                return .rollback
            }
            return result
        }
        #expect(kept.count == 5)
        #expect(kept == rebuilt)
    }

    @Test("waits are written as people say them", arguments: [
        (nil, "—"), (0, "0 мин"), (59, "1 мин"), (1800, "30 мин"), (3 * 3600, "3 ч"), (86_400, "1 дн."),
        (86_400 + 43_200, "1,5 дн."), (10 * 86_400 + 3600, "10 дн.")] as [(Int?, String)])
    func waitText(_ seconds: Int?, _ expected: String) {
        #expect(WaitText.russian(seconds: seconds) == expected)
    }
}
