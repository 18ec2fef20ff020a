import Foundation
import MEDKCore

/// The coordinator's first page: four charts drawn on the server as SVG, each with its numbers in
/// a table beside it, and what falls due this week. No JavaScript.
enum DashboardPages {
    struct Segment: Sendable {
        var x: Int
        var width: Int
        var statusClass: String
    }

    struct LegendEntry: Sendable {
        var name: String
        var statusClass: String
    }

    struct MilestoneBar: Sendable {
        var y: Int
        var textY: Int
        var title: String
        var segments: [Segment]
        var counts: [Int]
    }

    struct Column: Sendable {
        var x: Int
        var y: Int
        var height: Int
        var labelX: Int
        var value: Int
        var valueY: Int
        var label: String
    }

    struct Row: Sendable {
        var name: String
        var href: String?
        var figures: [String]
    }

    struct Page: Sendable {
        var scope: String
        var campaignName: String
        var today: String
        var campaignOptions: [SelectOption]
        var territoryLabel: String?
        var territoryName: String
        var territoryOptions: [SelectOption]
        var statusNames: [String]
        var legend: [LegendEntry]
        var bars: [MilestoneBar]
        var barsHeight: Int
        var columns: [Column]
        var trendAxisY: Int
        var trendRows: [Row]
        var trendChange: String
        var behindTitle: String
        var behindHeaders: [String]
        var behind: [Row]
        var waitsTitle: String
        var waits: [Row]
        var dueTotal: String
        var due: [Row]
        var monitoringHref: String
        var overdueHref: String
        var reviewersHref: String
    }

    static let statusOrder: [MilestoneStatus] = [.onTime, .late, .missing, .awaitingReview, .returned, .notDue]

    static func register(_ web: WebRoutes) {
        web.get("/dashboard") { request in
            let actor = try request.actor()
            let dashboard = try await request.service.dashboard(try MonitoringPages.query(request), for: actor)
            let territory = try await MonitoringPages.territoryFilter(request, actor: actor)
            let report = dashboard.report
            let filter = territoryQuery(report)
            return await request.page("dashboard", title: "Обзор", Page(
                scope: report.scope, campaignName: report.campaignName, today: dashboard.today.russian,
                campaignOptions: try await MonitoringPages.campaignOptions(request, selected: report.campaignCode),
                territoryLabel: territory.label, territoryName: territory.name, territoryOptions: territory.options,
                statusNames: statusOrder.map(\.russianName),
                legend: statusOrder.map { LegendEntry(name: $0.russianName, statusClass: Presentation.statusClass($0)) },
                bars: milestoneBars(report.totals.milestones), barsHeight: 8 + barRowHeight * report.totals.milestones.count,
                columns: columns(dashboard.trend), trendAxisY: 190,
                trendRows: dashboard.trend.reversed().map { Row(name: $0.date.russian, href: nil, figures: [String($0.overdue)]) },
                trendChange: trendChange(dashboard.trend),
                behindTitle: report.level == .country ? "Регионы, дальше всех от сроков"
                    : report.level == .region ? "Муниципалитеты, дальше всех от сроков" : "Школы, дальше всех от сроков",
                behindHeaders: report.level == .municipality ? ["Школа", "Просрочено мероприятий", "Документов на проверке"]
                    : ["Территория", "Просрочено мероприятий школ", "Школ с отставанием"],
                behind: behind(report),
                waitsTitle: report.level == .country ? "Регионы, где документы дольше всех ждут проверки" : "Кураторы, у которых документы ждут дольше всех",
                waits: waits(report),
                dueTotal: RussianPlural.count(dashboard.dueThisWeekTotal, "мероприятие", "мероприятия", "мероприятий"),
                due: dashboard.dueThisWeek.prefix(10).map { line in
                    Row(name: line.name, href: line.schoolCode.map { "/schools/\($0)?campaign=\(report.campaignCode)" }, figures: [String(line.count)])
                },
                monitoringHref: "/monitoring?campaign=\(report.campaignCode)\(filter)",
                overdueHref: "/monitoring/overdue?campaign=\(report.campaignCode)\(filter)",
                reviewersHref: "/monitoring/reviewers?campaign=\(report.campaignCode)\(filter)"))
        }
    }

    static func territoryQuery(_ report: ComplianceReport) -> String {
        guard let code = report.scopeCode else { return "" }
        return report.level == .municipality ? "&municipality=\(code)" : "&region=\(code)"
    }

    /// One stacked bar a milestone, the chart's whole width for all the territory's schools, its name
    /// on a line of its own above it (beside the bar a long name was cut at the chart's edge).
    static func milestoneBars(_ milestones: [MilestoneTally]) -> [MilestoneBar] {
        milestones.enumerated().map { index, milestone in
            let counts = statusOrder.map { milestone.counts[$0] }
            let total = max(1, counts.reduce(0, +))
            var x = 0
            var segments: [Segment] = []
            for (status, count) in zip(statusOrder, counts) where count > 0 {
                let width = max(1, Int((Double(count) / Double(total) * 860).rounded()))
                segments.append(Segment(x: x, width: width, statusClass: Presentation.statusClass(status)))
                x += width
            }
            let top = 4 + index * barRowHeight
            return MilestoneBar(y: top + 22, textY: top + 16, title: milestone.title, segments: segments, counts: counts)
        }
    }

    static let barRowHeight = 52

    /// Columns of the weekly trend, 160 units tall at the largest value.
    static func columns(_ trend: [OverduePoint]) -> [Column] {
        let largest = max(1, trend.map(\.overdue).max() ?? 1)
        return trend.enumerated().map { index, point in
            let height = Int((Double(point.overdue) / Double(largest) * 150).rounded())
            let x = 60 + index * 86
            return Column(x: x, y: 190 - height, height: height, labelX: x + 28, value: point.overdue, valueY: 184 - height,
                          label: String(point.date.russian.prefix(5)))
        }
    }

    static func trendChange(_ trend: [OverduePoint]) -> String {
        guard trend.count >= 2, let last = trend.last else { return "" }
        let weekAgo = trend[trend.count - 2].overdue
        let change = last.overdue - weekAgo
        if change == 0 { return "За неделю не изменилось: \(last.overdue)." }
        return change > 0 ? "За неделю больше на \(change): было \(weekAgo), стало \(last.overdue)."
            : "За неделю меньше на \(-change): было \(weekAgo), стало \(last.overdue)."
    }

    static func behind(_ report: ComplianceReport) -> [Row] {
        if report.level == .municipality {
            return (report.schools?.items ?? []).sorted { ($1.measures.overdue, $0.schoolName) < ($0.measures.overdue, $1.schoolName) }
                .prefix(5).map { school in
                    Row(name: school.schoolName, href: "/schools/\(school.schoolCode)?campaign=\(report.campaignCode)",
                        figures: [String(school.measures.overdue), String(school.waiting)])
                }
        }
        let parameter = report.level == .country ? "region" : "municipality"
        return report.parts.sorted { ($1.measures.overdue, $1.laggingSchools, $0.name) < ($0.measures.overdue, $0.laggingSchools, $1.name) }
            .prefix(5).map { part in
                Row(name: part.name, href: "/dashboard?campaign=\(report.campaignCode)&\(parameter)=\(part.code)",
                    figures: [String(part.measures.overdue), String(part.laggingSchools)])
            }
    }

    static func waits(_ report: ComplianceReport) -> [Row] {
        if report.level == .country {
            return report.parts.filter { $0.oldestWaitingSince != nil }.sorted { $0.oldestWaitingSince! < $1.oldestWaitingSince! }
                .prefix(5).map { part in
                    Row(name: part.name, href: "/monitoring/reviewers?campaign=\(report.campaignCode)&region=\(part.code)",
                        figures: [String(part.waiting), Presentation.hours(Int(report.generatedAt.timeIntervalSince(part.oldestWaitingSince!) / 3600))])
                }
        }
        return report.curators.filter { $0.oldestWaitHours != nil }.sorted { ($0.oldestWaitHours!, $1.fullName) > ($1.oldestWaitHours!, $0.fullName) }
            .prefix(5).map { load in
                Row(name: load.fullName, href: "/monitoring/overdue?campaign=\(report.campaignCode)&curator=\(load.login)",
                    figures: [String(load.waiting), Presentation.hours(load.oldestWaitHours!)])
            }
    }
}
