import Foundation
import MEDKCore

/// How quickly the territory's documents are decided, per reviewer: a chart of the median and
/// 90th percentile beside the table with the same figures, the slowest marked, and downloads.
enum ReviewTimesPages {
    struct Row: Sendable {
        var fullName: String
        var login: String
        var decided: Int
        var returned: String
        var median: String
        var p90: String
        var longest: String
        var waiting: Int
        var oldestWaiting: String?
        var waitingLong: Bool
        var slowest: Bool
    }

    struct RegionRow: Sendable {
        var href: String
        var name: String
        var code: String
        var decided: Int
        var returned: String
        var median: String
        var p90: String
        var longest: String
        var waiting: Int
        var oldestWaiting: String?
        var waitingLong: Bool
        var slowest: Bool
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
        var rows: [Row]
        /// The country, by region; empty otherwise.
        var regions: [RegionRow]
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

    /// Waiting longer than this is marked: the review time FIOCO's schedule usually allows.
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
                rows: report.reviewers.map { row(for: $0, report: report) },
                regions: report.regions.map { row(for: $0, report: report, request: request) },
                chart: report.regions.isEmpty
                    ? chart(report.reviewers.map { ($0.fullName.isEmpty ? $0.login : $0.fullName, $0.medianSeconds, $0.p90Seconds, $0.isSlowest) })
                    : chart(report.regions.map { ($0.regionName, $0.medianSeconds, $0.p90Seconds, $0.isSlowest) }),
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

    static func row(for reviewer: ReviewerTimes, report: ReviewTimesReport) -> Row {
        Row(fullName: reviewer.fullName, login: reviewer.login, decided: reviewer.decided,
            returned: returned(reviewer.returned, of: reviewer.decided),
            median: WaitText.russian(seconds: reviewer.medianSeconds), p90: WaitText.russian(seconds: reviewer.p90Seconds),
            longest: WaitText.russian(seconds: reviewer.longestSeconds), waiting: reviewer.waitingNow,
            oldestWaiting: reviewer.oldestWaitingSince.map { since in
                "\(reviewer.oldestWaitingDays ?? 0) дн. (с \(ExportTable.Cell.dateTime(since, zone: report.timeZone).text))"
            },
            waitingLong: (reviewer.oldestWaitingDays ?? 0) >= longWaitDays, slowest: reviewer.isSlowest)
    }

    static func row(for region: RegionReviewTimes, report: ReviewTimesReport, request: WebRequest) -> RegionRow {
        RegionRow(href: MonitoringPages.link(request, path: "/monitoring/reviewers", dropping: ["municipality"], adding: ["region": region.regionCode]),
                  name: region.regionName, code: region.regionCode, decided: region.decided,
                  returned: returned(region.returned, of: region.decided),
                  median: WaitText.russian(seconds: region.medianSeconds), p90: WaitText.russian(seconds: region.p90Seconds),
                  longest: WaitText.russian(seconds: region.longestSeconds), waiting: region.waitingNow,
                  oldestWaiting: region.oldestWaitingSince.map { since in
                      "\(region.oldestWaitingDays ?? 0) дн. (с \(ExportTable.Cell.dateTime(since, zone: report.timeZone).text))"
                  },
                  waitingLong: (region.oldestWaitingDays ?? 0) >= longWaitDays, slowest: region.isSlowest)
    }

    /// «3 (25 %)», or «—» with no decisions.
    static func returned(_ returned: Int, of decided: Int) -> String {
        decided == 0 ? "—" : "\(returned) (\(Int((Double(returned) / Double(decided) * 100).rounded())) %)"
    }

    /// At most this many reviewers are drawn; a region's forty curators still fit on a page.
    static let chartLimit = 40

    /// Bars for those with decisions, in the order given: (label, median, 90th percentile, slowest).
    static func chart(_ entries: [(label: String, median: Int?, p90: Int?, slowest: Bool)]) -> Chart? {
        let decided = entries.filter { $0.median != nil }
        let drawn = decided.prefix(chartLimit)
        guard let top = drawn.compactMap({ $0.p90 ?? $0.median }).max() else { return nil }
        let labelWidth = 260, plotWidth = 440, rowHeight = 26
        // Whole days on the axis, at least one.
        let days = max(1, (top + 86_399) / 86_400)
        let scale = Double(plotWidth) / Double(days * 86_400)
        let step = max(1, days / 5)
        let bars = drawn.enumerated().map { index, entry in
            let median = entry.median ?? 0, p90 = entry.p90 ?? median
            let medianWidth = max(2, Int(Double(median) * scale)), p90Width = max(medianWidth, Int(Double(p90) * scale))
            return Bar(label: entry.label, y: 10 + index * rowHeight, textY: 10 + index * rowHeight + 14,
                       medianWidth: medianWidth, p90Width: p90Width, valueX: labelWidth + p90Width + 6,
                       value: "\(WaitText.russian(seconds: entry.median)) / \(WaitText.russian(seconds: entry.p90))", slowest: entry.slowest)
        }
        let axisY = 10 + bars.count * rowHeight + 4
        let ticks = stride(from: 0, through: days, by: step).map { Tick(x: labelWidth + Int(Double($0 * 86_400) * scale), label: "\($0)") }
        let omitted = decided.count - bars.count
        return Chart(height: axisY + 24, bars: bars, ticks: ticks, axisY: axisY, omitted: omitted > 0 ? omitted : nil)
    }
}
