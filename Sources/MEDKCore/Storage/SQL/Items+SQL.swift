import Foundation

/// How items are read: the row with where it sits, in the order `StoredItem(row:)` decodes.
private enum ItemSQL {
    static let select = """
        i.id, i.campaign_id, i.kind, i.title, i.state, i.revision, i.school_id, s.code, s.name, i.municipality_id, m.name,
        i.region_id, r.time_zone, i.risk_factor_id, i.measure_id, i.submitted_at, coalesce(u.full_name, u.login), i.updated_at,
        (SELECT max(version) FROM item_files f WHERE f.item_id = i.id),
        i.created_by, i.first_submitted_at, i.submitted_by, i.decided_at, i.decided_by, i.first_confirmed_at, i.confirmed_version, r.name
        """
    /// Every join is a LEFT JOIN on a key the item always has: the names are looked up row by row
    /// and the planner cannot start from municipalities, so a newest-first page reads only its page.
    static let from = """
        items i LEFT JOIN schools s ON s.id = i.school_id LEFT JOIN municipalities m ON m.id = i.municipality_id
        LEFT JOIN regions r ON r.id = i.region_id LEFT JOIN users u ON u.id = i.submitted_by
        """

    static func summary(_ row: SQLRow) throws -> ItemSummary {
        let kind = try row.decode(ItemKind.self, at: 2), state = try row.decode(ReviewState.self, at: 4)
        return ItemSummary(
            id: row[0], campaignID: row[1], kind: kind, kindName: kind.russianName, title: row[3], state: state,
            stateName: state.russianName, revision: row[5], schoolID: row[6], schoolCode: row[7], schoolName: row[8],
            municipalityID: row[9], municipalityName: row[10], regionID: row[11], regionName: row[26], timeZone: row[12], riskFactorID: row[13],
            measureID: row[14], submittedAt: try row.instantIfPresent(15), submittedBy: row[16], updatedAt: try row.instant(17),
            latestVersion: row[18])
    }

    static func stored(_ row: SQLRow) throws -> StoredItem {
        StoredItem(summary: try summary(row), createdBy: row[19], firstSubmittedAt: try row.instantIfPresent(20), submittedByID: row[21],
                   decidedAt: try row.instantIfPresent(22), decidedBy: row[23], firstConfirmedAt: try row.instantIfPresent(24),
                   confirmedVersion: row[25])
    }
}

extension SQLTransaction {
    func documentFiles() throws -> [KeptFile] {
        try rows("SELECT sha256, max(size) FROM item_files GROUP BY sha256 ORDER BY sha256").map { KeptFile(sha256: $0[0], size: $0[1]) }
    }

    func item(id: Int64) throws -> StoredItem? {
        try row("SELECT \(ItemSQL.select) FROM \(ItemSQL.from) WHERE i.id = ?", [id]).map(ItemSQL.stored)
    }

    func items(_ visibility: ItemVisibility, _ filter: ItemListFilter, page: PageRequest) throws -> Page<ItemSummary> {
        guard !visibility.isNothing else { return Page(items: [], total: 0, nextCursor: nil) }
        return try KeysetPage.fetch(self, select: ItemSQL.select, from: ItemSQL.from, countFrom: "items i",
                                    total: page.countsTotal ? tally(visibility, filter) : nil, id: "i.id",
                                    conditions(visibility, filter), order: Self.order(filter.sort), page: page,
                                    decode: ItemSQL.summary)
    }

    /// The keys of a documents list's order, each ending in the id so that pages never tie
    /// (indexes `items_updated` and `items_title`, migration v18).
    static func order(_ sort: ItemSort) -> [SortKey] {
        switch sort {
        case .newest: [.integer("i.id", descending: true)]
        case .updated: [.text("i.updated_at", descending: true), .integer("i.id", descending: true)]
        case .title: [.text("i.title"), .integer("i.id")]
        }
    }

    /// The exact number of items in `visibility` matching `filter`, summed from `item_tallies`, when
    /// the reach is made of whole territories and the filter of campaign, kind and state; nil when it
    /// is not (a school's, a curator's or a reviewer's list is short and counted from the items).
    private func tally(_ visibility: ItemVisibility, _ filter: ItemListFilter) throws -> Int? {
        guard visibility.excludingSubmittedBy == nil, filter.schoolID == nil, filter.municipalOwnID == nil, filter.regionalOwnID == nil,
              !visibility.isNothing else {
            return nil
        }
        var reach: [String] = []
        var arguments = SQLArguments()
        for territory in visibility.reaches {
            switch territory {
            case .everything: reach.append("TRUE")
            case .region(let id): reach.append("region_id = ?"); arguments += [id]
            case .municipality(let id): reach.append("municipality_id = ?"); arguments += [id]
            case .municipalItemsOf(let id): reach.append("(owner = 1 AND municipality_id = ?)"); arguments += [id]
            case .municipalItemsIn(let id): reach.append("(owner = 1 AND region_id = ?)"); arguments += [id]
            case .regionalItemsOf(let id): reach.append("(owner = 2 AND region_id = ?)"); arguments += [id]
            case .regionalItems: reach.append("owner = 2")
            case .school, .curated: return nil
            }
        }
        var conditions = SQLConditions()
        conditions.append((sql: "(" + reach.joined(separator: " OR ") + ")", arguments: arguments))
        if let campaign = filter.campaignID { conditions.append("campaign_id = ?", campaign) }
        if let state = filter.state { conditions.append("state = ?", state) }
        if let kind = filter.kind { conditions.append("kind = ?", kind) }
        return try value(Int.self, "SELECT coalesce(sum(item_count), 0) FROM item_tallies WHERE \(conditions.sql)", conditions.arguments) ?? 0
    }

    func queue(_ visibility: ItemVisibility, _ filter: ItemListFilter, page: PageRequest) throws -> Page<ItemSummary> {
        guard !visibility.isNothing else { return Page(items: [], total: 0, nextCursor: nil) }
        var conditions = conditions(visibility, filter)
        conditions.append("i.state = ?", ReviewState.submitted)
        return try KeysetPage.fetch(self, select: ItemSQL.select, from: ItemSQL.from, countFrom: "items i", id: "i.id", conditions,
                                    order: [.text("i.submitted_at"), .integer("i.id")], page: page, decode: ItemSQL.summary)
    }

    private func conditions(_ visibility: ItemVisibility, _ filter: ItemListFilter) -> SQLConditions {
        var conditions = SQLConditions()
        conditions.append(ReachFilter.items.condition(visibility))
        // A campaign selects nearly everything in a territory: the narrower reach must lead the plan,
        // so `+` keeps the campaign from driving it unless the actor sees everything.
        if let campaign = filter.campaignID {
            conditions.append(visibility.reaches == [.everything] ? "i.campaign_id = ?" : "+i.campaign_id = ?", campaign)
        }
        if let school = filter.schoolID { conditions.append("i.school_id = ?", school) }
        if let municipality = filter.municipalOwnID { conditions.append("i.school_id IS NULL AND i.municipality_id = ?", municipality) }
        if let region = filter.regionalOwnID {
            conditions.append("i.school_id IS NULL AND i.municipality_id IS NULL AND i.region_id = ?", region)
        }
        if let state = filter.state { conditions.append("i.state = ?", state) }
        if let kind = filter.kind { conditions.append("i.kind = ?", kind) }
        return conditions
    }

    func municipalRoadmaps(campaignID: Int64, regionID: Int64, today: CalendarDate) throws -> [MunicipalRoadmapCount] {
        // Overdue as `MeasureRules` has it: a commitment due before today in the region's zone, its report never confirmed.
        try rows("""
            SELECT i.municipality_id, i.id, i.state, count(m.id),
                   count(*) FILTER (WHERE m.report_first_confirmed_at IS NULL AND m.committed_at IS NOT NULL AND m.due_date < ?),
                   count(*) FILTER (WHERE report.state = 'confirmed')
            FROM items i LEFT JOIN measures m ON m.roadmap_id = i.id LEFT JOIN items report ON report.measure_id = m.id
            WHERE i.campaign_id = ? AND i.region_id = ? AND i.school_id IS NULL AND i.municipality_id IS NOT NULL AND i.kind = 'roadmap'
            GROUP BY i.id
            """, [today, campaignID, regionID]).map { row in
            var totals = MeasureTotals()
            totals.total = row[3]
            totals.overdue = row[4]
            totals.confirmed = row[5]
            return MunicipalRoadmapCount(municipalityID: row[0], roadmapID: row[1], state: try row.decode(ReviewState.self, at: 2),
                                         measures: totals)
        }
    }

    func roadmapHistory(roadmapID: Int64) throws -> RoadmapHistory? {
        guard let created = try row("SELECT created_at FROM items WHERE id = ? AND kind = 'roadmap'", [roadmapID]) else { return nil }
        let reviewActions = ReviewAction.allCases.filter { $0.resultingState != nil }.map { AuditAction.transition($0).rawValue }
        let steps = try rows("""
            SELECT action, at FROM audit_log WHERE entity_type = 'item' AND entity_id = ?
              AND action IN (\(reviewActions.map { "'\($0)'" }.joined(separator: ","))) ORDER BY seq
            """, [String(roadmapID)]).compactMap { row -> StateChange? in
            guard let action = try row.decode(AuditAction.self, at: 0).reviewAction, let at = Timestamp.date(row[1]) else { return nil }
            return StateChange(at: at, action: action)
        }
        let measures = try rows("""
            SELECT id, title, due_date, created_at, committed_at, report_first_confirmed_at FROM measures WHERE roadmap_id = ? ORDER BY id
            """, [roadmapID]).map { row in
            RoadmapHistory.MeasureFacts(id: row[0], title: row[1], dueDate: try row.decodeIfPresent(CalendarDate.self, at: 2),
                                        createdAt: try row.instant(3), committedAt: try row.instantIfPresent(4),
                                        confirmedAt: try row.instantIfPresent(5))
        }
        return RoadmapHistory(roadmapID: roadmapID, createdAt: try created.instant(0), steps: steps, measures: measures)
    }

    func files(itemID: Int64) throws -> [FileVersion] {
        try rows("""
            SELECT f.version, f.file_name, f.media_type, f.size, f.sha256, coalesce(u.full_name, u.login), f.uploaded_at
            FROM item_files f JOIN users u ON u.id = f.uploaded_by WHERE f.item_id = ? ORDER BY f.version
            """, [itemID]).map { row in
            FileVersion(version: row[0], fileName: row[1], mediaType: row[2], size: row[3], sha256: row[4], uploadedBy: row[5],
                        uploadedAt: try row.instant(6))
        }
    }

    func latestFileVersion(itemID: Int64) throws -> Int? {
        try value(Int.self, "SELECT max(version) FROM item_files WHERE item_id = ?", [itemID])
    }

    func history(itemID: Int64, page: PageRequest) throws -> Page<HistoryEntry> {
        var conditions = SQLConditions()
        conditions.append("a.entity_type = ? AND a.entity_id = ?", AuditEntity.item, String(itemID))
        return try KeysetPage.fetch(self, select: """
            a.seq, a.at, a.actor_login, a.actor_role, a.action, a.from_state, a.to_state, a.comment, a.details, u.full_name
            """, from: "audit_log a LEFT JOIN users u ON u.id = a.actor_id", conditions, order: [.integer("a.seq", descending: true)],
            page: page) { row in
            HistoryEntry(seq: row[0], at: Timestamp.date(row[1]) ?? Date(timeIntervalSince1970: 0), actor: row[2], actorName: row[9],
                         role: try row.decodeIfPresent(Role.self, at: 3), action: try row.decode(AuditAction.self, at: 4),
                         fromState: (row[5] as String?).flatMap(ReviewState.init(rawValue:)),
                         toState: (row[6] as String?).flatMap(ReviewState.init(rawValue:)), comment: row[7],
                         details: FlatJSON.decode(row[8]))
        }
    }

    func riskProfile(itemID: Int64) throws -> [RiskProfileEntry] {
        try rows("""
            SELECT e.risk_factor_id, f.number, f.title, e.significance, e.chosen
            FROM risk_profile_entries e JOIN risk_factors f ON f.id = e.risk_factor_id WHERE e.item_id = ? ORDER BY f.number
            """, [itemID]).map { row in
            RiskProfileEntry(riskFactorID: row[0], number: row[1], title: row[2], significance: try row.decode(Significance.self, at: 3),
                             chosen: row[4])
        }
    }

    func isRiskChosen(campaignID: Int64, schoolID: Int64, riskFactorID: Int64) throws -> Bool {
        try value(Bool.self, """
            SELECT EXISTS (SELECT 1 FROM risk_profile_entries e JOIN items i ON i.id = e.item_id
            WHERE i.school_id = ? AND i.campaign_id = ? AND i.kind = ? AND e.risk_factor_id = ? AND e.chosen = 1)
            """, [schoolID, campaignID, ItemKind.riskProfile, riskFactorID]) ?? false
    }

    private static let measureSelect = """
        SELECT ms.id, ms.roadmap_id, ms.position, ms.risk_factor_id, ms.track, ms.task, ms.title, ms.due_date, ms.responsible,
               ms.expected_result, ms.indicator, ms.planned_value, ms.actual_value, ms.regional_measure, report.id, report.state,
               ms.report_first_confirmed_at, ms.deadline_text, ms.recurrence, ms.series_id, ms.stage, ms.goal, ms.section,
               ms.normative_document, ms.regional_measure_id, linked.title, ms.committed_at
        FROM measures ms LEFT JOIN items report ON report.measure_id = ms.id LEFT JOIN measures linked ON linked.id = ms.regional_measure_id
        """

    /// A measure as read; its series' place and size are filled in by the caller, who sees the series.
    private static func measure(_ row: SQLRow, calendar: RegionCalendar, at moment: Date) throws -> (Measure, seriesID: Int64?) {
        let due = try row.decodeIfPresent(CalendarDate.self, at: 7)
        let confirmed = !row.isNull(16)
        let seriesID: Int64? = row[19]
        let committedAt = try row.instantIfPresent(26)
        var measure = Measure(
            id: row[0], roadmapID: row[1], position: row[2], riskFactorID: row[3],
            track: (row[4] as Int?).flatMap(MunicipalTrack.init(rawValue:)), task: row[5], title: row[6], dueDate: due,
            deadlineText: row[17], series: nil, responsible: row[8], expectedResult: row[9], indicator: row[10],
            plannedValue: row[11], actualValue: row[12], regionalMeasure: row[13], stage: row[20], goal: row[21], section: row[22],
            normativeDocument: row[23], regionalMeasureID: row[24], regionalMeasureTitle: row[25], reportItemID: row[14], reportState: try row.decodeIfPresent(ReviewState.self, at: 15),
            overdue: try due.map { MeasureRules.isOverdue(deadline: calendar.endOfDay($0), everConfirmed: confirmed,
                                                          committedAt: committedAt, at: moment) } ?? false)
        measure.committed = committedAt != nil
        return (measure, seriesID)
    }

    /// Numbers each series' occurrences by due date (undated ones last, then by position).
    private static func numberingSeries(_ read: [(Measure, seriesID: Int64?)], recurrences: [Int64: DeadlineRecurrence?]) -> [Measure] {
        var members: [Int64: [Measure]] = [:]
        for (measure, series) in read { if let series { members[series, default: []].append(measure) } }
        var places: [Int64: MeasureSeries] = [:]
        for (series, occurrences) in members {
            let ordered = occurrences.sorted { ($0.dueDate?.dayNumber ?? .max, $0.position, $0.id) < ($1.dueDate?.dayNumber ?? .max, $1.position, $1.id) }
            for (index, occurrence) in ordered.enumerated() {
                places[occurrence.id] = MeasureSeries(id: series, recurrence: recurrences[series] ?? nil, occurrence: index + 1,
                                                      count: ordered.count)
            }
        }
        return read.map { measure, _ in
            var measure = measure
            measure.series = places[measure.id]
            return measure
        }
    }

    private static func recurrences(_ rows: [SQLRow]) -> [Int64: DeadlineRecurrence?] {
        var result: [Int64: DeadlineRecurrence?] = [:]
        for row in rows {
            guard let series: Int64 = row[19] else { continue }
            let recurrence = (row[18] as String?).flatMap(DeadlineRecurrence.init(rawValue:))
            if result[series] == nil || recurrence != nil { result[series] = recurrence }
        }
        return result
    }

    func measures(roadmapID: Int64, calendar: RegionCalendar, at moment: Date) throws -> [Measure] {
        let rows = try self.rows("\(Self.measureSelect) WHERE ms.roadmap_id = ? ORDER BY ms.position, ms.id", [roadmapID])
        return Self.numberingSeries(try rows.map { try Self.measure($0, calendar: calendar, at: moment) },
                                    recurrences: Self.recurrences(rows))
    }

    func measure(id: Int64, calendar: RegionCalendar, at moment: Date) throws -> Measure? {
        guard let row = try self.row("\(Self.measureSelect) WHERE ms.id = ?", [id]) else { return nil }
        guard let series: Int64 = row[19] else { return try Self.measure(row, calendar: calendar, at: moment).0 }
        // A series is a few dozen rows of one roadmap at most.
        let rows = try self.rows("\(Self.measureSelect) WHERE ms.roadmap_id = ? AND ms.series_id = ?", [row[1] as Int64, series])
        return Self.numberingSeries(try rows.map { try Self.measure($0, calendar: calendar, at: moment) },
                                    recurrences: Self.recurrences(rows)).first { $0.id == id }
    }

    func roadmapID(ofMeasure measureID: Int64) throws -> Int64? {
        try value(Int64.self, "SELECT roadmap_id FROM measures WHERE id = ?", [measureID])
    }

    func reportItemID(measureID: Int64) throws -> Int64? {
        try value(Int64.self, "SELECT id FROM items WHERE measure_id = ?", [measureID])
    }

    // MARK: Writing

    func insertItem(_ draft: ItemDraft) throws -> Int64 {
        let id = try insert("""
            INSERT INTO items (campaign_id, kind, school_id, municipality_id, region_id, risk_factor_id, measure_id, title,
                               state, revision, created_at, created_by, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
            """, [draft.campaignID, draft.kind, draft.path.schoolID, draft.path.municipalityID,
                                     draft.path.regionID, draft.riskFactorID, draft.measureID, draft.title, ReviewState.draft,
                                     draft.createdAt.sql, draft.createdBy, draft.createdAt.sql])
        if let school = draft.path.schoolID {
            try updateProgress(campaignID: draft.campaignID, schoolID: school) { progress in
                progress.itemCreated(id, kind: draft.kind, at: draft.createdAt)
                if let measure = draft.measureID { progress.measureReported(measure, reportItemID: id) }
            }
        }
        return id
    
    }

    func changeState(of item: StoredItem, _ change: ItemStateChange) throws -> Bool {
        let updated = item.applying(change, byLogin: "")
        // The guarded UPDATE is the last line of defence against a concurrent writer.
        let changed = try execute("""
            UPDATE items SET state = ?, revision = ?, updated_at = ?, submitted_at = ?, submitted_by = ?, first_submitted_at = ?,
                decided_at = ?, decided_by = ?, confirmed_version = ?, first_confirmed_at = ?
            WHERE id = ? AND revision = ? AND state = ?
            """, [updated.state, updated.revision, updated.summary.updatedAt.sql, updated.summary.submittedAt.sql,
                                     updated.submittedByID, updated.firstSubmittedAt.sql, updated.decidedAt.sql, updated.decidedBy,
                                     updated.confirmedVersion, updated.firstConfirmedAt.sql, item.id, item.revision, item.state])
        guard changed == 1 else { return false }
        if let measure = item.measureID, item.firstConfirmedAt == nil, change.action == .confirm {
            // A confirmed report makes its measure a commitment at the latest now (one added to a revision not yet sent).
            try execute("UPDATE measures SET report_first_confirmed_at = ?, committed_at = coalesce(committed_at, ?) WHERE id = ?", [change.at.sql, change.at.sql, measure])
        }
        if let school = item.schoolID {
            try updateProgress(campaignID: item.campaignID, schoolID: school) { $0.itemChanged(item.id, change.action, at: change.at) }
        }
        return true
    }

    func touchItem(id: Int64, at: Date) throws {
        try execute("UPDATE items SET revision = revision + 1, updated_at = ? WHERE id = ?", [at.sql, id])
    }

    func insertFileVersion(itemID: Int64, version: Int, fileName: String, mediaType: String, size: Int64, sha256: String,
                           uploadedBy: Int64, at: Date) throws {
        try execute("""
            INSERT INTO item_files (item_id, version, file_name, media_type, size, sha256, uploaded_by, uploaded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [itemID, version, fileName, mediaType, size, sha256, uploadedBy, at.sql])
    
    }

    func saveRiskProfile(of item: StoredItem, _ choices: [RiskChoice]) throws {
        for choice in choices {
            try execute("""
                INSERT INTO risk_profile_entries (item_id, risk_factor_id, significance, chosen) VALUES (?, ?, ?, ?)
                ON CONFLICT (item_id, risk_factor_id) DO UPDATE SET significance = excluded.significance, chosen = excluded.chosen
                """, [item.id, choice.riskFactorID, choice.significance, choice.chosen])
        }
        if let school = item.schoolID {
            let chosen = try value(Int.self, "SELECT count(*) FROM risk_profile_entries WHERE item_id = ? AND chosen = 1", [item.id]) ?? 0
            try updateProgress(campaignID: item.campaignID, schoolID: school) { $0.chosenRiskCount = chosen }
        }
    
    }

    func regionalMeasureChoices(campaignID: Int64, regionID: Int64) throws -> [RegionalMeasureChoice] {
        try rows("""
            SELECT ms.id, ms.position, ms.stage, ms.task, ms.title, ms.due_date
            FROM items i JOIN measures ms ON ms.roadmap_id = i.id
            WHERE i.campaign_id = ? AND i.region_id = ? AND i.school_id IS NULL AND i.municipality_id IS NULL AND i.kind = 'roadmap'
              AND i.first_confirmed_at IS NOT NULL
            ORDER BY ms.position, ms.id
            """, [campaignID, regionID]).map { row in
            RegionalMeasureChoice(id: row[0], position: row[1], stage: row[2], task: row[3], title: row[4],
                                  dueDate: try row.decodeIfPresent(CalendarDate.self, at: 5))
        }
    }

    func linkedMunicipalMeasureCount(regionalMeasureIDs: [Int64]) throws -> Int {
        guard !regionalMeasureIDs.isEmpty else { return 0 }
        var total = 0
        // In slices, so that a roadmap of any size stays within SQLite's limit on parameters.
        for start in stride(from: 0, to: regionalMeasureIDs.count, by: 500) {
            let slice = Array(regionalMeasureIDs[start..<min(start + 500, regionalMeasureIDs.count)])
            total += try value(Int.self, "SELECT count(*) FROM measures WHERE regional_measure_id IN (\(SQLList.placeholders(slice.count)))", SQLArguments(slice)) ?? 0
        }
        return total
    }

    func measureCount(roadmapID: Int64) throws -> Int {
        try value(Int.self, "SELECT count(*) FROM measures WHERE roadmap_id = ?", [roadmapID]) ?? 0
    }

    func nextMeasurePosition(roadmapID: Int64) throws -> Int {
        (try value(Int.self, "SELECT max(position) FROM measures WHERE roadmap_id = ?", [roadmapID]) ?? 0) + 1
    }

    func insertMeasures(roadmap: StoredItem, position: Int, _ fields: [MeasureFields], at: Date) throws -> [Int64] {
        let insertMeasure = """
            INSERT INTO measures (roadmap_id, campaign_id, school_id, municipality_id, region_id, position, risk_factor_id, track,
                task, title, due_date, responsible, expected_result, indicator, planned_value, regional_measure, created_at, updated_at,
                deadline_text, recurrence, stage, goal, section, normative_document, regional_measure_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        var ids: [Int64] = []
        var seriesIDs: [Int: Int64] = [:]
        for (offset, measure) in fields.enumerated() {
            let imported = measure.imported
            let id = try insert(insertMeasure, [roadmap.id, roadmap.campaignID, roadmap.schoolID, roadmap.path.municipalityID,
                                           roadmap.path.regionID, position + offset, measure.riskFactorID, measure.track?.rawValue,
                                           measure.task, measure.title, measure.dueDate, measure.responsible, measure.expectedResult,
                                           measure.indicator, measure.plannedValue, measure.regionalMeasure, at.sql, at.sql,
                                           imported?.deadlineText, imported?.recurrence?.rawValue,
                                           measure.outline?.stage.map(\.nilIfEmpty) ?? imported?.stage, imported?.goal,
                                           imported?.section,
                                           measure.outline?.normativeDocument.map(\.nilIfEmpty) ?? imported?.normativeDocument,
                                           measure.regionalMeasureID])
            ids.append(id)
            if let key = imported?.seriesKey {
                let series = seriesIDs[key] ?? id
                seriesIDs[key] = series
                try execute("UPDATE measures SET series_id = ? WHERE id = ?", [series, id])
            }
        }
        if let school = roadmap.schoolID {
            try updateProgress(campaignID: roadmap.campaignID, schoolID: school) { progress in
                for (id, measure) in zip(ids, fields) {
                    if let due = measure.dueDate { progress.measureAdded(id, dueDate: due, at: at) }
                }
            }
        }
        return ids
    
    }

    func updateMeasure(id: Int64, roadmap: StoredItem, _ fields: MeasureFields, at: Date) throws {
        try execute("""
            UPDATE measures SET risk_factor_id = ?, track = ?, task = ?, title = ?, due_date = ?, responsible = ?,
                expected_result = ?, indicator = ?, planned_value = ?, regional_measure = ?, regional_measure_id = ?, updated_at = ?
            WHERE id = ?
            """, [fields.riskFactorID, fields.track?.rawValue, fields.task, fields.title, fields.dueDate,
                                     fields.responsible, fields.expectedResult, fields.indicator, fields.plannedValue,
                                     fields.regionalMeasure, fields.regionalMeasureID, at.sql, id])
        if let stage = fields.outline?.stage {
            try execute("UPDATE measures SET stage = ? WHERE id = ?", [stage.nilIfEmpty, id])
        }
        if let document = fields.outline?.normativeDocument {
            try execute("UPDATE measures SET normative_document = ? WHERE id = ?", [document.nilIfEmpty, id])
        }
        if let school = roadmap.schoolID {
            // A measure counts from the moment it exists, also when it gets its first date later.
            let created = try row("SELECT created_at FROM measures WHERE id = ?", [id])
                .map { try $0.instant(0) } ?? at
            try updateProgress(campaignID: roadmap.campaignID, schoolID: school) {
                $0.measureRescheduled(id, dueDate: fields.dueDate, createdAt: created)
            }
        }
    
    }

    func groupMeasures(ids: [Int64], _ grouping: MeasureGroupingColumn, at: Date) throws {
        let (column, value): (String, (any SQLBindable)?) = switch grouping {
        case .track(let track): ("track", track?.rawValue)
        case .riskFactor(let id): ("risk_factor_id", id)
        case .regionalMeasure(let id): ("regional_measure_id", id)
        }
        let update = "UPDATE measures SET \(column) = ?, updated_at = ? WHERE id = ?"
        for id in ids { try execute(update, [value, at.sql, id]) }
    
    }

    func deleteMeasure(id: Int64, roadmap: StoredItem) throws {
        try execute("DELETE FROM measures WHERE id = ?", [id])
        if let school = roadmap.schoolID {
            try updateProgress(campaignID: roadmap.campaignID, schoolID: school) { $0.measureRemoved(id) }
        }
    
    }

    func setActualValue(measureID: Int64, _ value: String, at: Date) throws {
        try execute("UPDATE measures SET actual_value = ?, updated_at = ? WHERE id = ?", [value, at.sql, measureID])
    }
}

private extension String {
    /// What an empty form field means for an optional column: nothing.
    var nilIfEmpty: String? {
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
