/// A search in one of the organisation lists.
public struct OrganisationQuery: Sendable, Hashable {
    /// Part of a code or name, case-insensitive.
    public var search: String?
    /// Only those inside this region (municipalities, schools) or municipality (schools).
    public var regionID: Int64?
    public var municipalityID: Int64?

    public init(search: String? = nil, regionID: Int64? = nil, municipalityID: Int64? = nil) {
        self.search = search
        self.regionID = regionID
        self.municipalityID = municipalityID
    }
}

/// A search in the list of users.
public struct UserQuery: Sendable, Hashable {
    /// Part of a login or full name, case-insensitive.
    public var search: String?
    public var role: Role?
    /// Only users whose grant of `role` is scoped to this region (curators of a region).
    public var regionID: Int64?

    public init(search: String? = nil, role: Role? = nil, regionID: Int64? = nil) {
        self.search = search
        self.role = role
        self.regionID = regionID
    }
}
