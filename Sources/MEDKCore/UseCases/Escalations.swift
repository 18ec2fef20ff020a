import Foundation

/// Lateness going up the chain, planned with a region's reminders. A measure reaches a level on
/// the day it has been late for that level's days (EscalationRules); that day the roadmap's
/// history records the step, once per roadmap and level, and the people of that level get one
/// message each with everything that reached them.
enum Escalations {
    static let actor = AuditActor(userID: nil, login: "system:escalation", role: nil)

    static func plan(_ store: any StoreWriting, regionID: Int64, today: CalendarDate, _ settings: ReminderSettings,
                     calendar: RegionCalendar, at now: Date) throws -> Int {
        let reaching = EscalationRules.dueDatesReaching(on: today, settings)
        let levelByDate = Dictionary(uniqueKeysWithValues: reaching.map { ($0.dueDate, $0.level) })
        let measures = try store.openMeasures(regionID: regionID, dueOn: reaching.map(\.dueDate))
        var letters: [Int64: (recipient: MailRecipient, level: EscalationLevel, lines: [EscalationLetter.Line])] = [:]
        var count = 0
        for (key, lines) in Dictionary(grouping: measures, by: { RoadmapLevel(roadmapID: $0.roadmapID, level: levelByDate[$0.dueDate]!) })
            .sorted(by: { ($0.key.roadmapID, $0.key.level) < ($1.key.roadmapID, $1.key.level) }) {
            let owner = lines[0].owner
            let ownerLevel: OwnerLevel = owner.schoolID != nil ? .school : owner.municipalityID != nil ? .municipality : .region
            guard EscalationRules.applies(key.level, toOwner: ownerLevel) else { continue }
            let days = lines[0].dueDate.days(to: today)
            try store.appendAudit(actor, at: now, AuditRecord(
                action: .itemEscalate, entityType: .item, entityID: key.roadmapID,
                comment: "Эскалировано \(key.level.russianDative): \(MailRendering.measures(lines.count)) "
                    + "\(lines.count == 1 ? "просрочено" : "просрочены") на \(MailRendering.days(days)).",
                details: ["level": key.level.rawValue, "measures": String(lines.count), "days_late": String(days)]))
            let recipients: [MailRecipient] = switch key.level {
            case .curator: try owner.schoolID.map { try store.curators(campaignID: lines[0].campaignID, schoolID: $0) } ?? []
            case .municipal: try owner.municipalityID.map { try store.recipients(role: .municipal, organisationID: $0) } ?? []
            case .regional: try store.recipients(role: .regional, organisationID: owner.regionID)
            }
            let letterLines = lines.map {
                EscalationLetter.Line(roadmapID: $0.roadmapID, ownerName: owner.name, measureTitle: $0.title, dueDate: $0.dueDate, daysLate: days)
            }
            // Someone at two levels at once (a rare double grant) hears once, at the higher.
            for recipient in recipients where recipient.wants(.escalation) {
                if let existing = letters[recipient.userID], existing.level > key.level { continue }
                if let existing = letters[recipient.userID], existing.level == key.level {
                    letters[recipient.userID]!.lines += letterLines
                } else {
                    letters[recipient.userID] = (recipient, key.level, letterLines)
                }
            }
        }
        let expires = calendar.endOfDay(today.adding(days: 1))
        for (userID, letter) in letters.sorted(by: { $0.key < $1.key }) {
            if try store.enqueueMail(key: "escalation:\(today):\(userID)", userID: userID,
                                     letter: .escalation(EscalationLetter(level: letter.level, lines: letter.lines)), at: now, expiresAt: expires) {
                count += 1
            }
        }
        return count
    }

    private struct RoadmapLevel: Hashable {
        var roadmapID: Int64
        var level: EscalationLevel
    }
}

/// A coordinator's week, on the weekday they chose, once their region's day has begun. The
/// region's figures are read once (four indexed queries) and each municipality's digest takes
/// its part of them: a region of sixty municipalities costs the same as one.
enum WeeklyDigests {
    static func plan(_ store: any StoreWriting, region: Region, today: CalendarDate, _ settings: ReminderSettings,
                     calendar: RegionCalendar, at now: Date) throws -> Int {
        let readers = try store.coordinators(regionID: region.id).filter {
            $0.recipient.digestWeekday == today.weekday && $0.recipient.wants(.weeklyDigest) && $0.grant.organisationID != nil
        }
        guard !readers.isEmpty else { return 0 }
        let week = try RegionWeek(store, regionID: region.id, today: today, settings, calendar: calendar)
        let expires = calendar.endOfDay(today.adding(days: 1))
        var count = 0
        for (recipient, grant) in readers {
            let organisationID = grant.organisationID!
            let letter: DigestLetter
            if grant.role == .municipal {
                guard let municipality = try store.municipality(id: organisationID) else { continue }
                letter = week.digest(name: municipality.name, query: "municipality=\(municipality.code)", municipalityID: organisationID)
            } else {
                letter = week.digest(name: region.name, query: "region=\(region.code)", municipalityID: nil)
            }
            guard !letter.isEmpty else { continue }
            if try store.enqueueMail(key: "weekly_digest:\(today):\(recipient.userID):\(grant.role.rawValue):\(organisationID)",
                                     userID: recipient.userID, letter: .weeklyDigest(letter), at: now, expiresAt: expires) {
                count += 1
            }
        }
        return count
    }

    /// A region's week as the digests read it.
    struct RegionWeek {
        var today: CalendarDate
        var reviewWorkingDays: Int
        var calendar: RegionCalendar
        var late: [DigestCount]
        var soon: [DigestCount]
        var waits: [CuratorWait]
        var returned: [(item: DigestLetter.Returned, municipalityID: Int64?)]

        init(_ store: any StoreReading, regionID: Int64, today: CalendarDate, _ settings: ReminderSettings, calendar: RegionCalendar) throws {
            self.today = today
            self.reviewWorkingDays = settings.reviewWorkingDays
            self.calendar = calendar
            late = try store.openMeasureCounts(regionID: regionID, dueFrom: today.adding(days: -7), dueTo: today.adding(days: -1))
            soon = try store.openMeasureCounts(regionID: regionID, dueFrom: today, dueTo: today.adding(days: 13))
            // Documents waiting longer than the review time: submitted before the day whose wait
            // has just reached it (working days counted back from today).
            var limit = today
            while ReminderRules.workingDaysWaited(submitted: limit, today: today) < settings.reviewWorkingDays { limit = limit.adding(days: -1) }
            waits = try store.curatorWaits(regionID: regionID, submittedBefore: calendar.startOfDay(limit))
            returned = try store.returnedOften(regionID: regionID, atLeast: 3)
        }

        /// The digest of the whole region (nil) or of one municipality.
        func digest(name: String, query: String, municipalityID: Int64?) -> DigestLetter {
            func mine(_ id: Int64?) -> Bool { municipalityID == nil || id == municipalityID }
            func lines(_ counts: [DigestCount]) -> [DigestLetter.Count] {
                counts.filter { mine($0.municipalityID) }.prefix(10).map { count in
                    let path = count.schoolCode.map { "/monitoring/overdue?school=\($0)" }
                        ?? count.municipalityCode.map { "/municipalities/\($0)" } ?? "/monitoring/overdue?\(query)"
                    return DigestLetter.Count(name: count.name, count: count.count, path: path)
                }
            }
            var byCurator: [Int64: DigestLetter.Wait] = [:]
            for wait in waits where mine(wait.municipalityID) {
                let oldest = calendar.date(of: wait.oldest)
                if var known = byCurator[wait.curatorID] {
                    known.count += wait.count
                    known.oldestSince = min(known.oldestSince, oldest)
                    byCurator[wait.curatorID] = known
                } else {
                    byCurator[wait.curatorID] = DigestLetter.Wait(curatorName: wait.name, count: wait.count, oldestSince: oldest)
                }
            }
            let longWaits = byCurator.values.sorted { ($1.count, $0.curatorName) < ($0.count, $1.curatorName) }
            return DigestLetter(
                territoryName: name, weekFrom: today.adding(days: -7), weekTo: today.adding(days: -1),
                becameLate: lines(late), becameLateTotal: late.filter { mine($0.municipalityID) }.reduce(0) { $0 + $1.count },
                dueSoon: lines(soon), dueSoonTotal: soon.filter { mine($0.municipalityID) }.reduce(0) { $0 + $1.count },
                reviewWorkingDays: reviewWorkingDays, longWaits: Array(longWaits.prefix(10)),
                returnedOften: Array(returned.filter { mine($0.municipalityID) }.map(\.item).prefix(10)),
                overduePath: "/monitoring/overdue?\(query)", reviewersPath: "/monitoring/reviewers?\(query)")
        }
    }
}
