import Foundation

/// How many measures were overdue on one day.
public struct OverduePoint: Codable, Sendable, Hashable {
    public var date: CalendarDate
    public var overdue: Int
}

/// One point of the trend: a day and the instant its morning began in the region's zone.
public struct TrendMorning: Sendable, Hashable {
    public var day: CalendarDate
    public var morning: Date
}

/// The trend of overdue measures, derived from the measures themselves: nothing is recorded
/// day by day. A measure was overdue on the morning of day D if it was a commitment by then (its
/// roadmap sent to review), its due date was before D and its report was not yet confirmed then:
/// either it is still open, or it was confirmed after D began.
public enum OverdueTrend {
    /// Today and each of the `weeks` weeks before it, oldest first.
    public static func mornings(today: CalendarDate, weeks: Int, startOfDay: (CalendarDate) -> Date) -> [TrendMorning] {
        (0...weeks).reversed().map { back in
            let day = today.adding(days: -7 * back)
            return TrendMorning(day: day, morning: startOfDay(day))
        }
    }

    /// - Parameters:
    ///   - openAt: for each morning, commitments still open now that were overdue then;
    ///   - confirmedAfter: for each morning, commitments overdue then and confirmed after it began.
    public static func points(_ mornings: [TrendMorning], openAt: [Int], confirmedAfter: [Int]) -> [OverduePoint] {
        mornings.enumerated().map { index, point in
            OverduePoint(date: point.day, overdue: (index < openAt.count ? openAt[index] : 0)
                + (index < confirmedAfter.count ? confirmedAfter[index] : 0))
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
