import Foundation

public struct DeadlinesQuery: Sendable, Hashable {
    public var regionCode: String?
    public var municipalityCode: String?
    public var campaignCode: String?
    /// Judge as of the end of this date in each school's own zone; nil means now.
    public var asOf: CalendarDate?
    /// Which page of the territory's schools to list (regions and municipalities).
    public var page: PageRequest
    /// Every school on one page: for exports of a region or municipality.
    public var allSchools: Bool
    /// Only schools with something missing, late, returned or overdue.
    public var onlyLagging: Bool
    /// Only schools whose milestone of this kind stands so: what a count in a territory's row is of.
    public var milestone: MilestoneFilter?
    /// The order of the territory's schools.
    public var sort: ComplianceSort = .place

    public init(regionCode: String? = nil, municipalityCode: String? = nil, campaignCode: String? = nil, asOf: CalendarDate? = nil,
                page: PageRequest = .first, allSchools: Bool = false, onlyLagging: Bool = false) {
        self.regionCode = regionCode
        self.municipalityCode = municipalityCode
        self.campaignCode = campaignCode
        self.asOf = asOf
        self.page = page
        self.allSchools = allSchools
        self.onlyLagging = onlyLagging
    }
}

/// How a territory's schools are ordered: by municipality and code (as the table has always been),
/// by name, by overdue measures (most first), or by one milestone, the furthest behind first.
public enum ComplianceSort: Hashable, Sendable {
    case place
    case name
    case overdueMeasures
    case milestone(ItemKind)

    /// As a page's address writes it: «name», «overdue», «roadmap»…; nil for anything else.
    public init?(parameter: String) {
        switch parameter {
        case "place": self = .place
        case "name": self = .name
        case "overdue": self = .overdueMeasures
        default:
            guard let kind = ItemKind(rawValue: parameter) else { return nil }
            self = .milestone(kind)
        }
    }

    public var parameter: String {
        switch self {
        case .place: "place"
        case .name: "name"
        case .overdueMeasures: "overdue"
        case .milestone(let kind): kind.rawValue
        }
    }

    /// Whether `a` comes before `b`; ties fall back to the municipality and the code, so pages never shuffle.
    func precedes(_ a: SchoolCompliance, _ b: SchoolCompliance) -> Bool {
        let place = { (a.municipalityCode, a.schoolCode) < (b.municipalityCode, b.schoolCode) }
        switch self {
        case .place:
            return place()
        case .name:
            let order = a.schoolName.localizedStandardCompare(b.schoolName)
            return order == .orderedSame ? place() : order == .orderedAscending
        case .overdueMeasures:
            return a.measures.overdue == b.measures.overdue ? place() : a.measures.overdue > b.measures.overdue
        case .milestone(let kind):
            let severity = { (school: SchoolCompliance) in school.milestones.first { $0.kind == kind }?.status.severity ?? Int.max }
            return severity(a) == severity(b) ? place() : severity(a) < severity(b)
        }
    }
}

/// Schools whose milestone of `kind` stands at `status`.
public struct MilestoneFilter: Sendable, Hashable {
    public var kind: ItemKind
    public var status: MilestoneStatus

    public init(kind: ItemKind, status: MilestoneStatus) {
        self.kind = kind
        self.status = status
    }
}

/// A monitoring territory with its name and code.
struct Territory {
    var scope: MonitoringScope
    var name: String
    var code: String?
}

extension MEDKService {
    /// Deadline compliance of a territory, judged from each school's stored progress: the
    /// country summed by region, a region by municipality with a page of its schools, a
    /// municipality with its schools. As of a past date it costs what it costs for now.
    public func deadlines(_ query: DeadlinesQuery, for actor: Actor) async throws -> ComplianceReport {
        let now = now()
        // Each report already uses every core (see `ComplianceBuilder.tallied`); the gate keeps their memory bounded.
        return try await reportGate.holding {
            try await self.read { store in
                let campaign = try Self.campaignForReport(store, code: query.campaignCode)
                let territory = try Self.territory(store, regionCode: query.regionCode, municipalityCode: query.municipalityCode, actor: actor)
                _ = try Policy.authorize(actor, .viewMonitoring(territory.scope))
                var report = try ComplianceBuilder(store: store, campaign: campaign, territory: territory, asOf: query.asOf, now: now,
                                                   cache: self.countryParts.compliance).build(query)
                // The territories' own roadmaps, today or as they stood at the end of the as-of day.
                if case .municipality(let regionID, let municipalityID) = territory.scope {
                    report.municipalRoadmap = try Self.ownRoadmap(
                        store, .municipal(campaignID: campaign.id, regionID: regionID, municipalityID: municipalityID),
                        ItemListFilter(campaignID: campaign.id, municipalOwnID: municipalityID, kind: .roadmap), for: actor, now: now,
                        asOf: query.asOf)
                }
                if case .region(let regionID) = territory.scope {
                    report.parts = try Self.withMunicipalRoadmaps(store, report.parts, campaignID: campaign.id, regionID: regionID,
                                                                  for: actor, now: now, asOf: query.asOf)
                    report.regionalRoadmap = try Self.ownRoadmap(
                        store, .regional(campaignID: campaign.id, regionID: regionID),
                        ItemListFilter(campaignID: campaign.id, regionalOwnID: regionID, kind: .roadmap), for: actor, now: now,
                        asOf: query.asOf)
                }
                return report
            }
        }
    }

    /// Each municipality of a region's report with its own roadmap (or none started), counted today
    /// or, with `asOf`, as it stood at the end of that day in the region's zone.
    static func withMunicipalRoadmaps(_ store: any StoreReading, _ parts: [TerritoryCompliance], campaignID: Int64, regionID: Int64,
                                      for actor: Actor, now: Date, asOf: CalendarDate? = nil) throws -> [TerritoryCompliance] {
        guard let region = try store.region(id: regionID) else { return parts }
        let calendar = try RegionCalendar.cached(region.timeZone)
        let today = calendar.date(of: now)
        var byMunicipality: [Int64: MunicipalRoadmapCount] = [:]
        for count in try store.municipalRoadmaps(campaignID: campaignID, regionID: regionID, today: today) {
            byMunicipality[count.municipalityID] = count
        }
        if let asOf {
            // A roadmap created after that day had not been started; the others are judged from their history.
            let cutoff = calendar.endOfDay(asOf)
            for (municipalityID, count) in byMunicipality {
                if let past = try store.roadmapHistory(roadmapID: count.roadmapID)?.status(before: cutoff, calendar: calendar),
                   let state = past.state {
                    byMunicipality[municipalityID] = MunicipalRoadmapCount(municipalityID: municipalityID, roadmapID: count.roadmapID,
                                                                           state: state, measures: past.measures)
                } else {
                    byMunicipality[municipalityID] = nil
                }
            }
        }
        var codes: [String: Int64] = [:]
        for municipality in try store.municipalities(regionIDs: [regionID]) { codes[municipality.code] = municipality.id }
        let evaluations = try store.latestPackageEvaluations(campaignID: campaignID, regionID: regionID)
        return parts.map { part in
            var part = part
            // Only what the actor could open as items is told (the region's coordinators and the federal operator can).
            guard let municipalityID = codes[part.code], Policy.allows(actor, .viewItem(
                .municipal(campaignID: campaignID, regionID: regionID, municipalityID: municipalityID))) else {
                return part
            }
            let count = byMunicipality[municipalityID]
            part.municipalRoadmap = MunicipalRoadmapStatus(roadmapID: count?.roadmapID, state: count?.state, stateName: count?.state.russianName,
                                                           measures: count?.measures ?? MeasureTotals(), overdue: [])
            part.packageEvaluation = PackageEvaluationTotal(evaluations[municipalityID])
            return part
        }
    }

    /// A territory's own roadmap (a municipality's or the region's, found by `filter` among the items of
    /// `scope`) with its measures counted today in the owner's zone; what the actor may not open is not
    /// shown (nil), so the report never tells more than the items would.
    static func ownRoadmap(_ store: any StoreReading, _ scope: ItemScope, _ filter: ItemListFilter,
                           for actor: Actor, now: Date, asOf: CalendarDate? = nil) throws -> MunicipalRoadmapStatus? {
        guard Policy.allows(actor, .viewItem(scope)) else { return nil }
        let found = try store.items(Policy.visibility(actor, .view), filter, page: PageRequest(limit: 1, countsTotal: false)).items.first
        let notStarted = MunicipalRoadmapStatus(roadmapID: nil, state: nil, stateName: nil, measures: MeasureTotals(), overdue: [])
        guard let roadmap = found else { return notStarted }
        let calendar = try RegionCalendar.cached(roadmap.timeZone)
        if let asOf {
            return try store.roadmapHistory(roadmapID: roadmap.id)?.status(before: calendar.endOfDay(asOf), calendar: calendar) ?? notStarted
        }
        let today = calendar.date(of: now)
        let measures = try store.measures(roadmapID: roadmap.id, calendar: calendar, at: now)
        // Only a dated measure can be overdue.
        let late = measures.compactMap { measure in measure.overdue ? measure.dueDate.map { (measure, $0) } : nil }
            .sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }
        return MunicipalRoadmapStatus(
            roadmapID: roadmap.id, state: roadmap.state, stateName: roadmap.stateName, measures: MeasureTotals(counting: measures),
            overdue: late.prefix(MunicipalRoadmapStatus.listed).map { measure, due in
                MunicipalRoadmapStatus.LateMeasure(measureID: measure.id, title: measure.title, dueDate: due,
                                                   daysOverdue: due.days(to: today), reportState: measure.reportState)
            })
    }

    /// The territory asked for, if the actor may monitor it (`Lookup`: one the actor has nothing to
    /// do with is «not found», like a missing one), or the actor's own one when none is named.
    static func territory(_ store: any StoreReading, regionCode: String?, municipalityCode: String?, actor: Actor) throws -> Territory {
        if let code = municipalityCode {
            let (municipality, _) = try Lookup.municipality(store, code: code, by: .user(actor)) {
                .viewMonitoring(.municipality(regionID: $0.regionID, municipalityID: $0.id))
            }
            return Territory(scope: .municipality(regionID: municipality.regionID, municipalityID: municipality.id),
                             name: municipality.name, code: municipality.code)
        }
        if let code = regionCode {
            let (region, _) = try Lookup.region(store, code: code, by: .user(actor)) { .viewMonitoring(.region($0.id)) }
            return Territory(scope: .region(region.id), name: region.name, code: region.code)
        }
        let reach = Policy.territories(actor)
        if reach.everything { return Territory(scope: .country, name: "Российская Федерация", code: nil) }
        if let id = reach.regions.min(), let region = try store.region(id: id) {
            return Territory(scope: .region(id), name: region.name, code: region.code)
        }
        if let id = reach.municipalities.min(), let municipality = try store.municipality(id: id) {
            return Territory(scope: .municipality(regionID: municipality.regionID, municipalityID: id), name: municipality.name,
                             code: municipality.code)
        }
        throw MEDKError.forbidden("Мониторинг сроков доступен координаторам и федеральному оператору.")
    }
}

/// One school's milestones and measures, as its team, curator and coordinators see it.
public struct SchoolOverview: Codable, Sendable, Hashable {
    public var campaign: Campaign
    public var school: SchoolCompliance
    /// Where the school sits, for asking the policy what the viewer may do there.
    public var path: OrganisationPath
    /// Today in the school's own zone, for counting the days left.
    public var today: CalendarDate
}

extension MEDKService {
    /// The overview of one school in a campaign: whoever may see the school's items may see it.
    public func schoolOverview(schoolCode: String, campaignCode: String? = nil, for actor: Actor) async throws -> SchoolOverview {
        let now = now()
        return try await read { store in
            let campaign = try Self.campaignForReport(store, code: campaignCode)
            // A school the actor may not see is «not found», like one that does not exist.
            guard let school = try store.school(code: schoolCode), let place = try store.schoolPlace(schoolID: school.id),
                  Policy.allows(actor, .viewItem(ItemScope(campaignID: campaign.id, path: place.path)))
            else { throw Lookup.missingSchool(schoolCode) }
            let builder = try ComplianceBuilder(store: store, campaign: campaign,
                                                territory: Territory(scope: .region(place.path.regionID), name: "", code: nil),
                                                asOf: nil, now: now)
            // A school takes part in a campaign once it has a curator in it: say so, and who acts.
            guard let line = try builder.school(school.id) else {
                throw MEDKError(.notFound, code: "not_in_campaign", message: """
                    Школа «\(school.name)» ещё не участвует в кампании «\(campaign.name)»: за ней не закреплён куратор. \
                    Куратора назначает региональный координатор (страница «Кураторы» или импорт назначений).
                    """)
            }
            return SchoolOverview(campaign: campaign, school: line, path: place.path,
                                  today: try RegionCalendar.cached(place.timeZone).date(of: now))
        }
    }
}

/// The schools a curator reviews in a campaign, each as the compliance report sees it.
public struct CuratedSchools: Sendable, Hashable {
    public var campaign: Campaign
    /// By municipality and name.
    public var schools: [SchoolCompliance]
}

extension MEDKService {
    /// The curator's own schools in a campaign (the latest unless named): a curator cannot see the
    /// territory's monitoring, but sees here where each of their schools stands. Empty for anyone
    /// who curates no school in it.
    public func curatedSchools(campaignCode: String? = nil, for actor: Actor) async throws -> CuratedSchools {
        let now = now()
        return try await read { store in
            let campaign = try Self.campaignForReport(store, code: campaignCode)
            let ids = actor.curatedSchools.filter { $0.campaignID == campaign.id }.map(\.schoolID).sorted()
            guard !ids.isEmpty else { return CuratedSchools(campaign: campaign, schools: []) }
            // A curator has about a dozen schools, possibly in more than one region: each judged on its own.
            let builder = try ComplianceBuilder(store: store, campaign: campaign, territory: Territory(scope: .country, name: "", code: nil),
                                                asOf: nil, now: now)
            let schools = try ids.compactMap { try builder.school($0) }
                .sorted { ($0.municipalityName, $0.schoolName) < ($1.municipalityName, $1.schoolName) }
            return CuratedSchools(campaign: campaign, schools: schools)
        }
    }
}

/// Region clocks by region id, made on first use (a municipality's report needs one).
private final class RegionClocks {
    let judge: ComplianceJudge
    private var clocks: [Int64: ComplianceJudge.RegionClock] = [:]

    init(judge: ComplianceJudge) { self.judge = judge }

    func clock(_ place: SchoolPlace) throws -> ComplianceJudge.RegionClock {
        if let known = clocks[place.path.regionID] { return known }
        let clock = judge.clock(regionID: place.path.regionID, calendar: try RegionCalendar.cached(place.timeZone))
        clocks[place.path.regionID] = clock
        return clock
    }
}

/// Builds one compliance report inside a read transaction, one school at a time.
private struct ComplianceBuilder {
    let store: any StoreReading
    let campaign: Campaign
    let territory: Territory
    let judge: ComplianceJudge
    /// Each region's view of time, worked out the first time one of its schools is judged.
    private let clocks: RegionClocks

    /// Where the country's regions are kept between requests; nil to judge every school.
    let cache: RegionPartsCache<CountryComplianceInputs, TerritoryCompliance?>?

    init(store: any StoreReading, campaign: Campaign, territory: Territory, asOf: CalendarDate?, now: Date,
         cache: RegionPartsCache<CountryComplianceInputs, TerritoryCompliance?>? = nil) throws {
        self.store = store
        self.cache = cache
        self.campaign = campaign
        self.territory = territory
        judge = ComplianceJudge(milestones: try store.milestones(campaignID: campaign.id),
                                overrides: try store.milestoneOverrides(campaignID: campaign.id), asOf: asOf, now: now)
        clocks = RegionClocks(judge: judge)
    }

    func build(_ query: DeadlinesQuery) throws -> ComplianceReport {
        let level: ComplianceLevel = switch territory.scope {
        case .country: .country
        case .region: .region
        case .municipality: .municipality
        }
        let nothingCounted = Tally(level: level, totals: TerritoryCompliance(code: territory.code ?? "RU", name: territory.name,
                                                                              milestones: judge.milestones))
        var tally = nothingCounted
        if level == .country, judge.asOf == nil, let cache {
            tally = try countryByRegion(cache, startingFrom: nothingCounted)
        } else {
            try store.forEachParticipantBatch(campaignID: campaign.id, in: territory.scope, onlySchoolID: nil,
                                              batchSize: Self.batchSize) { batch in
                for part in try tallied(batch, startingFrom: nothingCounted) { tally.merge(part) }
            }
        }
        var schools = tally.schools
        var page: Page<SchoolCompliance>?
        var curators: [CuratorLoad] = []
        if level != .country {
            let order = query.sort
            schools.sort { order.precedes($0, $1) }
            if query.onlyLagging { schools.removeAll { !$0.lagging } }
            if let filter = query.milestone {
                schools.removeAll { school in !school.milestones.contains { $0.kind == filter.kind && $0.status == filter.status } }
            }
            page = try Self.page(schools, query.allSchools ? PageRequest(limit: max(schools.count, 1)) : query.page)
            curators = try curatorLoads(tally.waitingBySchool)
        }
        // A region's schools share its zone; the country is read in Moscow time.
        let zone = level == .country ? nil : tally.schools.first?.timeZone
        return ComplianceReport(campaignCode: campaign.code, campaignName: campaign.name, level: level, scope: territory.name,
                                scopeCode: territory.code, asOf: judge.asOf, generatedAt: judge.now,
                                timeZone: zone ?? ComplianceReport.countryTimeZone, totals: tally.totals,
                                parts: tally.parts.values.sorted { $0.code < $1.code }, schools: page, curators: curators)
    }

    /// The country as the sum of its regions' parts: each kept one reused while its region's data,
    /// date and milestones stand (`RegionPartsCache`), the others judged now and kept.
    private func countryByRegion(_ cache: RegionPartsCache<CountryComplianceInputs, TerritoryCompliance?>,
                                 startingFrom nothingCounted: Tally) throws -> Tally {
        let revisions = try store.complianceRevisions()
        let rules = CountryComplianceInputs(milestones: judge.milestones, overrides: judge.overrides)
        var country = nothingCounted
        for region in try store.allRegions() {
            let revision = revisions[region.id] ?? ComplianceRevision(municipalities: 0, sum: 0)
            let day = try RegionCalendar.cached(region.timeZone).date(of: judge.now)
            let part: TerritoryCompliance?
            if let kept = cache.part(campaignID: campaign.id, regionID: region.id, revision: revision, day: day, context: rules) {
                part = kept
            } else {
                var regional = nothingCounted
                try store.forEachParticipantBatch(campaignID: campaign.id, in: .region(region.id), onlySchoolID: nil,
                                                  batchSize: Self.batchSize) { batch in
                    for part in try tallied(batch, startingFrom: nothingCounted) { regional.merge(part) }
                }
                part = regional.parts[region.code]
                cache.keep(part, campaignID: campaign.id, regionID: region.id, revision: revision, day: day, context: rules)
            }
            if let part {
                country.parts[region.code] = part
                country.totals.merge(part)
            }
        }
        return country
    }

    /// Schools read from the database at a time: enough to keep every core busy, few enough that
    /// the country's 40,000 never sit in memory together.
    static let batchSize = 512

    /// The batch judged and counted on all cores, a chunk each, each chunk with clocks of its own.
    private func tallied(_ batch: [StoredParticipant], startingFrom nothingCounted: Tally) throws -> [Tally] {
        let judge = judge
        return try ChunkedWork.map(batch) { chunk in
            let clocks = RegionClocks(judge: judge)
            var tally = nothingCounted
            for participant in chunk {
                let clock = try clocks.clock(participant.school.place)
                tally.add(participant.school.place, judge.judge(try participant.progress.decoded(), clock: clock), cutoff: clock.cutoff,
                          milestones: judge.milestones)
            }
            return [tally]
        }
    }

    /// One school's line, or nil when it does not take part in the campaign.
    func school(_ schoolID: Int64) throws -> SchoolCompliance? {
        var line: SchoolCompliance?
        try store.forEachParticipant(campaignID: campaign.id, in: territory.scope, onlySchoolID: schoolID) { participant, progress in
            line = Self.line(participant.place, judge.judge(progress, clock: try clocks.clock(participant.place)))
        }
        return line
    }

    fileprivate static func line(_ place: SchoolPlace, _ judgement: SchoolJudgement) -> SchoolCompliance {
        SchoolCompliance(schoolID: place.school.id, schoolCode: place.school.code, schoolName: place.school.name,
                         municipalityCode: place.municipalityCode, municipalityName: place.municipalityName,
                         regionCode: place.regionCode, regionName: place.regionName, timeZone: place.timeZone,
                         milestones: judgement.cells, measures: judgement.measures, waiting: judgement.waitingSince.count,
                         lagging: judgement.lagging)
    }

    /// The schools after the cursor, in (municipality code, school code) order.
    private static func page(_ schools: [SchoolCompliance], _ request: PageRequest) throws -> Page<SchoolCompliance> {
        var start = 0
        if let cursor = request.after {
            let key = try cursor.parts(2)
            start = schools.firstIndex { ($0.municipalityCode, $0.schoolCode) > (key[0], key[1]) } ?? schools.count
        }
        let end = min(start + request.limit, schools.count)
        let shown = Array(schools[start..<end])
        let next = end < schools.count ? shown.last.map { PageCursor(key: [$0.municipalityCode, $0.schoolCode]) } : nil
        return Page(items: shown, total: schools.count, nextCursor: next)
    }

    /// What waits at one school, and the moment the wait is measured to (the end of the as-of
    /// day in the school's zone, or now).
    struct Waiting: Sendable {
        var since: [Date]
        var cutoff: Date
    }

    /// The report's figures over some of its schools: the territory's totals, its parts (regions of
    /// the country, municipalities of a region), the schools' lines and what waits at each.
    struct Tally: Sendable {
        let level: ComplianceLevel
        var totals: TerritoryCompliance
        var parts: [String: TerritoryCompliance] = [:]
        var schools: [SchoolCompliance] = []
        var waitingBySchool: [Int64: Waiting] = [:]

        mutating func add(_ place: SchoolPlace, _ judgement: SchoolJudgement, cutoff: Date, milestones: [Milestone]) {
            totals.add(judgement)
            switch level {
            case .country:
                parts[place.regionCode, default: TerritoryCompliance(code: place.regionCode, name: place.regionName,
                                                                     milestones: milestones)].add(judgement)
            case .region:
                parts[place.municipalityCode, default: TerritoryCompliance(code: place.municipalityCode, name: place.municipalityName,
                                                                           milestones: milestones)].add(judgement)
                fallthrough
            case .municipality:
                schools.append(ComplianceBuilder.line(place, judgement))
                if !judgement.waitingSince.isEmpty {
                    waitingBySchool[place.school.id] = Waiting(since: judgement.waitingSince, cutoff: cutoff)
                }
            }
        }

        mutating func merge(_ other: Tally) {
            totals.merge(other.totals)
            for (code, part) in other.parts {
                if parts[code] == nil { parts[code] = part } else { parts[code]!.merge(part) }
            }
            schools += other.schools
            waitingBySchool.merge(other.waitingBySchool) { mine, _ in mine }
        }
    }

    /// Per curator of the territory's schools: how many schools, what waits and since when.
    private func curatorLoads(_ waitingBySchool: [Int64: Waiting]) throws -> [CuratorLoad] {
        var loads: [String: CuratorLoad] = [:]
        for assignment in try store.assignments(campaignID: campaign.id, in: territory.scope) {
            var load = loads[assignment.login] ?? CuratorLoad(login: assignment.login, fullName: assignment.fullName, schools: 0, waiting: 0)
            load.schools += 1
            if let waiting = waitingBySchool[assignment.schoolID] {
                load.waiting += waiting.since.count
                if let oldest = waiting.since.min(), oldest < load.oldestWaitingSince ?? .distantFuture {
                    load.oldestWaitingSince = oldest
                    load.oldestWaitHours = max(0, Int(waiting.cutoff.timeIntervalSince(oldest) / 3600))
                }
            }
            loads[assignment.login] = load
        }
        return loads.values.sorted { $0.login < $1.login }
    }
}
