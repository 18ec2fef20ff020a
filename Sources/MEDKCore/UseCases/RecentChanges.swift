import Foundation

/// What others did to the documents a person follows since their previous visit (else in the last
/// week): the «что изменилось» of a first page. A school's agenda has it for its own documents;
/// a curator has it for the documents of the schools they review — sent, answered, withdrawn.
public struct RecentChanges: Sendable, Hashable {
    public var since: Date
    public var sinceIsPreviousVisit: Bool
    public var changes: [SchoolAgenda.Change]
}

public struct CuratorChanges: Sendable {
    let service: MEDKService

    /// Most documents looked at: a dozen schools with a few dozen documents and reports each.
    static let maximumItems = 2_000

    public func changes(campaignCode: String? = nil, for actor: Actor) async throws -> RecentChanges {
        let curated = try await service.curatedSchools(campaignCode: campaignCode, for: actor)
        var items: [ItemSummary] = []
        if !curated.schools.isEmpty {
            var page = PageRequest(limit: PageRequest.maximumLimit, countsTotal: false)
            while items.count < Self.maximumItems {
                let batch = try await service.items(for: actor, filter: ItemFilter(campaignID: curated.campaign.id), page: page)
                items += batch.items
                guard let next = batch.nextCursor else { break }
                page.after = next
            }
        }
        let now = service.now()
        let found = items
        return try await service.read { store in
            let previous = try store.previousVisit(userID: actor.userID)
            let since = previous ?? now.addingTimeInterval(-7 * 86_400)
            // «Концепция развития — МОУ «СОШ № 7»»: a curator follows many schools' documents of the same names.
            let titles = Dictionary(uniqueKeysWithValues: found.map { ($0.id, "\($0.title) — \($0.ownerName)") })
            let changes = found.isEmpty ? [] : try store.changes(itemIDs: found.map(\.id), since: since, notBy: actor.userID,
                                                                 limit: SchoolAgendas.changesShown)
                .map { SchoolAgenda.Change(itemID: $0.itemID, itemTitle: titles[$0.itemID] ?? "", entry: $0.entry) }
            return RecentChanges(since: since, sinceIsPreviousVisit: previous != nil, changes: changes)
        }
    }
}

extension MEDKService {
    public var curatorChanges: CuratorChanges { CuratorChanges(service: self) }
}
