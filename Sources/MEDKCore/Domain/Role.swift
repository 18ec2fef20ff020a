/// The roles a user may hold. A user may hold several, each with its own scope.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    case school
    case curator
    case municipal
    case regional
    case federal
    case admin

    public var russianName: String {
        switch self {
        case .school: "ОО (управленческая команда школы)"
        case .curator: "куратор"
        case .municipal: "муниципальный координатор"
        case .regional: "региональный координатор"
        case .federal: "федеральный оператор"
        case .admin: "администратор"
        }
    }

    /// Which kind of organisation scopes a grant of this role.
    public var scopeKind: OrganisationKind? {
        switch self {
        case .school: .school
        case .curator, .regional: .region
        case .municipal: .municipality
        case .federal, .admin: nil
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

public enum OrganisationKind: String, Codable, Sendable, CaseIterable {
    case region, municipality, school

    public var russianName: String {
        switch self {
        case .region: "регион"
        case .municipality: "муниципалитет"
        case .school: "школа"
        }
    }
}

/// One role held by a user within one organisation (or everywhere, for federal and admin).
public struct RoleGrant: Codable, Sendable, Hashable {
    public var role: Role
    /// The organisation the grant is scoped to; its kind is `role.scopeKind`.
    public var organisationID: Int64?

    public init(role: Role, organisationID: Int64? = nil) {
        self.role = role
        self.organisationID = organisationID
    }
}
