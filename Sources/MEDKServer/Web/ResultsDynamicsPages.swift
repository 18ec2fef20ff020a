import Foundation
import MEDKCore

/// «Динамика»: a territory's programme schools year by year (how many rose, fell, could not be told
/// apart) and who crossed the results cut; and one school's trajectory with its noise drawn.
enum ResultsDynamicsPages {
    struct Segment: Sendable {
        var x: Int
        var width: Int
        var css: String
        var label: String
    }

    struct YearRow: Sendable {
        var year: Int
        var programme: Int
        var improved: Int
        var declined: Int
        var unclear: Int
        var noData: Int
        var share: String
        var entered: Int
        var left: Int
        var barY: Int
        var textY: Int
        var segments: [Segment]
    }

    struct SchoolRow: Sendable {
        var href: String
        var name: String
        var code: String
        var municipality: String
        var indices: [String]
        var change: String
        var changeClass: String
    }

    struct Page: Sendable {
        var title: String
        var methodNote: String
        var years: [Int]
        var rows: [YearRow]
        var chartHeight: Int
        var schools: [SchoolRow]
        /// «Школы 1–100 из 412», with links to the pages around (a region's programme schools run to hundreds).
        var schoolsRange: String?
        var previousHref: String?
        var nextHref: String?
        var crossings: [String]
        var overviewHref: String
        var csvHref: String
        var xlsxHref: String
        var empty: Bool
    }

    static func register(_ web: WebRoutes) {
        web.get("/results/dynamics") { request in
            let report = try await territory(request)
            return await request.page("results_dynamics", title: "Динамика результатов: \(report.region.name)", page(report, request: request))
        }
        web.get("/results/dynamics.csv") { request in
            let report = try await territory(request)
            return Downloads.csv(CSV.write(ResultsDynamicsTable.table(report).textRows), name: ResultsDynamicsTable.fileStem(report) + ".csv")
        }
        web.get("/results/dynamics.xlsx") { request in
            let report = try await territory(request)
            return try Downloads.xlsx(ResultsDynamicsTable.table(report), name: ResultsDynamicsTable.fileStem(report) + ".xlsx")
        }
        web.get("/results/schools/{code}") { request in
            guard let code = request.context.parameters.get("code") else { throw MEDKError.notFound("Школа") }
            let trajectory = try await request.service.resultsDynamics.school(code: code, by: .user(try request.actor()))
            return await request.page("results_school", title: "Результаты: \(trajectory.schoolName)", TrajectoryPage(trajectory))
        }
    }

    static func territory(_ request: WebRequest) async throws -> TerritoryDynamics {
        let actor = try request.actor()
        let code = request.query("region").flatMap { $0.isEmpty ? nil : $0 }
        let regionCode = try await request.service.resultsOverviews.region(code: code, by: .user(actor)).region.code
        return try await request.service.resultsDynamics.territory(
            regionCode: regionCode, municipalityID: request.query("municipality").flatMap { Int64($0) }, by: .user(actor))
    }

    static func page(_ report: TerritoryDynamics, request: WebRequest) -> Page {
        let names = Dictionary(report.schools.map { ($0.schoolCode, $0.schoolName) }, uniquingKeysWith: { first, _ in first })
        let plotWidth = 520.0
        let rows = report.changes.enumerated().map { index, year -> YearRow in
            let total = max(1, year.programmeSchools)
            var x = 120.0
            var segments: [Segment] = []
            for (count, css, label) in [(year.improved, "dyn-up", "рост"), (year.unclear, "dyn-unclear", "не различить"),
                                        (year.declined, "dyn-down", "снижение"), (year.noData, "dyn-none", "нет данных")] where count > 0 {
                let width = plotWidth * Double(count) / Double(total)
                segments.append(Segment(x: Int(x.rounded()), width: max(1, Int(width.rounded())), css: css, label: "\(label): \(count)"))
                x += width
            }
            return YearRow(year: year.year, programme: year.programmeSchools, improved: year.improved, declined: year.declined,
                           unclear: year.unclear, noData: year.noData,
                           share: year.improvedShare.map { "\(Int(($0 * 100).rounded())) %" } ?? "—",
                           entered: year.enteredLow.count, left: year.leftLow.count, barY: 8 + index * 34, textY: 8 + index * 34 + 16,
                           segments: segments)
        }
        func named(_ title: String, _ codes: [String]) -> String? {
            guard !codes.isEmpty else { return nil }
            let shown: [String] = codes.prefix(20).map { code in names[code] ?? code }
            let more = codes.count > 20 ? " и ещё \(codes.count - 20)" : ""
            return "\(title): \(shown.joined(separator: ", "))\(more)."
        }
        var crossings: [String] = []
        if let year = report.changes.last {
            crossings = [named("Вошли в зону низких результатов в \(year.year)", year.enteredLow), named("Вышли из неё", year.leftLow)].compactMap { $0 }
        }
        var query = "region=\(report.region.code)"
        if let municipality = report.municipalityID { query += "&municipality=\(municipality)" }
        let programme = programmeRows(report)
        let from = min(max(0, Int(request.query("from") ?? "") ?? 0), max(0, programme.count - 1))
        let shown = from..<min(programme.count, from + pageSize)
        return Page(
            title: "Динамика результатов: \(report.region.name)" + (report.municipalityName.map { " · \($0)" } ?? ""),
            methodNote: (report.methodVersion.map { "По методике версии \($0) — той, по которой утверждён последний список региона." }
                ?? "По методике seed 000 (список региона ещё не утверждён).")
                + " ШНОР — школы с этим статусом сейчас. «Не различить» — изменение индекса меньше двух его случайных колебаний при таком числе участников.",
            years: report.years,
            rows: rows, chartHeight: 8 + rows.count * 34 + 6,
            schools: Array(programme[shown]),
            schoolsRange: programme.count > pageSize ? "Школы \(shown.lowerBound + 1)–\(shown.upperBound) из \(programme.count)" : nil,
            previousHref: from > 0 ? "/results/dynamics?\(query)&from=\(max(0, from - pageSize))#schools-heading" : nil,
            nextHref: shown.upperBound < programme.count ? "/results/dynamics?\(query)&from=\(shown.upperBound)#schools-heading" : nil,
            crossings: crossings, overviewHref: "/results?region=\(report.region.code)",
            csvHref: "/results/dynamics.csv?\(query)", xlsxHref: "/results/dynamics.xlsx?\(query)", empty: report.changes.isEmpty)
    }

    /// Programme schools a page: a region's hundreds of rows would be most of the page's time.
    static let pageSize = 100

    /// The programme schools, by municipality and name.
    static func programmeRows(_ report: TerritoryDynamics) -> [SchoolRow] {
        let programme = report.schools.filter(\.programme).sorted { ($0.municipalityName, $0.schoolName) < ($1.municipalityName, $1.schoolName) }
        return programme.map { school in
            let code = school.schoolCode.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? school.schoolCode
            let indices: [String] = school.indices.map { value in value.map(ExportTable.hundredthsText) ?? "—" }
            return SchoolRow(href: "/results/schools/\(code)", name: school.schoolName, code: school.schoolCode, municipality: school.municipalityName,
                             indices: indices, change: school.change.russianName, changeClass: "dyn-cell-\(school.change.rawValue)")
        }
    }
}

/// One school's index over the years: a line with each year's noise as a bar and the cut drawn,
/// and the same numbers in a table.
struct TrajectoryPage: Sendable {
    struct Point: Sendable {
        var x: String
        var y: String
        var low: String
        var high: String
        var css: String
        var hollow: Bool
        var label: String
    }

    struct Mark: Sendable {
        var x1: String
        var x2: String
        var y: String
    }

    struct Tick: Sendable {
        var position: String
        var label: String
    }

    struct Row: Sendable {
        var year: Int
        var index: String
        var noise: String
        var social: String
        var group: String
        var change: String
    }

    var title: String
    var subtitle: String
    var flags: String
    var line: String?
    var points: [Point]
    var cuts: [Mark]
    var xTicks: [Tick]
    var yTicks: [Tick]
    var rows: [Row]
    var overviewHref: String
    var dynamicsHref: String

    init(_ trajectory: SchoolTrajectory) {
        title = trajectory.schoolName
        subtitle = "\(trajectory.municipalityName), \(trajectory.regionName). Индекс результатов (ИОР) в стандартных отклонениях от среднего по региону; "
            + "вертикальная черта — ± два случайных колебания при числе участников школы, пунктир — порог низких результатов года."
        flags = trajectory.flags.russian
        let placed = trajectory.points.filter { $0.placement?.resultsIndex != nil }
        let values = placed.flatMap { point -> [Double] in
            let p = point.placement!, noise = p.resultsNoise ?? 0
            return [p.resultsIndex! - 2 * noise, p.resultsIndex! + 2 * noise] + (point.resultsCut.map { [$0] } ?? [])
        }
        let low = max(-4, ((values.min() ?? -1) * 2).rounded(.down) / 2), high = min(4, ((values.max() ?? 1) * 2).rounded(.up) / 2)
        let span = high > low ? high - low : 1
        let (left, right, top, bottom) = (56.0, 600.0, 16.0, 236.0)
        let count = max(1, trajectory.points.count - 1)
        func x(_ index: Int) -> Double { left + 30 + (right - left - 60) * Double(index) / Double(count) }
        func y(_ value: Double) -> Double { bottom - (min(max(value, low), high) - low) / span * (bottom - top) }
        func text(_ value: Double) -> String {
            let tenths = Int((value * 10).rounded())
            return "\(tenths / 10).\(abs(tenths % 10))"
        }
        var path: [String] = []
        points = []
        cuts = []
        for (index, point) in trajectory.points.enumerated() {
            if let cut = point.resultsCut { cuts.append(Mark(x1: text(x(index) - 18), x2: text(x(index) + 18), y: text(y(cut)))) }
            guard let p = point.placement, let value = p.resultsIndex else { continue }
            let noise = p.resultsNoise ?? 0
            path.append("\(path.isEmpty ? "M" : "L")\(text(x(index))) \(text(y(value)))")
            points.append(Point(x: text(x(index)), y: text(y(value)), low: text(y(value - 2 * noise)), high: text(y(value + 2 * noise)),
                                css: "g-\(p.group?.rawValue ?? "none")", hollow: p.uncertain,
                                label: "\(point.year): ИОР \(ExportTable.hundredthsText(value))"))
        }
        line = path.isEmpty ? nil : path.joined(separator: " ")
        xTicks = trajectory.points.enumerated().map { Tick(position: text(x($0.offset)), label: String($0.element.year)) }
        let step = span > 4 ? 1.0 : 0.5
        yTicks = stride(from: (low / step).rounded(.up) * step, through: high, by: step).map {
            Tick(position: text(y($0)), label: ExportTable.hundredthsText($0).replacingOccurrences(of: ",00", with: "").replacingOccurrences(of: ",50", with: ",5"))
        }
        rows = trajectory.points.map { point in
            let p = point.placement
            return Row(year: point.year, index: p?.resultsIndex.map(ExportTable.hundredthsText) ?? "—",
                       noise: p?.resultsNoise.map { "± " + ExportTable.hundredthsText(2 * $0) } ?? "—",
                       social: p?.socialIndex.map(ExportTable.hundredthsText) ?? "—",
                       group: (p?.group?.russianName ?? "недостаточно данных") + (p?.uncertain == true ? " (без уверенности)" : ""),
                       change: point.change == .noData ? "—" : point.change.russianName
                           + (point.delta.map { " (\($0 > 0 ? "+" : "")\(ExportTable.hundredthsText($0)))" } ?? ""))
        }
        overviewHref = "/results?region=\(trajectory.regionCode)"
        dynamicsHref = "/results/dynamics?region=\(trajectory.regionCode)"
    }
}
