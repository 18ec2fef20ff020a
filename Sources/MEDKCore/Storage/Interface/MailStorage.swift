import Foundation

/// An open measure whose due date a reminder is about, with whom it belongs to.
struct DueMeasure: Sendable, Hashable {
    var roadmapID: Int64
    var title: String
    var dueDate: CalendarDate
    var campaignID: Int64
    var owner: MailOwner
}

/// Open measures of one owner counted for a digest.
struct DigestCount: Sendable, Hashable {
    var name: String
    var schoolCode: String?
    var municipalityCode: String?
    var municipalityID: Int64?
    var count: Int
}

/// Documents on review with one curator in one municipality since before a moment.
struct CuratorWait: Sendable, Hashable {
    var curatorID: Int64
    var name: String
    var municipalityID: Int64?
    var count: Int
    var oldest: Date
}

/// Whose document or measure a message is about: the people who hear of it hold the role of
/// that organisation (a school's team, a municipality's or a region's coordinators).
struct MailOwner: Sendable, Hashable {
    var schoolID: Int64?
    var municipalityID: Int64?
    var regionID: Int64
    var name: String

    var role: Role { schoolID != nil ? .school : municipalityID != nil ? .municipal : .regional }
    var organisationID: Int64 { schoolID ?? municipalityID ?? regionID }
}

/// A document on review since a date, with the curator who is to decide it.
struct WaitingForCurator: Sendable, Hashable {
    var curatorID: Int64
    var itemID: Int64
    var title: String
    var ownerName: String
    var submittedAt: Date
}

/// Someone a message may go to: active, with an address, and the kinds they turned off.
struct MailRecipient: Sendable, Hashable {
    var userID: Int64
    var fullName: String
    var email: String?
    var isActive: Bool
    var disabled: Set<MailKind>
    /// The day of the week a coordinator's digest comes, 1 = Monday.
    var digestWeekday: Int = 1

    func wants(_ kind: MailKind) -> Bool { isActive && email != nil && !disabled.contains(kind) }
}

/// What an unsubscribe link stands for: the message it came in, of one kind, to one address.
struct UnsubscribeLink: Sendable, Hashable {
    var userID: Int64
    var kind: MailKind
    /// The address the message was sent to: the link dies when the user's address changes.
    var address: String
    var createdAt: Date

    /// How long a link works after its message was written.
    static let lifetime: TimeInterval = 365 * 86_400
}

/// One message of the outbox.
struct OutboxMessage: Sendable, Hashable {
    var id: Int64
    var kind: MailKind
    var userID: Int64
    var letter: MailLetter
    var attempts: Int
    var expiresAt: Date
}

/// How an attempt to send a message ended.
enum OutboxOutcome: String, Sendable {
    case sent, failed, uncertain, skipped, expired, pending
}

/// The outbox and what reminders are planned from.
protocol MailReading {
    func reminderSettings(regionID: Int64) throws -> ReminderSettings?
    func reminderPlanned(regionID: Int64, on date: CalendarDate) throws -> Bool
    /// Open measures (no confirmed report) of the region due on one of the dates, any campaign.
    func openMeasures(regionID: Int64, dueOn dates: [CalendarDate]) throws -> [DueMeasure]
    /// The region's school documents on review now, submitted in [from, to), each with its curators.
    func waitingForCurators(regionID: Int64, submittedFrom from: Date, to: Date) throws -> [WaitingForCurator]
    /// The active holders of a role in an organisation.
    func recipients(role: Role, organisationID: Int64) throws -> [MailRecipient]
    func recipient(userID: Int64) throws -> MailRecipient?
    /// Pending messages whose time has come, oldest first.
    func dueOutbox(at: Date, limit: Int) throws -> [OutboxMessage]
    /// The message an unsubscribe link was sent in, by the hash of the link's token.
    func unsubscribeLink(tokenHash: String) throws -> UnsubscribeLink?
    /// The active curators of a school in a campaign.
    func curators(campaignID: Int64, schoolID: Int64) throws -> [MailRecipient]
    /// The region's regional coordinators and its municipalities' coordinators, each with the grant that makes them one.
    func coordinators(regionID: Int64) throws -> [(recipient: MailRecipient, grant: RoleGrant)]
    /// The region's open measures due in [from, to], counted by owner, the most first. Read once
    /// per region and day: each municipality's digest takes its part.
    func openMeasureCounts(regionID: Int64, dueFrom: CalendarDate, dueTo: CalendarDate) throws -> [DigestCount]
    /// The region's documents on review since before an instant, by curator and municipality.
    func curatorWaits(regionID: Int64, submittedBefore: Date) throws -> [CuratorWait]
    /// The region's documents not confirmed and returned at least `returns` times, with their municipality.
    func returnedOften(regionID: Int64, atLeast returns: Int) throws -> [(item: DigestLetter.Returned, municipalityID: Int64?)]
    /// How many messages are in each state.
    func outboxCounts() throws -> [String: Int]
    /// Messages not settled yet (queued, being sent, failed, uncertain), by state, with the oldest
    /// one's creation; read from an index of these rows only.
    func unsettledMail() throws -> [UnsettledMail]
}

protocol MailWriting {
    /// Records a message unless one with the same key exists; true when it was recorded.
    func enqueueMail(key: String, userID: Int64, letter: MailLetter, at: Date, expiresAt: Date) throws -> Bool
    func markReminderPlanned(regionID: Int64, on date: CalendarDate, at: Date) throws
    /// Takes the right to send mail until `until` for `holder` if it is free, expired or already
    /// its own; returns whether it did, and who held it before (nil if nobody ever did).
    func takeMailLease(holder: String, until: Date, at: Date) throws -> (taken: Bool, previous: String?)
    /// Gives the right up, if `holder` has it.
    func releaseMailLease(holder: String, at: Date) throws
    /// Takes a pending message for sending to `address` (state «sending», one more attempt), with
    /// the hash of the unsubscribe link it carries, if `holder` still has the right to send; false
    /// if another worker has the message or the right.
    func claimMail(id: Int64, address: String, unsubscribeHash: String, holder: String, at: Date) throws -> Bool
    func finishMail(id: Int64, _ outcome: OutboxOutcome, at: Date, address: String?, error: String?, retryAt: Date?) throws
    /// Messages left «sending» by a process that stopped mid-send: their ids, now «uncertain».
    func settleInterruptedMail(at: Date) throws -> [Int64]
    func saveMailPreferences(userID: Int64, disabled: Set<MailKind>, digestWeekday: Int) throws
    func saveReminderSettings(regionID: Int64, _ settings: ReminderSettings) throws
}

/// Messages of one state not settled yet, for the operator (`/metrics`).
public struct UnsettledMail: Sendable, Hashable {
    /// `pending` (queued), `sending`, `failed` or `uncertain`.
    public var state: String
    public var count: Int
    /// When the oldest of them was queued.
    public var oldest: Date?
}
