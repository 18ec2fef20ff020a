import Foundation

extension SQLTransaction {
    func reminderSettings(regionID: Int64) throws -> ReminderSettings? {
        try row("SELECT days_before, review_working_days, escalation_days FROM region_reminder_settings WHERE region_id = ?", [regionID]).map { row in
            ReminderSettings(daysBefore: (row[0] as String).split(separator: ",").compactMap { Int($0) }, reviewWorkingDays: row[1],
                             escalationDays: (row[2] as String).split(separator: ",").compactMap { Int($0) })
        }
    }

    func reminderPlanned(regionID: Int64, on date: CalendarDate) throws -> Bool {
        try value(Bool.self, "SELECT 1 FROM reminder_plans WHERE region_id = ? AND plan_date = ?", [regionID, date]) ?? false
    }

    func openMeasures(regionID: Int64, dueOn dates: [CalendarDate]) throws -> [DueMeasure] {
        guard !dates.isEmpty else { return [] }
        // The campaign list lets the open-measure index be read by region, campaign and date alone.
        let marks = Array(repeating: "?", count: dates.count).joined(separator: ",")
        let rows = try self.rows("""
            SELECT m.roadmap_id, m.title, m.due_date, m.school_id, m.municipality_id, m.region_id, coalesce(s.name, mu.name, r.name),
                   m.campaign_id
            FROM measures m
            LEFT JOIN schools s ON s.id = m.school_id
            LEFT JOIN municipalities mu ON mu.id = m.municipality_id
            JOIN regions r ON r.id = m.region_id
            WHERE m.region_id = ? AND m.campaign_id IN (SELECT id FROM campaigns) AND m.due_date IN (\(marks))
              AND m.report_first_confirmed_at IS NULL AND m.committed_at IS NOT NULL
            """, SQLArguments([regionID] + dates.map(\.description)))
        return try rows.map { row in
            guard let due = row[2] as CalendarDate? else { throw MEDKError.corruptValue(column: "due_date", value: "\(row.value(2))") }
            return DueMeasure(roadmapID: row[0], title: row[1], dueDate: due, campaignID: row[7],
                              owner: MailOwner(schoolID: row[3], municipalityID: row[4], regionID: row[5], name: row[6]))
        }
    }

    func waitingForCurators(regionID: Int64, submittedFrom from: Date, to: Date) throws -> [WaitingForCurator] {
        try rows("""
            SELECT ca.curator_id, rr.item_id, i.title, s.name, rr.submitted_at
            FROM review_rounds rr
            JOIN items i ON i.id = rr.item_id
            JOIN schools s ON s.id = rr.school_id
            JOIN curator_assignments ca ON ca.campaign_id = rr.campaign_id AND ca.school_id = rr.school_id
            WHERE rr.region_id = ? AND rr.submitted_at >= ? AND rr.submitted_at < ? AND rr.closed_at IS NULL
            """, [regionID, from.sql, to.sql]).map { row in
            WaitingForCurator(curatorID: row[0], itemID: row[1], title: row[2], ownerName: row[3], submittedAt: try row.instant(4))
        }
    }

    private static let recipientColumns = """
        u.id, u.full_name, u.email, u.is_active, p.disabled_kinds, coalesce(p.digest_weekday, 1)
        """

    private static func recipient(_ row: SQLRow) -> MailRecipient {
        let disabled = (row[4] as String?).map { Set($0.split(separator: ",").compactMap { MailKind(rawValue: String($0)) }) } ?? []
        let email = (row[2] as String?).flatMap { $0.isEmpty ? nil : $0 }
        return MailRecipient(userID: row[0], fullName: row[1], email: email, isActive: row[3], disabled: disabled, digestWeekday: row[5])
    }

    func recipients(role: Role, organisationID: Int64) throws -> [MailRecipient] {
        let column = switch role.scopeKind {
        case .school: "school_id"
        case .municipality: "municipality_id"
        case .region: "region_id"
        case nil: "region_id"
        }
        return try rows("""
            SELECT DISTINCT \(Self.recipientColumns)
            FROM user_roles ur JOIN users u ON u.id = ur.user_id LEFT JOIN mail_preferences p ON p.user_id = u.id
            WHERE ur.role = ? AND ur.\(column) = ? AND u.is_active = 1
            ORDER BY u.id
            """, [role.rawValue, organisationID]).map(Self.recipient)
    }

    func recipient(userID: Int64) throws -> MailRecipient? {
        try row("""
            SELECT \(Self.recipientColumns) FROM users u LEFT JOIN mail_preferences p ON p.user_id = u.id WHERE u.id = ?
            """, [userID]).map(Self.recipient)
    }

    func dueOutbox(at: Date, limit: Int) throws -> [OutboxMessage] {
        try rows("""
            SELECT id, kind, user_id, letter, attempts, expires_at FROM mail_outbox
            WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?
            """, [at.sql, limit]).map { row in
            guard let kind = MailKind(rawValue: row[1]) else { throw MEDKError.corruptValue(column: "kind", value: row[1]) }
            let letter = try JSONDecoder().decode(MailLetter.self, from: Data((row[3] as String).utf8))
            return OutboxMessage(id: row[0], kind: kind, userID: row[2], letter: letter, attempts: row[4], expiresAt: try row.instant(5))
        }
    }

    func outboxCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try rows("SELECT state, count(*) FROM mail_outbox GROUP BY state") { counts[row[0]] = row[1] }
        return counts
    }

    func unsettledMail() throws -> [UnsettledMail] {
        try rows("""
            SELECT state, count(*), min(created_at) FROM mail_outbox
            WHERE state IN ('pending', 'sending', 'failed', 'uncertain') GROUP BY state ORDER BY state
            """).map { UnsettledMail(state: $0[0], count: $0[1], oldest: ($0[2] as String?).flatMap(Timestamp.columnDate)) }
    }

    func enqueueMail(key: String, userID: Int64, letter: MailLetter, at: Date, expiresAt: Date) throws -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(letter), as: UTF8.self)
        return try execute("""
            INSERT INTO mail_outbox (dedupe_key, kind, user_id, letter, created_at, expires_at, next_attempt_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING
            """, [key, letter.kind.rawValue, userID, json, at.sql, expiresAt.sql, at.sql]) > 0
    }

    func markReminderPlanned(regionID: Int64, on date: CalendarDate, at: Date) throws {
        try execute("""
            INSERT INTO reminder_plans (region_id, plan_date, planned_at) VALUES (?, ?, ?) ON CONFLICT (region_id, plan_date) DO NOTHING
            """, [regionID, date, at.sql])
    }

    func takeMailLease(holder: String, until: Date, at: Date) throws -> (taken: Bool, previous: String?) {
        // The row is read locked: two servers taking a free lease at once take it one after the other.
        let current = try self.row("SELECT holder, expires_at FROM mail_lease WHERE id = 1\(dialect.lockingRead)")
        guard let current else {
            let inserted = try execute("""
                INSERT INTO mail_lease (id, holder, expires_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING
                """, [holder, until.sql])
            return (inserted == 1, nil)
        }
        let previous: String = current[0], expires: String = current[1]
        guard previous == holder || expires <= at.sql else { return (false, previous) }
        try execute("UPDATE mail_lease SET holder = ?, expires_at = ? WHERE id = 1", [holder, until.sql])
        return (true, previous)
    }

    func releaseMailLease(holder: String, at: Date) throws {
        try execute("UPDATE mail_lease SET expires_at = ? WHERE id = 1 AND holder = ?", [at.sql, holder])
    }

    func claimMail(id: Int64, address: String, unsubscribeHash: String, holder: String, at: Date) throws -> Bool {
        try execute("""
            UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1, address = ?, unsubscribe_hash = ?
            WHERE id = ? AND state = 'pending'
              AND EXISTS (SELECT 1 FROM mail_lease WHERE id = 1 AND holder = ? AND expires_at > ?)
            """, [address, unsubscribeHash, id, holder, at.sql]) > 0
    }

    func finishMail(id: Int64, _ outcome: OutboxOutcome, at: Date, address: String?, error: String?, retryAt: Date?) throws {
        try execute("""
            UPDATE mail_outbox SET state = ?, address = coalesce(?, address), last_error = ?,
                finished_at = CASE WHEN ? = 'pending' THEN NULL ELSE ? END, next_attempt_at = coalesce(?, next_attempt_at)
            WHERE id = ? AND state IN ('pending', 'sending')
            """, [outcome.rawValue, address, error.map { String($0.prefix(500)) }, outcome.rawValue, at.sql,
                                     retryAt.sql, id])
    }

    func settleInterruptedMail(at: Date) throws -> [Int64] {
        let ids = try values(Int64.self, "SELECT id FROM mail_outbox WHERE state = 'sending' ORDER BY id")
        try execute("""
            UPDATE mail_outbox SET state = 'uncertain', finished_at = ?,
                last_error = 'the process stopped while sending: the message may have gone and is not sent again'
            WHERE state = 'sending'
            """, [at.sql])
        return ids
    }

    func saveMailPreferences(userID: Int64, disabled: Set<MailKind>, digestWeekday: Int) throws {
        try execute("""
            INSERT INTO mail_preferences (user_id, disabled_kinds, digest_weekday) VALUES (?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET disabled_kinds = excluded.disabled_kinds, digest_weekday = excluded.digest_weekday
            """, [userID, disabled.sorted().map(\.rawValue).joined(separator: ","), digestWeekday])
    }

    func curators(campaignID: Int64, schoolID: Int64) throws -> [MailRecipient] {
        try rows("""
            SELECT \(Self.recipientColumns)
            FROM curator_assignments ca JOIN users u ON u.id = ca.curator_id LEFT JOIN mail_preferences p ON p.user_id = u.id
            WHERE ca.campaign_id = ? AND ca.school_id = ? AND u.is_active = 1 ORDER BY u.id
            """, [campaignID, schoolID]).map(Self.recipient)
    }

    func coordinators(regionID: Int64) throws -> [(recipient: MailRecipient, grant: RoleGrant)] {
        try rows("""
            SELECT \(Self.recipientColumns), ur.role, coalesce(ur.municipality_id, ur.region_id)
            FROM user_roles ur JOIN users u ON u.id = ur.user_id LEFT JOIN mail_preferences p ON p.user_id = u.id
            WHERE u.is_active = 1 AND ((ur.role = 'regional' AND ur.region_id = ?)
               OR (ur.role = 'municipal' AND ur.municipality_id IN (SELECT id FROM municipalities WHERE region_id = ?)))
            ORDER BY u.id
            """, [regionID, regionID]).map { row in
            (Self.recipient(row), RoleGrant(role: try row.decode(Role.self, at: 6), organisationID: row[7]))
        }
    }

    func openMeasureCounts(regionID: Int64, dueFrom: CalendarDate, dueTo: CalendarDate) throws -> [DigestCount] {
        try rows("""
            SELECT coalesce(s.name, mu.name, r.name), s.code, mu.code, m.municipality_id, count(*)
            FROM measures m
            LEFT JOIN schools s ON s.id = m.school_id
            LEFT JOIN municipalities mu ON mu.id = m.municipality_id
            JOIN regions r ON r.id = m.region_id
            WHERE m.region_id = ? AND m.campaign_id IN (SELECT id FROM campaigns) AND m.due_date BETWEEN ? AND ?
              AND m.report_first_confirmed_at IS NULL AND m.committed_at IS NOT NULL
            GROUP BY m.school_id, m.municipality_id, s.name, s.code, mu.name, mu.code, r.name
            ORDER BY count(*) DESC, 1
            """, [regionID, dueFrom, dueTo]).map { row in
            DigestCount(name: row[0], schoolCode: row[1], municipalityCode: row[2], municipalityID: row[3], count: row[4])
        }
    }

    func curatorWaits(regionID: Int64, submittedBefore: Date) throws -> [CuratorWait] {
        try rows("""
            SELECT ca.curator_id, u.full_name, rr.municipality_id, count(*), min(rr.submitted_at)
            FROM review_rounds rr
            JOIN curator_assignments ca ON ca.campaign_id = rr.campaign_id AND ca.school_id = rr.school_id
            JOIN users u ON u.id = ca.curator_id
            WHERE rr.region_id = ? AND rr.submitted_at < ? AND rr.closed_at IS NULL
            GROUP BY ca.curator_id, u.full_name, rr.municipality_id
            """, [regionID, submittedBefore.sql]).map { row in
            CuratorWait(curatorID: row[0], name: row[1], municipalityID: row[2], count: row[3], oldest: try row.instant(4))
        }
    }

    func returnedOften(regionID: Int64, atLeast returns: Int) throws -> [(item: DigestLetter.Returned, municipalityID: Int64?)] {
        // `closed_at IS NOT NULL` lets the partial index on decisions be read for the region alone
        // (without it, every review round of the country is scanned).
        try rows("""
            SELECT rr.item_id, i.title, coalesce(s.name, mu.name, r.name), count(*), i.municipality_id
            FROM review_rounds rr
            JOIN items i ON i.id = rr.item_id
            LEFT JOIN schools s ON s.id = i.school_id
            LEFT JOIN municipalities mu ON mu.id = i.municipality_id
            JOIN regions r ON r.id = i.region_id
            WHERE rr.region_id = ? AND rr.closed_at IS NOT NULL AND rr.outcome = 'returned' AND i.state <> 'confirmed'
            GROUP BY rr.item_id, i.title, s.name, mu.name, r.name, i.municipality_id HAVING count(*) >= ?
            ORDER BY count(*) DESC, rr.item_id
            """, [regionID, returns]).map { row in
            (DigestLetter.Returned(itemID: row[0], title: row[1], ownerName: row[2], returns: row[3]), row[4])
        }
    }

    func unsubscribeLink(tokenHash: String) throws -> UnsubscribeLink? {
        guard let row = try self.row("""
            SELECT user_id, kind, address, created_at FROM mail_outbox WHERE unsubscribe_hash = ? AND address IS NOT NULL
            """, [tokenHash]), let kind = MailKind(rawValue: row[1]) else { return nil }
        return UnsubscribeLink(userID: row[0], kind: kind, address: row[2], createdAt: try row.instant(3))
    }

    func saveReminderSettings(regionID: Int64, _ settings: ReminderSettings) throws {
        try execute("""
            INSERT INTO region_reminder_settings (region_id, days_before, review_working_days, escalation_days) VALUES (?, ?, ?, ?)
            ON CONFLICT (region_id) DO UPDATE SET days_before = excluded.days_before, review_working_days = excluded.review_working_days,
                escalation_days = excluded.escalation_days
            """, [regionID, settings.daysBefore.map(String.init).joined(separator: ","), settings.reviewWorkingDays,
                                     settings.escalationDays.map(String.init).joined(separator: ",")])
    }
}
