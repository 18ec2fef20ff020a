import Foundation

extension MEDKService {
    /// How quickly the territory's documents are decided: per reviewer (the country: per region,
    /// to drill into), decisions in the period with the median and 90th percentile time from
    /// submission to decision and the share returned, and what waits now with the oldest; the
    /// slowest marked. The period is in the territory's zone (the country's in Moscow time).
    public func reviewTimes(_ query: ReviewTimesQuery, for actor: Actor) async throws -> ReviewTimesReport {
        let now = now()
        // A country's year of decisions is two million rows: the same gate as the compliance reports.
        return try await reportGate.holding {
            try await self.read { store in
                let campaign = try Self.campaignForReport(store, code: query.campaignCode)
                let territory = try Self.territory(store, regionCode: query.regionCode, municipalityCode: query.municipalityCode,
                                                   actor: actor)
                _ = try Policy.authorize(actor, .viewMonitoring(territory.scope))
                let zone = try Self.zone(store, of: territory.scope)
                let calendar = try RegionCalendar(timeZoneIdentifier: zone)
                let to = query.to ?? calendar.date(of: now)
                let from = query.from ?? to.adding(days: -29)
                guard from <= to else {
                    throw MEDKError.invalid("invalid_period", "Начало периода (\(from.russian)) позже его конца (\(to.russian)).")
                }
                guard from.days(to: to) < 3660 else { throw MEDKError.invalid("invalid_period", "Период длиннее десяти лет.") }

                let byRegion = territory.scope == .country
                var groups: [Int64: WaitDistribution] = [:]
                var everyone = WaitDistribution()
                try store.forEachDecision(campaignID: campaign.id, in: territory.scope, from: calendar.startOfDay(from),
                                          to: calendar.endOfDay(to)) { decision in
                    everyone.add(waitSeconds: decision.waitSeconds, returned: decision.returned)
                    guard let key = byRegion ? decision.regionID : decision.decider else { return }
                    groups[key, default: WaitDistribution()].add(waitSeconds: decision.waitSeconds, returned: decision.returned)
                }
                let waiting = try store.waitingReviews(campaignID: campaign.id, in: territory.scope)
                let waitingByRegion = try store.waitingByRegion(campaignID: campaign.id, in: territory.scope)
                var report = ReviewTimesReport(
                    campaign: campaign, territoryName: territory.name,
                    regionCode: query.municipalityCode == nil ? territory.code : query.regionCode,
                    municipalityCode: query.municipalityCode, from: from, to: to, timeZone: zone, generatedAt: now,
                    reviewers: [], regions: [],
                    totals: ReviewTimesBuilder.totals(everyone, waiting, waitingByRegion: waitingByRegion))
                if byRegion {
                    var regions: [Int64: Region] = [:]
                    for id in Set(groups.keys).union(waitingByRegion.keys) { regions[id] = try store.region(id: id) }
                    report.regions = ReviewTimesBuilder.regions(groups, waitingByRegion, regions: regions, now: now)
                } else {
                    let names = try store.userNames(ids: Array(groups.keys))
                    report.reviewers = ReviewTimesBuilder.reviewers(groups, names: names, waiting, now: now)
                }
                return report
            }
        }
    }

    /// The zone a territory's calendar days are counted in.
    static func zone(_ store: any StoreReading, of scope: MonitoringScope) throws -> String {
        let regionID: Int64
        switch scope {
        case .country: return "Europe/Moscow"
        case .region(let id): regionID = id
        case .municipality(let id, _): regionID = id
        }
        guard let region = try store.region(id: regionID) else { throw MEDKError.notFound("Регион") }
        return region.timeZone
    }
}

/// Puts the decided and the waiting together per reviewer or region; pure, so the rules are tested alone.
enum ReviewTimesBuilder {
    static func reviewers(_ decisions: [Int64: WaitDistribution], names: [Int64: (login: String, fullName: String)],
                          _ waiting: [WaitingReviews], now: Date) -> [ReviewerTimes] {
        var rows: [Int64: ReviewerTimes] = [:]
        func empty(_ id: Int64, _ login: String, _ fullName: String) -> ReviewerTimes {
            ReviewerTimes(userID: id, login: login, fullName: fullName, decided: 0, returned: 0, medianSeconds: nil, p90Seconds: nil,
                          longestSeconds: nil, waitingNow: 0, oldestWaitingSince: nil, oldestWaitingDays: nil, isSlowest: false)
        }
        for (id, distribution) in decisions {
            var row = empty(id, names[id]?.login ?? "", names[id]?.fullName ?? "")
            row.decided = distribution.decided
            row.returned = distribution.returned
            if let (median, p90, longest) = distribution.percentiles() {
                (row.medianSeconds, row.p90Seconds, row.longestSeconds) = (median, p90, longest)
            }
            rows[id] = row
        }
        for group in waiting {
            guard case .curator(let id, let login, let fullName) = group.reviewer else { continue }
            var row = rows[id] ?? empty(id, login, fullName)
            row.waitingNow = group.count
            row.oldestWaitingSince = group.oldestSince
            row.oldestWaitingDays = days(since: group.oldestSince, now: now)
            rows[id] = row
        }
        var result = Array(rows.values)
        // «The slowest» compares: alone, nobody is.
        let medians = result.compactMap(\.medianSeconds)
        if medians.count > 1, let slowest = medians.max() {
            for index in result.indices where result[index].medianSeconds == slowest { result[index].isSlowest = true }
        }
        result.sort { a, b in
            slowerFirst(a.medianSeconds, b.medianSeconds, a.oldestWaitingSince, b.oldestWaitingSince) ?? (a.login < b.login)
        }
        return result
    }

    static func regions(_ decisions: [Int64: WaitDistribution], _ waiting: [Int64: (count: Int, oldestSince: Date)],
                        regions: [Int64: Region], now: Date) -> [RegionReviewTimes] {
        var result = regions.map { id, region in
            let distribution = decisions[id] ?? WaitDistribution()
            let percentiles = distribution.percentiles()
            return RegionReviewTimes(regionCode: region.code, regionName: region.name, decided: distribution.decided,
                                     returned: distribution.returned, medianSeconds: percentiles?.median, p90Seconds: percentiles?.p90,
                                     longestSeconds: percentiles?.longest, waitingNow: waiting[id]?.count ?? 0,
                                     oldestWaitingSince: waiting[id]?.oldestSince,
                                     oldestWaitingDays: waiting[id].map { days(since: $0.oldestSince, now: now) }, isSlowest: false)
        }
        let medians = result.compactMap(\.medianSeconds)
        if medians.count > 1, let slowest = medians.max() {
            for index in result.indices where result[index].medianSeconds == slowest { result[index].isSlowest = true }
        }
        result.sort { a, b in
            slowerFirst(a.medianSeconds, b.medianSeconds, a.oldestWaitingSince, b.oldestWaitingSince) ?? (a.regionCode < b.regionCode)
        }
        return result
    }

    /// Slower median first; without decisions, the longer wait first; nil when they tie.
    private static func slowerFirst(_ a: Int?, _ b: Int?, _ waitingA: Date?, _ waitingB: Date?) -> Bool? {
        switch (a, b) {
        case let (x?, y?) where x != y: return x > y
        case (.some, nil): return true
        case (nil, .some): return false
        default:
            let (x, y) = (waitingA ?? .distantFuture, waitingB ?? .distantFuture)
            return x != y ? x < y : nil
        }
    }

    static func days(since start: Date, now: Date) -> Int { max(0, Int(now.timeIntervalSince(start) / 86_400)) }

    static func totals(_ everyone: WaitDistribution, _ waiting: [WaitingReviews],
                       waitingByRegion: [Int64: (count: Int, oldestSince: Date)]) -> ReviewTotals {
        let percentiles = everyone.percentiles()
        // A school's document waits once however many curators it has: the total counts documents, not curator rows.
        var totals = ReviewTotals(decided: everyone.decided, returned: everyone.returned, medianSeconds: percentiles?.median,
                                  p90Seconds: percentiles?.p90, waitingNow: waitingByRegion.values.reduce(0) { $0 + $1.count },
                                  oldestWaitingSince: waitingByRegion.values.map(\.oldestSince).min(),
                                  waitingWithoutCurator: 0, waitingTerritoryDocuments: 0)
        for group in waiting {
            switch group.reviewer {
            case .curator: break
            case .noCurator: totals.waitingWithoutCurator = group.count
            case .territoryDocument: totals.waitingTerritoryDocuments = group.count
            }
        }
        return totals
    }
}
