import Foundation

extension SQLTransaction {
    func campaign(id: Int64) throws -> Campaign? {
        try row("SELECT \(Columns.campaign) FROM campaigns c WHERE c.id = ?", [id]).map(Campaign.init)
    }

    func campaign(code: String) throws -> Campaign? {
        try row("SELECT \(Columns.campaign) FROM campaigns c WHERE c.code = ?", [code]).map(Campaign.init)
    }

    func latestCampaign() throws -> Campaign? {
        try row("SELECT \(Columns.campaign) FROM campaigns c ORDER BY c.year DESC, c.id DESC LIMIT 1")
            .map(Campaign.init)
    }

    func campaigns() throws -> [Campaign] {
        try rows("SELECT \(Columns.campaign) FROM campaigns c ORDER BY c.year DESC, c.code").map(Campaign.init)
    }

    func milestones(campaignID: Int64) throws -> [Milestone] {
        try rows("SELECT \(Columns.milestone) FROM milestones ms WHERE ms.campaign_id = ? ORDER BY ms.due_date, ms.id", [campaignID]).map(Milestone.init)
    }

    func milestone(campaignID: Int64, kind: ItemKind) throws -> Milestone? {
        try row("SELECT \(Columns.milestone) FROM milestones ms WHERE ms.campaign_id = ? AND ms.kind = ?", [campaignID, kind]).map(Milestone.init)
    }

    func milestoneOverride(milestoneID: Int64, regionID: Int64) throws -> CalendarDate? {
        try value(CalendarDate.self, "SELECT due_date FROM milestone_overrides WHERE milestone_id = ? AND region_id = ?",
                  [milestoneID, regionID])
    }

    func milestoneOverrides(campaignID: Int64) throws -> [Int64: [Int64: CalendarDate]] {
        var result: [Int64: [Int64: CalendarDate]] = [:]
        for row in try rows("""
            SELECT o.milestone_id, o.region_id, o.due_date FROM milestone_overrides o
            JOIN milestones ms ON ms.id = o.milestone_id WHERE ms.campaign_id = ?
            """, [campaignID]) {
            result[row[0], default: [:]][row[1]] = try row.decode(CalendarDate.self, at: 2)
        }
        return result
    }

    func milestoneOverrideList(campaignID: Int64) throws -> [MilestoneOverride] {
        try rows("""
            SELECT ms.kind, r.code, r.name, o.due_date FROM milestone_overrides o
            JOIN milestones ms ON ms.id = o.milestone_id JOIN regions r ON r.id = o.region_id
            WHERE ms.campaign_id = ? ORDER BY r.code, o.due_date
            """, [campaignID]).map { row in
            MilestoneOverride(kind: try row.decode(ItemKind.self, at: 0), regionCode: row[1], regionName: row[2],
                              dueDate: try row.decode(CalendarDate.self, at: 3))
        }
    }

    func riskFactors(campaignID: Int64) throws -> [RiskFactor] {
        try rows("SELECT \(Columns.riskFactor) FROM risk_factors f WHERE f.campaign_id = ? ORDER BY f.number", [campaignID]).map(RiskFactor.init)
    }

    func riskFactor(id: Int64) throws -> RiskFactor? {
        try row("SELECT \(Columns.riskFactor) FROM risk_factors f WHERE f.id = ?", [id]).map(RiskFactor.init)
    }

    func riskFactorID(campaignID: Int64, number: Int) throws -> Int64? {
        try value(Int64.self, "SELECT id FROM risk_factors WHERE campaign_id = ? AND number = ?", [campaignID, number])
    }

    func participantCount(campaignID: Int64) throws -> Int {
        try value(Int.self, "SELECT count(*) FROM campaign_schools WHERE campaign_id = ?", [campaignID]) ?? 0
    }

    func participates(campaignID: Int64, schoolID: Int64) throws -> Bool {
        try value(Bool.self, "SELECT EXISTS (SELECT 1 FROM campaign_schools WHERE campaign_id = ? AND school_id = ?)", [campaignID, schoolID]) ?? false
    }

    func isAssigned(campaignID: Int64, schoolID: Int64, curatorID: Int64) throws -> Bool {
        try value(Bool.self, """
            SELECT EXISTS (SELECT 1 FROM curator_assignments WHERE campaign_id = ? AND school_id = ? AND curator_id = ?)
            """, [campaignID, schoolID, curatorID]) ?? false
    }

    func curatorAssignments(campaignID: Int64, within reach: TerritoryReach, page: PageRequest) throws -> Page<CuratorAssignment> {
        var conditions = SQLConditions()
        conditions.append("ca.campaign_id = ?", campaignID)
        Self.appendTerritory(reach, to: &conditions)
        let from = """
            curator_assignments ca JOIN schools s ON s.id = ca.school_id JOIN users u ON u.id = ca.curator_id
            JOIN municipalities m ON m.id = s.municipality_id
            """
        return try KeysetPage.fetch(self, select: "s.code, s.name, m.name, u.login, u.full_name", from: from, conditions,
                                    order: [.text("s.code"), .text("u.login")], page: page) { row in
            CuratorAssignment(schoolCode: row[0], schoolName: row[1], municipalityName: row[2], curatorLogin: row[3], curatorName: row[4])
        }
    }

    func curates(curatorID: Int64, campaignID: Int64, within reach: TerritoryReach) throws -> Bool {
        var conditions = SQLConditions()
        conditions.append("ca.campaign_id = ?", campaignID)
        conditions.append("ca.curator_id = ?", curatorID)
        Self.appendTerritory(reach, to: &conditions)
        let sql = """
            SELECT EXISTS (SELECT 1 FROM curator_assignments ca JOIN schools s ON s.id = ca.school_id
                           JOIN municipalities m ON m.id = s.municipality_id WHERE \(conditions.sql))
            """
        return try value(Bool.self, sql, conditions.arguments) ?? false
    }

    /// Limits `m` (the school's municipality) to a territory.
    private static func appendTerritory(_ reach: TerritoryReach, to conditions: inout SQLConditions) {
        guard !reach.everything else { return }
        let regions = reach.regions.sorted(), municipalities = reach.municipalities.sorted()
        var terms: [String] = []
        var values: [any SQLBindable] = []
        if !regions.isEmpty { terms.append("m.region_id IN (\(SQLList.placeholders(regions.count)))"); values += regions }
        if !municipalities.isEmpty { terms.append("m.id IN (\(SQLList.placeholders(municipalities.count)))"); values += municipalities }
        conditions.append((sql: terms.isEmpty ? "FALSE" : "(" + terms.joined(separator: " OR ") + ")", arguments: SQLArguments(values)))
    }

    // MARK: Writing

    func insertCampaign(code: String, name: String, year: Int) throws -> Int64 {
        return try insert("INSERT INTO campaigns (code, name, year) VALUES (?, ?, ?)", [code, name, year])
    
    }

    func insertRiskFactor(campaignID: Int64, number: Int, title: String) throws {
        try execute("INSERT INTO risk_factors (campaign_id, number, title) VALUES (?, ?, ?)", [campaignID, number, title])
    
    }

    func insertMilestone(campaignID: Int64, _ milestone: MilestoneInput) throws {
        try execute("INSERT INTO milestones (campaign_id, kind, title, due_date) VALUES (?, ?, ?, ?)", [campaignID, milestone.kind, milestone.title, milestone.dueDate])
    
    }

    func saveMilestoneOverride(milestoneID: Int64, regionID: Int64, dueDate: CalendarDate) throws {
        try execute("""
            INSERT INTO milestone_overrides (milestone_id, region_id, due_date) VALUES (?, ?, ?)
            ON CONFLICT (milestone_id, region_id) DO UPDATE SET due_date = excluded.due_date
            """, [milestoneID, regionID, dueDate])
    
    }

    func addParticipant(campaignID: Int64, schoolID: Int64) throws {
        try execute("INSERT INTO campaign_schools (campaign_id, school_id) VALUES (?, ?)", [campaignID, schoolID])
    
    }

    func insertAssignment(campaignID: Int64, schoolID: Int64, curatorID: Int64, at: Date) throws {
        try execute("INSERT INTO curator_assignments (campaign_id, school_id, curator_id, assigned_at) VALUES (?, ?, ?, ?)", [campaignID, schoolID, curatorID, at.sql])
    
    }
}
