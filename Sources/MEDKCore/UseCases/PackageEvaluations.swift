import Foundation

extension MEDKService {
    /// A municipality's package as FIOCO evaluates it: what the system finds now, position by
    /// position, and the evaluations so far. Whoever sees the package sees its evaluation.
    public func packageEvaluation(municipalityCode: String, campaignCode: String? = nil, for actor: Actor) async throws -> PackageEvaluationView {
        let now = now()
        return try await read { store in
            let (municipality, campaign, _) = try Self.visiblePackage(store, municipalityCode, campaignCode, actor)
            let versions = try store.packageEvaluations(campaignID: campaign.id, municipalityID: municipality.id)
            guard let region = try store.region(id: municipality.regionID) else { throw MEDKError.notVisible }
            return PackageEvaluationView(
                municipality: municipality, regionCode: region.code, regionName: region.name, timeZone: region.timeZone, campaign: campaign,
                findings: try Self.findings(store, municipality, campaign, at: now), current: versions.first,
                history: Array(versions.dropFirst()),
                canEvaluate: Policy.allows(actor, .evaluatePackage(regionID: municipality.regionID)))
        }
    }

    /// Records a new version of the package's evaluation: every position scored (0–2), a comment
    /// where a point is withheld, beside what the system found at this moment. With
    /// `expectedVersion` (the version the evaluator saw; 0 for none) a concurrent evaluation is
    /// refused rather than silently superseded.
    public func evaluatePackage(municipalityCode: String, campaignCode: String? = nil, scores: [PositionScore],
                                expectedVersion: Int? = nil, by actor: Actor) async throws -> PackageEvaluationView {
        let scores = try Self.validated(scores)
        let now = now()
        try await write { store in
            let (municipality, campaign, _) = try Self.visiblePackage(store, municipalityCode, campaignCode, actor)
            let role = try Policy.authorize(actor, .evaluatePackage(regionID: municipality.regionID))
            let latest = try store.packageEvaluations(campaignID: campaign.id, municipalityID: municipality.id).first?.version ?? 0
            if let expectedVersion, expectedVersion != latest {
                throw MEDKError(.conflict, code: "stale_evaluation", message: """
                    Пока вы оценивали, пакет оценили ещё раз (версия \(latest), вы видели \(expectedVersion)). \
                    Откройте оценку заново и повторите.
                    """)
            }
            let evaluator = AuditActor(userID: actor.userID, login: actor.login, role: role)
            let findings = try Self.findings(store, municipality, campaign, at: now)
            try store.insertPackageEvaluation(campaignID: campaign.id, municipality: municipality, version: latest + 1,
                                              by: evaluator, at: now, scores: scores, findings: findings)
            var details = ["campaign_id": String(campaign.id), "version": String(latest + 1),
                           "total": String(scores.reduce(0) { $0 + $1.score }),
                           "maximum": String(scores.count * EvaluationScore.maximum),
                           "scores": scores.map { "\($0.position.rawValue)=\($0.score)" }.joined(separator: ",")]
            for score in scores where !score.comment.isEmpty { details["comment.\(score.position.rawValue)"] = score.comment }
            _ = try store.appendAudit(evaluator, at: now, AuditRecord(action: .packageEvaluate, entityType: .municipality,
                                                                      entityID: municipality.id, details: details))
        }
        return try await packageEvaluation(municipalityCode: municipalityCode, campaignCode: campaignCode, for: actor)
    }

    /// A region's municipalities side by side, each with its latest evaluation, for whoever
    /// monitors the region (its coordinator, the federal operator).
    public func regionEvaluations(regionCode: String, campaignCode: String? = nil, for actor: Actor) async throws -> RegionEvaluations {
        try await read { store in
            let (region, _) = try Lookup.region(store, code: regionCode, by: .user(actor)) { .viewMonitoring(.region($0.id)) }
            let campaign = try Self.campaignForReport(store, code: campaignCode)
            let latest = try store.latestPackageEvaluations(campaignID: campaign.id, regionID: region.id)
            let rows = try store.municipalities(regionIDs: [region.id]).sorted { $0.code < $1.code }.map {
                RegionEvaluations.Row(municipalityCode: $0.code, municipalityName: $0.name, evaluation: latest[$0.id])
            }
            return RegionEvaluations(regionCode: region.code, regionName: region.name, timeZone: region.timeZone, campaign: campaign,
                                     positions: EvaluationPosition.allCases, rows: rows)
        }
    }

    /// The package's documents and roadmap as they are now, judged. The caller was allowed to see
    /// the whole package, so it is read whole.
    private static func findings(_ store: any StoreReading, _ municipality: Municipality, _ campaign: Campaign,
                                 at now: Date) throws -> [PositionFinding] {
        let items = try store.items(ItemVisibility(reaches: [.everything]),
                                    ItemListFilter(campaignID: campaign.id, municipalOwnID: municipality.id),
                                    page: PageRequest(limit: PageRequest.maximumLimit)).items
        let documents = Dictionary(grouping: items, by: \.kind)
        let measures = try documents[.roadmap]?.first.map { roadmap in
            try store.measures(roadmapID: roadmap.id, calendar: try RegionCalendar.cached(roadmap.timeZone), at: now)
        }
        return PackageFindings.judge(documents: documents, measures: measures)
    }

    /// Every position once, a score of 0–2, a comment (up to 2,000 characters) wherever a point is withheld.
    static func validated(_ scores: [PositionScore]) throws -> [PositionScore] {
        var problems: [String] = []
        // Beside its field on the page: «score.<position>» and «comment.<position>».
        var fields: [String: String] = [:]
        var byPosition: [EvaluationPosition: PositionScore] = [:]
        for score in scores {
            if byPosition[score.position] != nil { problems.append("Позиция «\(score.position.russianName)» оценена дважды.") }
            byPosition[score.position] = PositionScore(position: score.position, score: score.score,
                                                       comment: score.comment.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        for position in EvaluationPosition.allCases {
            guard let score = byPosition[position] else {
                problems.append("Не оценена позиция «\(position.russianName)».")
                fields["score.\(position.rawValue)"] = problems.last
                continue
            }
            if !EvaluationScore.range.contains(score.score) {
                problems.append("«\(position.russianName)»: балл — от 0 до \(EvaluationScore.maximum), а указано \(score.score).")
                fields["score.\(position.rawValue)"] = problems.last
            } else if score.score < EvaluationScore.maximum && score.comment.isEmpty {
                problems.append("«\(position.russianName)»: объясните в комментарии, почему балл ниже \(EvaluationScore.maximum).")
                fields["comment.\(position.rawValue)"] = problems.last
            }
            if score.comment.count > 2000 {
                problems.append("«\(position.russianName)»: комментарий длиннее 2000 символов.")
                fields["comment.\(position.rawValue)"] = problems.last
            }
        }
        guard problems.isEmpty else {
            throw MEDKError.rejected("invalid_evaluation", "Оценка заполнена неверно.", details: problems, fields: fields)
        }
        return EvaluationPosition.allCases.compactMap { byPosition[$0] }
    }
}
