import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Totals of long lists")
struct PageCountTests {
    @Test("a list is counted exactly up to the limit and says «more than» past it, while pages still reach its end")
    func countLimit() async throws {
        let world = try await TestWorld()
        let campaignID = world.campaignID
        // A municipality's own orders: no school's progress to keep up with 10,000 of them.
        let municipality = try await world.service.municipality(code: "M1")
        let path = OrganisationPath(regionID: municipality.regionID, municipalityID: municipality.id, schoolID: nil)
        let limit = Page<ItemSummary>.countLimit
        let creator = try await world.actor("mun-M1").userID
        try await world.service.write { store in
            for number in 0..<(limit + 5) {
                _ = try store.insertItem(ItemDraft(campaignID: campaignID, kind: .order, path: path, title: "Приказ \(number)",
                                                   createdAt: Date(timeIntervalSince1970: 1_773_576_000), createdBy: creator))
            }
        }
        let federal = try await world.actor("federal")
        let first = try await world.service.items(for: federal, page: PageRequest(limit: 500))
        #expect(first.total == limit)
        #expect(first.totalIsLowerBound)
        let one = try await world.service.items(for: federal, filter: ItemFilter(kind: .riskProfile))
        #expect(one.total == 0 && !one.totalIsLowerBound)
        // Paging is not limited by the count: the last page comes after limit + 5 rows.
        var seen = first.items.count
        var page = first
        while let next = page.nextCursor {
            page = try await world.service.items(for: federal, page: PageRequest(limit: 500, after: next))
            seen += page.items.count
        }
        #expect(seen == limit + 5)
    }
}
