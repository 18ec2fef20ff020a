import Foundation

extension SQLTransaction {
    /// Applies one change to a school's stored progress, in the caller's transaction.
    func updateProgress(campaignID: Int64, schoolID: Int64, _ change: (inout SchoolProgress) -> Void) throws {
        var progress = try storedProgress(campaignID: campaignID, schoolID: schoolID)
        change(&progress)
        try execute("""
            INSERT INTO school_progress (campaign_id, school_id, digest) VALUES (?, ?, ?)
            ON CONFLICT (campaign_id, school_id) DO UPDATE SET digest = excluded.digest
            """, [campaignID, schoolID, Data(ProgressCodec.encode(progress))])
    }

    func storedProgress(campaignID: Int64, schoolID: Int64) throws -> SchoolProgress {
        guard let row = try self.row("SELECT digest FROM school_progress WHERE campaign_id = ? AND school_id = ?", [campaignID, schoolID]) else { return .empty }
        return try Self.progress(row, at: 0)
    }

    static func progress(_ row: SQLRow, at index: Int) throws -> SchoolProgress {
        try row.withBytes(index) { bytes in
            guard let bytes else { return .empty }
            return try ProgressCodec.decode(bytes)
        }
    }

    func rebuiltProgress(campaignID: Int64, schoolID: Int64) throws -> SchoolProgress {
        try ProgressRebuild.progress(self, campaignID: campaignID, schoolID: schoolID)
    }

    func forEachParticipantBatch(campaignID: Int64, in territory: MonitoringScope, onlySchoolID: Int64?, batchSize: Int,
                                 _ body: ([StoredParticipant]) throws -> Void) throws {
        var conditions = SQLConditions()
        conditions.append("cs.campaign_id = ?", campaignID)
        conditions.append(Self.territoryCondition(territory))
        if let only = onlySchoolID { conditions.append("s.id = ?", only) }
        // No ORDER BY: sorting would carry every digest through a temporary b-tree; callers sort what they keep.
        var batch: [StoredParticipant] = []
        batch.reserveCapacity(batchSize)
        try forEach("""
            SELECT \(Columns.school), m.region_id, m.code, m.name, r.code, r.name, r.time_zone, p.digest
            FROM campaign_schools cs JOIN schools s ON s.id = cs.school_id
            JOIN municipalities m ON m.id = s.municipality_id JOIN regions r ON r.id = m.region_id
            LEFT JOIN school_progress p ON p.campaign_id = cs.campaign_id AND p.school_id = cs.school_id
            WHERE \(conditions.sql)
            """, conditions.arguments) { row in
            let progress = try row.withBytes(13) { bytes in EncodedProgress(bytes.map { [UInt8]($0) } ?? []) }
            batch.append(StoredParticipant(school: ParticipantSchool(place: Self.schoolPlace(row)), progress: progress))
            if batch.count == batchSize {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
            }
            return true
        }
        if !batch.isEmpty { try body(batch) }
    }

    func complianceRevisions() throws -> [Int64: ComplianceRevision] {
        var revisions: [Int64: ComplianceRevision] = [:]
        for row in try rows("""
            SELECT m.region_id, count(*), coalesce(sum(cr.revision), 0)
            FROM municipalities m LEFT JOIN compliance_revisions cr ON cr.municipality_id = m.id GROUP BY m.region_id
            """) {
            revisions[row[0]] = ComplianceRevision(municipalities: row[1], sum: row[2])
        }
        return revisions
    }

    func assignments(campaignID: Int64, in territory: MonitoringScope) throws -> [(schoolID: Int64, login: String, fullName: String)] {
        var conditions = SQLConditions()
        conditions.append("ca.campaign_id = ?", campaignID)
        conditions.append(Self.territoryCondition(territory))
        return try rows("""
            SELECT ca.school_id, u.login, u.full_name FROM curator_assignments ca JOIN users u ON u.id = ca.curator_id
            JOIN schools s ON s.id = ca.school_id JOIN municipalities m ON m.id = s.municipality_id
            WHERE \(conditions.sql) ORDER BY u.login
            """, conditions.arguments).map { (schoolID: $0[0], login: $0[1], fullName: $0[2]) }
    }

    /// A territory as a condition on `m` (municipalities) joined to the schools listed.
    private static func territoryCondition(_ territory: MonitoringScope) -> (sql: String, arguments: SQLArguments) {
        switch territory {
        case .country: ("TRUE", [])
        case .region(let id): ("m.region_id = ?", [id])
        case .municipality(_, let id): ("m.id = ?", [id])
        }
    }

    func overdueMeasures(_ visibility: ItemVisibility, _ query: OverdueMeasureQuery, page: PageRequest) throws -> Page<OverdueMeasure> {
        guard !visibility.isNothing else { return Page(items: [], total: 0, nextCursor: nil) }
        var conditions = SQLConditions()
        // Open commitments: what `measures_open_by_*` hold (a draft roadmap's measures are not yet promised).
        conditions.append("m.report_first_confirmed_at IS NULL AND m.committed_at IS NOT NULL")
        conditions.append("m.campaign_id = ?", query.campaignID)
        conditions.append(ReachFilter.measures.condition(query.territory))
        conditions.append(ReachFilter.measures.condition(visibility))
        if let school = query.schoolID { conditions.append("m.school_id = ?", school) }
        if let curator = query.curatorID {
            conditions.append("m.school_id IN (SELECT school_id FROM curator_assignments WHERE curator_id = ? AND campaign_id = ?)",
                              curator, query.campaignID)
        }
        // A measure is overdue from the day after its due date in its region's zone; zones put
        // regions on at most a few different dates. Before the earliest of those dates a measure is
        // overdue everywhere, so only the days between the earliest and the latest ask the region
        // (asking every row was two thirds of the cost of counting a region's overdue measures).
        let byToday = Dictionary(grouping: query.todayByRegion, by: \.value).mapValues { $0.map(\.key).sorted() }
        guard let latest = byToday.keys.max(), let earliest = byToday.keys.min() else { return Page(items: [], total: 0, nextCursor: nil) }
        conditions.append("m.due_date < ?", latest)
        if earliest < latest {
            var terms = ["m.due_date < ?"]
            var values: [any SQLBindable] = [earliest]
            for (today, regions) in byToday.sorted(by: { $0.key < $1.key }) where today > earliest {
                terms.append("(m.due_date < ? AND m.region_id IN (\(SQLList.placeholders(regions.count))))")
                values.append(today)
                values += regions
            }
            conditions.append((sql: "(" + terms.joined(separator: " OR ") + ")", arguments: SQLArguments(values)))
        }
        let order: [SortKey] = switch query.sort {
        case .dueDate: [.text("m.due_date"), .integer("m.id")]
        case .recent: [.text("m.due_date", descending: true), .integer("m.id", descending: true)]
        // Grouped by territory, then school (municipal measures first in their municipality), as the
        // index measures_open_by_place keeps them.
        case .school: [.integer("m.region_id"), .integer("coalesce(m.municipality_id, 0)"), .integer("coalesce(m.school_id, 0)"),
                       .text("m.due_date"), .integer("m.id")]
        }
        // LEFT JOINs for the names, so that measures lead the plan in the list's own order. (Reading
        // the names once per page instead saves nothing: a page of 100 shows about 95 schools.)
        let from = """
            measures m LEFT JOIN items report ON report.measure_id = m.id LEFT JOIN schools s ON s.id = m.school_id
            LEFT JOIN municipalities mu ON mu.id = m.municipality_id LEFT JOIN regions r ON r.id = m.region_id
            """
        let known = page.countsTotal ? try overdueTotalOfWholeRegions(visibility, query) : nil
        // A page repeats a few municipalities and regions: their names are made into strings once.
        var municipalities: [Int64: (code: String?, name: String?)] = [:]
        var regions: [Int64: (code: String, name: String, zone: String)] = [:]
        return try KeysetPage.fetch(self, select: """
            m.id, m.roadmap_id, m.campaign_id, m.title, m.task, m.responsible, m.due_date, report.id, report.state,
            s.code, s.name, mu.code, mu.name, r.code, r.name, r.time_zone, m.region_id, m.municipality_id
            """, from: from, countFrom: "measures m", total: known, id: "m.id", conditions, order: order, page: page) { row in
            let due = try row.decode(CalendarDate.self, at: 6)
            // A region's own measures (its regional roadmap) have no municipality: kept under 0.
            let regionID: Int64 = row[16], municipalityID: Int64 = row[17] ?? 0
            let today = query.todayByRegion[regionID] ?? due
            let municipality = municipalities[municipalityID] ?? (row[11], row[12])
            municipalities[municipalityID] = municipality
            let region = regions[regionID] ?? (row[13], row[14], row[15])
            regions[regionID] = region
            return OverdueMeasure(
                measureID: row[0], roadmapID: row[1], campaignID: row[2], title: row[3], task: row[4], responsible: row[5],
                dueDate: due, daysOverdue: due.days(to: today), reportItemID: row[7],
                reportState: try row.decodeIfPresent(ReviewState.self, at: 8), schoolCode: row[9], schoolName: row[10],
                municipalityCode: municipality.code, municipalityName: municipality.name, regionCode: region.code,
                regionName: region.name, timeZone: region.zone)
        }
    }
}

extension SQLTransaction {
    /// The overdue total of a list that is whole regions — a regional or federal view of a region or
    /// the country, with no school or curator filter — summed from `open_measure_days` over each
    /// region's due dates before its own today: exact, and a few hundred rows a region instead of a
    /// count of tens of thousands of measures. Nil for narrower lists (a municipality, a school, a
    /// curator's schools, municipal items only), whose direct count is small.
    func overdueTotalOfWholeRegions(_ visibility: ItemVisibility, _ query: OverdueMeasureQuery) throws -> Int? {
        guard query.schoolID == nil, query.curatorID == nil, !visibility.isNothing,
              visibility.reaches.allSatisfy({ reach in
                  switch reach {
                  case .everything, .region: true
                  default: false
                  }
              }) else { return nil }
        switch query.territory {
        case .country, .region: break
        case .municipality: return nil
        }
        // `todayByRegion` names exactly the regions of the list: the visible ones within the territory.
        guard !query.todayByRegion.isEmpty else { return 0 }
        var values: [any SQLBindable] = []
        for (region, today) in query.todayByRegion.sorted(by: { $0.key < $1.key }) {
            values.append(region)
            values.append(today)
        }
        values.append(query.campaignID)
        let places = Array(repeating: "(CAST(? AS INTEGER), ?)", count: query.todayByRegion.count).joined(separator: ", ")
        return try value(Int.self, """
            SELECT coalesce(sum(d.open_count), 0) FROM (VALUES \(places)) AS place
            JOIN open_measure_days d ON d.campaign_id = ? AND d.region_id = place.column1 AND d.due_date < place.column2
            """, SQLArguments(values)) ?? 0
    }
}

/// Rebuilding progress from the rows it summarises: items, their review steps in the audit
/// trail (indexed by item), measures and the risk-profile selection. Used when migrating, to
/// repair, and by the test that holds the incremental updates to it.
enum ProgressRebuild {
    static func progress(_ session: any SQLSession, campaignID: Int64, schoolID: Int64) throws -> SchoolProgress {
        var progress = SchoolProgress()
        let items = try session.rows("""
            SELECT id, kind, created_at FROM items WHERE campaign_id = ? AND school_id = ? ORDER BY id
            """, [campaignID, schoolID])
        let reviewActions = ReviewAction.allCases.filter { $0.resultingState != nil }.map { AuditAction.transition($0) }
        for row in items {
            let id: Int64 = row[0]
            var item = ItemProgress(id: id, kind: try row.decode(ItemKind.self, at: 1), createdAt: SchoolProgress.kept(try row.instant(2)),
                                    changes: [])
            for change in try session.rows("""
                SELECT action, at FROM audit_log WHERE entity_type = 'item' AND entity_id = ?
                  AND action IN (\(reviewActions.map { "'\($0.rawValue)'" }.joined(separator: ","))) ORDER BY seq
                """, [String(id)]) {
                guard let action = try change.decode(AuditAction.self, at: 0).reviewAction,
                      let at = Timestamp.date(change[1]) else { continue }
                item.changes.append(StateChange(at: SchoolProgress.kept(at), action: action))
            }
            progress.items.append(item)
        }
        for row in try session.rows("""
            SELECT ms.id, ms.due_date, ms.created_at, report.id FROM measures ms LEFT JOIN items report ON report.measure_id = ms.id
            WHERE ms.campaign_id = ? AND ms.school_id = ? AND ms.due_date IS NOT NULL ORDER BY ms.id
            """, [campaignID, schoolID]) {
            progress.measures.append(MeasureProgress(id: row[0], dueDate: try row.decode(CalendarDate.self, at: 1),
                                                     createdAt: SchoolProgress.kept(try row.instant(2)), reportItemID: row[3]))
        }
        progress.chosenRiskCount = try session.value(Int.self, """
            SELECT count(*) FROM risk_profile_entries e JOIN items i ON i.id = e.item_id
            WHERE i.campaign_id = ? AND i.school_id = ? AND i.kind = 'risk_profile' AND e.chosen = 1
            """, [campaignID, schoolID]) ?? 0
        return progress
    }

    /// Rebuilds the stored progress of every school that has items; returns how many.
    @discardableResult
    static func rebuildAll(_ session: any SQLSession) throws -> Int {
        try session.execute("DELETE FROM school_progress", [])
        for row in try session.rows("SELECT DISTINCT campaign_id, school_id FROM items WHERE school_id IS NOT NULL") {
            let campaignID: Int64 = row[0], schoolID: Int64 = row[1]
            let progress = try progress(session, campaignID: campaignID, schoolID: schoolID)
            try session.execute("INSERT INTO school_progress (campaign_id, school_id, digest) VALUES (?, ?, ?)", [campaignID, schoolID, Data(ProgressCodec.encode(progress))])
        }
        return try session.value(Int.self, "SELECT count(*) FROM school_progress") ?? 0
    }
}
