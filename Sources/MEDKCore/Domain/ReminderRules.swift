/// What each kind of message is about; a user may turn any of them off.
public enum MailKind: String, Codable, Sendable, CaseIterable, Comparable {
    /// A school's measures fall due in a few days (the region's reminder days).
    case measureDue = "measure_due"
    /// A school's measures fell due yesterday without a confirmed report.
    case measureMissed = "measure_missed"
    /// Documents have waited for their curator longer than the region's review time.
    case reviewWaiting = "review_waiting"
    /// A document came back for revision, with the reviewer's comment.
    case itemReturned = "item_returned"
    /// Measures late beyond the region's grace period, reaching the next person up the chain.
    case escalation
    /// A coordinator's weekly summary of their territory.
    case weeklyDigest = "weekly_digest"

    public var russianName: String {
        switch self {
        case .measureDue: "напоминания о приближении сроков документов и мероприятий"
        case .measureMissed: "сообщения о пропущенных сроках документов и мероприятий"
        case .reviewWaiting: "напоминания о документах, которые долго ждут проверки"
        case .itemReturned: "сообщения о возврате документов на доработку"
        case .escalation: "сообщения о мероприятиях, просроченных дольше допустимого (эскалация)"
        case .weeklyDigest: "еженедельная сводка по территории (для координаторов)"
        }
    }

    public static func < (lhs: MailKind, rhs: MailKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A region's settings for reminders: how many days before a deadline a school hears of it, and
/// how many working days a curator has for a review. Changed by the region, audited.
public struct ReminderSettings: Codable, Sendable, Hashable {
    /// Days before a due date on which the school is reminded, largest first (defaults 14, 3, 1).
    public var daysBefore: [Int]
    /// Working days a document may wait for its curator before the curator is reminded.
    public var reviewWorkingDays: Int
    /// Days a measure may be late before it goes up to the school's curator, the municipal
    /// coordinator and the regional coordinator, in that order (defaults 3, 10, 20).
    public var escalationDays: [Int]

    public static let standard = ReminderSettings(daysBefore: [14, 3, 1], reviewWorkingDays: 5, escalationDays: [3, 10, 20])
    /// Reminders are planned once the region's day has begun at this local hour, not at midnight.
    public static let planningHour = 8

    public init(daysBefore: [Int], reviewWorkingDays: Int, escalationDays: [Int] = ReminderSettings.standard.escalationDays) {
        self.daysBefore = daysBefore
        self.reviewWorkingDays = reviewWorkingDays
        self.escalationDays = escalationDays
    }

    /// Settings as a region states them, checked: 1 to 5 distinct days between 1 and 60, a review
    /// time of 1 to 30 working days, and three escalation periods rising from 1 to 90 days.
    public static func validated(daysBefore: [Int], reviewWorkingDays: Int,
                                 escalationDays: [Int] = ReminderSettings.standard.escalationDays) throws -> ReminderSettings {
        let days = Array(Set(daysBefore)).sorted(by: >)
        guard !days.isEmpty, days.count <= 5, days.allSatisfy({ (1...60).contains($0) }), days.count == daysBefore.count else {
            let text = "Дни напоминаний: от одного до пяти разных чисел от 1 до 60 (например, 14, 3, 1)."
            throw MEDKError.rejected("invalid_reminder_days", text, fields: ["daysBefore": text])
        }
        guard (1...30).contains(reviewWorkingDays) else {
            let text = "Срок проверки: от 1 до 30 рабочих дней."
            throw MEDKError.rejected("invalid_review_days", text, fields: ["reviewWorkingDays": text])
        }
        guard escalationDays.count == 3, escalationDays.allSatisfy({ (1...90).contains($0) }),
              zip(escalationDays, escalationDays.dropFirst()).allSatisfy({ $0 < $1 }) else {
            let text = "Сроки эскалации: три возрастающих числа дней просрочки от 1 до 90 — куратору, муниципальному и региональному координатору (например, 3, 10, 20)."
            throw MEDKError.rejected("invalid_escalation_days", text, fields: ["escalationDays": text])
        }
        return ReminderSettings(daysBefore: days, reviewWorkingDays: reviewWorkingDays, escalationDays: escalationDays)
    }
}

/// When reminders fall due. Pure functions of dates, so the schedule is derived from the data
/// each time it is planned: a shifted deadline moves its reminders with it, and a restart
/// neither repeats nor loses one (the outbox keeps one message per recipient and day).
public enum ReminderRules {
    /// The due dates whose measures a school hears about on `today`: each reminder day before,
    /// and yesterday's for the day-after notice.
    public static func dueDatesToRemind(on today: CalendarDate, _ settings: ReminderSettings) -> [(dueDate: CalendarDate, daysLeft: Int)] {
        settings.daysBefore.map { (today.adding(days: $0), $0) }
    }

    /// The due date whose open measures were missed as of `today`: yesterday's.
    public static func missedDueDate(on today: CalendarDate) -> CalendarDate {
        today.adding(days: -1)
    }

    /// Monday to Friday. Public holidays are not modelled: a region that needs them sets a
    /// longer review time.
    public static func isWorkingDay(_ date: CalendarDate) -> Bool {
        date.weekday <= 5
    }

    /// Working days that passed after `submitted` up to and including `today`: a document sent
    /// on Friday has waited one working day on Monday.
    public static func workingDaysWaited(submitted: CalendarDate, today: CalendarDate) -> Int {
        guard submitted < today else { return 0 }
        let span = submitted.days(to: today)
        let whole = span / 7 * 5
        var count = whole
        var day = submitted.adding(days: span / 7 * 7)
        while day < today {
            day = day.adding(days: 1)
            if isWorkingDay(day) { count += 1 }
        }
        return count
    }

    /// Whether `today` is the day a document's wait passes the review time: the first working
    /// day on which it has waited more than `reviewWorkingDays`. One reminder per round.
    public static func reviewIsOverdueFirst(submitted: CalendarDate, today: CalendarDate, reviewWorkingDays: Int) -> Bool {
        isWorkingDay(today) && workingDaysWaited(submitted: submitted, today: today) == reviewWorkingDays + 1
    }

    /// The submission dates whose documents pass the review time on `today` (see `reviewIsOverdueFirst`):
    /// the days back from yesterday until the wait is longer still.
    public static func submissionDatesPassingReviewTime(on today: CalendarDate, reviewWorkingDays: Int) -> ClosedRange<CalendarDate>? {
        var matching: [CalendarDate] = []
        var day = today.adding(days: -1)
        while workingDaysWaited(submitted: day, today: today) <= reviewWorkingDays + 1 {
            if reviewIsOverdueFirst(submitted: day, today: today, reviewWorkingDays: reviewWorkingDays) { matching.append(day) }
            day = day.adding(days: -1)
        }
        guard let earliest = matching.last, let latest = matching.first else { return nil }
        return earliest...latest
    }
}

/// Who a late measure goes up to, in order.
public enum EscalationLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case curator, municipal, regional

    /// «эскалировано куратору школы», «вам как куратору школы».
    public var russianDative: String {
        switch self {
        case .curator: "куратору школы"
        case .municipal: "муниципальному координатору"
        case .regional: "региональному координатору"
        }
    }

    public static func < (lhs: EscalationLevel, rhs: EscalationLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// When lateness goes up the chain: school → its curator → municipal coordinator → regional
/// coordinator. Pure, like the reminders: a measure reaches a level on the day it has been late
/// for that level's number of days, so the chain is derived from the due dates each day.
public enum EscalationRules {
    /// The level a measure due on `dueDate` reaches on `today`, if today is the day it does.
    public static func levelReached(dueDate: CalendarDate, today: CalendarDate, _ settings: ReminderSettings) -> EscalationLevel? {
        let late = dueDate.days(to: today)
        guard let index = settings.escalationDays.firstIndex(of: late) else { return nil }
        return EscalationLevel.allCases[index]
    }

    /// The highest level a measure late by `daysLate` has reached (nil: not yet escalated).
    public static func currentLevel(daysLate: Int, _ settings: ReminderSettings) -> EscalationLevel? {
        guard let index = settings.escalationDays.lastIndex(where: { daysLate >= $0 }) else { return nil }
        return EscalationLevel.allCases[index]
    }

    /// The due dates whose open measures reach each level on `today`.
    public static func dueDatesReaching(on today: CalendarDate, _ settings: ReminderSettings) -> [(level: EscalationLevel, dueDate: CalendarDate)] {
        zip(EscalationLevel.allCases, settings.escalationDays).map { ($0, today.adding(days: -$1)) }
    }

    /// Who hears of an owner's late measures at a level: a municipality's own roadmap has no
    /// curator or municipal coordinator above it but the region; a region's has none here.
    public static func applies(_ level: EscalationLevel, toOwner owner: OwnerLevel) -> Bool {
        switch owner {
        case .school: true
        case .municipality: level == .regional
        case .region: false
        }
    }
}
