import Foundation
import GRDB
import MEDKCore
import MEDKTestSupport
import Testing

/// A territory's item list states its exact total from `item_tallies` (kept by triggers); a
/// school's, a curator's and a reviewer's lists count their items. Either way the total must be
/// what the pages hold, and the tallies what grouping the items gives.
@Suite("Item totals of territories summed from tallies")
struct ItemTalliesTests {
    /// Every item of the actor's list read two at a time, and the total its first page stated.
    static func listed(_ world: TestWorld, _ login: String, _ filter: ItemFilter) async throws -> (rows: Int, total: Int, exact: Bool) {
        let actor = try await world.actor(login)
        let first = try await world.service.items(for: actor, filter: filter, page: PageRequest(limit: 2))
        var rows = first.items.count
        var next = first.nextCursor
        while let cursor = next {
            let more = try await world.service.items(for: actor, filter: filter, page: PageRequest(limit: 2, after: cursor, countsTotal: false))
            rows += more.items.count
            next = more.nextCursor
        }
        return (rows, first.total, !first.totalIsLowerBound)
    }

    /// Each coordinator's total, whole and by campaign, state and kind, is the number of rows listed.
    static func agree(_ world: TestWorld, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let filters = [ItemFilter(), ItemFilter(campaignID: world.campaignID), ItemFilter(kind: .developmentConcept),
                       ItemFilter(kind: .analyticalNote)] + ReviewState.allCases.map { ItemFilter(state: $0) }
        for login in ["federal", "reg-R1", "reg-R2", "mun-M1", "mun-M2", "curator1", "school-A"] {
            for filter in filters {
                let list = try await listed(world, login, filter)
                #expect(list.total == list.rows && list.exact, "\(login) \(filter)", sourceLocation: sourceLocation)
            }
        }
    }

    /// The tallies equal the items grouped, read from the database itself.
    static func tallied(_ path: String) throws -> (tallies: [Row], grouped: [Row]) {
        let queue = try Self.openBeside(path)
        defer { try? queue.close() }
        return try queue.read { db in
            let tallies = try Row.fetchAll(db, sql: """
                SELECT region_id, municipality_id, campaign_id, owner, kind, state, item_count FROM item_tallies
                ORDER BY region_id, municipality_id, campaign_id, owner, kind, state
                """)
            // Owner 0: a school's item; 1: a municipality's own; 2: the region's own (no municipality, kept as 0).
            let grouped = try Row.fetchAll(db, sql: """
                SELECT region_id, ifnull(municipality_id, 0) AS municipality_id, campaign_id,
                       CASE WHEN school_id IS NOT NULL THEN 0 WHEN municipality_id IS NOT NULL THEN 1 ELSE 2 END AS owner,
                       kind, state, count(*) AS item_count
                FROM items GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
                """)
            return (tallies, grouped)
        }
    }

    /// A second connection beside the running service's, which may be checkpointing its log: it waits
    /// for the lock rather than failing at once.
    static func openBeside(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    @Test("items created, submitted, confirmed and returned keep every territory's total equal to its list", .enabled(if: TestWorld.onSQLite, "reads the SQLite file directly"))
    func totalsFollowEveryChange() async throws {
        let world = try await TestWorld()
        let path = world.directory.appendingPathComponent("medk.sqlite").path
        try await Self.agree(world)

        let concept = try await world.submittedDocument(school: "A")
        _ = try await world.draftDocument(.midtermProgramme, school: "D")
        let moscow = try await world.submittedDocument(school: "E")
        let municipal = try await world.actor("mun-M1")
        let note = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .analyticalNote,
                                                              municipalityID: try await world.municipalityID("M1")), by: municipal)
        try await Self.agree(world)

        let returned = try await world.act(.return, on: concept, by: "curator1", comment: "Исправьте")
        _ = try await world.act(.confirm, on: moscow, by: "curator2")
        let resubmitted = try await world.act(.submit, on: try await world.answerRemarks(returned, by: "school-A"), by: "school-A")
        _ = try await world.act(.confirm, on: resubmitted, by: "curator1")
        try await Self.agree(world)

        var tally = try Self.tallied(path)
        #expect(tally.tallies == tally.grouped)
        #expect(tally.tallies.contains { $0[3] == 1 && $0[4] == "analytical_note" && $0[6] == 1 }, "the municipality's own note")

        // Nothing in MEDK deletes an item today; should something, the tally follows it too.
        let queue = try Self.openBeside(path)
        try await queue.write { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DELETE FROM items WHERE id = ?", arguments: [note.item.id])
        }
        try queue.close()
        tally = try Self.tallied(path)
        #expect(tally.tallies == tally.grouped)
        #expect(!tally.tallies.contains { $0[4] == "analytical_note" })
    }

    @Test("the migration counts the items a database already holds", .enabled(if: TestWorld.onSQLite, "reads the SQLite file directly"))
    func migrationCountsExistingItems() async throws {
        let world = try await TestWorld()
        _ = try await world.submittedDocument(school: "B")
        _ = try await world.draftDocument(school: "C")
        let path = world.directory.appendingPathComponent("medk.sqlite").path
        let queue = try Self.openBeside(path)
        try await queue.write { db in
            // The database as it was before the migration that made the tallies as they are now.
            try db.execute(sql: """
                DROP TRIGGER items_tally_insert; DROP TRIGGER items_tally_delete; DROP TRIGGER items_tally_update;
                DROP TABLE item_tallies; DROP INDEX items_single_per_region;
                DELETE FROM grdb_migrations WHERE identifier = 'v10_regional_roadmaps'
                """)
        }
        try queue.close()
        _ = try MEDKService(dataDirectory: world.directory, hasher: .fastForTests)
        let tally = try Self.tallied(path)
        #expect(tally.tallies == tally.grouped)
        #expect(tally.tallies.map { $0[6] as Int }.reduce(0, +) == 2)
    }
}
