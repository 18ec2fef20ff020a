/// Субъект РФ. Deadlines of its schools are calendar dates in `timeZone`.
public struct Region: Codable, Sendable, Hashable {
    public var id: Int64
    public var code: String
    public var name: String
    /// IANA identifier, e.g. "Asia/Chita".
    public var timeZone: String

    public init(id: Int64, code: String, name: String, timeZone: String) {
        self.id = id
        self.code = code
        self.name = name
        self.timeZone = timeZone
    }
}

/// Муниципальное образование.
public struct Municipality: Codable, Sendable, Hashable {
    public var id: Int64
    public var regionID: Int64
    public var code: String
    public var name: String

    public init(id: Int64, regionID: Int64, code: String, name: String) {
        self.id = id
        self.regionID = regionID
        self.code = code
        self.name = name
    }
}

/// Общеобразовательная организация (ОО).
public struct School: Codable, Sendable, Hashable {
    public var id: Int64
    public var municipalityID: Int64
    public var code: String
    public var name: String
    /// ШНОР: школа с низкими образовательными результатами.
    public var lowResults: Bool
    /// ШНСУ: школа, функционирующая в неблагоприятных социальных условиях.
    public var hardSocialConditions: Bool
    /// Programme years as written by the operator, e.g. "2021–2023".
    public var programmeYears: String

    public init(id: Int64, municipalityID: Int64, code: String, name: String,
                lowResults: Bool, hardSocialConditions: Bool, programmeYears: String) {
        self.id = id
        self.municipalityID = municipalityID
        self.code = code
        self.name = name
        self.lowResults = lowResults
        self.hardSocialConditions = hardSocialConditions
        self.programmeYears = programmeYears
    }
}

/// Where an organisation sits in the tree: enough for the policy to decide.
public struct OrganisationPath: Codable, Sendable, Hashable {
    public var regionID: Int64
    /// Nil for things owned by the region itself (its roadmap).
    public var municipalityID: Int64?
    /// Nil for things owned by a municipality (its package) or by the region.
    public var schoolID: Int64?

    public init(regionID: Int64, municipalityID: Int64?, schoolID: Int64?) {
        self.regionID = regionID
        self.municipalityID = municipalityID
        self.schoolID = schoolID
    }

    /// The region's own place: what its regional roadmap belongs to.
    public static func region(_ regionID: Int64) -> OrganisationPath {
        OrganisationPath(regionID: regionID, municipalityID: nil, schoolID: nil)
    }

    public var level: OwnerLevel {
        if schoolID != nil { return .school }
        return municipalityID != nil ? .municipality : .region
    }
}

/// Who keeps an item: a school its programme documents, a municipality its package, a region
/// its regional roadmap (the regional complex of measures).
public enum OwnerLevel: String, Codable, Sendable, CaseIterable {
    case school, municipality, region
}
