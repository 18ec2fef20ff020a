import Foundation

/// Everything a school's deadline compliance is judged from in one campaign: when each of its
/// items was created and moved through review, and each roadmap measure's due date and report.
/// The storage keeps one such value per school beside the rows it summarises, updated in the
/// same transaction, so that a territory's report reads one row per school and "as of a date"
/// costs what "now" costs instead of replaying the audit trail.
///
/// Instants are kept to the second: every boundary they are compared with (a deadline, the end
/// of an as-of day) falls on a whole second, so no comparison changes.
public struct SchoolProgress: Sendable, Hashable {
    public var items: [ItemProgress]
    public var measures: [MeasureProgress]
    /// Risk factors the school chose: one anti-risk programme is due per chosen factor.
    public var chosenRiskCount: Int

    public init(items: [ItemProgress] = [], measures: [MeasureProgress] = [], chosenRiskCount: Int = 0) {
        self.items = items
        self.measures = measures
        self.chosenRiskCount = chosenRiskCount
    }

    public static let empty = SchoolProgress()

    /// An instant as the progress keeps it.
    public static func kept(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    // MARK: Changes, applied by the storage as the corresponding rows are written.

    public mutating func itemCreated(_ id: Int64, kind: ItemKind, at: Date) {
        guard !items.contains(where: { $0.id == id }) else { return }
        items.append(ItemProgress(id: id, kind: kind, createdAt: Self.kept(at), changes: []))
    }

    /// A step through review; edits are not state changes and are ignored.
    public mutating func itemChanged(_ id: Int64, _ action: ReviewAction, at: Date) {
        guard action.resultingState != nil, let index = items.firstIndex(where: { $0.id == id }) else { return }
        items[index].changes.append(StateChange(at: Self.kept(at), action: action))
    }

    public mutating func measureAdded(_ id: Int64, dueDate: CalendarDate, at: Date) {
        guard !measures.contains(where: { $0.id == id }) else { return }
        // Kept in id order, as rebuilding reads them (a measure dated late may be older than the last one).
        let index = measures.lastIndex { $0.id < id }.map { $0 + 1 } ?? 0
        measures.insert(MeasureProgress(id: id, dueDate: dueDate, createdAt: Self.kept(at), reportItemID: nil), at: index)
    }

    /// A measure's due date changed. Only dated measures are followed: one imported without a date
    /// enters when it gets one, counted (like every measure) from when it was created.
    public mutating func measureRescheduled(_ id: Int64, dueDate: CalendarDate?, createdAt: Date) {
        guard let index = measures.firstIndex(where: { $0.id == id }) else {
            if let dueDate { measureAdded(id, dueDate: dueDate, at: createdAt) }
            return
        }
        if let dueDate { measures[index].dueDate = dueDate } else { measures.remove(at: index) }
    }

    public mutating func measureRemoved(_ id: Int64) {
        measures.removeAll { $0.id == id }
    }

    public mutating func measureReported(_ id: Int64, reportItemID: Int64) {
        guard let index = measures.firstIndex(where: { $0.id == id }) else { return }
        measures[index].reportItemID = reportItemID
    }
}

/// One item of a school: its kind, creation and every review step, in order.
public struct ItemProgress: Sendable, Hashable {
    public var id: Int64
    public var kind: ItemKind
    public var createdAt: Date
    public var changes: [StateChange]

    public init(id: Int64, kind: ItemKind, createdAt: Date, changes: [StateChange]) {
        self.id = id
        self.kind = kind
        self.createdAt = createdAt
        self.changes = changes
    }

    /// How the item stood just before `cutoff`.
    public func snapshot(before cutoff: Date) -> ItemSnapshot {
        var snapshot = ItemSnapshot(state: .draft, firstSubmittedAt: nil, lastSubmittedAt: nil, everConfirmed: false)
        for change in changes where change.at < cutoff {
            snapshot.apply(change)
        }
        return snapshot
    }
}

/// One review step of an item.
public struct StateChange: Sendable, Hashable {
    public var at: Date
    public var action: ReviewAction

    public init(at: Date, action: ReviewAction) {
        self.at = at
        self.action = action
    }
}

/// One roadmap measure: when it is due, when it was added, and the item reporting on it.
public struct MeasureProgress: Sendable, Hashable {
    public var id: Int64
    /// The due date as a day number (days from 1970-01-01): the stored form writes it and the
    /// judge looks deadlines up by it, so a country report (2.4 million measures) never turns it
    /// into a year, month and day and back.
    public var dueDay: Int
    public var createdAt: Date
    public var reportItemID: Int64?

    public var dueDate: CalendarDate {
        get { CalendarDate(dayNumber: dueDay) }
        set { dueDay = newValue.dayNumber }
    }

    public init(id: Int64, dueDate: CalendarDate, createdAt: Date, reportItemID: Int64?) {
        self.init(id: id, dueDay: dueDate.dayNumber, createdAt: createdAt, reportItemID: reportItemID)
    }

    public init(id: Int64, dueDay: Int, createdAt: Date, reportItemID: Int64?) {
        self.id = id
        self.dueDay = dueDay
        self.createdAt = createdAt
        self.reportItemID = reportItemID
    }
}
