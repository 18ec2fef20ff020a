import Foundation

extension ProgrammeDecision: SQLBindable, SQLReadable {}
extension SchoolGroup: SQLBindable, SQLReadable {}
extension IdentificationListState: SQLBindable, SQLReadable {}
extension ObjectionState: SQLBindable, SQLReadable {}

/// Identification methods, lists with their lines, and objections.
extension SQLTransaction {
    func schoolStandings(regionID: Int64) throws -> [SchoolStanding] {
        try rows("""
            SELECT s.id, s.code, s.name, m.id, m.name, s.low_results, s.hard_social
            FROM schools s JOIN municipalities m ON m.id = s.municipality_id WHERE m.region_id = ? ORDER BY s.code
            """, [regionID]).map { row in
            SchoolStanding(schoolID: row[0], code: row[1], name: row[2], municipalityID: row[3], municipalityName: row[4],
                           flags: ProgrammeFlags(lowResults: row[5], hardSocialConditions: row[6]))
        }
    }

    func identificationMethod(regionID: Int64, sha256: String) throws -> (id: Int64, version: Int)? {
        try row("SELECT id, version FROM identification_methods WHERE region_id = ? AND sha256 = ?", [regionID, sha256]).map { ($0[0], $0[1]) }
    }

    func insertIdentificationMethod(regionID: Int64, definition: String, sha256: String, at moment: Date, by userID: Int64?) throws
        -> (id: Int64, version: Int) {
        let version = (try value(Int.self, "SELECT coalesce(max(version), 0) FROM identification_methods WHERE region_id = ?", [regionID]) ?? 0) + 1
        return (try insert("""
            INSERT INTO identification_methods (region_id, version, definition, sha256, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)
            """, [regionID, version, definition, sha256, moment.sql, userID]), version)
    }

    private static let listColumns = """
        SELECT l.id, l.region_id, r.code, r.name, l.year, im.version, im.definition, l.rules, l.state, l.objections_until, l.data_batch,
               l.inputs_sha256, l.run_sha256, l.created_at, coalesce(cu.full_name, cu.login), l.decided_at, coalesce(du.full_name, du.login),
               l.results_cut, l.social_cut, r.time_zone
        FROM identification_lists l JOIN regions r ON r.id = l.region_id JOIN identification_methods im ON im.id = l.method_id
        LEFT JOIN users cu ON cu.id = l.created_by LEFT JOIN users du ON du.id = l.decided_by
        """

    private func listSummary(_ row: SQLRow) throws -> IdentificationListSummary {
        let decoder = JSONDecoder()
        let definition: String = row[6], rules: String = row[7]
        let id: Int64 = row[0]
        return IdentificationListSummary(
            id: id, regionID: row[1], regionCode: row[2], regionName: row[3], timeZone: row[19], year: row[4], methodVersion: row[5],
            method: try decoder.decode(IdentificationMethod.self, from: Data(definition.utf8)),
            rules: try decoder.decode(ProgrammeRules.self, from: Data(rules.utf8)),
            state: try row.decode(IdentificationListState.self, at: 8), objectionsUntil: try row.decode(CalendarDate.self, at: 9),
            dataBatch: row[10], inputsHash: row[11], runHash: row[12], createdAt: try row.instant(13), createdBy: row[14],
            decidedAt: try row.instantIfPresent(15), decidedBy: row[16], resultsCut: row[17], socialCut: row[18],
            counts: try listCounts(listID: id, municipalityID: nil))
    }

    func identificationList(id: Int64) throws -> IdentificationListSummary? {
        try row(Self.listColumns + " WHERE l.id = ?", [id]).map(listSummary)
    }

    func identificationLists(regionID: Int64) throws -> [IdentificationListSummary] {
        try rows(Self.listColumns + " WHERE l.region_id = ? ORDER BY l.year DESC, l.id DESC", [regionID])
            .map(listSummary)
    }

    func draftListID(regionID: Int64) throws -> Int64? {
        try value(Int64.self, "SELECT id FROM identification_lists WHERE region_id = ? AND state = 'draft'", [regionID])
    }

    private static let entryColumns = """
        SELECT e.school_id, s.code, s.name, m.id, m.name, e.results_index, e.social_index, e.results_noise, e.school_group,
               e.low_results, e.uncertain, e.participants, e.decision, e.social_decision, e.low_before, e.hard_before,
               e.low_proposed, e.hard_proposed,
               (SELECT count(*) FROM identification_objections o WHERE o.list_id = e.list_id AND o.school_id = e.school_id)
        FROM identification_entries e JOIN schools s ON s.id = e.school_id JOIN municipalities m ON m.id = s.municipality_id
        """

    private func entry(_ row: SQLRow) throws -> ListEntry {
        let group = try row.decodeIfPresent(SchoolGroup.self, at: 8)
        let socialIndex: Double? = row[6]
        let low: Bool? = row[9]
        let placement = Placement(schoolCode: row[1], resultsIndex: row[5], socialIndex: socialIndex, group: group, resultsNoise: row[7],
                                  uncertain: row[10], participants: row[11], lowResults: low,
                                  hardConditions: group.map(\.hardConditions))
        return ListEntry(schoolID: row[0], schoolCode: row[1], schoolName: row[2], municipalityID: row[3], municipalityName: row[4],
                         placement: placement, decision: try row.decode(ProgrammeDecision.self, at: 12),
                         socialDecision: try row.decode(ProgrammeDecision.self, at: 13),
                         before: ProgrammeFlags(lowResults: row[14], hardSocialConditions: row[15]),
                         proposed: ProgrammeFlags(lowResults: row[16], hardSocialConditions: row[17]), objections: row[18])
    }

    private static func condition(_ filter: ListEntryFilter) -> String {
        switch filter {
        case .changes: " AND (e.low_before <> e.low_proposed OR e.hard_before <> e.hard_proposed)"
        case .uncertain: " AND e.uncertain = 1"
        case .insufficientData: " AND e.decision = 'insufficientData'"
        case .objected: " AND EXISTS (SELECT 1 FROM identification_objections o WHERE o.list_id = e.list_id AND o.school_id = e.school_id)"
        case .all: ""
        }
    }

    /// A list's rows, or one municipality's: the SQL condition on `s` (the school) and its arguments.
    private static func scope(_ listID: Int64, _ municipalityID: Int64?) -> (String, [any SQLBindable]) {
        guard let municipalityID else { return ("", [listID]) }
        return (" AND s.municipality_id = ?", [listID, municipalityID])
    }

    func listEntries(listID: Int64, municipalityID: Int64?, filter: ListEntryFilter, page: PageRequest) throws -> Page<ListEntry> {
        let (scope, scoped) = Self.scope(listID, municipalityID)
        var arguments = scoped
        let countArguments = arguments
        var after = ""
        if let cursor = page.after {
            let key = try cursor.parts(3)
            after = " AND (m.name, s.name, e.school_id) > (?, ?, ?)"
            arguments += [key[0], key[1], try cursor.integer(at: 2)]
        }
        arguments.append(page.limit + 1)
        let rows = try self.rows(Self.entryColumns + " WHERE e.list_id = ?" + scope + Self.condition(filter) + after
                                              + " ORDER BY m.name, s.name, e.school_id LIMIT ?", SQLArguments(arguments))
        var entries = try rows.map(entry)
        var next: PageCursor?
        if entries.count > page.limit {
            entries.removeLast()
            next = entries.last.map { PageCursor(key: [$0.municipalityName, $0.schoolName, String($0.schoolID)]) }
        }
        let total = page.countsTotal ? try value(Int.self, """
            SELECT count(*) FROM identification_entries e JOIN schools s ON s.id = e.school_id WHERE e.list_id = ?
            """ + scope + Self.condition(filter), SQLArguments(countArguments)) ?? 0 : 0
        return Page(items: entries, total: total, nextCursor: next)
    }

    func allListEntries(listID: Int64, municipalityID: Int64?) throws -> [ListEntry] {
        let (scope, arguments) = Self.scope(listID, municipalityID)
        return try rows(Self.entryColumns + " WHERE e.list_id = ?" + scope + " ORDER BY s.code", SQLArguments(arguments)).map(entry)
    }

    func listEntry(listID: Int64, schoolID: Int64) throws -> ListEntry? {
        try row(Self.entryColumns + " WHERE e.list_id = ? AND e.school_id = ?", [listID, schoolID]).map(entry)
    }

    func listCounts(listID: Int64, municipalityID: Int64?) throws -> ListCounts {
        let (scope, arguments) = Self.scope(listID, municipalityID)
        var counts = ListCounts()
        let row = try self.row("""
            SELECT count(*),
                   count(*) FILTER (WHERE e.low_before = 0 AND e.low_proposed = 1), count(*) FILTER (WHERE e.low_before = 1 AND e.low_proposed = 0),
                   count(*) FILTER (WHERE e.low_before = 1 AND e.low_proposed = 1),
                   count(*) FILTER (WHERE e.low_before <> e.low_proposed OR e.hard_before <> e.hard_proposed),
                   coalesce(sum(e.uncertain), 0), count(*) FILTER (WHERE e.decision = 'insufficientData'),
                   count(*) FILTER (WHERE e.school_group = 'effective'), count(*) FILTER (WHERE e.school_group = 'struggling'),
                   count(*) FILTER (WHERE e.school_group = 'deprived'), count(*) FILTER (WHERE e.school_group = 'resilient'),
                   (SELECT count(*) FROM identification_objections o JOIN schools os ON os.id = o.school_id
                    WHERE o.list_id = ? AND o.state = 'pending'\(scope.replacingOccurrences(of: "s.", with: "os.")))
            FROM identification_entries e JOIN schools s ON s.id = e.school_id WHERE e.list_id = ?\(scope)
            """, SQLArguments(arguments + arguments))
        guard let row else { return counts }
        counts.schools = row[0]
        counts.entering = row[1]
        counts.leaving = row[2]
        counts.staying = row[3]
        counts.changes = row[4]
        counts.uncertain = row[5]
        counts.insufficientData = row[6]
        for (offset, group) in [SchoolGroup.effective, .struggling, .deprived, .resilient].enumerated() where (row[7 + offset] as Int) > 0 {
            counts.groups[group] = row[7 + offset]
        }
        counts.pendingObjections = row[11]
        return counts
    }

    private static let objectionColumns = """
        SELECT o.id, o.list_id, o.school_id, s.code, s.name, s.municipality_id, coalesce(au.full_name, au.login), o.created_at, o.reason,
               o.low_wanted, o.hard_wanted, o.state, o.decided_at, coalesce(du.full_name, du.login), o.decision_comment
        FROM identification_objections o JOIN schools s ON s.id = o.school_id
        LEFT JOIN users au ON au.id = o.author_id LEFT JOIN users du ON du.id = o.decided_by
        """

    private func objection(_ row: SQLRow) throws -> PlacementObjection {
        PlacementObjection(id: row[0], listID: row[1], schoolID: row[2], schoolCode: row[3], schoolName: row[4], municipalityID: row[5],
                           author: row[6], createdAt: try row.instant(7), reason: row[8],
                           wanted: ProgrammeFlags(lowResults: row[9], hardSocialConditions: row[10]),
                           state: try row.decode(ObjectionState.self, at: 11), decidedAt: try row.instantIfPresent(12), decidedBy: row[13],
                           decisionComment: row[14])
    }

    func objections(listID: Int64, municipalityID: Int64?) throws -> [PlacementObjection] {
        let (scope, arguments) = Self.scope(listID, municipalityID)
        return try rows(Self.objectionColumns + " WHERE o.list_id = ?" + scope
                                          + " ORDER BY o.state <> 'pending', o.id DESC", SQLArguments(arguments)).map(objection)
    }

    func objection(id: Int64) throws -> PlacementObjection? {
        try row(Self.objectionColumns + " WHERE o.id = ?", [id]).map(objection)
    }

    func insertIdentificationList(_ list: NewIdentificationList, entries: [ListEntry]) throws -> Int64 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let id = try insert("""
            INSERT INTO identification_lists (region_id, year, method_id, rules, data_batch, inputs_sha256, run_sha256, results_cut,
                                              social_cut, state, objections_until, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?)
            """, [list.regionID, list.year, list.methodID, String(decoding: try encoder.encode(list.rules), as: UTF8.self),
                                     list.dataBatch, list.inputsHash, list.runHash, list.resultsCut, list.socialCut, list.objectionsUntil,
                                     list.createdAt.sql, list.createdBy])
        let insertEntry = """
            INSERT INTO identification_entries (list_id, school_id, results_index, social_index, results_noise, school_group, low_results,
                                                uncertain, participants, decision, social_decision, low_before, hard_before, low_proposed,
                                                hard_proposed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        for entry in entries {
            let p = entry.placement
            try execute(insertEntry, [id, entry.schoolID, p.resultsIndex, p.socialIndex, p.resultsNoise, p.group, p.lowResults,
                                           p.uncertain, p.participants, entry.decision, entry.socialDecision, entry.before.lowResults,
                                           entry.before.hardSocialConditions, entry.proposed.lowResults, entry.proposed.hardSocialConditions])
        }
        return id
    }

    func setListState(id: Int64, _ state: IdentificationListState, at moment: Date, by userID: Int64?) throws {
        try execute("UPDATE identification_lists SET state = ?, decided_at = ?, decided_by = ? WHERE id = ?", [state, state == .draft ? nil : moment.sql, state == .draft ? nil : userID, id])
    }

    func insertObjection(listID: Int64, schoolID: Int64, reason: String, wanted: ProgrammeFlags, at moment: Date, by userID: Int64?) throws -> Int64 {
        return try insert("""
            INSERT INTO identification_objections (list_id, school_id, author_id, created_at, reason, low_wanted, hard_wanted, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')
            """, [listID, schoolID, userID, moment.sql, reason, wanted.lowResults, wanted.hardSocialConditions])
    }

    func decideObjection(id: Int64, _ state: ObjectionState, comment: String?, at moment: Date, by userID: Int64?) throws {
        try execute("UPDATE identification_objections SET state = ?, decision_comment = ?, decided_at = ?, decided_by = ? WHERE id = ?", [state, comment, moment.sql, userID, id])
    }

    func setProposedFlags(listID: Int64, schoolID: Int64, _ flags: ProgrammeFlags) throws {
        try execute("UPDATE identification_entries SET low_proposed = ?, hard_proposed = ? WHERE list_id = ? AND school_id = ?", [flags.lowResults, flags.hardSocialConditions, listID, schoolID])
    }
}
