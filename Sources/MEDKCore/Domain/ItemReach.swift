/// One way a grant reaches items, as a value: the policy decides single items with `covers`,
/// and the storage turns the same value into a filter, so a list can never show what the
/// policy would refuse to open (a property test holds the two together).
public enum ItemReach: Sendable, Hashable, Comparable {
    /// Federal operator and administrator: every item.
    case everything
    /// Every item of a region: its schools' and its municipalities' own.
    case region(Int64)
    /// Every item of a municipality: its schools' and its own.
    case municipality(Int64)
    /// Every item of one school.
    case school(Int64)
    /// A municipality's own items (its roadmap and supporting documents), not its schools'.
    case municipalItemsOf(municipality: Int64)
    /// The own items of every municipality of a region.
    case municipalItemsIn(region: Int64)
    /// One school's items in one campaign: what a curator was assigned.
    case curated(CampaignSchool)
    /// A region's own items (its regional roadmap), not its municipalities' or schools'.
    case regionalItemsOf(region: Int64)
    /// The own items of every region: what the federal operator reviews.
    case regionalItems

    public func covers(_ scope: ItemScope) -> Bool {
        switch self {
        case .everything: true
        case .region(let id): scope.path.regionID == id
        case .municipality(let id): scope.path.municipalityID == id
        case .school(let id): scope.path.schoolID == id
        case .municipalItemsOf(let id): scope.isMunicipal && scope.path.municipalityID == id
        case .municipalItemsIn(let id): scope.isMunicipal && scope.path.regionID == id
        case .curated(let pair): scope.campaignID == pair.campaignID && scope.path.schoolID == pair.schoolID
        case .regionalItemsOf(let id): scope.isRegional && scope.path.regionID == id
        case .regionalItems: scope.isRegional
        }
    }

    /// A stable order, so that equal visibilities compare and print alike.
    private var sortKey: (Int, Int64, Int64) {
        switch self {
        case .everything: (0, 0, 0)
        case .region(let id): (1, id, 0)
        case .municipality(let id): (2, id, 0)
        case .school(let id): (3, id, 0)
        case .municipalItemsOf(let id): (4, id, 0)
        case .municipalItemsIn(let id): (5, id, 0)
        case .curated(let pair): (6, pair.campaignID, pair.schoolID)
        case .regionalItemsOf(let id): (7, id, 0)
        case .regionalItems: (8, 0, 0)
        }
    }

    public static func < (lhs: ItemReach, rhs: ItemReach) -> Bool { lhs.sortKey < rhs.sortKey }
}

/// What an actor may do with items, as one filter: the union of the reaches of all their grants.
public struct ItemVisibility: Sendable, Hashable {
    /// Sorted and without repeats; empty means nothing at all.
    public private(set) var reaches: [ItemReach]
    /// Reviewers never decide on what they submitted themselves.
    public private(set) var excludingSubmittedBy: Int64?

    /// Reaches contained in others are dropped (a region's coordinator reaches its municipalities'
    /// own items already), so that the filter is as simple as the grants allow.
    public init(reaches: some Sequence<ItemReach>, excludingSubmittedBy: Int64? = nil) {
        let unique = Set(reaches)
        self.reaches = unique.contains(.everything) ? [.everything] : unique.filter { reach in
            switch reach {
            case .municipalItemsIn(let region): !unique.contains(.region(region))
            case .municipalItemsOf(let municipality): !unique.contains(.municipality(municipality))
            case .curated(let pair): !unique.contains(.school(pair.schoolID))
            case .regionalItemsOf(let region): !unique.contains(.region(region)) && !unique.contains(.regionalItems)
            default: true
            }
        }.sorted()
        self.excludingSubmittedBy = excludingSubmittedBy
    }

    public static let nothing = ItemVisibility(reaches: [])

    public var isNothing: Bool { reaches.isEmpty }

    /// The regions every visible item lies in, when the reaches name them (regional grants);
    /// nil when they do not say (everything, or reaches by municipality, school or curation).
    public var regionIDs: Set<Int64>? {
        var regions: Set<Int64> = []
        for reach in reaches {
            switch reach {
            case .region(let id), .municipalItemsIn(let id), .regionalItemsOf(let id): regions.insert(id)
            default: return nil
            }
        }
        return regions
    }

    public func covers(_ scope: ItemScope) -> Bool {
        if let excluded = excludingSubmittedBy, scope.submittedBy == excluded { return false }
        return reaches.contains { $0.covers(scope) }
    }
}

/// The territories whose monitoring an actor may open, as one value.
public struct TerritoryReach: Sendable, Hashable {
    public var everything: Bool
    public var regions: Set<Int64>
    public var municipalities: Set<Int64>

    public init(everything: Bool = false, regions: Set<Int64> = [], municipalities: Set<Int64> = []) {
        self.everything = everything
        self.regions = regions
        self.municipalities = municipalities
    }

    public var isNothing: Bool { !everything && regions.isEmpty && municipalities.isEmpty }

    public func covers(_ scope: MonitoringScope) -> Bool {
        if everything { return true }
        switch scope {
        case .country: return false
        case .region(let region): return regions.contains(region)
        case .municipality(let region, let municipality):
            return regions.contains(region) || municipalities.contains(municipality)
        }
    }
}
