import Foundation

/// A municipality's package as FIOCO asks for it (seed 004): the analytical note, the roadmap by
/// the three tracks, the orders and protocols that are its management decisions, and the agreements
/// that tie its measures to the regional complex of measures — with what is still missing.
public struct MunicipalPackage: Codable, Sendable, Hashable {
    public struct Part: Codable, Sendable, Hashable {
        public var kind: ItemKind
        /// What FIOCO expects of this part, in its words.
        public var purpose: String
        public var items: [ItemSummary]
        /// The municipality's coordinator may start one now (a roadmap once; notes, orders, protocols, agreements as many as needed).
        public var canStart: Bool
    }

    public var municipality: Municipality
    public var regionName: String
    public var campaign: Campaign
    public var parts: [Part]
    /// The actor keeps this package (the municipality's coordinator).
    public var canEdit: Bool
    /// What the package still lacks, as the system can judge it itself.
    public var gaps: [String]
    /// The latest evaluation against FIOCO's positions, if it has been evaluated.
    public var evaluation: PackageEvaluation?

    /// FIOCO's parts of a municipal package, in the order it lists them.
    public static let expected: [(kind: ItemKind, purpose: String)] = [
        (.analyticalNote, "Описание специфики муниципалитета, анализ результатов: почему, зачем и какие меры нужны на муниципальном уровне."),
        (.roadmap, "План мероприятий по трём трекам с конкретными мерами, сроками, ответственными и результатами."),
        (.order, "Приказы и распоряжения — управленческие решения муниципалитета."),
        (.meetingProtocol, "Протоколы заседаний."),
        (.agreement, "Соглашения о сотрудничестве: соответствие мероприятий региональному комплексу мер."),
    ]
}

extension MEDKService {
    /// The package of `municipalityCode` in a campaign (the latest unless named), for whoever may see
    /// the municipality's own documents: its coordinator, its region's, the federal operator.
    public func municipalPackage(municipalityCode: String, campaignCode: String? = nil, for actor: Actor) async throws -> MunicipalPackage {
        let now = now()
        return try await read { store in
            let (municipality, campaign, scope) = try Self.visiblePackage(store, municipalityCode, campaignCode, actor)
            let canEdit = Policy.allows(actor, .ownItem(scope))
            // A package holds a few documents; the page limit only bounds a broken one.
            let items = try store.items(Policy.visibility(actor, .view),
                                        ItemListFilter(campaignID: campaign.id, municipalOwnID: municipality.id),
                                        page: PageRequest(limit: PageRequest.maximumLimit)).items
            let parts = MunicipalPackage.expected.map { kind, purpose in
                let ofKind = items.filter { $0.kind == kind }.sorted { $0.id < $1.id }
                return MunicipalPackage.Part(kind: kind, purpose: purpose, items: ofKind,
                                             canStart: canEdit && (kind != .roadmap || ofKind.isEmpty))
            }
            func isEmpty(_ kind: ItemKind) -> Bool { parts.first { $0.kind == kind }?.items.isEmpty ?? true }
            var gaps: [String] = []
            for kind in [ItemKind.analyticalNote, .roadmap, .agreement] where isEmpty(kind) {
                gaps.append("Нет документа «\(kind.russianName)».")
            }
            if isEmpty(.order) && isEmpty(.meetingProtocol) { gaps.append("Нет управленческих решений: ни приказа, ни протокола.") }
            if let roadmap = parts.first(where: { $0.kind == .roadmap })?.items.first {
                let calendar = try RegionCalendar.cached(roadmap.timeZone)
                gaps += RoadmapCompleteness.check(try store.measures(roadmapID: roadmap.id, calendar: calendar, at: now),
                                                  owner: .municipality).all.map { "Дорожная карта: \($0)" }
                if roadmap.state != .confirmed {
                    gaps.append("Дорожная карта ещё не подтверждена региональным координатором (сейчас — «\(roadmap.stateName)»).")
                }
            }
            let region = try store.region(id: municipality.regionID)
            return MunicipalPackage(municipality: municipality, regionName: region?.name ?? "", campaign: campaign, parts: parts,
                                    canEdit: canEdit, gaps: gaps,
                                    evaluation: try store.packageEvaluations(campaignID: campaign.id, municipalityID: municipality.id).first)
        }
    }

    /// The municipality and campaign of a package the actor may see, and the package's scope.
    static func visiblePackage(_ store: any StoreReading, _ municipalityCode: String, _ campaignCode: String?,
                               _ actor: Actor) throws -> (Municipality, Campaign, ItemScope) {
        let campaign = try campaignForReport(store, code: campaignCode)
        // Answered like a missing municipality, so that nobody maps whose package exists.
        let (municipality, _) = try Lookup.municipality(store, code: municipalityCode, by: .user(actor)) {
            .viewItem(ItemScope.municipal(campaignID: campaign.id, regionID: $0.regionID, municipalityID: $0.id))
        }
        let scope = ItemScope.municipal(campaignID: campaign.id, regionID: municipality.regionID, municipalityID: municipality.id)
        return (municipality, campaign, scope)
    }
}
