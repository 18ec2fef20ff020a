import Foundation

extension SQLTransaction {
    func region(id: Int64) throws -> Region? {
        try row("SELECT \(Columns.region) FROM regions r WHERE r.id = ?", [id]).map { Region(row: $0) }
    }

    func region(code: String) throws -> Region? {
        try row("SELECT \(Columns.region) FROM regions r WHERE r.code = ?", [code]).map { Region(row: $0) }
    }

    func municipality(id: Int64) throws -> Municipality? {
        try row("SELECT \(Columns.municipality) FROM municipalities m WHERE m.id = ?", [id])
            .map { Municipality(row: $0) }
    }

    func municipality(code: String) throws -> Municipality? {
        try row("SELECT \(Columns.municipality) FROM municipalities m WHERE m.code = ?", [code])
            .map { Municipality(row: $0) }
    }

    func school(id: Int64) throws -> School? {
        try row("SELECT \(Columns.school) FROM schools s WHERE s.id = ?", [id]).map { School(row: $0) }
    }

    func school(code: String) throws -> School? {
        try row("SELECT \(Columns.school) FROM schools s WHERE s.code = ?", [code])
            .map { School(row: $0) }
    }

    func schoolPlace(schoolID: Int64) throws -> SchoolPlace? {
        try row("""
            SELECT \(Columns.school), m.region_id, m.code, m.name, r.code, r.name, r.time_zone
            FROM schools s JOIN municipalities m ON m.id = s.municipality_id JOIN regions r ON r.id = m.region_id
            WHERE s.id = ?
            """, [schoolID]).map(Self.schoolPlace)
    }

    /// A school place from `Columns.school` followed by region id, municipality code and name,
    /// region code and name, and time zone.
    static func schoolPlace(_ row: SQLRow) -> SchoolPlace {
        let school = School(row: row)
        return SchoolPlace(school: school, path: OrganisationPath(regionID: row[7], municipalityID: school.municipalityID, schoolID: school.id),
                           municipalityCode: row[8], municipalityName: row[9], regionCode: row[10], regionName: row[11],
                           timeZone: row[12])
    }

    func organisationID(_ kind: OrganisationKind, code: String) throws -> Int64? {
        try value(Int64.self, "SELECT id FROM \(Self.table(kind)) WHERE code = ?", [code])
    }

    func organisationExists(_ kind: OrganisationKind, id: Int64) throws -> Bool {
        try value(Bool.self, "SELECT EXISTS (SELECT 1 FROM \(Self.table(kind)) WHERE id = ?)", [id]) ?? false
    }

    private static func table(_ kind: OrganisationKind) -> String {
        switch kind {
        case .region: "regions"
        case .municipality: "municipalities"
        case .school: "schools"
        }
    }

    func allRegions() throws -> [Region] {
        try rows("SELECT \(Columns.region) FROM regions r ORDER BY r.code").map { Region(row: $0) }
    }

    func municipalities(regionIDs: Set<Int64>?) throws -> [Municipality] {
        guard let regionIDs else {
            return try rows("SELECT \(Columns.municipality) FROM municipalities m ORDER BY m.code")
                .map { Municipality(row: $0) }
        }
        guard !regionIDs.isEmpty else { return [] }
        let ids = regionIDs.sorted()
        return try rows("""
            SELECT \(Columns.municipality) FROM municipalities m
            WHERE m.region_id IN (\(SQLList.placeholders(ids.count))) ORDER BY m.code
            """, SQLArguments(ids)).map { Municipality(row: $0) }
    }

    func regions(_ query: OrganisationQuery, page: PageRequest) throws -> Page<Region> {
        var conditions = SQLConditions()
        conditions.search(query.search, in: ["r.code", "r.name"])
        return try KeysetPage.fetch(self, select: Columns.region, from: "regions r", conditions, order: [.text("r.code")],
                                    page: page, decode: { Region(row: $0) })
    }

    func municipalities(_ query: OrganisationQuery, page: PageRequest) throws -> Page<Municipality> {
        var conditions = SQLConditions()
        conditions.search(query.search, in: ["m.code", "m.name"])
        if let region = query.regionID { conditions.append("m.region_id = ?", region) }
        return try KeysetPage.fetch(self, select: Columns.municipality, from: "municipalities m", conditions, order: [.text("m.code")],
                                    page: page, decode: { Municipality(row: $0) })
    }

    func schools(_ query: OrganisationQuery, page: PageRequest) throws -> Page<School> {
        var conditions = SQLConditions()
        conditions.search(query.search, in: ["s.code", "s.name"])
        if let municipality = query.municipalityID { conditions.append("s.municipality_id = ?", municipality) }
        if let region = query.regionID {
            conditions.append("s.municipality_id IN (SELECT id FROM municipalities WHERE region_id = ?)", region)
        }
        return try KeysetPage.fetch(self, select: Columns.school, from: "schools s", conditions, order: [.text("s.code")],
                                    page: page, decode: { School(row: $0) })
    }

    func organisationCounts() throws -> (regions: Int, municipalities: Int, schools: Int) {
        let row = try self.row("""
            SELECT (SELECT count(*) FROM regions), (SELECT count(*) FROM municipalities), (SELECT count(*) FROM schools)
            """)!
        return (row[0], row[1], row[2])
    }

    // MARK: Writing

    func insertRegion(code: String, name: String, timeZone: String) throws -> Int64 {
        return try insert("INSERT INTO regions (code, name, time_zone) VALUES (?, ?, ?)", [code, name, timeZone])
    
    }

    func updateRegion(_ region: Region) throws {
        try execute("UPDATE regions SET code = ?, name = ?, time_zone = ? WHERE id = ?", [region.code, region.name, region.timeZone, region.id])
    
    }

    func insertMunicipality(code: String, name: String, regionID: Int64) throws -> Int64 {
        return try insert("INSERT INTO municipalities (region_id, code, name) VALUES (?, ?, ?)", [regionID, code, name])
    
    }

    func updateMunicipality(_ municipality: Municipality) throws {
        let previous = try self.municipality(id: municipality.id)
        try execute("UPDATE municipalities SET region_id = ?, code = ?, name = ? WHERE id = ?", [municipality.regionID, municipality.code, municipality.name, municipality.id])
        if let previous, previous.regionID != municipality.regionID {
            for table in ["items", "measures"] {
                try execute("UPDATE \(table) SET region_id = ? WHERE municipality_id = ?", [municipality.regionID, municipality.id])
            }
        }
    
    }

    func insertSchool(_ school: School) throws -> Int64 {
        return try insert("""
            INSERT INTO schools (municipality_id, code, name, low_results, hard_social, programme_years) VALUES (?, ?, ?, ?, ?, ?)
            """, [school.municipalityID, school.code, school.name, school.lowResults,
                                     school.hardSocialConditions, school.programmeYears])
    
    }

    func updateSchool(_ school: School) throws {
        let previous = try self.school(id: school.id)
        try execute("""
            UPDATE schools SET municipality_id = ?, code = ?, name = ?, low_results = ?, hard_social = ?, programme_years = ?
            WHERE id = ?
            """, [school.municipalityID, school.code, school.name, school.lowResults,
                                     school.hardSocialConditions, school.programmeYears, school.id])
        if let previous, previous.municipalityID != school.municipalityID {
            for table in ["items", "measures"] {
                try execute("""
                    UPDATE \(table) SET municipality_id = ?, region_id = (SELECT region_id FROM municipalities WHERE id = ?)
                    WHERE school_id = ?
                    """, [school.municipalityID, school.municipalityID, school.id])
            }
        }
    
    }
}
