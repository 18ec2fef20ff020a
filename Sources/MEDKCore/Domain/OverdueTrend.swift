import Foundation

/// How many measures were overdue on one day.
public struct OverduePoint: Codable, Sendable, Hashable {
    public var date: CalendarDate
    public var overdue: Int
}

/// The trend of overdue measures, derived from the measures themselves: nothing is recorded
/// day by day. A measure was overdue on the morning of day D if its due date was before D and its
/// report was not yet confirmed then: either it is still open, or it was confirmed after D began.
public enum OverdueTrend {
    /// Points for today and each of the `weeks` weeks before it, oldest first.
    /// - Parameters:
    ///   - openByDueDate: measures still open now, counted by due date (due before today);
    ///   - confirmedLately: measures confirmed since the morning of the oldest point, with their due dates.
    public static func points(today: CalendarDate, weeks: Int, openByDueDate: [CalendarDate: Int],
                              confirmedLately: [(dueDate: CalendarDate, confirmedAt: Date)],
                              startOfDay: (CalendarDate) -> Date) -> [OverduePoint] {
        (0...weeks).reversed().map { back in
            let day = today.adding(days: -7 * back)
            let morning = startOfDay(day)
            let open = openByDueDate.reduce(0) { $0 + ($1.key < day ? $1.value : 0) }
            let confirmedAfter = confirmedLately.reduce(0) { $0 + ($1.dueDate < day && $1.confirmedAt >= morning ? 1 : 0) }
            return OverduePoint(date: day, overdue: open + confirmedAfter)
        }
    }

    /// Points of several regions (each in its own zone) added up by week.
    public static func sum(_ series: [[OverduePoint]]) -> [OverduePoint] {
        guard var total = series.first else { return [] }
        for other in series.dropFirst() where other.count == total.count {
            for index in total.indices { total[index].overdue += other[index].overdue }
        }
        return total
    }
}
