import Foundation
import MEDKCore

/// The region's schools as points, ИСБ across and ИОР up, drawn on the server as SVG: the cut
/// points as lines, the four groups named in their corners, programme schools ringed, schools
/// placed without certainty hollow, each point a link to its school. Indices are in standard
/// deviations; the view spans the data, within ±4 (a school further out sits on the edge).
struct QuadrantChart: Sendable {

    struct Tick: Sendable {
        var position: String
        var label: String
    }

    struct Corner: Sendable {
        var x: Int
        var y: Int
        var anchor: String
        var name: String
        var count: Int
    }

    // Stored, not computed: the templates read a value's stored properties only.
    var width = 720
    var height = 500
    var left = 56
    var right = 700
    var top = 28
    var bottom = 440
    var plotWidth = 644
    var plotHeight = 412
    var axisLabelY = 480
    var xAxisLabelX = 378
    /// The points as SVG, written here rather than by the template: a region's 1,700 points through
    /// the template engine took most of the page's 200 ms; labels and links are escaped here.
    var pointsSVG: String
    var xTicks: [Tick]
    var yTicks: [Tick]
    var xCut: String?
    var yCut: String?
    var corners: [Corner]
    /// Schools without both indices, not drawn (nil when every school is).
    var unplaced: Int?

    init?(entries: [ListEntry], resultsCut: Double?, socialCut: Double?) {
        let placed = entries.filter { $0.placement.resultsIndex != nil && $0.placement.socialIndex != nil }
        guard !placed.isEmpty else { return nil }
        func span(_ values: [Double], _ cut: Double?) -> ClosedRange<Double> {
            let all = values + (cut.map { [$0] } ?? [])
            let low = max(-4, ((all.min() ?? -1) * 2).rounded(.down) / 2), high = min(4, ((all.max() ?? 1) * 2).rounded(.up) / 2)
            return low < high ? low...high : (low - 0.5)...(high + 0.5)
        }
        let xs = span(placed.compactMap(\.placement.socialIndex), socialCut)
        let ys = span(placed.compactMap(\.placement.resultsIndex), resultsCut)
        let (left, right, top, bottom) = (56.0, 700.0, 28.0, 440.0)
        func x(_ value: Double) -> Double { left + (min(max(value, xs.lowerBound), xs.upperBound) - xs.lowerBound) / (xs.upperBound - xs.lowerBound) * (right - left) }
        func y(_ value: Double) -> Double { bottom - (min(max(value, ys.lowerBound), ys.upperBound) - ys.lowerBound) / (ys.upperBound - ys.lowerBound) * (bottom - top) }
        // Coordinates are positive: tenths by integer arithmetic (String(format:) is slow for 1,700 points).
        func text(_ value: Double) -> String {
            let tenths = Int((value * 10).rounded())
            return "\(tenths / 10).\(tenths % 10)"
        }
        var svg = ""
        svg.reserveCapacity(placed.count * 200)
        for entry in placed {
            let p = entry.placement
            let code = entry.schoolCode.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? entry.schoolCode
            var label = "\(entry.schoolName): ИОР \(ExportTable.hundredthsText(p.resultsIndex!)), ИСБ \(ExportTable.hundredthsText(p.socialIndex!))"
            if let group = p.group { label += ", " + group.russianName.lowercased() }
            if p.uncertain { label += ", без уверенности" }
            if entry.before.lowResults { label += ", ШНОР" }
            var classes = "pt g-" + (p.group?.rawValue ?? "none")
            if p.uncertain { classes += " uncertain" }
            if entry.before.lowResults { classes += " programme" }
            svg += "<a href=\"/results/schools/\(FormRestorer.escape(code))\" tabindex=\"-1\"><circle cx=\"\(text(x(p.socialIndex!)))\" cy=\"\(text(y(p.resultsIndex!)))\" r=\""
                + (entry.before.lowResults ? "5" : "3.5") + "\" class=\"\(classes)\"><title>\(FormRestorer.escape(label))</title></circle></a>"
        }
        pointsSVG = svg
        func ticks(_ range: ClosedRange<Double>, _ place: (Double) -> Double) -> [Tick] {
            let step = range.upperBound - range.lowerBound > 4 ? 1.0 : 0.5
            return stride(from: (range.lowerBound / step).rounded(.up) * step, through: range.upperBound, by: step).map {
                Tick(position: text(place($0)), label: ExportTable.hundredthsText($0).replacingOccurrences(of: ",00", with: "")
                    .replacingOccurrences(of: ",50", with: ",5"))
            }
        }
        xTicks = ticks(xs, x)
        yTicks = ticks(ys, y)
        xCut = socialCut.map { text(x($0)) }
        yCut = resultsCut.map { text(y($0)) }
        let counts = Dictionary(grouping: placed.compactMap(\.placement.group), by: { $0 }).mapValues(\.count)
        corners = [
            Corner(x: Int(right) - 6, y: Int(top) + 16, anchor: "end", name: SchoolGroup.effective.russianName, count: counts[.effective] ?? 0),
            Corner(x: Int(left) + 6, y: Int(top) + 16, anchor: "start", name: SchoolGroup.resilient.russianName, count: counts[.resilient] ?? 0),
            Corner(x: Int(left) + 6, y: Int(bottom) - 8, anchor: "start", name: SchoolGroup.deprived.russianName, count: counts[.deprived] ?? 0),
            Corner(x: Int(right) - 6, y: Int(bottom) - 8, anchor: "end", name: SchoolGroup.struggling.russianName, count: counts[.struggling] ?? 0),
        ]
        unplaced = entries.count > placed.count ? entries.count - placed.count : nil
    }
}
