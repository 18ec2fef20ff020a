import Foundation
import MEDKCore

/// Small formatting rules shared by the pages. Times are always shown in the owner's
/// region zone with the zone named; states always as words, colour only in addition.
enum Presentation {
    static func time(_ instant: Date?, zone: String) -> String? {
        guard let instant else { return nil }
        guard let calendar = try? RegionCalendar(timeZoneIdentifier: zone) else { return nil }
        return calendar.formatWithOffset(instant)
    }

    /// A CSS class per review state; the state's name is always printed next to it.
    static func stateClass(_ state: ReviewState) -> String {
        switch state {
        case .draft: "state-draft"
        case .submitted: "state-submitted"
        case .confirmed: "state-confirmed"
        case .returned: "state-returned"
        }
    }

    static func statusClass(_ status: MilestoneStatus) -> String {
        switch status {
        case .onTime: "status-ok"
        case .late: "status-late"
        case .missing: "status-missing"
        case .awaitingReview: "status-waiting"
        case .returned: "status-returned"
        case .notDue: "status-notdue"
        }
    }

    /// «1,2 МБ»
    static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) Б" }
        if bytes < 1 << 20 { return String(format: "%.0f КБ", Double(bytes) / 1024) }
        return String(format: "%.1f МБ", Double(bytes) / Double(1 << 20)).replacingOccurrences(of: ".", with: ",")
    }

    /// «3 дня», «1 день», «11 дней»
    static func days(_ count: Int) -> String {
        let n = abs(count) % 100, last = n % 10
        let word = (11...14).contains(n) ? "дней" : last == 1 ? "день" : (2...4).contains(last) ? "дня" : "дней"
        return "\(count) \(word)"
    }

    static func hours(_ count: Int) -> String {
        if count >= 48 { return days(count / 24) }
        let n = count % 100, last = n % 10
        let word = (11...14).contains(n) ? "часов" : last == 1 ? "час" : (2...4).contains(last) ? "часа" : "часов"
        return "\(count) \(word)"
    }

    /// How far a due date is from today, in words.
    static func dueIn(_ due: CalendarDate, today: CalendarDate) -> String {
        let difference = daysBetween(today, due)
        if difference > 0 { return "осталось \(days(difference))" }
        if difference == 0 { return "срок сегодня" }
        return "срок прошёл \(days(-difference)) назад"
    }

    static func daysBetween(_ from: CalendarDate, _ to: CalendarDate) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let a = calendar.date(from: DateComponents(year: from.year, month: from.month, day: from.day))!
        let b = calendar.date(from: DateComponents(year: to.year, month: to.month, day: to.day))!
        return calendar.dateComponents([.day], from: a, to: b).day ?? 0
    }

    static func previewKind(_ mediaType: String) -> String? {
        switch mediaType {
        case "application/pdf": "pdf"
        case "image/png", "image/jpeg": "image"
        default: nil
        }
    }
}

/// One option of a `<select>`.
struct SelectOption: Sendable {
    var value: String
    var label: String
    var selected: Bool
}

/// Page links under a list. Lists are cut into pages of `size` rows.
struct Pagination: Sendable {
    var page: Int
    var pageCount: Int
    var total: Int
    var previousHref: String?
    var nextHref: String?
    var summary: String

    static let size = 50

    /// The rows of the requested page, and the links around it (keeping the other query parameters).
    static func slice<T>(_ rows: [T], request: WebRequest, size: Int = Pagination.size) -> ([T], Pagination) {
        let pageCount = max(1, (rows.count + size - 1) / size)
        let page = min(max(1, Int(request.query("page") ?? "") ?? 1), pageCount)
        let start = (page - 1) * size
        let slice = Array(rows[min(start, rows.count)..<min(start + size, rows.count)])
        func href(_ target: Int) -> String {
            var components = URLComponents()
            components.path = request.path
            var items = (request.request.uri.queryParameters.map { (String($0.key), String($0.value)) })
                .filter { $0.0 != "page" }.map { URLQueryItem(name: $0.0, value: $0.1) }
            items.append(URLQueryItem(name: "page", value: String(target)))
            components.queryItems = items
            return components.string ?? request.path
        }
        let summary = rows.isEmpty ? "Ничего не найдено."
            : "Показаны \(start + 1)–\(start + slice.count) из \(rows.count)" + (pageCount > 1 ? ", страница \(page) из \(pageCount)." : ".")
        return (slice, Pagination(page: page, pageCount: pageCount, total: rows.count,
                                  previousHref: page > 1 ? href(page - 1) : nil,
                                  nextHref: page < pageCount ? href(page + 1) : nil, summary: summary))
    }
}
