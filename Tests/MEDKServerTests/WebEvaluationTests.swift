import Foundation
import HummingbirdTesting
import MEDKAPI
import MEDKCore
import MEDKServer
import MEDKTestSupport
import NIOCore
import Testing

/// The regional coordinator evaluates a municipality's package on its page and compares the region's
/// municipalities in one table; the API gives the same to scripts and the CLI.
@Suite("Evaluating municipal packages through the pages and the API")
struct WebEvaluationTests {
    static func form(_ scores: [EvaluationPosition: (Int, String)] = [:], expectedVersion: Int) -> [String: String] {
        var fields = ["expectedVersion": String(expectedVersion)]
        for position in EvaluationPosition.allCases {
            let (score, comment) = scores[position] ?? (2, "")
            fields["score.\(position.rawValue)"] = String(score)
            fields["comment.\(position.rawValue)"] = comment
        }
        return fields
    }

    @Test("the region's coordinator sees the system's findings, scores every position and finds the version in the region's table")
    func evaluatesOnThePage() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let region = try await Browser.signedIn(client, "reg-R1")
            let package = try await region.get("/municipalities/M1")
            #expect(package.html.contains("href=\"/municipalities/M1/evaluation\"") && package.html.contains("(не оценён)"))
            var page = try await region.get("/municipalities/M1/evaluation")
            #expect(page.status == .ok && page.html.contains("Пакет ещё не оценён."))
            #expect(page.html.contains("Наличие сроков мероприятий, мер и управленческих решений"))
            #expect(page.html.contains("В дорожной карте нет мероприятий.") && page.html.contains("Аналитической справки нет."))
            #expect(page.html.contains("name=\"score.deadlines\""))

            // A refused form comes back to the page with the reason; nothing is saved.
            let refused = try await region.follow(try await region.post("/municipalities/M1/evaluation",
                                                                        Self.form([.deadlines: (0, "")], expectedVersion: 0)))
            #expect(refused.html.contains("объясните в комментарии, почему балл ниже 2"))
            #expect(refused.html.contains("Пакет ещё не оценён."))

            page = try await region.get("/municipalities/M1/evaluation")
            let saved = try await region.post("/municipalities/M1/evaluation",
                                              Self.form([.deadlines: (0, "Дорожной карты нет")], expectedVersion: 0))
            #expect(saved.status == .seeOther)
            page = try await region.follow(saved)
            #expect(page.html.contains("Оценка сохранена, версия 1: 12 из 14."))
            #expect(page.html.contains("Версия 1: 12 из 14 баллов; Координатор Р1"))
            #expect(page.html.contains(">Дорожной карты нет</textarea>"))

            // The region's deadline table carries each municipality's evaluation beside its roadmap.
            let monitoring = try await region.get("/monitoring?region=R1")
            #expect(monitoring.html.contains("<a href=\"/municipalities/M1/evaluation?campaign=C2026\">оценка: 12 из 14</a>"))
            #expect(monitoring.html.contains("href=\"/regions/R1/evaluations?campaign=C2026\""))
            #expect(try await region.get("/evaluations").location == "/regions/R1/evaluations")

            let table = try await region.get("/regions/R1/evaluations")
            #expect(table.html.contains("Оценено пакетов: 1 из 2.") && table.html.contains("12 из 14"))
            #expect(table.html.contains("href=\"/municipalities/M1/evaluation\"") && table.html.contains("не оценён"))
            #expect(table.html.contains("href=\"/regions/R1/evaluations.xlsx?campaign=C2026\""))
            #expect(try await region.get("/regions/R1/evaluations.xlsx?campaign=C2026").status == .ok)
            let csv = try await region.get("/regions/R1/evaluations.csv?campaign=C2026")
            #expect(csv.status == .ok && csv.html.contains("M1;Балейский округ;2;2;2;0;2;2;2;12;14;1;Координатор Р1;"))

            // The municipality reads its evaluation but cannot change it; another region sees nothing.
            let municipal = try await Browser.signedIn(client, "mun-M1")
            let own = try await municipal.get("/municipalities/M1/evaluation")
            #expect(own.status == .ok && own.html.contains("0 — не выполнено") && !own.html.contains("name=\"score.deadlines\""))
            #expect(try await municipal.post("/municipalities/M1/evaluation", Self.form(expectedVersion: 1)).status == .forbidden)
            #expect(try await municipal.get("/regions/R1/evaluations").status == .forbidden, "its own region: told why not")
            let stranger = try await Browser.signedIn(client, "reg-R2")
            #expect(try await stranger.get("/municipalities/M1/evaluation").status == .notFound)
        }
    }

    @Test("through the API a script evaluates, is refused a stale version, and reads the region as JSON and CSV")
    func api() async throws {
        let world = try await TestWorld()
        try await withAPI(world) { client in
            let region = try await APISession.login(client, "reg-R1")
            let scores = EvaluationPosition.allCases.map { PositionScore(position: $0, score: 2, comment: "") }
            let view: PackageEvaluationView = try await region.send(.post, "/api/v1/municipalities/M2/evaluation",
                                                                    PackageEvaluationRequest(scores: scores, expectedVersion: 0))
            #expect(view.current?.version == 1 && view.current?.total == 14)
            let (status, error) = try await region.refusal(.post, "/api/v1/municipalities/M2/evaluation",
                                                           PackageEvaluationRequest(scores: scores, expectedVersion: 0))
            #expect(status == .conflict && error.code == "stale_evaluation")
            let report: RegionEvaluations = try await region.get("/api/v1/regions/R1/evaluations")
            #expect(report.rows.map { $0.evaluation?.version } == [nil, 1])
            let csv = try await region.raw(.get, "/api/v1/regions/R1/evaluations?format=csv")
            #expect(String(buffer: csv.body).contains("M2;Город Чита;2;2;2;2;2;2;2;14;14;1;"))
            let xlsx = try await region.raw(.get, "/api/v1/regions/R1/evaluations?format=xlsx")
            #expect(xlsx.status == .ok && xlsx.headers[.contentType] == XLSXWriter.mediaType)
            #expect(xlsx.headers[.contentDisposition]?.components(separatedBy: "UTF-8''").last?.removingPercentEncoding
                    == "Оценки пакетов муниципалитетов — C2026 — Забайкальский край.xlsx")
            #expect(Array(xlsx.body.readableBytesView.prefix(2)) == Array("PK".utf8), "a zip container")
        }
    }
}
