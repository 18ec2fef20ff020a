import Foundation

/// How a school stands against one milestone as of a moment.
public enum MilestoneStatus: String, Codable, Sendable, CaseIterable {
    case onTime = "on_time"
    case late
    case missing
    case awaitingReview = "awaiting_review"
    case returned
    case notDue = "not_due"

    public var russianName: String {
        switch self {
        case .onTime: "в срок"
        case .late: "с опозданием"
        case .missing: "не представлено"
        case .awaitingReview: "на проверке"
        case .returned: "на доработке"
        case .notDue: "срок не наступил"
        }
    }

    /// Most severe first: a milestone covering several items shows its worst one.
    var severity: Int {
        switch self {
        case .missing: 0
        case .late: 1
        case .returned: 2
        case .awaitingReview: 3
        case .notDue: 4
        case .onTime: 5
        }
    }
}

/// An item as it stood at the moment being judged, rebuilt from its history.
public struct ItemSnapshot: Sendable, Hashable {
    public var state: ReviewState
    public var firstSubmittedAt: Date?
    public var lastSubmittedAt: Date?
    public var everConfirmed: Bool

    public init(state: ReviewState, firstSubmittedAt: Date?, lastSubmittedAt: Date?, everConfirmed: Bool) {
        self.state = state
        self.firstSubmittedAt = firstSubmittedAt
        self.lastSubmittedAt = lastSubmittedAt
        self.everConfirmed = everConfirmed
    }

    mutating func apply(_ change: StateChange) {
        guard let next = change.action.resultingState else { return }
        state = next
        if change.action == .submit {
            firstSubmittedAt = firstSubmittedAt ?? change.at
            lastSubmittedAt = change.at
        }
        if next == .confirmed { everConfirmed = true }
    }
}

public enum ComplianceRules {
    /// One item against a deadline. Timeliness is judged by the first submission: a school
    /// that sent its document in time and was asked for corrections did meet the deadline.
    public static func status(of item: ItemSnapshot?, deadline: Date, asOf: Date) -> MilestoneStatus {
        guard let item, let firstSubmitted = item.firstSubmittedAt,
              item.state != .draft || item.everConfirmed else {
            return asOf < deadline ? .notDue : .missing
        }
        if firstSubmitted >= deadline { return .late }
        switch item.state {
        case .confirmed: return .onTime
        case .submitted: return .awaitingReview
        case .returned: return .returned
        case .draft: return .onTime  // a revision of a confirmed item; the confirmed version stands
        }
    }

    /// Several items under one milestone (anti-risk programmes, one per chosen risk):
    /// `expectedCount` missing ones count as not submitted.
    public static func status(of items: [ItemSnapshot], expectedCount: Int, deadline: Date, asOf: Date) -> MilestoneStatus {
        var verdict = MilestoneVerdict(deadline: deadline, asOf: asOf)
        for item in items { verdict.add(item) }
        return verdict.status(expectedCount: expectedCount)
    }
}

/// One milestone of one school judged an item at a time: the worst status among its items and
/// the absent ones, and the latest first submission. (A country report judges two million items
/// and must not gather an array per milestone of every school to do it.)
struct MilestoneVerdict: Sendable {
    let deadline: Date
    let asOf: Date
    private(set) var items = 0
    private var worst: MilestoneStatus?
    /// The latest of the items' first submissions.
    private(set) var firstSubmittedAt: Date?

    init(deadline: Date, asOf: Date) {
        self.deadline = deadline
        self.asOf = asOf
    }

    mutating func add(_ item: ItemSnapshot) {
        items += 1
        include(ComplianceRules.status(of: item, deadline: deadline, asOf: asOf))
        if let submitted = item.firstSubmittedAt, submitted > firstSubmittedAt ?? .distantPast { firstSubmittedAt = submitted }
    }

    /// The milestone's status when `expectedCount` items were due: those not there count as not submitted.
    func status(expectedCount: Int) -> MilestoneStatus {
        var verdict = self
        if max(expectedCount - items, items == 0 ? 1 : 0) > 0 {
            verdict.include(ComplianceRules.status(of: nil, deadline: deadline, asOf: asOf))
        }
        return verdict.worst!
    }

    private mutating func include(_ status: MilestoneStatus) {
        if status.severity < worst?.severity ?? Int.max { worst = status }
    }
}

/// A measure is overdue once its due date has passed in the owner's zone and its report was
/// never confirmed: a confirmed report that is being revised still counts as done.
/// When a measure is overdue: a commitment whose deadline has passed in its owner's zone without a
/// confirmed report. A measure becomes a commitment when its roadmap is sent to review with it (and
/// stays one if the roadmap is returned or reopened); until then it is a plan being drafted, and no
/// deadline of it is missed.
public enum MeasureRules {
    public static func isOverdue(deadline: Date, everConfirmed: Bool, committedAt: Date?, at moment: Date) -> Bool {
        guard let committedAt, committedAt < moment else { return false }
        return !everConfirmed && moment >= deadline
    }

    /// When a measure added at `createdAt` became a commitment: the first time its roadmap was sent
    /// to review at or after that (`submissions` in time order), or never yet.
    public static func committedAt(createdAt: Date, submissions: [Date]) -> Date? {
        submissions.first { $0 >= createdAt }
    }
}

public struct MilestoneCell: Codable, Sendable, Hashable {
    public var kind: ItemKind
    public var title: String
    public var dueDate: CalendarDate
    public var status: MilestoneStatus
    public var statusName: String
    public var firstSubmittedAt: Date?
    /// The milestone's document, when it has exactly one (an anti-risk milestone may have several):
    /// the cell opens it, and says where it stands now beside how it met the deadline.
    public var itemID: Int64? = nil
    public var state: ReviewState? = nil
}

public struct MeasureTotals: Codable, Sendable, Hashable {
    public var total: Int = 0
    public var confirmed: Int = 0
    public var overdue: Int = 0
    public var reportedLate: Int = 0

    public init() {}

    /// A roadmap's measures counted as they stand: reports confirmed, measures overdue (only a dated
    /// measure can be). Reports sent late are a school's compliance figure and are not counted here.
    init(counting measures: [Measure]) {
        total = measures.count
        confirmed = measures.filter { $0.reportState == .confirmed }.count
        overdue = measures.filter(\.overdue).count
    }

    /// «мероприятий 12, подтверждено отчётов 3, просрочено 2»
    public var summary: String {
        "мероприятий \(total), подтверждено отчётов \(confirmed), просрочено \(overdue)"
    }

    mutating func add(_ other: MeasureTotals) {
        total += other.total
        confirmed += other.confirmed
        overdue += other.overdue
        reportedLate += other.reportedLate
    }
}

public struct SchoolCompliance: Codable, Sendable, Hashable {
    public var schoolID: Int64
    public var schoolCode: String
    public var schoolName: String
    public var municipalityCode: String
    public var municipalityName: String
    public var regionCode: String
    public var regionName: String
    public var timeZone: String
    public var milestones: [MilestoneCell]
    public var measures: MeasureTotals
    /// Items of the school waiting for review at the moment judged.
    public var waiting: Int
    /// Something missing, late or returned, or a measure overdue: what a coordinator chases.
    public var lagging: Bool
}

/// How many schools of a territory stand how against one milestone.
public struct StatusCounts: Codable, Sendable, Hashable {
    public var onTime = 0
    public var late = 0
    public var missing = 0
    public var awaitingReview = 0
    public var returned = 0
    public var notDue = 0

    public init() {}

    public subscript(status: MilestoneStatus) -> Int {
        get {
            switch status {
            case .onTime: onTime
            case .late: late
            case .missing: missing
            case .awaitingReview: awaitingReview
            case .returned: returned
            case .notDue: notDue
            }
        }
        set {
            switch status {
            case .onTime: onTime = newValue
            case .late: late = newValue
            case .missing: missing = newValue
            case .awaitingReview: awaitingReview = newValue
            case .returned: returned = newValue
            case .notDue: notDue = newValue
            }
        }
    }
}

public struct MilestoneTally: Codable, Sendable, Hashable {
    public var kind: ItemKind
    public var title: String
    /// The territory's due date; nil where its regions shifted the milestone differently.
    public var dueDate: CalendarDate?
    public var counts: StatusCounts
}

/// A territory (the country, a region, a municipality) summed over its schools.
public struct TerritoryCompliance: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
    public var schools: Int
    /// Schools with something missing, late, returned or overdue.
    public var laggingSchools: Int
    public var milestones: [MilestoneTally]
    public var measures: MeasureTotals
    public var waiting: Int
    public var oldestWaitingSince: Date?
    /// In a region's report today: the municipality's own roadmap (its overdue measures are not listed here).
    public var municipalRoadmap: MunicipalRoadmapStatus? = nil
    /// In a region's report: the municipality's package as FIOCO last evaluated it.
    public var packageEvaluation: PackageEvaluationTotal? = nil

    public init(code: String, name: String, milestones: [Milestone]) {
        self.code = code
        self.name = name
        schools = 0
        laggingSchools = 0
        self.milestones = milestones.map { MilestoneTally(kind: $0.kind, title: $0.title, dueDate: nil, counts: StatusCounts()) }
        measures = MeasureTotals()
        waiting = 0
    }

    mutating func add(_ school: SchoolJudgement) {
        for (index, cell) in school.cells.enumerated() {
            if schools == 0 {
                milestones[index].dueDate = cell.dueDate
            } else if milestones[index].dueDate != cell.dueDate {
                milestones[index].dueDate = nil
            }
            milestones[index].counts[cell.status] += 1
        }
        schools += 1
        if school.lagging { laggingSchools += 1 }
        measures.add(school.measures)
        waiting += school.waitingSince.count
        if let oldest = school.waitingSince.min(), oldest < oldestWaitingSince ?? .distantFuture { oldestWaitingSince = oldest }
    }

    /// Another part of the same territory counted apart (a chunk of schools judged on another core).
    mutating func merge(_ other: TerritoryCompliance) {
        guard other.schools > 0 else { return }
        for index in milestones.indices {
            if schools == 0 {
                milestones[index].dueDate = other.milestones[index].dueDate
            } else if milestones[index].dueDate != other.milestones[index].dueDate {
                milestones[index].dueDate = nil
            }
            for status in MilestoneStatus.allCases { milestones[index].counts[status] += other.milestones[index].counts[status] }
        }
        schools += other.schools
        laggingSchools += other.laggingSchools
        measures.add(other.measures)
        waiting += other.waiting
        if let oldest = other.oldestWaitingSince, oldest < oldestWaitingSince ?? .distantFuture { oldestWaitingSince = oldest }
    }
}

public struct CuratorLoad: Codable, Sendable, Hashable {
    public var login: String
    public var fullName: String
    public var schools: Int
    public var waiting: Int
    public var oldestWaitingSince: Date?
    public var oldestWaitHours: Int?
}

public enum ComplianceLevel: String, Codable, Sendable, CaseIterable {
    case country, region, municipality
}

/// Deadline compliance of a territory. The country is summed by region, a region by
/// municipality with its schools paged, a municipality lists its schools.
public struct ComplianceReport: Codable, Sendable, Hashable {
    public var campaignCode: String
    public var campaignName: String
    public var level: ComplianceLevel
    /// The territory's name, and its code (nil for the country).
    public var scope: String
    public var scopeCode: String?
    public var asOf: CalendarDate?
    public var generatedAt: Date
    /// The zone the report's moment is told in: its region's, or Moscow's for the country.
    public var timeZone: String = ComplianceReport.countryTimeZone
    public var totals: TerritoryCompliance
    /// Regions of the country, or municipalities of a region; empty for a municipality.
    public var parts: [TerritoryCompliance]
    /// One page of the territory's schools (none for the country).
    public var schools: Page<SchoolCompliance>?
    /// Curators of the territory's schools with what waits for them (none for the country).
    public var curators: [CuratorLoad]
    /// A municipality's report today: its own roadmap next to its schools (nil for other levels and dates).
    public var municipalRoadmap: MunicipalRoadmapStatus? = nil
    /// A region's report today: the region's own roadmap (the regional complex of measures) above its municipalities.
    public var regionalRoadmap: MunicipalRoadmapStatus? = nil

    /// Federal reports are read in Moscow time, as the ministry's deadlines are set.
    public static let countryTimeZone = "Europe/Moscow"
}

/// A territory's own roadmap as its compliance report shows it (a municipality's, or the region's: the
/// type keeps its first name for the API). As for schools, a measure counts from the moment it exists,
/// whatever the roadmap's review state.
public struct MunicipalRoadmapStatus: Codable, Sendable, Hashable {
    public struct LateMeasure: Codable, Sendable, Hashable {
        public var measureID: Int64
        public var title: String
        public var dueDate: CalendarDate
        public var daysOverdue: Int
        public var reportState: ReviewState?
    }

    /// Nil when the municipality has not started its roadmap in the campaign.
    public var roadmapID: Int64?
    public var state: ReviewState?
    public var stateName: String?
    public var measures: MeasureTotals
    /// The overdue measures, longest overdue first: at most `listed`.
    public var overdue: [LateMeasure]

    public static let listed = 50

    /// «мероприятий 12, подтверждено отчётов 3, просрочено 2»
    public var measuresSummary: String { measures.summary }
}

/// What judging one school yields.
public struct SchoolJudgement: Sendable {
    public var cells: [MilestoneCell]
    public var measures: MeasureTotals
    /// When each item waiting for review at the moment judged was (last) submitted.
    public var waitingSince: [Date]

    public var lagging: Bool {
        measures.overdue > 0 || cells.contains { [.missing, .late, .returned].contains($0.status) }
    }
}

/// Judges schools' progress against a campaign's milestones, as of the end of a date in each
/// school's own zone or as of now. Deadlines and cutoffs are worked out once per region.
public struct ComplianceJudge: Sendable {
    public let milestones: [Milestone]
    /// Milestone id → region id → the region's own due date.
    public let overrides: [Int64: [Int64: CalendarDate]]
    public let asOf: CalendarDate?
    public let now: Date

    public init(milestones: [Milestone], overrides: [Int64: [Int64: CalendarDate]], asOf: CalendarDate?, now: Date) {
        self.milestones = milestones
        self.overrides = overrides
        self.asOf = asOf
        self.now = now
    }

    /// One region's view of time: its cutoff, its milestone deadlines, and deadlines of measures met so far.
    public final class RegionClock {
        let calendar: RegionCalendar
        let cutoff: Date
        let dueDates: [CalendarDate]
        let deadlines: [Date]
        /// Measure deadlines by day number from `firstDay`: a country report asks for 2.4 million of
        /// them, and a dictionary keyed by date was a tenth of its time.
        private var measureDeadlines: [Date?] = []
        private var firstDay = 0
        private var otherDeadlines: [Int: Date] = [:]

        init(calendar: RegionCalendar, cutoff: Date, dueDates: [CalendarDate]) {
            self.calendar = calendar
            self.cutoff = cutoff
            self.dueDates = dueDates
            deadlines = dueDates.map { calendar.endOfDay($0) }
        }

        func deadline(_ due: CalendarDate) -> Date { deadline(day: due.dayNumber) }

        /// The deadline of a due date given as a day number (see `MeasureProgress.dueDay`).
        func deadline(day: Int) -> Date {
            if measureDeadlines.isEmpty {
                // Three years either side of the first date asked hold a programme's measures (the
                // rest fall back to the dictionary); a wider window cost every region of a country
                // report a large array for nothing.
                firstDay = day - 1_096
                measureDeadlines = Array(repeating: nil, count: 2_192)
            }
            let index = day - firstDay
            guard measureDeadlines.indices.contains(index) else {
                if let known = otherDeadlines[day] { return known }
                let deadline = calendar.endOfDay(CalendarDate(dayNumber: day))
                otherDeadlines[day] = deadline
                return deadline
            }
            if let known = measureDeadlines[index] { return known }
            let deadline = calendar.endOfDay(CalendarDate(dayNumber: day))
            measureDeadlines[index] = deadline
            return deadline
        }

        /// Today in the region, for counting days left.
        public var today: CalendarDate { calendar.date(of: cutoff.addingTimeInterval(-0.001)) }
    }

    public func clock(regionID: Int64, calendar: RegionCalendar) -> RegionClock {
        // The first instant not counted: the end of the as-of day in the region's zone, or just
        // after now (instants are stored to the millisecond) so that what happened this moment counts.
        let cutoff = asOf.map { calendar.endOfDay($0) } ?? now.addingTimeInterval(0.001)
        return RegionClock(calendar: calendar, cutoff: cutoff,
                           dueDates: milestones.map { overrides[$0.id]?[regionID] ?? $0.dueDate })
    }

    public func judge(_ progress: SchoolProgress, clock: RegionClock) -> SchoolJudgement {
        let cutoff = clock.cutoff
        // Items are kept in id order, so a measure finds its report by binary search.
        var snapshots: [ItemSnapshot?] = []
        snapshots.reserveCapacity(progress.items.count)
        var waiting: [Date] = []
        for item in progress.items {
            guard item.createdAt < cutoff else { snapshots.append(nil); continue }
            let snapshot = item.snapshot(before: cutoff)
            if snapshot.state == .submitted, let since = snapshot.lastSubmittedAt { waiting.append(since) }
            snapshots.append(snapshot)
        }
        var cells: [MilestoneCell] = []
        cells.reserveCapacity(milestones.count)
        for (index, milestone) in milestones.enumerated() {
            var verdict = MilestoneVerdict(deadline: clock.deadlines[index], asOf: cutoff)
            var found: [(id: Int64, state: ReviewState)] = []
            for (position, item) in progress.items.enumerated() where item.kind == milestone.kind {
                if let snapshot = snapshots[position] {
                    verdict.add(snapshot)
                    found.append((item.id, snapshot.state))
                }
            }
            let expected = milestone.kind == .antiriskProgramme ? max(progress.chosenRiskCount, 1) : 1
            let status = verdict.status(expectedCount: expected)
            var cell = MilestoneCell(kind: milestone.kind, title: milestone.title, dueDate: clock.dueDates[index], status: status,
                                     statusName: status.russianName, firstSubmittedAt: verdict.firstSubmittedAt)
            if found.count == 1 { (cell.itemID, cell.state) = (found[0].id, found[0].state) }
            cells.append(cell)
        }
        var totals = MeasureTotals()
        // A school has one roadmap a campaign: its measures are commitments from its submissions.
        let submissions = progress.items.first { $0.kind == .roadmap }?.changes.filter { $0.action == .submit }.map(\.at) ?? []
        for measure in progress.measures where measure.createdAt < cutoff {
            let deadline = clock.deadline(day: measure.dueDay)
            let report = measure.reportItemID.flatMap { id in Self.position(of: id, in: progress.items).flatMap { snapshots[$0] } }
            let confirmed = report?.everConfirmed == true
            totals.total += 1
            if confirmed { totals.confirmed += 1 }
            let committed = MeasureRules.committedAt(createdAt: measure.createdAt, submissions: submissions)
            if MeasureRules.isOverdue(deadline: deadline, everConfirmed: confirmed, committedAt: committed, at: cutoff) { totals.overdue += 1 }
            if let submitted = report?.firstSubmittedAt, submitted >= deadline { totals.reportedLate += 1 }
        }
        return SchoolJudgement(cells: cells, measures: totals, waitingSince: waiting)
    }

    private static func position(of id: Int64, in items: [ItemProgress]) -> Int? {
        var low = 0, high = items.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if items[middle].id == id { return middle }
            if items[middle].id < id { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }
}
