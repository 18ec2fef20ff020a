import Foundation
import MEDKCore

/// How quickly the territory's documents are decided, per reviewer: a chart of the median and
/// 90th percentile beside the table with the same figures, the slowest marked, and downloads.
enum ReviewTimesPages {
    /// A reviewer, or a region of the country (then with a link to its reviewers).
    struct Row: Sendable {
        var name: String
        var code: String
        var href: String?
        var decided: Int
        var returned: String
        var median: String
        var p90: String
        var longest: String
        var waiting: Int
        var oldestWaiting: String?
        var waitingLong: Bool
        var slowest: Bool

        init(name: String, code: String, href: String?, _ figures: ReviewFigures, zone: String) {
            (self.name, self.code, self.href) = (name, code, href)
            decided = figures.decided
            returned = figures.returnedShare.map { "\(figures.returned) (\(Int(($0 * 100).rounded())) %)" } ?? "—"
            median = WaitText.russian(seconds: figures.medianSeconds)
            p90 = WaitText.russian(seconds: figures.p90Seconds)
            longest = WaitText.russian(seconds: figures.longestSeconds)
            waiting = figures.waitingNow
            oldestWaiting = figures.oldestWaitingSince.map { since in
                "\(figures.oldestWaitingDays ?? 0) дн. (с \(ExportTable.Cell.dateTime(since, zone: zone).text))"
            }
            waitingLong = (figures.oldestWaitingDays ?? 0) >= ReviewTimesPages.longWaitDays
            slowest = figures.isSlowest
        }
    }

    /// One reviewer (or region) in the chart: a bar to the median, a lighter one on to the 90th percentile.
    struct Bar: Sendable {
        var label: String
        var y: Int
        var textY: Int
        var medianWidth: Int
        var p90Width: Int
        var valueX: Int
        var value: String
        var slowest: Bool
    }

    struct Chart: Sendable {
        var height: Int
        var bars: [Bar]
        var ticks: [Tick]
        var axisY: Int
        /// Reviewers left out of the chart (the table has everyone).
        var omitted: Int?
    }

    struct Tick: Sendable {
        var x: Int
        var label: String
    }

    struct Page: Sendable {
        var campaignName: String
        var territoryName: String
        var period: String
        var notes: [String]
        /// Reviewers of a region or municipality, or the country's regions.
        var rows: [Row]
        var byRegion: Bool
        var chart: Chart?
        var campaignOptions: [SelectOption]
        var territoryLabel: String?
        /// The territory select's parameter: `region` or `municipality`.
        var territoryParameter: String
        var territoryOptions: [SelectOption]
        var from: String
        var to: String
        var csvHref: String
        var xlsxHref: String
    }

    /// A document waiting this many days or more is marked. A region's review time is five working
    /// days by default; until regions keep a setting of their own, five calendar days stand for it.
    static let longWaitDays = 5

    static func register(_ web: WebRoutes) {
        web.get("/monitoring/reviewers") { request in
            let actor = try request.actor()
            let report = try await request.service.reviewTimes(try query(request), for: actor)
            let territory = try await MonitoringPages.territoryFilter(request, actor: actor)
            return await request.page("review_times", title: "Сроки проверки", Page(
                campaignName: report.campaign.name, territoryName: report.territoryName,
                period: "с \(report.from.russian) по \(report.to.russian)",
                notes: Array(ReviewTimesTable.notes(report).dropFirst()),
                rows: report.isCountry
                    ? report.regions.map { region in
                        Row(name: region.regionName, code: region.regionCode,
                            href: MonitoringPages.link(request, path: "/monitoring/reviewers", dropping: ["municipality"],
                                                       adding: ["region": region.regionCode]),
                            region.figures, zone: report.timeZone)
                    }
                    : report.reviewers.map { Row(name: $0.fullName, code: $0.login, href: nil, $0.figures, zone: report.timeZone) },
                byRegion: report.isCountry,
                chart: chart(report.isCountry ? report.regions.map { ($0.regionName, $0.figures) }
                                              : report.reviewers.map { ($0.fullName.isEmpty ? $0.login : $0.fullName, $0.figures) }),
                campaignOptions: try await MonitoringPages.campaignOptions(request, selected: report.campaign.code),
                territoryLabel: territory.label, territoryParameter: territory.name, territoryOptions: territory.options,
                from: report.from.description, to: report.to.description,
                csvHref: MonitoringPages.link(request, path: "/monitoring/reviewers.csv"),
                xlsxHref: MonitoringPages.link(request, path: "/monitoring/reviewers.xlsx")))
        }
        web.get("/monitoring/reviewers.csv") { request in
            let report = try await request.service.reviewTimes(try query(request), for: try request.actor())
            return Downloads.csv(CSV.write(ReviewTimesTable.table(report).textRows), name: ReviewTimesTable.fileName(report) + ".csv")
        }
        web.get("/monitoring/reviewers.xlsx") { request in
            let report = try await request.service.reviewTimes(try query(request), for: try request.actor())
            return try Downloads.xlsx(ReviewTimesTable.table(report), name: ReviewTimesTable.fileName(report) + ".xlsx")
        }
    }

    static func query(_ request: WebRequest) throws -> ReviewTimesQuery {
        ReviewTimesQuery(regionCode: request.query("region"), municipalityCode: request.query("municipality"),
                         campaignCode: request.query("campaign"), from: try request.query("from").map(WebForm.date),
                         to: try request.query("to").map(WebForm.date))
    }

    /// At most this many reviewers are drawn; a region's forty curators still fit on a page.
    static let chartLimit = 40

    /// Bars for those with decisions, in the order given.
    static func chart(_ entries: [(label: String, figures: ReviewFigures)]) -> Chart? {
        let decided = entries.filter { $0.figures.medianSeconds != nil }
        let drawn = decided.prefix(chartLimit)
        guard let top = drawn.compactMap({ $0.figures.p90Seconds ?? $0.figures.medianSeconds }).max() else { return nil }
        let labelWidth = 260, plotWidth = 440, rowHeight = 26
        // Whole days on the axis, at least one.
        let days = max(1, (top + 86_399) / 86_400)
        let scale = Double(plotWidth) / Double(days * 86_400)
        let step = max(1, days / 5)
        let bars = drawn.enumerated().map { index, entry in
            let figures = entry.figures
            let median = figures.medianSeconds ?? 0, p90 = figures.p90Seconds ?? median
            let medianWidth = max(2, Int(Double(median) * scale)), p90Width = max(medianWidth, Int(Double(p90) * scale))
            return Bar(label: entry.label, y: 10 + index * rowHeight, textY: 10 + index * rowHeight + 14,
                       medianWidth: medianWidth, p90Width: p90Width, valueX: labelWidth + p90Width + 6,
                       value: "\(WaitText.russian(seconds: figures.medianSeconds)) / \(WaitText.russian(seconds: figures.p90Seconds))",
                       slowest: figures.isSlowest)
        }
        let axisY = 10 + bars.count * rowHeight + 4
        let ticks = stride(from: 0, through: days, by: step).map { Tick(x: labelWidth + Int(Double($0 * 86_400) * scale), label: "\($0)") }
        let omitted = decided.count - bars.count
        return Chart(height: axisY + 24, bars: bars, ticks: ticks, axisY: axisY, omitted: omitted > 0 ? omitted : nil)
    }
}
