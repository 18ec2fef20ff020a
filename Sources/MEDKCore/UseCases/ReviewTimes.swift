import Foundation

extension MEDKService {
    /// How quickly the territory's documents are decided: per reviewer, decisions in the period
    /// with the median and 90th percentile time from submission to decision and the share
    /// returned, and what waits for each of them now with the oldest; the slowest marked. The
    /// period is in the territory's zone (the country's in Moscow time).
    public func reviewTimes(_ query: ReviewTimesQuery, for actor: Actor) async throws -> ReviewTimesReport {
        let now = now()
        return try await read { store in
            let campaign = try Self.campaignForReport(store, code: query.campaignCode)
            let territory = try Self.territory(store, regionCode: query.regionCode, municipalityCode: query.municipalityCode, actor: actor)
            _ = try Policy.authorize(actor, .viewMonitoring(territory.scope))
            let zone = try Self.zone(store, of: territory.scope)
            let calendar = try RegionCalendar(timeZoneIdentifier: zone)
            let today = calendar.date(of: now)
            let to = query.to ?? today
            let from = query.from ?? to.adding(days: -29)
            guard from <= to else {
                throw MEDKError.invalid("invalid_period", "Начало периода (\(from.russian)) позже его конца (\(to.russian)).")
            }
            guard from.days(to: to) < 3660 else { throw MEDKError.invalid("invalid_period", "Период длиннее десяти лет.") }
            let start = calendar.startOfDay(from), end = calendar.endOfDay(to)
            let decisions = try store.decisionSummaries(campaignID: campaign.id, in: territory.scope, from: start, to: end, perDecider: true)
            let overall = try store.decisionSummaries(campaignID: campaign.id, in: territory.scope, from: start, to: end, perDecider: false)
            let waiting = try store.waitingReviews(campaignID: campaign.id, in: territory.scope)
            let waitingTotal = try store.waitingTotal(campaignID: campaign.id, in: territory.scope)
            return ReviewTimesReport(
                campaign: campaign, territoryName: territory.name,
                regionCode: query.municipalityCode == nil ? territory.code : query.regionCode,
                municipalityCode: query.municipalityCode, from: from, to: to, timeZone: zone, generatedAt: now,
                reviewers: ReviewTimesBuilder.reviewers(decisions, waiting, now: now),
                totals: ReviewTimesBuilder.totals(overall.first, waiting, waitingTotal: waitingTotal))
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

/// Puts the decided and the waiting together per reviewer; pure, so the rules are tested alone.
enum ReviewTimesBuilder {
    static func reviewers(_ decisions: [DecisionSummary], _ waiting: [WaitingReviews], now: Date) -> [ReviewerTimes] {
        var rows: [Int64: ReviewerTimes] = [:]
        for decision in decisions {
            guard let id = decision.decider else { continue }
            rows[id] = ReviewerTimes(userID: id, login: decision.login, fullName: decision.fullName, decided: decision.decided,
                                     returned: decision.returned, medianSeconds: decision.medianSeconds,
                                     p90Seconds: decision.p90Seconds, longestSeconds: decision.longestSeconds,
                                     waitingNow: 0, oldestWaitingSince: nil, oldestWaitingDays: nil, isSlowest: false)
        }
        for group in waiting {
            guard case .curator(let id, let login, let fullName) = group.reviewer else { continue }
            var row = rows[id] ?? ReviewerTimes(userID: id, login: login, fullName: fullName, decided: 0, returned: 0,
                                                medianSeconds: nil, p90Seconds: nil, longestSeconds: nil, waitingNow: 0,
                                                oldestWaitingSince: nil, oldestWaitingDays: nil, isSlowest: false)
            row.waitingNow = group.count
            row.oldestWaitingSince = group.oldestSince
            row.oldestWaitingDays = max(0, Int(now.timeIntervalSince(group.oldestSince) / 86_400))
            rows[id] = row
        }
        var result = Array(rows.values)
        // «The slowest» compares reviewers: alone, nobody is.
        let medians = result.compactMap(\.medianSeconds)
        if medians.count > 1, let slowest = medians.max() {
            for index in result.indices where result[index].medianSeconds == slowest { result[index].isSlowest = true }
        }
        result.sort { a, b in
            switch (a.medianSeconds, b.medianSeconds) {
            case let (x?, y?) where x != y: return x > y
            case (.some, nil): return true
            case (nil, .some): return false
            default:
                let (x, y) = (a.oldestWaitingSince ?? .distantFuture, b.oldestWaitingSince ?? .distantFuture)
                return x != y ? x < y : a.login < b.login
            }
        }
        return result
    }

    static func totals(_ overall: DecisionSummary?, _ waiting: [WaitingReviews],
                       waitingTotal: (count: Int, oldestSince: Date?)) -> ReviewTotals {
        // A school's document waits once however many curators it has: the total counts documents, not curator rows.
        var totals = ReviewTotals(decided: overall?.decided ?? 0, returned: overall?.returned ?? 0,
                                  medianSeconds: overall?.medianSeconds, p90Seconds: overall?.p90Seconds,
                                  waitingNow: waitingTotal.count, oldestWaitingSince: waitingTotal.oldestSince,
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
