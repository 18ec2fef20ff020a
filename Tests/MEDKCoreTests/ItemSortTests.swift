import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("The documents list in the order a person chooses")
struct ItemSortTests {
    @Test("by title, by the last change, or newest first — page after page, every document once")
    func orders() async throws {
        let world = try await TestWorld()
        var ids: [Int64] = []
        for (school, kind) in [("A", ItemKind.developmentConcept), ("B", .midtermProgramme), ("A", .analyticalNote), ("B", .developmentConcept)] {
            ids.append(try await world.submittedDocument(kind, school: school).item.id)
            world.clock.advance(by: 60)
        }
        // The first document changes last.
        _ = try await world.act(.return, on: try await world.service.item(ids[0], for: try await world.actor("curator1")), by: "curator1",
                                comment: "Нет подписи")
        let region = try await world.actor("reg-R1")
        func all(_ sort: ItemSort) async throws -> [ItemSummary] {
            var rows: [ItemSummary] = []
            var page = PageRequest(limit: 3)
            while true {
                let batch = try await world.service.items(for: region, filter: ItemFilter(sort: sort), page: page)
                rows += batch.items
                guard let next = batch.nextCursor else { return rows }
                page = PageRequest(limit: 3, after: next)
            }
        }
        let newest = try await all(.newest)
        #expect(newest.map(\.id) == ids.reversed())
        let updated = try await all(.updated)
        #expect(updated.first?.id == ids[0] && Set(updated.map(\.id)) == Set(ids) && updated.count == ids.count)
        let titles = try await all(.title).map(\.title)
        #expect(titles == titles.sorted() && titles.count == ids.count)
    }
}
