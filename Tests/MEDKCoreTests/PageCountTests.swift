import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Totals of long lists")
struct PageCountTests {
    @Test("a list counted from its items stops at the limit and says «more than» past it; a territory's is exact; pages still reach the end")
    func countLimit() async throws {
        let world = try await TestWorld()
        let campaignID = world.campaignID
        // School A's orders, written straight to the store: no progress to keep up with 10,000 of them.
        let school = try await world.schoolID("A")
        let municipality = try await world.service.municipality(code: "M1")
        let path = OrganisationPath(regionID: municipality.regionID, municipalityID: municipality.id, schoolID: school)
        let limit = Page<ItemSummary>.countLimit
        let creator = try await world.actor("school-A").userID
        try await world.service.write { store in
            for number in 0..<(limit + 5) {
                _ = try store.insertItem(ItemDraft(campaignID: campaignID, kind: .order, path: path, title: "Приказ \(number)",
                                                   createdAt: Date(timeIntervalSince1970: 1_773_576_000), createdBy: creator))
            }
        }
        // The curator's list is counted from the items: up to the limit, then «more than».
        let curator = try await world.actor("curator1")
        let first = try await world.service.items(for: curator, page: PageRequest(limit: 500))
        #expect(first.total == limit)
        #expect(first.totalIsLowerBound)
        // The territory's is summed from the tallies: exact, however long.
        let federal = try await world.service.items(for: try await world.actor("federal"), page: PageRequest(limit: 10))
        #expect(federal.total == limit + 5 && !federal.totalIsLowerBound)
        let one = try await world.service.items(for: curator, filter: ItemFilter(kind: .riskProfile))
        #expect(one.total == 0 && !one.totalIsLowerBound)
        // Paging is not limited by the count: the last page comes after limit + 5 rows.
        var seen = first.items.count
        var page = first
        while let next = page.nextCursor {
            page = try await world.service.items(for: curator, page: PageRequest(limit: 500, after: next))
            seen += page.items.count
        }
        #expect(seen == limit + 5)
    }
}
