import Foundation
import MEDKCore

/// FIOCO's evaluation of a municipal package: one page per municipality (what the system found,
/// the score and comment per position, earlier versions) and the region's table of all of them.
enum EvaluationPages {
    static func register(_ web: WebRoutes) {
        web.get("/municipalities/{code}/evaluation") { request in
            let actor = try request.actor()
            guard let code = request.context.parameters.get("code") else { throw MEDKError.notFound("Муниципалитет") }
            let view = try await request.service.packageEvaluation(municipalityCode: code, campaignCode: request.query("campaign"), for: actor)
            return await request.page("evaluation", title: "Оценка пакета: \(view.municipality.name)", EvaluationPage(view))
        }

        web.post("/municipalities/{code}/evaluation") { request, form in
            let actor = try request.actor()
            guard let code = request.context.parameters.get("code") else { throw MEDKError.notFound("Муниципалитет") }
            var scores: [PositionScore] = []
            for position in EvaluationPosition.allCases {
                guard let text = form["score.\(position.rawValue)"], !text.isEmpty else { continue }
                guard let score = Int(text) else { throw MEDKError.invalid("invalid_score", "Балл — число от 0 до \(EvaluationScore.maximum).") }
                scores.append(PositionScore(position: position, score: score, comment: form["comment.\(position.rawValue)"] ?? ""))
            }
            let view = try await request.service.evaluatePackage(
                municipalityCode: code, campaignCode: form["campaign"].flatMap { $0.isEmpty ? nil : $0 }, scores: scores,
                expectedVersion: form["expectedVersion"].flatMap(Int.init), by: actor)
            let current = view.current.map { "версия \($0.version): \($0.total) из \($0.maximum)" } ?? ""
            return request.redirect("/municipalities/\(code)/evaluation", success: "Оценка сохранена, \(current).")
        }

        web.get("/regions/{code}/evaluations") { request in
            let report = try await regionReport(request)
            return await request.page("region_evaluations", title: "Оценка пакетов: \(report.regionName)", RegionEvaluationsPage(report))
        }

        web.get("/regions/{code}/evaluations.csv") { request in
            let report = try await regionReport(request)
            return Downloads.csv(CSV.write(EvaluationTable.table(report).textRows), name: fileName(report, ext: "csv"))
        }

        web.get("/regions/{code}/evaluations.xlsx") { request in
            let report = try await regionReport(request)
            return try Downloads.xlsx(EvaluationTable.table(report), name: fileName(report, ext: "xlsx"))
        }
    }

    /// The region of the path, in the campaign asked for, as the signed-in user may see it.
    static func regionReport(_ request: WebRequest) async throws -> RegionEvaluations {
        guard let code = request.context.parameters.get("code") else { throw MEDKError.notFound("Регион") }
        return try await request.service.regionEvaluations(regionCode: code, campaignCode: request.query("campaign"), for: try request.actor())
    }

    /// «evaluations-500plus-2026-75», as the API names the same download.
    static func fileName(_ report: RegionEvaluations, ext: String) -> String { fileStem(report) + "." + ext }

    static func fileStem(_ report: RegionEvaluations) -> String {
        DownloadName.stem(["Оценки пакетов муниципалитетов", report.campaign.code, report.regionName])
    }
}

struct EvaluationPage: Sendable {
    struct Position: Sendable {
        var code: String
        var name: String
        var verdict: String
        var verdictClass: String
        var evidence: [String]
        var options: [SelectOption]
        var comment: String
        /// The latest score and comment, for those who only read.
        var scored: String?
        var scoredComment: String?
    }

    struct Version: Sendable {
        var title: String
        var scores: [String]
    }

    var name: String
    var code: String
    var regionName: String
    var campaignName: String
    var campaignCode: String
    var packageHref: String
    var regionHref: String
    var canEvaluate: Bool
    var expectedVersion: Int
    var current: String?
    var positions: [Position]
    var history: [Version]

    init(_ view: PackageEvaluationView) {
        name = view.municipality.name
        code = view.municipality.code
        regionName = view.regionName
        campaignName = view.campaign.name
        campaignCode = view.campaign.code
        packageHref = "/municipalities/\(view.municipality.code)"
        regionHref = "/regions/\(view.regionCode)/evaluations"
        canEvaluate = view.canEvaluate
        expectedVersion = view.current?.version ?? 0
        current = view.current.map { Self.title($0, zone: view.timeZone) }
        positions = view.findings.map { finding in
            let score = view.current?.score(finding.position)
            return Position(
                code: finding.position.rawValue, name: finding.position.russianName,
                verdict: finding.russianVerdict,
                verdictClass: finding.met.map { $0 ? "status-ok" : "status-missing" } ?? "status-notdue",
                evidence: finding.evidence,
                options: [SelectOption(value: "", label: "— выберите —", selected: score == nil)]
                    + EvaluationScore.range.reversed().map {
                        SelectOption(value: String($0), label: EvaluationScore.russianName($0), selected: score?.score == $0)
                    },
                comment: score?.comment ?? "",
                scored: score.map { EvaluationScore.russianName($0.score) },
                scoredComment: score.flatMap { $0.comment.isEmpty ? nil : $0.comment })
        }
        history = view.history.map { evaluation in
            Version(title: Self.title(evaluation, zone: view.timeZone),
                    scores: evaluation.scores.map { "\($0.position.shortName): \($0.score)" + ($0.comment.isEmpty ? "" : " — \($0.comment)") })
        }
    }

    static func title(_ evaluation: PackageEvaluation, zone: String) -> String {
        "Версия \(evaluation.version): \(evaluation.total) из \(evaluation.maximum) баллов; \(evaluation.evaluatorName), "
            + (Presentation.time(evaluation.evaluatedAt, zone: zone) ?? "")
    }
}

struct RegionEvaluationsPage: Sendable {
    struct Row: Sendable {
        var code: String
        var name: String
        var href: String
        var scores: [String]
        var total: String
        var version: String
        var evaluator: String
        var at: String
        var evaluated: Bool
    }

    var regionName: String
    var campaignName: String
    var headings: [String]
    var rows: [Row]
    var summary: String
    var csvHref: String
    var xlsxHref: String

    init(_ report: RegionEvaluations) {
        regionName = report.regionName
        campaignName = report.campaign.name
        headings = report.positions.map(\.shortName)
        rows = report.rows.map { row in
            let evaluation = row.evaluation
            return Row(code: row.municipalityCode, name: row.municipalityName, href: "/municipalities/\(row.municipalityCode)/evaluation",
                       scores: report.positions.map { position in evaluation?.score(position).map { String($0.score) } ?? "—" },
                       total: evaluation.map { "\($0.total) из \($0.maximum)" } ?? "не оценён",
                       version: evaluation.map { String($0.version) } ?? "",
                       evaluator: evaluation?.evaluatorName ?? "",
                       at: evaluation.flatMap { Presentation.time($0.evaluatedAt, zone: report.timeZone) } ?? "",
                       evaluated: evaluation != nil)
        }
        summary = "Оценено пакетов: \(report.evaluatedCount) из \(report.rows.count)."
        let campaign = report.campaign.code.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        csvHref = "/regions/\(report.regionCode)/evaluations.csv?campaign=\(campaign)"
        xlsxHref = "/regions/\(report.regionCode)/evaluations.xlsx?campaign=\(campaign)"
    }
}
