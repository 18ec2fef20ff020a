/// A school with where it sits and the zone its deadlines are counted in.
struct SchoolPlace: Sendable, Hashable {
    var school: School
    var path: OrganisationPath
    var municipalityCode: String
    var municipalityName: String
    var regionCode: String
    var regionName: String
    var timeZone: String
}


protocol OrganisationReading {
    func region(id: Int64) throws -> Region?
    func region(code: String) throws -> Region?
    func municipality(id: Int64) throws -> Municipality?
    func municipality(code: String) throws -> Municipality?
    func school(id: Int64) throws -> School?
    func school(code: String) throws -> School?
    func schoolPlace(schoolID: Int64) throws -> SchoolPlace?
    /// A region, municipality or school id by its code.
    func organisationID(_ kind: OrganisationKind, code: String) throws -> Int64?
    func organisationExists(_ kind: OrganisationKind, id: Int64) throws -> Bool
    /// All regions (85 at most), by code.
    func allRegions() throws -> [Region]
    /// The municipalities of a region, or of every region, by code (for choosers, not lists).
    func municipalities(regionIDs: Set<Int64>?) throws -> [Municipality]
    func regions(_ query: OrganisationQuery, page: PageRequest) throws -> Page<Region>
    func municipalities(_ query: OrganisationQuery, page: PageRequest) throws -> Page<Municipality>
    func schools(_ query: OrganisationQuery, page: PageRequest) throws -> Page<School>
    func organisationCounts() throws -> (regions: Int, municipalities: Int, schools: Int)
}

protocol OrganisationWriting {
    func insertRegion(code: String, name: String, timeZone: String) throws -> Int64
    func updateRegion(_ region: Region) throws
    func insertMunicipality(code: String, name: String, regionID: Int64) throws -> Int64
    /// Moving a municipality to another region moves its items and measures with it.
    func updateMunicipality(_ municipality: Municipality) throws
    func insertSchool(_ school: School) throws -> Int64
    /// Moving a school to another municipality moves its items and measures with it.
    func updateSchool(_ school: School) throws
}
