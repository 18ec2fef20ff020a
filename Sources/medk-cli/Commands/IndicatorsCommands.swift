import ArgumentParser
import Foundation
import MEDKCore

/// A region's target indicators with plan and fact, as the machine's operator (issue 23).
struct IndicatorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Целевые показатели региона: план (как записан в программе) и факт — рассчитанный МЭДК или внесённый регионом.",
        subcommands: [Report.self, Adopt.self, Define.self, Plan.self, Fact.self])

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Показатели за год: план, факт, статус и как получен факт.")
        @OptionGroup var data: DataDirectory
        @Option(name: .long, help: "Код региона.") var region: String
        @Option(name: .long, help: "Год.") var year: Int
        @Option(name: .long, help: "Формат: table, csv или json.") var format: OutputFormat = .table

        func run() async throws {
            let report = try await data.openExisting().targetIndicators.report(regionCode: region, year: year, by: .local)
            if format == .json { return try Output.json(report) }
            let table = IndicatorReportTable.table(report)
            if format == .csv { return print(CSV.write(table.textRows), terminator: "") }
            print(table.title)
            Output.print(rows: [["№", "Код", "Показатель", "План", "Факт", "Статус"]] + report.rows.map { row in
                [String(row.indicator.id), row.indicator.code, row.indicator.title, row.plan?.russian ?? "—",
                 row.fact.map { PlanFormat.number($0.value) } ?? "—", row.status.russianName]
            }, format: .table)
            for row in report.rows where row.fact != nil {
                print("\(row.indicator.code): " + (row.fact?.trace.joined(separator: " ") ?? ""))
            }
        }
    }

    struct Adopt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Принять показатели концепции (seed 000 §3) и показатели МЭДК.")
        @OptionGroup var data: DataDirectory
        @Option(name: .long, help: "Код региона.") var region: String

        func run() async throws {
            let indicators = try await data.openExisting().targetIndicators.adoptCatalogue(regionCode: region, by: .local)
            print("Показателей у региона: \(indicators.count).")
            indicators.forEach { print("  №\($0.id) \($0.code) \($0.title) — \($0.source.russianName)") }
        }
    }

    struct Define: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Добавить показатель региональной программы (его факт вносит регион).")
        @OptionGroup var data: DataDirectory
        @Option(name: .long, help: "Код региона.") var region: String
        @Option(name: .long, help: "Номер показателя в программе.") var code: String
        @Option(name: .long, help: "Название.") var title: String

        func run() async throws {
            let indicator = try await data.openExisting().targetIndicators.define(regionCode: region, code: code, title: title, by: .local)
            print("Показатель №\(indicator.id) «\(indicator.title)» добавлен: задайте план (medk indicators plan \(indicator.id) …).")
        }
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Задать план на год так, как он записан в программе; печатается, как он прочитан.",
            discussion: "Без --yes только показывает прочтение и ничего не сохраняет.")
        @OptionGroup var data: DataDirectory
        @Argument(help: "Номер показателя (medk indicators adopt или list).") var indicator: Int64
        @Option(name: .long, help: "Год.") var year: Int
        @Option(name: .long, help: "Формулировка плана, например «не менее 11% школ данной категории».") var wording: String
        @Flag(name: .long, help: "Прочтение верно: сохранить.") var yes = false

        func run() async throws {
            let reading = try TargetIndicators.reading(wording)
            print("Прочитано как: \(reading.russian).")
            guard yes else { return print("Ничего не сохранено: если прочтение верно, повторите с --yes.") }
            _ = try await data.openExisting().targetIndicators.setPlan(indicatorID: indicator, year: year, wording: wording, by: .local)
            print("План сохранён.")
        }
    }

    struct Fact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Внести факт показателя, который не рассчитывает МЭДК (доля — в процентах).",
            discussion: """
                Факт опирается на документ региона с файлом (справку, приказ, протокол), который загружают на сайте \
                или через API; факт учитывается, когда ФИОКО подтвердит этот документ.
                """)
        @OptionGroup var data: DataDirectory
        @Argument(help: "Номер показателя.") var indicator: Int64
        @Option(name: .long, help: "Год.") var year: Int
        @Option(name: .long, help: "Значение.") var value: Double
        @Option(name: .long, help: "Откуда факт: мониторинг, отчёт, приказ.") var comment: String
        @Option(name: .long, help: "Номер документа региона, на котором стоит факт.") var document: Int64

        func run() async throws {
            try await data.openExisting().targetIndicators.enterFact(indicatorID: indicator, year: year, value: value, comment: comment,
                                                                     evidenceItemID: document, by: .local)
            print("Факт сохранён: он будет учтён, когда документ №\(document) подтвердит ФИОКО.")
        }
    }
}
