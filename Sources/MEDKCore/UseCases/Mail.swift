import Foundation

/// How mail is written and from whom: the operator's `--mail-from` and `--public-url`.
public struct MailConfiguration: Sendable {
    public var from: MailAddress
    public var rendering: MailRendering
    /// The host part of Message-IDs.
    public var messageIDDomain: String

    public init(from: MailAddress, publicURL: String) {
        self.from = from
        self.rendering = MailRendering(publicURL: publicURL)
        self.messageIDDomain = from.address.split(separator: "@").last.map(String.init) ?? "medk.localhost"
    }
}

/// What one planning pass recorded.
public struct ReminderPlanning: Sendable, Hashable {
    public var regionsPlanned = 0
    public var messages = 0

    public init() {}
}

/// What one delivery pass did with the messages whose time had come.
public struct MailDelivery: Sendable, Hashable {
    public var sent = 0
    public var retrying = 0
    public var failed = 0
    public var uncertain = 0
    public var skipped = 0
    public var expired = 0
    /// Messages another sender left half-sent, settled as «uncertain» when this one took over.
    public var settled = 0
    /// Another sender holds the lease: this pass sent nothing.
    public var sentElsewhere = false

    public var touched: Int { sent + retrying + failed + uncertain + skipped + expired }

    public init() {}
}

/// One process that sends mail. One sender at a time holds the outbox's lease, whichever server it
/// runs in (issue 24: several servers, one database): it renews the lease every pass, and another
/// takes over once it has not for `leaseDuration` — a killed server's messages wait that long.
public struct MailSender: Sendable, Hashable {
    public let id: String
    public let leaseDuration: TimeInterval

    public init(id: String, leaseDuration: TimeInterval = MailSender.leaseDuration) {
        self.id = id
        self.leaseDuration = leaseDuration
    }

    public static let thisProcess = MailSender(
        id: "\(ProcessInfo.processInfo.hostName)#\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")

    /// Three passes of a worker that passes every minute.
    public static let leaseDuration: TimeInterval = 180

    /// This sender renewing every `interval`: the lease lasts three passes, and never less than
    /// half a minute (a pass may wait that long on a slow mail server).
    public func passing(every interval: TimeInterval) -> MailSender {
        MailSender(id: id, leaseDuration: max(30, 3 * interval))
    }
}

public struct LeaseOutcome: Sendable, Hashable {
    public var taken: Bool
    /// Messages the previous sender left half-sent, now «uncertain».
    public var settled: Int
}

/// The outbox's side of an event: messages recorded in the event's own transaction.
enum MailEvents {
    /// A returned document: its owners hear of it with the reviewer's comment.
    static func itemReturned(_ store: any StoreWriting, _ item: StoredItem, comment: String?, by actor: Actor, at now: Date) throws {
        let owner = MailOwner(schoolID: item.summary.schoolID, municipalityID: item.summary.municipalityID,
                              regionID: item.summary.regionID, name: item.summary.ownerName)
        let recipients = try store.recipients(role: owner.role, organisationID: owner.organisationID).filter { $0.wants(.itemReturned) }
        guard !recipients.isEmpty else { return }
        let reviewer = try store.user(id: actor.userID)?.fullName ?? actor.login
        let calendar = try item.calendar()
        let letter = MailLetter.itemReturned(ItemReturnedLetter(
            itemID: item.id, title: item.summary.title, ownerName: owner.name, returnedBy: reviewer,
            returnedAt: calendar.format(now), comment: comment))
        for recipient in recipients {
            _ = try store.enqueueMail(key: "item_returned:\(item.id):\(item.revision + 1):\(recipient.userID)", userID: recipient.userID,
                                      letter: letter, at: now, expiresAt: now.addingTimeInterval(7 * 86_400))
        }
    }
}

/// After this many attempts over about a day, a message that keeps failing is given up.
let maximumMailAttempts = 8

extension MEDKService {
    /// Plans the reminders of every region whose local day has reached the planning hour and is not
    /// planned yet: the school's measures due in the region's reminder days, those missed yesterday,
    /// and documents whose wait for a curator passes the review time today. One transaction per
    /// region; the outbox's keys make a second pass over the same day record nothing new.
    public func planReminders() async throws -> ReminderPlanning {
        let now = now()
        // One read finds the regions whose day is due and not planned, so that the worker's pass
        // every minute costs no write at all once every region's day is planned.
        let due = try await read { store in
            try store.allRegions().compactMap { region -> (Region, RegionCalendar, CalendarDate)? in
                let calendar = try RegionCalendar.cached(region.timeZone)
                let (today, seconds) = calendar.wallClock(now)
                guard seconds >= ReminderSettings.planningHour * 3600, try !store.reminderPlanned(regionID: region.id, on: today) else { return nil }
                return (region, calendar, today)
            }
        }
        var planning = ReminderPlanning()
        for (region, calendar, today) in due {
            let recorded = try await write { store -> Int? in
                guard try !store.reminderPlanned(regionID: region.id, on: today) else { return nil }
                let settings = try store.reminderSettings(regionID: region.id) ?? .standard
                var count = try Self.planMeasureReminders(store, regionID: region.id, today: today, settings, calendar: calendar, at: now)
                count += try Self.planReviewReminders(store, regionID: region.id, today: today, settings, calendar: calendar, at: now)
                count += try Escalations.plan(store, regionID: region.id, today: today, settings, calendar: calendar, at: now)
                count += try WeeklyDigests.plan(store, region: region, today: today, settings, calendar: calendar, at: now)
                try store.markReminderPlanned(regionID: region.id, on: today, at: now)
                return count
            }
            if let recorded {
                planning.regionsPlanned += 1
                planning.messages += recorded
            }
        }
        return planning
    }

    private static func planMeasureReminders(_ store: any StoreWriting, regionID: Int64, today: CalendarDate, _ settings: ReminderSettings,
                                             calendar: RegionCalendar, at now: Date) throws -> Int {
        let soon = ReminderRules.dueDatesToRemind(on: today, settings)
        let missed = ReminderRules.missedDueDate(on: today)
        let daysLeft = Dictionary(uniqueKeysWithValues: soon.map { ($0.dueDate, $0.daysLeft) })
        let measures = try store.openMeasures(regionID: regionID, dueOn: soon.map(\.dueDate) + [missed])
        let documents = try MilestoneReminders.plan(store, regionID: regionID, soon: soon.map { ($0.dueDate, $0.daysLeft) },
                                                    missed: missed, calendar: calendar, at: now)
        let expires = calendar.endOfDay(today.adding(days: 1))
        var count = 0
        var groups = Dictionary(grouping: measures, by: { MeasureGroup(owner: $0.owner, missed: $0.dueDate == missed) })
        // A school with only documents due gets the same daily letter, with no measures in it.
        for key in documents.lines.keys {
            let group = MeasureGroup(owner: documents.owners[key.schoolID]!, missed: key.missed)
            if groups[group] == nil { groups[group] = [] }
        }
        for (group, lines) in groups {
            let kind: MailKind = group.missed ? .measureMissed : .measureDue
            let schoolDocuments = group.owner.schoolID.flatMap { documents.lines[MilestoneReminders.Key(schoolID: $0, missed: group.missed)] }
            let letter = MailLetter.measures(MeasuresLetter(
                schoolName: group.owner.name, missed: group.missed,
                lines: lines.map { .init(roadmapID: $0.roadmapID, measureTitle: $0.title, dueDate: $0.dueDate, daysLeft: daysLeft[$0.dueDate] ?? -1) },
                documents: schoolDocuments))
            for recipient in try store.recipients(role: group.owner.role, organisationID: group.owner.organisationID) where recipient.wants(kind) {
                let key = "\(kind.rawValue):\(group.owner.role.rawValue):\(group.owner.organisationID):\(today):\(recipient.userID)"
                if try store.enqueueMail(key: key, userID: recipient.userID, letter: letter, at: now, expiresAt: expires) { count += 1 }
            }
        }
        return count
    }

    private struct MeasureGroup: Hashable {
        var owner: MailOwner
        var missed: Bool
    }

    private static func planReviewReminders(_ store: any StoreWriting, regionID: Int64, today: CalendarDate, _ settings: ReminderSettings,
                                            calendar: RegionCalendar, at now: Date) throws -> Int {
        guard let dates = ReminderRules.submissionDatesPassingReviewTime(on: today, reviewWorkingDays: settings.reviewWorkingDays) else { return 0 }
        let waiting = try store.waitingForCurators(regionID: regionID, submittedFrom: calendar.startOfDay(dates.lowerBound),
                                                   to: calendar.endOfDay(dates.upperBound))
        let expires = calendar.endOfDay(today.adding(days: 1))
        var count = 0
        for (curatorID, items) in Dictionary(grouping: waiting, by: \.curatorID) {
            guard let recipient = try store.recipient(userID: curatorID), recipient.wants(.reviewWaiting) else { continue }
            let letter = MailLetter.reviewWaiting(ReviewWaitingLetter(
                reviewWorkingDays: settings.reviewWorkingDays,
                lines: items.map { .init(itemID: $0.itemID, title: $0.title, ownerName: $0.ownerName, submittedOn: calendar.date(of: $0.submittedAt)) }))
            if try store.enqueueMail(key: "review_waiting:\(today):\(curatorID)", userID: curatorID, letter: letter, at: now, expiresAt: expires) {
                count += 1
            }
        }
        return count
    }

    /// Takes (or renews) the right to send mail for `duration`: one sender at a time, whichever
    /// server it runs in. A sender taking over from another — stopped, killed, or too slow to renew —
    /// first settles what that one left half-sent: «uncertain», each in the audit trail, never sent
    /// again (its server may have taken them). Returns whether this sender may send now.
    @discardableResult
    public func takeMailLease(_ sender: MailSender = .thisProcess) async throws -> LeaseOutcome {
        let now = now(), duration = sender.leaseDuration
        return try await write { store in
            let (taken, previous) = try store.takeMailLease(holder: sender.id, until: now.addingTimeInterval(duration), at: now)
            guard taken else { return LeaseOutcome(taken: false, settled: 0) }
            guard previous != sender.id else { return LeaseOutcome(taken: true, settled: 0) }
            let ids = try store.settleInterruptedMail(at: now)
            for id in ids {
                try store.appendAudit(Self.mailActor, at: now, AuditRecord(
                    action: .mailUncertain, entityType: .mail, entityID: id,
                    comment: "Отправка прервана остановкой процесса; письмо не отправляется повторно."))
            }
            return LeaseOutcome(taken: true, settled: ids.count)
        }
    }

    /// Gives the right to send up (a worker stopping cleanly), so another takes over at once.
    public func releaseMailLease(_ sender: MailSender = .thisProcess) async throws {
        let now = now()
        try await write { store in try store.releaseMailLease(holder: sender.id, at: now) }
    }

    /// Sends the messages whose time has come through one session with the transport. Each is
    /// claimed in its own transaction before it goes and settled with its audit row after, so a
    /// crash between the two leaves it «sending», and `settleInterruptedMail` never repeats it.
    /// Only the sender holding the lease sends (`takeMailLease`, taken or renewed here first).
    public func deliverMail(_ transport: any MailTransport, _ configuration: MailConfiguration, limit: Int = 200,
                            as sender: MailSender = .thisProcess) async throws -> MailDelivery {
        var delivery = MailDelivery()
        let lease = try await takeMailLease(sender)
        delivery.settled = lease.settled
        guard lease.taken else {
            delivery.sentElsewhere = true
            return delivery
        }
        let due = try await read { [now = now()] store in try store.dueOutbox(at: now, limit: limit) }
        var session: (any MailSession)?
        do {
            try await deliver(due, transport, configuration, sender, &session, &delivery)
        } catch {
            if let session { await session.close() }
            throw error
        }
        if let session { await session.close() }
        return delivery
    }

    private func deliver(_ due: [OutboxMessage], _ transport: any MailTransport, _ configuration: MailConfiguration, _ sender: MailSender,
                         _ session: inout (any MailSession)?, _ delivery: inout MailDelivery) async throws {
        var renewed = now()
        for message in due {
            // A server stopping between two messages leaves the rest pending, not half-sent.
            try Task.checkCancellation()
            let now = now()
            // A slow server can make a pass outlast the lease: it is renewed on the way, and a pass
            // whose lease another sender took stops (its next claim would fail anyway).
            if now.timeIntervalSince(renewed) > sender.leaseDuration / 3 {
                guard try await takeMailLease(sender).taken else {
                    delivery.sentElsewhere = true
                    return
                }
                renewed = now
            }
            if message.expiresAt <= now {
                try await write { store in try store.finishMail(id: message.id, .expired, at: now, address: nil, error: nil, retryAt: nil) }
                delivery.expired += 1
                continue
            }
            let claimed = try await write { store -> Claim in
                guard let recipient = try store.recipient(userID: message.userID), recipient.wants(message.kind),
                      let email = recipient.email else {
                    try store.finishMail(id: message.id, .skipped, at: now, address: nil, error: "the recipient has no address or turned this off", retryAt: nil)
                    return .skipped
                }
                // The message's own unsubscribe link: it turns off this kind of message for this
                // address, and only its hash is kept.
                let token = Self.newUnsubscribeToken()
                guard try store.claimMail(id: message.id, address: email, unsubscribeHash: SessionToken.digest(token),
                                          holder: sender.id, at: now) else {
                    return .takenByAnother
                }
                return .mine(recipient, token)
            }
            guard case .mine(let recipient, let token) = claimed, let email = recipient.email else {
                if case .skipped = claimed { delivery.skipped += 1 }
                continue
            }
            let unsubscribe = "\(configuration.rendering.publicURL)/mail/unsubscribe?token=\(token)"
            let mail: RenderedMail
            do {
                mail = try MailMessage(
                    from: configuration.from, to: MailAddress(email, name: recipient.fullName),
                    subject: configuration.rendering.subject(message.letter),
                    text: configuration.rendering.text(message.letter, recipientName: recipient.fullName, unsubscribeURL: unsubscribe),
                    messageID: "medk-\(message.id)@\(configuration.messageIDDomain)", date: now, unsubscribeURL: unsubscribe).rendered()
            } catch {
                try await settle(message, .failed, address: email, error: "invalid address", delivery: &delivery)
                continue
            }
            if session == nil {
                do {
                    session = try await transport.openSession()
                } catch {
                    // The server is unreachable or refuses the login: this message waits for the next
                    // pass, and so do the rest of the batch, untouched (a thousand messages must not
                    // make a thousand failed connections).
                    try await settle(message, .pending, address: email, error: "\(error)", delivery: &delivery)
                    return
                }
            }
            do {
                try await session!.send(mail)
                try await settle(message, .sent, address: email, error: nil, delivery: &delivery)
            } catch let error as MailDeliveryError {
                switch error {
                case .temporary(let text):
                    let giveUp = message.attempts + 1 >= maximumMailAttempts
                    try await settle(message, giveUp ? .failed : .pending, address: email, error: text, delivery: &delivery)
                    // The connection may be what failed: the next message starts a new one.
                    if let open = session { await open.close() }
                    session = nil
                case .permanent(let text):
                    try await settle(message, .failed, address: email, error: text, delivery: &delivery)
                    try? await session?.reset()
                case .uncertain(let text):
                    try await settle(message, .uncertain, address: email, error: text, delivery: &delivery)
                    if let open = session { await open.close() }
                    session = nil
                }
            } catch {
                try await settle(message, .pending, address: email, error: "\(error)", delivery: &delivery)
                session = nil
            }
        }
    }

    private func settle(_ message: OutboxMessage, _ outcome: OutboxOutcome, address: String, error: String?,
                        delivery: inout MailDelivery) async throws {
        let now = now()
        let attempts = message.attempts + 1
        // 2, 4, 8 … minutes, at most six hours apart.
        let retryAt = outcome == .pending ? now.addingTimeInterval(min(6 * 3600, 60 * pow(2, Double(attempts)))) : nil
        try await write { store in
            try store.finishMail(id: message.id, outcome, at: now, address: address, error: error, retryAt: retryAt)
            let action: AuditAction? = switch outcome {
            case .sent: .mailSent
            case .failed: .mailFailed
            case .uncertain: .mailUncertain
            default: nil
            }
            if let action {
                var details = ["kind": message.kind.rawValue, "to": address, "user_id": String(message.userID), "attempts": String(attempts)]
                if let error { details["error"] = String(error.prefix(300)) }
                try store.appendAudit(Self.mailActor, at: now, AuditRecord(action: action, entityType: .mail, entityID: message.id,
                                                                           details: details))
            }
        }
        switch outcome {
        case .sent: delivery.sent += 1
        case .failed: delivery.failed += 1
        case .uncertain: delivery.uncertain += 1
        case .pending: delivery.retrying += 1
        case .skipped: delivery.skipped += 1
        case .expired: delivery.expired += 1
        }
    }

    /// What claiming a message found.
    private enum Claim: Sendable {
        case mine(MailRecipient, String)
        /// No address, deactivated, or the kind turned off: settled as skipped.
        case skipped
        /// Another worker claimed it first.
        case takenByAnother
    }

    static let mailActor = AuditActor(userID: nil, login: "system:mail", role: nil)

    static func newUnsubscribeToken() -> String { SessionToken.randomURLSafe() }

    /// The outbox by state, for the operator.
    public func outboxCounts() async throws -> [String: Int] {
        try await read { store in try store.outboxCounts() }
    }

    /// The messages not settled yet, by state — cheap enough to ask on every metrics scrape.
    public func unsettledMail() async throws -> [UnsettledMail] {
        try await read { store in try store.unsettledMail() }
    }
}
