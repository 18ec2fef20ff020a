import Foundation

/// WHERE conditions and their arguments, built up in order.
struct SQLConditions {
    private(set) var parts: [String] = []
    private(set) var arguments = SQLArguments()

    mutating func append(_ sql: String, _ values: (any SQLBindable)?...) {
        parts.append(sql)
        arguments += SQLArguments(values)
    }

    mutating func append(_ condition: (sql: String, arguments: SQLArguments)) {
        parts.append(condition.sql)
        arguments += condition.arguments
    }

    /// Rows whose columns contain `text`, ignoring case in any alphabet (SQLite's own LIKE folds
    /// ASCII only, and people search «школа» for «Школа»).
    mutating func search(_ text: String?, in columns: [String]) {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return }
        let pattern = "%" + SearchFolding.fold(text).replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        parts.append("(" + columns.map { "\(SearchFolding.functionName)(\($0)) LIKE ? ESCAPE '\\'" }.joined(separator: " OR ") + ")")
        arguments += SQLArguments(Array(repeating: pattern, count: columns.count))
    }

    var sql: String { parts.isEmpty ? "TRUE" : parts.joined(separator: " AND ") }
}

enum SQLList {
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}

/// The case folding behind searches: an SQL function `medk_fold` on both databases (registered on
/// every SQLite connection, created by the PostgreSQL schema).
enum SearchFolding {
    static let functionName = "medk_fold"

    static func fold(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "ё", with: "е")
    }

}

/// One key a list is ordered by; every key of one list runs the same way, so that the page
/// boundary is a single row-value comparison SQLite answers from an index.
struct SortKey {
    enum Kind { case integer, text }
    var expression: String
    var kind: Kind
    var descending = false

    static func integer(_ expression: String, descending: Bool = false) -> SortKey {
        SortKey(expression: expression, kind: .integer, descending: descending)
    }

    static func text(_ expression: String, descending: Bool = false) -> SortKey {
        SortKey(expression: expression, kind: .text, descending: descending)
    }
}

/// Keyset paging: the rows after the cursor in the list's order, one more than asked to know
/// whether a next page exists, and the total from a separate count.
enum KeysetPage {
    /// - Parameters:
    ///   - total: the list's length when known without counting (an append-only log's last number).
    ///   - id: the listed table's key (`i.id`): the page is then chosen on `countFrom` alone, from its
    ///     indexes, and only the page's rows are read with their joins (a deferred join; sorting a
    ///     curator's 600 items with all their names to keep 50 was most of a request's time).
    static func fetch<T>(_ session: any SQLSession, select: String, from: String, countFrom: String? = nil, total known: Int? = nil,
                         id: String? = nil, _ conditions: SQLConditions, order: [SortKey], page: PageRequest,
                         decode: (SQLRow) throws -> T) throws -> Page<T> {
        precondition(!order.isEmpty && Set(order.map(\.descending)).count == 1, "one direction per list")
        let limit = Page<T>.countLimit
        let counting = known == nil && page.countsTotal
        let counted = try known ?? (!counting ? 0 : session.value(Int.self, """
            SELECT count(*) FROM (SELECT 1 FROM \(countFrom ?? from) WHERE \(conditions.sql) LIMIT \(limit + 1)) AS counted
            """, conditions.arguments) ?? 0)
        let total = known ?? min(counted, limit)
        let capped = known == nil && (!counting || counted > limit)
        var paged = conditions
        if let cursor = page.after {
            let parts = try cursor.parts(order.count)
            var values: [any SQLBindable] = []
            for (index, key) in order.enumerated() {
                switch key.kind {
                case .integer:
                    guard let number = Int64(parts[index]) else { throw PageCursor.invalid }
                    values.append(number)
                case .text:
                    values.append(parts[index])
                }
            }
            let keys = order.map(\.expression).joined(separator: ", ")
            let comparison = order[0].descending ? "<" : ">"
            paged.append((sql: "(\(keys)) \(comparison) (\(SQLList.placeholders(order.count)))", arguments: SQLArguments(values)))
        }
        let direction = order[0].descending ? " DESC" : ""
        let orderBy = order.map { $0.expression + direction }.joined(separator: ", ")
        let keyColumns = order.map(\.expression).joined(separator: ", ")
        let sql: String
        let arguments: SQLArguments
        if let id, let countFrom {
            let ids = try session.values(Int64.self, """
                SELECT \(id) FROM \(countFrom) WHERE \(paged.sql) ORDER BY \(orderBy) LIMIT \(page.limit + 1)
                """, paged.arguments)
            guard !ids.isEmpty else { return Page(items: [], total: total, totalIsLowerBound: capped, nextCursor: nil) }
            sql = """
                SELECT \(select), \(keyColumns) FROM \(from) WHERE \(id) IN (\(SQLList.placeholders(ids.count))) ORDER BY \(orderBy)
                """
            arguments = SQLArguments(ids)
        } else {
            sql = """
                SELECT \(select), \(keyColumns) FROM \(from) WHERE \(paged.sql) ORDER BY \(orderBy) LIMIT \(page.limit + 1)
                """
            arguments = paged.arguments
        }
        // Rows are decoded where the cursor stands: copying every row with its column names first
        // was a tenth of a page of 100 overdue measures.
        var items: [T] = []
        items.reserveCapacity(page.limit)
        var lastShownKey: [String] = []
        var next: PageCursor?
        try session.forEach(sql, arguments) { row in
            guard items.count < page.limit else {
                next = PageCursor(key: lastShownKey)
                return false
            }
            items.append(try decode(row))
            if items.count == page.limit {
                lastShownKey = (row.count - order.count..<row.count).map { index in
                    switch row.value(index) {
                    case .text(let text): text
                    case .integer(let number): String(number)
                    default: ""
                    }
                }
            }
            return true
        }
        return Page(items: items, total: total, totalIsLowerBound: capped, nextCursor: next)
    }
}

/// The policy's reach, as a condition on a table that carries an item's territory.
struct ReachFilter {
    /// Column names of the filtered table (items or measures).
    var campaign: String
    var school: String
    var municipality: String
    var region: String
    /// Nil for tables without a submitter (measures).
    var submittedBy: String?

    static let items = ReachFilter(campaign: "i.campaign_id", school: "i.school_id", municipality: "i.municipality_id",
                                   region: "i.region_id", submittedBy: "i.submitted_by")
    static let measures = ReachFilter(campaign: "m.campaign_id", school: "m.school_id", municipality: "m.municipality_id",
                                      region: "m.region_id", submittedBy: nil)

    func condition(_ visibility: ItemVisibility) -> (sql: String, arguments: SQLArguments) {
        guard !visibility.isNothing else { return ("FALSE", []) }
        var terms: [String] = []
        var arguments = SQLArguments()
        func term(_ sql: String, _ values: [any SQLBindable]) {
            terms.append(sql)
            arguments += SQLArguments(values)
        }
        var regions: [Int64] = [], municipalities: [Int64] = [], schools: [Int64] = []
        var municipalOf: [Int64] = [], municipalIn: [Int64] = [], regionalOf: [Int64] = []
        var curated: [Int64: [Int64]] = [:]
        for reach in visibility.reaches {
            switch reach {
            case .everything: term("TRUE", [])
            case .region(let id): regions.append(id)
            case .municipality(let id): municipalities.append(id)
            case .school(let id): schools.append(id)
            case .municipalItemsOf(let id): municipalOf.append(id)
            case .municipalItemsIn(let id): municipalIn.append(id)
            case .curated(let pair): curated[pair.campaignID, default: []].append(pair.schoolID)
            case .regionalItemsOf(let id): regionalOf.append(id)
            case .regionalItems: term("(\(school) IS NULL AND \(municipality) IS NULL)", [])
            }
        }
        if !regions.isEmpty { term("\(region) IN (\(SQLList.placeholders(regions.count)))", regions) }
        if !municipalities.isEmpty { term("\(municipality) IN (\(SQLList.placeholders(municipalities.count)))", municipalities) }
        if !schools.isEmpty { term("\(school) IN (\(SQLList.placeholders(schools.count)))", schools) }
        if !municipalOf.isEmpty {
            term("(\(school) IS NULL AND \(municipality) IN (\(SQLList.placeholders(municipalOf.count))))", municipalOf)
        }
        if !municipalIn.isEmpty {
            term("(\(school) IS NULL AND \(municipality) IS NOT NULL AND \(region) IN (\(SQLList.placeholders(municipalIn.count))))",
                 municipalIn)
        }
        if !regionalOf.isEmpty {
            term("(\(school) IS NULL AND \(municipality) IS NULL AND \(region) IN (\(SQLList.placeholders(regionalOf.count))))", regionalOf)
        }
        for (campaignID, schoolIDs) in curated.sorted(by: { $0.key < $1.key }) {
            term("(\(school) IN (\(SQLList.placeholders(schoolIDs.count))) AND \(campaign) = ?)", schoolIDs.sorted() + [campaignID])
        }
        var sql = terms.count == 1 ? terms[0] : "(" + terms.joined(separator: " OR ") + ")"
        if let excluded = visibility.excludingSubmittedBy, let submittedBy {
            sql += " AND (\(submittedBy) IS NULL OR \(submittedBy) <> ?)"
            arguments += [excluded]
        }
        return (sql, arguments)
    }

    /// A monitoring territory as a condition on the same columns.
    func condition(_ territory: MonitoringScope) -> (sql: String, arguments: SQLArguments) {
        switch territory {
        case .country: ("TRUE", [])
        case .region(let id): ("\(region) = ?", [id])
        // The region too, so that indexes led by the region serve a municipality's lists.
        case .municipality(let regionID, let id): ("\(region) = ? AND \(municipality) = ?", [regionID, id])
        }
    }
}
