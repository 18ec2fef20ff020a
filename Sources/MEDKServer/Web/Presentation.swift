import Foundation
import MEDKCore

/// Small formatting rules shared by the pages. Times are always shown in the owner's
/// region zone with the zone named; states always as words, colour only in addition.
enum Presentation {
    /// The long words of milestone names with their syllable breaks (soft hyphens), so that a
    /// region's table of seven milestones fits 1280 px: browsers on Linux have no Russian
    /// hyphenation of their own, and breaking anywhere would cut words in the middle of a syllable.
    static let syllables: [String: String] = [
        "Среднесрочная": "Сред-не-сроч-ная", "среднесрочная": "сред-не-сроч-ная",
        "Промежуточный": "Про-ме-жу-точ-ный", "промежуточный": "про-ме-жу-точ-ный",
        "антирисковых": "ан-ти-рис-ко-вых", "Антирисковые": "Ан-ти-рис-ко-вые", "антирисковые": "ан-ти-рис-ко-вые",
        "Программы": "Про-грам-мы", "программа": "про-грам-ма", "программы": "про-грам-мы",
        "рискового": "рис-ко-во-го", "Рисковый": "Рис-ко-вый", "Концепция": "Кон-цеп-ция", "развития": "раз-ви-тия",
        "мониторинг": "мо-ни-то-ринг", "Мероприятия": "Ме-ро-при-я-тия", "проверки": "про-вер-ки",
        "отставанием": "от-ста-ва-ни-ем", "Территория": "Тер-ри-то-рия", "Итоговый": "Ито-го-вый",
    ]

    /// `text` with soft hyphens in the words `syllables` knows.
    static func hyphenated(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false).map { word in
            syllables[String(word)].map { $0.replacingOccurrences(of: "-", with: "\u{00AD}") } ?? String(word)
        }.joined(separator: " ")
    }

    /// «20.04.2026 10:00», for pages that name the zone once.
    static func wallTime(_ instant: Date?, zone: String) -> String? {
        guard let instant, let calendar = try? RegionCalendar.cached(zone) else { return nil }
        return calendar.wallTime(instant)
    }

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
    static func size(_ bytes: Int64) -> String { ByteSize.russian(bytes) }

    /// «3 дня», «1 день», «11 дней»
    static func days(_ count: Int) -> String { RussianPlural.count(count, "день", "дня", "дней") }

    static func hours(_ count: Int) -> String {
        if count >= 48 { return days(count / 24) }
        return RussianPlural.count(count, "час", "часа", "часов")
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

/// Page links under a list read page by page: the next page starts after the cursor the core
/// returned; `from` only numbers the rows for people («Показаны 51–100 из 1 234»).
struct Pagination: Sendable {
    var total: Int
    var firstHref: String?
    var nextHref: String?
    var summary: String

    static let size = 50

    /// The page the request asks for: its `cursor`, at most `size` rows.
    static func request(_ request: WebRequest, size: Int = Pagination.size) throws -> PageRequest {
        PageRequest(limit: size, after: try request.query("cursor").map { text throws(MEDKError) in try PageCursor(parsing: text) })
    }

    /// «1 234», or «более чем 10 000» when counting stopped at the limit.
    static func totalText<T>(_ page: Page<T>) -> String {
        page.totalIsLowerBound ? "более чем \(page.total)" : String(page.total)
    }

    /// Links around a page, keeping the other query parameters.
    static func of<T>(_ page: Page<T>, request: WebRequest) -> Pagination {
        let from = max(0, Int(request.query("from") ?? "") ?? 0)
        func href(cursor: PageCursor?, from: Int) -> String {
            var components = URLComponents()
            components.path = request.path
            var items = request.request.uri.queryParameters.map { (String($0.key), String($0.value)) }
                .filter { $0.0 != "cursor" && $0.0 != "from" }.map { URLQueryItem(name: $0.0, value: $0.1) }
            if let cursor {
                items.append(URLQueryItem(name: "cursor", value: cursor.description))
                items.append(URLQueryItem(name: "from", value: String(from)))
            }
            components.queryItems = items.isEmpty ? nil : items
            return components.string ?? request.path
        }
        let total = totalText(page)
        let summary = page.items.isEmpty
            ? (page.total == 0 ? "Ничего не найдено." : "Больше строк нет (всего \(total)).")
            : "Показаны \(from + 1)–\(from + page.items.count) из \(total)."
        return Pagination(total: page.total, firstHref: request.query("cursor") == nil ? nil : href(cursor: nil, from: 0),
                          nextHref: page.nextCursor.map { href(cursor: $0, from: from + page.items.count) }, summary: summary)
    }
}
