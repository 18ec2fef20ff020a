import Foundation
@testable import MEDKCore
import Testing

/// The database filters lists by the policy's reach; these random worlds hold the two together:
/// every list the store returns must be exactly the items the policy allows one by one.
@Suite("Lists filtered in SQL equal the policy item by item")
struct VisibilityPropertyTests {
    /// A random territory with users holding several grants, curators of several schools in two
    /// campaigns, school, municipal and regional items in every state submitted by anyone (reviewers too).
    struct World {
        let service: MEDKService
        let directory: URL
        var logins: [String] = []
        var itemIDs: [Int64] = []
        var campaignCodes: [String] = []
        var campaignIDs: [Int64] = []
        /// Every measure: its id, roadmap, due date, whether its report was ever confirmed, and
        /// whether it is a commitment (its roadmap sent to review, or its report confirmed).
        var measures: [(id: Int64, roadmap: Int64, due: CalendarDate, confirmed: Bool, committed: Bool)] = []
        let now = Date(timeIntervalSince1970: 1_790_000_000)

        init(seed: UInt64) async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("medk-world-\(UUID().uuidString)")
            service = try MEDKService(dataDirectory: directory, clock: ManualClock(Date(timeIntervalSince1970: 1_790_000_000)),
                                      hasher: .fastForTests)
            let now = self.now
            let zones = ["Asia/Chita", "Europe/Moscow", "Asia/Kamchatka"]
            typealias MeasureFact = (id: Int64, roadmap: Int64, due: CalendarDate, confirmed: Bool, committed: Bool)
            let built: (logins: [String], items: [Int64], campaigns: [String], campaignIDs: [Int64], measures: [MeasureFact])
                = try await service.write { store in
                var random = SeededRandom(seed: seed)
                var regions: [Int64] = [], municipalities: [(id: Int64, region: Int64)] = [], schools: [(id: Int64, municipality: Int64, region: Int64)] = []
                for r in 0..<3 {
                    let region = try store.insertRegion(code: "R\(r)", name: "Регион \(r)", timeZone: zones[r])
                    regions.append(region)
                    for m in 0..<2 {
                        let municipality = try store.insertMunicipality(code: "M\(r)\(m)", name: "МО \(r)\(m)", regionID: region)
                        municipalities.append((municipality, region))
                        for s in 0..<random.int(1...3) {
                            let school = try store.insertSchool(School(id: 0, municipalityID: municipality, code: "S\(r)\(m)\(s)",
                                                                       name: "Школа \(r)\(m)\(s)", lowResults: true,
                                                                       hardSocialConditions: false, programmeYears: ""))
                            schools.append((school, municipality, region))
                        }
                    }
                }
                var campaigns: [Int64] = []
                var codes: [String] = []
                for c in 0..<2 {
                    let id = try store.insertCampaign(code: "C\(c)", name: "Кампания \(c)", year: 2026 + c)
                    campaigns.append(id)
                    codes.append("C\(c)")
                    for school in schools where random.chance(0.8) { try store.addParticipant(campaignID: id, schoolID: school.id) }
                }
                var users: [Int64] = []
                var logins: [String] = []
                for u in 0..<14 {
                    let id = try store.insertUser(login: "user\(u)", fullName: "Пользователь \(u)", email: nil, passwordHash: nil, at: now)
                    users.append(id)
                    logins.append("user\(u)")
                    var grants = Set<RoleGrant>()
                    for _ in 0..<random.int(1...3) {
                        let grant: RoleGrant = switch random.int(0...7) {
                        case 0, 1: RoleGrant(role: .school, organisationID: random.pick(schools).id)
                        case 2, 3: RoleGrant(role: .curator, organisationID: random.pick(regions))
                        case 4: RoleGrant(role: .municipal, organisationID: random.pick(municipalities).id)
                        case 5: RoleGrant(role: .regional, organisationID: random.pick(regions))
                        case 6: RoleGrant(role: .federal)
                        default: RoleGrant(role: random.chance(0.5) ? .admin : .school, organisationID: nil)
                        }
                        // A scoped role without its organisation is what a broken import could leave: it must reach nothing.
                        if grant.role.scopeKind != nil && grant.organisationID == nil { continue }
                        grants.insert(grant)
                    }
                    for grant in grants { try store.insertGrant(userID: id, grant) }
                    if grants.contains(where: { $0.role == .curator }) {
                        for campaign in campaigns {
                            for school in schools where random.chance(0.3) {
                                guard try store.participates(campaignID: campaign, schoolID: school.id) else { continue }
                                try store.insertAssignment(campaignID: campaign, schoolID: school.id, curatorID: id, at: now)
                            }
                        }
                    }
                }
                var items: [Int64] = []
                let kinds: [ItemKind] = [.order, .meetingProtocol, .agreement, .analyticalNote]
                for i in 0..<90 {
                    let campaign = random.pick(campaigns)
                    let path: OrganisationPath
                    if random.chance(0.75) {
                        let school = random.pick(schools)
                        path = OrganisationPath(regionID: school.region, municipalityID: school.municipality, schoolID: school.id)
                    } else {
                        let municipality = random.pick(municipalities)
                        path = OrganisationPath(regionID: municipality.region, municipalityID: municipality.id, schoolID: nil)
                    }
                    let at = now.addingTimeInterval(TimeInterval(i * 60))
                    let id = try store.insertItem(ItemDraft(campaignID: campaign, kind: random.pick(kinds), path: path, title: "Документ \(i)",
                                                            createdAt: at, createdBy: random.pick(users)))
                    items.append(id)
                    // Walk it through review: anyone may have submitted it (a reviewer too), and it may be decided.
                    let steps = random.int(0...3)
                    var state = ReviewState.draft
                    for step in 0..<steps {
                        let action: ReviewAction = step == 0 || state == .returned ? .submit : (random.chance(0.5) ? .confirm : .return)
                        guard let item = try store.item(id: id), let next = ReviewStateMachine.target(of: action, from: state) else { break }
                        let done = try store.changeState(of: item, ItemStateChange(action: action, to: next, revision: item.revision + 1,
                                                                                  at: at.addingTimeInterval(TimeInterval(step * 7 + 1)),
                                                                                  by: random.pick(users)))
                        if done { state = next }
                    }
                }
                // Roadmaps of some schools and municipalities, with measures due around now and some reports confirmed.
                var measures: [MeasureFact] = []
                let today = CalendarDate(year: 2026, month: 9, day: 21)!
                for campaign in campaigns {
                    var owners = schools.filter { _ in random.chance(0.4) }
                        .map { OrganisationPath(regionID: $0.region, municipalityID: $0.municipality, schoolID: $0.id) }
                    owners += municipalities.filter { _ in random.chance(0.3) }
                        .map { OrganisationPath(regionID: $0.region, municipalityID: $0.id, schoolID: nil) }
                    // The regions' own roadmaps: no municipality, kept by the regional coordinator, reviewed by FIOCO.
                    owners += regions.filter { _ in random.chance(0.5) }.map { OrganisationPath.region($0) }
                    for path in owners {
                        let roadmapID = try store.insertItem(ItemDraft(campaignID: campaign, kind: .roadmap, path: path, title: "Дорожная карта",
                                                                       createdAt: now, createdBy: random.pick(users)))
                        items.append(roadmapID)
                        let roadmap = try store.item(id: roadmapID)!
                        var added: [MeasureFact] = []
                        for m in 0..<random.int(1...4) {
                            let due = today.adding(days: random.int(-20...5))
                            let id = try store.insertMeasures(roadmap: roadmap, position: m + 1, [MeasureFields(
                                task: "Задача", title: "Мероприятие \(m)", dueDate: due, responsible: "Директор", expectedResult: "Результат",
                                indicator: "Показатель", plannedValue: "1")], at: now)[0]
                            var confirmed = false
                            if random.chance(0.5) {
                                let reportID = try store.insertItem(ItemDraft(campaignID: campaign, kind: .measureReport, path: path, measureID: id,
                                                                              title: "Отчёт", createdAt: now, createdBy: random.pick(users)))
                                items.append(reportID)
                                var report = try store.item(id: reportID)!
                                _ = try store.changeState(of: report, ItemStateChange(action: .submit, to: .submitted, revision: 2, at: now, by: random.pick(users)))
                                if random.chance(0.6) {
                                    report = try store.item(id: reportID)!
                                    confirmed = try store.changeState(of: report, ItemStateChange(action: .confirm, to: .confirmed, revision: 3,
                                                                                                  at: now, by: random.pick(users)))
                                }
                            }
                            added.append((id, roadmapID, due, confirmed, confirmed))
                        }
                        // Some are sent and wait for review (a school's for its curator, a municipality's for its region,
                        // a region's for FIOCO): their measures become commitments; the others stay drafts.
                        if random.chance(0.5) {
                            _ = try store.changeState(of: try store.item(id: roadmapID)!, ItemStateChange(
                                action: .submit, to: .submitted, revision: 2, at: now, by: random.pick(users)))
                            added = added.map { ($0.id, $0.roadmap, $0.due, $0.confirmed, true) }
                        }
                        measures += added
                    }
                }
                return (logins, items, codes, campaigns, measures)
            }
            logins = built.logins
            itemIDs = built.items
            campaignCodes = built.campaigns
            campaignIDs = built.campaignIDs
            measures = built.measures
        }

        func cleanUp() { try? FileManager.default.removeItem(at: directory) }

        /// Every item as the policy sees it.
        func everything() async throws -> [StoredItem] {
            let ids = itemIDs
            return try await service.read { store in try ids.compactMap { try store.item(id: $0) } }
        }
    }

    /// Reads a whole list page by page (small pages, so that paging itself is tested too).
    static func all<T: Sendable>(_ read: (PageRequest) async throws -> Page<T>) async throws -> [T] {
        var rows: [T] = []
        var page = PageRequest(limit: 7)
        while true {
            let chunk = try await read(page)
            rows += chunk.items
            #expect(chunk.items.count <= 7)
            guard let next = chunk.nextCursor else {
                #expect(rows.count == chunk.total, "the total counts what the pages hold")
                return rows
            }
            page.after = next
        }
    }

    @Test("items, the review queue and overdue lists equal Policy.allows item by item", arguments: 1...12)
    func sameAsPolicy(seed: UInt64) async throws {
        let world = try await World(seed: seed)
        defer { world.cleanUp() }
        let items = try await world.everything()
        for login in world.logins {
            let actor = try await world.service.actor(login: login)
            let listed = try await Self.all { try await world.service.items(for: actor, page: $0) }.map(\.id)
            let viewable = items.filter { Policy.allows(actor, .viewItem($0.scope)) }.map(\.id).sorted(by: >)
            #expect(listed == viewable, "\(login) \(actor.grants): items differ")

            let queued = try await Self.all { try await world.service.queue(for: actor, page: $0) }.map(\.item.id)
            let reviewable = items.filter { $0.state == .submitted && Policy.allows(actor, .reviewItem($0.scope)) }
                .sorted { ($0.summary.submittedAt!, $0.id) < ($1.summary.submittedAt!, $1.id) }.map(\.id)
            #expect(queued == reviewable, "\(login) \(actor.grants): queue differs")

            let byID = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0) })
            for (code, campaignID) in zip(world.campaignCodes, world.campaignIDs) {
                let inCampaign = try await Self.all { page in
                    try await world.service.items(for: actor, filter: ItemFilter(campaignID: campaignID), page: page)
                }.map(\.id)
                #expect(inCampaign == viewable.filter { byID[$0]?.campaignID == campaignID }, "\(login): items of \(code) differ")

                // Overdue: a commitment due before today in the owner's zone (the clock stands at 2026-09-21 14:13 UTC:
                // still the 21st in Moscow and Chita, already the 22nd in Kamchatka), no confirmed report, a roadmap the
                // actor may open.
                let overdue = try await Self.all { page in
                    try await world.service.overdueMeasures(OverdueQuery(campaignCode: code, page: page), for: actor).measures
                }.map(\.measureID)
                let expected = world.measures.filter { measure in
                    guard let roadmap = byID[measure.roadmap], roadmap.campaignID == campaignID else { return false }
                    let today = (try? RegionCalendar(timeZoneIdentifier: roadmap.summary.timeZone))?.date(of: world.now)
                    return measure.committed && !measure.confirmed && measure.due < today! && Policy.allows(actor, .viewItem(roadmap.scope))
                }.sorted { ($0.due, $0.id) < ($1.due, $1.id) }.map(\.id)
                #expect(overdue == expected, "\(login) \(actor.grants): overdue measures of \(code) differ")
            }
        }
    }

    @Test("the policy's reach values decide exactly as the policy does", arguments: 1...12)
    func reachMatchesPolicy(seed: UInt64) async throws {
        let world = try await World(seed: seed)
        defer { world.cleanUp() }
        let items = try await world.everything()
        for login in world.logins {
            let actor = try await world.service.actor(login: login)
            for item in items {
                #expect(Policy.visibility(actor, .view).covers(item.scope) == Policy.allows(actor, .viewItem(item.scope)))
                #expect(Policy.visibility(actor, .review).covers(item.scope) == Policy.allows(actor, .reviewItem(item.scope)))
                #expect(Policy.visibility(actor, .own).covers(item.scope) == Policy.allows(actor, .ownItem(item.scope)))
                #expect(Policy.visibility(actor, .comment).covers(item.scope) == Policy.allows(actor, .comment(item.scope)))
            }
        }
    }
}
