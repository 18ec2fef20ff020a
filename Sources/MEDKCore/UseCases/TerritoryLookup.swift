import Foundation

/// Territories named by their codes in requests (`/regions/75/…`, `?municipality=75001`), looked up
/// the one way every route uses: a territory that does not exist and one the actor has nothing to
/// do with get the same «not found», so that nobody learns by trying which codes exist or what
/// they are called; inside a territory the actor does work in, a refusal says why (403).
extension Lookup {
    /// The region named by `code` for an act the policy must allow there.
    static func region(_ store: any StoreReading, code: String, by op: Operator,
                       _ permission: (Region) -> Permission) throws -> (Region, AuditActor) {
        guard let region = try store.region(code: code) else { throw missingRegion(code) }
        if case .user(let actor) = op, !Policy.allows(actor, permission(region)),
           try !touches(store, actor, regionID: region.id) {
            throw missingRegion(code)
        }
        return (region, try op.authorize(permission(region)))
    }

    /// The municipality named by `code` for an act the policy must allow there.
    static func municipality(_ store: any StoreReading, code: String, by op: Operator,
                             _ permission: (Municipality) -> Permission) throws -> (Municipality, AuditActor) {
        guard let municipality = try store.municipality(code: code) else { throw missingMunicipality(code) }
        if case .user(let actor) = op, !Policy.allows(actor, permission(municipality)),
           try !touches(store, actor, municipality: municipality) {
            throw missingMunicipality(code)
        }
        return (municipality, try op.authorize(permission(municipality)))
    }

    static func missingRegion(_ code: String) -> MEDKError { .notFound("Регион «\(code)»") }
    static func missingMunicipality(_ code: String) -> MEDKError { .notFound("Муниципалитет «\(code)»") }
    static func missingSchool(_ code: String) -> MEDKError { .notFound("Школа «\(code)»") }

    /// Whether the actor works anywhere in the region: coordinates it or one of its municipalities,
    /// is one of its schools or curates one, or sees the whole country.
    static func touches(_ store: any StoreReading, _ actor: Actor, regionID: Int64) throws -> Bool {
        for grant in actor.grants {
            guard let id = grant.organisationID else {
                if grant.role == .federal || grant.role == .admin { return true }
                continue
            }
            switch grant.role {
            case .federal, .admin: return true
            case .regional: if id == regionID { return true }
            case .municipal: if try store.municipality(id: id)?.regionID == regionID { return true }
            case .school: if try store.schoolPlace(schoolID: id)?.path.regionID == regionID { return true }
            case .curator: break
            }
        }
        for curated in Set(actor.curatedSchools.map(\.schoolID)) where try store.schoolPlace(schoolID: curated)?.path.regionID == regionID {
            return true
        }
        return false
    }

    /// Whether the actor works anywhere in the municipality (or over it: its region, the country).
    static func touches(_ store: any StoreReading, _ actor: Actor, municipality: Municipality) throws -> Bool {
        for grant in actor.grants {
            switch grant.role {
            case .federal, .admin: return true
            case .regional: if grant.organisationID == municipality.regionID { return true }
            case .municipal: if grant.organisationID == municipality.id { return true }
            case .school:
                if let id = grant.organisationID, try store.schoolPlace(schoolID: id)?.path.municipalityID == municipality.id { return true }
            case .curator: break
            }
        }
        for curated in Set(actor.curatedSchools.map(\.schoolID))
        where try store.schoolPlace(schoolID: curated)?.path.municipalityID == municipality.id {
            return true
        }
        return false
    }
}
