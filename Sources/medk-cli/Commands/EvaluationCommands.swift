import ArgumentParser
import Foundation
import MEDKAPI
import MEDKCore

/// FIOCO's evaluation of municipal packages from the command line.
struct EvaluationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluation",
        abstract: "Оценка пакетов муниципалитетов по позициям ФИОКО: посмотреть, оценить, сравнить по региону.",
        subcommands: [Show.self, Evaluate.self, List.self])

    static let positionsHelp = EvaluationPosition.allCases.map { "\($0.rawValue) — \($0.russianName)" }.joined(separator: "; ")

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Что система нашла в пакете муниципалитета по каждой позиции и последняя оценка эксперта.")
        @Argument(help: "Код муниципалитета.") var municipality: String
        @Option(name: .long, help: "Код кампании; по умолчанию — последняя.") var campaign: String?
        @Option(name: .long, help: "Вывод: table или json.") var format: OutputFormat = .table

        func run() async throws {
            guard format != .csv else { throw ValidationError("--format: table или json.") }
            let view = try await APIClient.saved().get("/api/v1/municipalities/\(municipality)/evaluation", query: ["campaign": campaign],
                                                       as: PackageEvaluationView.self)
            if format == .json { return try Output.json(view) }
            print(EvaluationCommand.describe(view), terminator: "")
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Оценить пакет муниципалитета (региональный координатор его региона или ФИОКО): новая версия оценки.",
            discussion: """
                Каждая позиция получает балл: 2 — выполнено, 1 — частично, 0 — не выполнено; если балл ниже 2, нужен \
                комментарий. Позиции: \(EvaluationCommand.positionsHelp). Пример: --score deadlines=1 \
                --comment "deadlines=Нет сроков у двух мероприятий" --all 2 (остальным позициям — 2).
                """)
        @Argument(help: "Код муниципалитета.") var municipality: String
        @Option(name: .long, help: "Балл позиции: ПОЗИЦИЯ=БАЛЛ; можно несколько раз.") var score: [String] = []
        @Option(name: .long, help: "Комментарий к позиции: ПОЗИЦИЯ=ТЕКСТ; можно несколько раз.") var comment: [String] = []
        @Option(name: .long, help: "Балл всем позициям, не названным в --score.") var all: Int?
        @Option(name: .long, help: "Код кампании; по умолчанию — последняя.") var campaign: String?
        @Option(name: .long, help: "Версия оценки, которую вы видели (0 — оценки не было); если есть новее, оценка не сохранится.")
        var expectedVersion: Int?

        func run() async throws {
            var scores: [EvaluationPosition: Int] = [:]
            var comments: [EvaluationPosition: String] = [:]
            for pair in score {
                let (position, value) = try Self.split(pair, "--score")
                guard let number = Int(value) else { throw ValidationError("--score \(pair): балл — число от 0 до 2.") }
                scores[position] = number
            }
            for pair in comment {
                let (position, text) = try Self.split(pair, "--comment")
                comments[position] = text
            }
            if let all { for position in EvaluationPosition.allCases where scores[position] == nil { scores[position] = all } }
            let request = PackageEvaluationRequest(
                scores: EvaluationPosition.allCases.compactMap { position in
                    scores[position].map { PositionScore(position: position, score: $0, comment: comments[position] ?? "") }
                },
                expectedVersion: expectedVersion)
            let (body, _) = try await APIClient.saved().raw("POST", "/api/v1/municipalities/\(municipality)/evaluation",
                                                            query: ["campaign": campaign], body: try JSONEncoder().encode(request),
                                                            contentType: "application/json")
            let view = try APIClient.decoder.decode(PackageEvaluationView.self, from: body)
            guard let current = view.current else { return }
            print("Оценка пакета «\(view.municipality.name)» сохранена: версия \(current.version), \(current.total) из \(current.maximum) баллов.")
        }

        static func split(_ pair: String, _ option: String) throws -> (EvaluationPosition, String) {
            guard let equals = pair.firstIndex(of: "="),
                  let position = EvaluationPosition(rawValue: String(pair[..<equals]).trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("\(option) \(pair): нужно ПОЗИЦИЯ=ЗНАЧЕНИЕ; позиции: "
                    + EvaluationPosition.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            return (position, String(pair[pair.index(after: equals)...]))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Оценки пакетов всех муниципалитетов региона рядом.")
        @Option(name: .long, help: "Код региона.") var region: String
        @Option(name: .long, help: "Код кампании; по умолчанию — последняя.") var campaign: String?
        @Option(name: .long, help: "Вывод: table, csv, json или xlsx (с --output).") var format: TableOutputFormat = .table
        @Option(name: .long, help: "Файл, куда записать таблицу (для xlsx обязателен).") var output: String?

        func validate() throws {
            try format.requireFile(output)
        }

        func run() async throws {
            let report = try await APIClient.saved().get("/api/v1/regions/\(region)/evaluations", query: ["campaign": campaign],
                                                         as: RegionEvaluations.self)
            if format == .json { return try Output.json(report) }
            let table = EvaluationTable.table(report)
            if try Output.export(table, format: format, output: output) { return }
            print("\(report.regionName) · \(report.campaign.name): оценено \(report.evaluatedCount) из \(report.rows.count).")
            Output.print(rows: table.textRows, format: .table)
        }
    }

    static func describe(_ view: PackageEvaluationView) -> String {
        var out = "\(view.municipality.name) (\(view.municipality.code)), \(view.regionName) · \(view.campaign.name)\n"
        if let current = view.current {
            out += "Оценка: версия \(current.version), \(current.total) из \(current.maximum) баллов; \(current.evaluatorName), "
                + "\(Output.time(current.evaluatedAt, zone: view.timeZone)).\n"
        } else {
            out += "Пакет ещё не оценён.\n"
        }
        for finding in view.findings {
            out += "\n\(finding.position.russianName) [\(finding.position.rawValue)]\n"
            out += "  Система: \(finding.russianVerdict)\n"
            for line in finding.evidence { out += "    \(line)\n" }
            if let score = view.current?.score(finding.position) {
                out += "  Эксперт: \(EvaluationScore.russianName(score.score))" + (score.comment.isEmpty ? "" : " — \(score.comment)") + "\n"
            }
        }
        if !view.history.isEmpty {
            out += "\nПрежние версии: " + view.history.map { "\($0.version) (\($0.total) из \($0.maximum))" }.joined(separator: ", ") + ".\n"
        }
        return out
    }
}
