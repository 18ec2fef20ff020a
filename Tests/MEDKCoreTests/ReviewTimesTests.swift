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
        a = try await world.act(.submit, on: a, by: "school-A")
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
        #expect(first.decided == 3 && first.returned == 1 && first.returnedShare == 1.0 / 3)
        #expect(first.medianSeconds == 2 * 86_400 && first.p90Seconds == 3 * 86_400 && first.longestSeconds == 3 * 86_400)
        #expect(first.waitingNow == 0 && first.oldestWaitingSince == nil && !first.isSlowest)
        let second = try #require(report.reviewers.first)
        #expect(second.decided == 1 && second.medianSeconds == 6 * 86_400 && second.isSlowest)
        #expect(second.waitingNow == 1 && second.oldestWaitingDays == 2, "D's document has waited two days and an hour")
        #expect(report.totals.decided == 4 && report.totals.returned == 1 && report.totals.waitingNow == 1)
        #expect(report.totals.medianSeconds == 2 * 86_400 && report.totals.p90Seconds == 6 * 86_400)
        #expect(report.timeZone == "Asia/Chita" && report.from == report.to.adding(days: -29))
    }

    @Test("a municipality's report has only its schools' documents; a period before the decisions has none")
    func territoryAndPeriod() async throws {
        let world = try await Self.reviewedWorld()
        let m2 = try await world.service.reviewTimes(ReviewTimesQuery(municipalityCode: "M2"), for: try await world.actor("mun-M2"))
        #expect(m2.reviewers.map(\.login) == ["curator2"] && m2.reviewers[0].decided == 0 && m2.reviewers[0].waitingNow == 1)
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
        func decision(_ id: Int64, median: Int) -> DecisionSummary {
            DecisionSummary(decider: id, login: "c\(id)", fullName: "Куратор \(id)", decided: 1, returned: 0,
                            medianSeconds: median, p90Seconds: median, longestSeconds: median)
        }
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(ReviewTimesBuilder.reviewers([decision(1, median: 100)], [], now: now).map(\.isSlowest) == [false])
        let three = ReviewTimesBuilder.reviewers([decision(1, median: 100), decision(2, median: 300), decision(3, median: 300)], [], now: now)
        #expect(three.map(\.login) == ["c2", "c3", "c1"] && three.map(\.isSlowest) == [true, true, false])
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

    @Test("the rounds rebuilt from the audit trail (as the migration does) equal those kept as documents moved")
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
