import Foundation

/// What a territory's own roadmap (a municipality's or a region's) went through, for judging it as
/// it stood at a past instant: when it was created, its review steps, and each of its measures with
/// when it was added, became a commitment and had its report first confirmed. A compliance report
/// «as of a date» shows these roadmaps the way today's report does. (A measure deleted since is not
/// known any more, and is not counted.)
public struct RoadmapHistory: Sendable, Hashable {
    public struct MeasureFacts: Sendable, Hashable {
        public var id: Int64
        public var title: String
        public var dueDate: CalendarDate?
        public var createdAt: Date
        public var committedAt: Date?
        public var confirmedAt: Date?

        public init(id: Int64, title: String, dueDate: CalendarDate?, createdAt: Date, committedAt: Date?, confirmedAt: Date?) {
            self.id = id
            self.title = title
            self.dueDate = dueDate
            self.createdAt = createdAt
            self.committedAt = committedAt
            self.confirmedAt = confirmedAt
        }
    }

    public var roadmapID: Int64
    public var createdAt: Date
    public var steps: [StateChange]
    public var measures: [MeasureFacts]

    public init(roadmapID: Int64, createdAt: Date, steps: [StateChange], measures: [MeasureFacts]) {
        self.roadmapID = roadmapID
        self.createdAt = createdAt
        self.steps = steps
        self.measures = measures
    }

    /// The roadmap as it stood just before `cutoff` (the end of the as-of day in its owner's zone):
    /// nil when it did not exist yet.
    public func status(before cutoff: Date, calendar: RegionCalendar) -> MunicipalRoadmapStatus? {
        guard createdAt < cutoff else { return nil }
        let state = ItemProgress(id: roadmapID, kind: .roadmap, createdAt: createdAt, changes: steps).snapshot(before: cutoff).state
        let today = calendar.date(of: cutoff.addingTimeInterval(-0.001))
        var totals = MeasureTotals()
        var late: [(MeasureFacts, CalendarDate)] = []
        for measure in measures where measure.createdAt < cutoff {
            totals.total += 1
            let confirmed = measure.confirmedAt.map { $0 < cutoff } ?? false
            if confirmed { totals.confirmed += 1 }
            guard let due = measure.dueDate, MeasureRules.isOverdue(deadline: calendar.endOfDay(due), everConfirmed: confirmed,
                                                                   committedAt: measure.committedAt, at: cutoff) else { continue }
            totals.overdue += 1
            late.append((measure, due))
        }
        late.sort { ($0.1, $0.0.id) < ($1.1, $1.0.id) }
        return MunicipalRoadmapStatus(
            roadmapID: roadmapID, state: state, stateName: state.russianName, measures: totals,
            overdue: late.prefix(MunicipalRoadmapStatus.listed).map { measure, due in
                MunicipalRoadmapStatus.LateMeasure(measureID: measure.id, title: measure.title, dueDate: due,
                                                   daysOverdue: due.days(to: today), reportState: nil)
            })
    }
}
