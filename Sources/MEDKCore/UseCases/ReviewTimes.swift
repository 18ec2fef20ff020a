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
                    throw MEDKError.rejected("invalid_period", "Начало периода (\(from.russian)) позже его конца (\(to.russian)).")
                }
                guard from.days(to: to) < 3660 else { throw MEDKError.rejected("invalid_period", "Период длиннее десяти лет.") }

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
                let codes: (region: String?, municipality: String?) = switch territory.scope {
                case .country: (nil, nil)
                case .region: (territory.code, nil)
                case .municipality(let regionID, _): (try store.region(id: regionID)?.code, territory.code)
                }
                var report = ReviewTimesReport(
                    campaign: campaign, territoryName: territory.name, regionCode: codes.region, municipalityCode: codes.municipality,
                    from: from, to: to, timeZone: zone, generatedAt: now,
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
        for (id, distribution) in decisions {
            rows[id] = ReviewerTimes(userID: id, login: names[id]?.login ?? "", fullName: names[id]?.fullName ?? "",
                                     figures: ReviewFigures(distribution))
        }
        for group in waiting {
            guard case .curator(let id, let login, let fullName) = group.reviewer else { continue }
            rows[id, default: ReviewerTimes(userID: id, login: login, fullName: fullName, figures: .none)]
                .figures.waiting(group.count, oldestSince: group.oldestSince, now: now)
        }
        return ranked(Array(rows.values), figures: \.figures, tieBreak: { $0.login < $1.login })
    }

    static func regions(_ decisions: [Int64: WaitDistribution], _ waiting: [Int64: (count: Int, oldestSince: Date)],
                        regions: [Int64: Region], now: Date) -> [RegionReviewTimes] {
        let rows = regions.map { id, region in
            var figures = ReviewFigures(decisions[id] ?? WaitDistribution())
            if let waiting = waiting[id] { figures.waiting(waiting.count, oldestSince: waiting.oldestSince, now: now) }
            return RegionReviewTimes(regionCode: region.code, regionName: region.name, figures: figures)
        }
        return ranked(rows, figures: \.figures, tieBreak: { $0.regionCode < $1.regionCode })
    }

    /// Marks the slowest by median («the slowest» compares: alone, nobody is) and orders slower
    /// medians first, then those without decisions by how long their oldest document waits.
    static func ranked<Row>(_ rows: [Row], figures: WritableKeyPath<Row, ReviewFigures>,
                            tieBreak: (Row, Row) -> Bool) -> [Row] {
        var rows = rows
        let medians = rows.compactMap { $0[keyPath: figures].medianSeconds }
        if medians.count > 1, let slowest = medians.max() {
            for index in rows.indices where rows[index][keyPath: figures].medianSeconds == slowest {
                rows[index][keyPath: figures].isSlowest = true
            }
        }
        return rows.sorted { a, b in
            let (x, y) = (a[keyPath: figures], b[keyPath: figures])
            switch (x.medianSeconds, y.medianSeconds) {
            case let (p?, q?) where p != q: return p > q
            case (.some, nil): return true
            case (nil, .some): return false
            default:
                let (since, other) = (x.oldestWaitingSince ?? .distantFuture, y.oldestWaitingSince ?? .distantFuture)
                return since != other ? since < other : tieBreak(a, b)
            }
        }
    }

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
