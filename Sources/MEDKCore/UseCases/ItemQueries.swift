import Foundation

public struct ItemFilter: Sendable, Hashable {
    public var campaignID: Int64?
    public var schoolCode: String?
    public var state: ReviewState?
    public var kind: ItemKind?
    public var sort: ItemSort

    public init(campaignID: Int64? = nil, schoolCode: String? = nil, state: ReviewState? = nil, kind: ItemKind? = nil,
                sort: ItemSort = .newest) {
        self.campaignID = campaignID
        self.schoolCode = schoolCode
        self.state = state
        self.kind = kind
        self.sort = sort
    }
}

/// The order of a list of documents: newest first (as they were created), last changed first, or by title.
public enum ItemSort: String, Codable, Sendable, CaseIterable {
    case newest
    case updated
    case title
}

extension MEDKService {
    /// How many history lines an item page carries; older ones are read page by page.
    public static let historyShown = 100

    /// Items the actor may see, newest first: the policy's visibility is the query's filter.
    public func items(for actor: Actor, filter: ItemFilter = ItemFilter(), page: PageRequest = .first) async throws -> Page<ItemSummary> {
        try await read { store in
            guard let listFilter = try Self.listFilter(store, filter) else { return Page(items: [], total: 0, nextCursor: nil) }
            return try store.items(Policy.visibility(actor, .view), listFilter, page: page)
        }
    }

    /// Submitted items this actor may decide on, longest waiting first.
    public func queue(for actor: Actor, filter: ItemFilter = ItemFilter(), page: PageRequest = .first) async throws -> Page<QueueEntry> {
        let now = now()
        return try await read { store in
            guard let listFilter = try Self.listFilter(store, filter) else { return Page(items: [], total: 0, nextCursor: nil) }
            return try store.queue(Policy.visibility(actor, .review), listFilter, page: page).map { item in
                let since = item.submittedAt ?? item.updatedAt
                return QueueEntry(item: item, waitingSince: since, waitingHours: max(0, Int(now.timeIntervalSince(since) / 3600)))
            }
        }
    }

    /// The schools an actor works with, when few enough to pick from a list (a curator's, a
    /// school team's, a municipality's); nil for a region or the country, where a code is typed.
    public func schoolChoices(for actor: Actor, limit: Int = 300) async throws -> [School]? {
        try await read { store in
            var schools: [Int64: School] = [:]
            for reach in Policy.visibility(actor, .view).reaches {
                switch reach {
                case .everything, .region:
                    return nil
                case .municipality(let id):
                    let page = try store.schools(OrganisationQuery(municipalityID: id), page: PageRequest(limit: limit))
                    guard page.nextCursor == nil else { return nil }
                    for school in page.items { schools[school.id] = school }
                case .school(let id):
                    if let school = try store.school(id: id) { schools[id] = school }
                case .curated(let pair):
                    if let school = try store.school(id: pair.schoolID) { schools[school.id] = school }
                case .municipalItemsOf, .municipalItemsIn, .regionalItemsOf, .regionalItems:
                    break
                }
                if schools.count > limit { return nil }
            }
            return schools.values.sorted { $0.code < $1.code }
        }
    }

    /// The filter with codes resolved; nil when a named school does not exist (nothing matches).
    private static func listFilter(_ store: any StoreReading, _ filter: ItemFilter) throws -> ItemListFilter? {
        var schoolID: Int64?
        if let code = filter.schoolCode {
            guard let school = try store.school(code: code) else { return nil }
            schoolID = school.id
        }
        return ItemListFilter(campaignID: filter.campaignID, schoolID: schoolID, state: filter.state, kind: filter.kind, sort: filter.sort)
    }

    /// Everything about one item, with its files, recent history and what the actor may do next.
    public func item(_ id: Int64, for actor: Actor) async throws -> ItemDetail {
        let now = now()
        return try await read { store in
            let item = try Self.load(store, id)
            _ = try Policy.authorize(actor, .viewItem(item.scope))
            return try Self.detail(store, item, actor: actor, now: now)
        }
    }

    /// One item's whole history, newest first, page by page.
    public func itemHistory(_ id: Int64, page: PageRequest = .first, for actor: Actor) async throws -> Page<HistoryEntry> {
        try await read { store in
            _ = try Policy.authorize(actor, .viewItem(try Self.load(store, id).scope))
            return try store.history(itemID: id, page: page)
        }
    }

    static func detail(_ store: any StoreReading, _ item: StoredItem, actor: Actor, now: Date) throws -> ItemDetail {
        let history = try store.history(itemID: item.id, page: PageRequest(limit: historyShown))
        let calendar = try item.calendar()
        var detail = ItemDetail(
            item: item.summary, files: try store.files(itemID: item.id), confirmedVersion: item.confirmedVersion,
            history: history.items.reversed(), historyTotal: history.total, riskProfile: nil, measures: nil,
            completenessProblems: nil, completenessFindings: nil, measure: nil, allowedActions: allowedActions(actor, item),
            mayComment: Policy.allows(actor, .comment(item.scope)),
            mayReportMeasures: item.kind == .roadmap && item.firstConfirmedAt != nil && Policy.allows(actor, .ownItem(item.scope)))
        detail.remarks = try store.remarks(itemID: item.id)
        if item.state == .submitted {
            detail.changesSinceDecision = try ChangesSinceDecision.read(store, itemID: item.id, files: detail.files)
        }
        switch item.kind {
        case .riskProfile:
            detail.riskProfile = try store.riskProfile(itemID: item.id)
        case .roadmap:
            let measures = try store.measures(roadmapID: item.id, calendar: calendar, at: now)
            detail.measures = measures
            // Dates already past matter only while the measures are not yet promised.
            let check = RoadmapCompleteness.check(measures, owner: item.owner, today: calendar.date(of: now))
            detail.completenessProblems = check.blocking
            detail.completenessFindings = check.findings
        case .measureReport:
            detail.measure = try item.measureID.flatMap { try store.measure(id: $0, calendar: calendar, at: now) }
        default:
            break
        }
        return detail
    }

    static func allowedActions(_ actor: Actor, _ item: StoredItem) -> [ReviewAction] {
        ReviewAction.allCases.filter { action in
            guard ReviewStateMachine.target(of: action, from: item.state) != nil else { return false }
            let permission: Permission = action.isReviewDecision ? .reviewItem(item.scope) : .ownItem(item.scope)
            return Policy.allows(actor, permission)
        }
    }

    /// The bytes of one version, for download; the caller sends them as an attachment.
    public func fileVersion(itemID: Int64, version: Int, for actor: Actor) async throws -> (FileVersion, FileContent) {
        let fileVersion: FileVersion = try await read { store in
            _ = try Policy.authorize(actor, .viewItem(try Self.load(store, itemID).scope))
            guard let file = try store.files(itemID: itemID).first(where: { $0.version == version }) else {
                throw MEDKError.notFound("Версия \(version) файла документа №\(itemID)")
            }
            return file
        }
        return (fileVersion, files.content(sha256: fileVersion.sha256, size: fileVersion.size))
    }
}
