import ArgumentParser
import Foundation
import MEDKCore

struct ReviewTimes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review-times",
        abstract: "Сроки проверки документов по проверяющим: решения за период, медиана и 90-й процентиль, кто ждёт сейчас.",
        discussion: "Время — от отправки на проверку до решения (подтверждения или возврата). Период — в часовом поясе территории "
            + "(страна — Москва); по умолчанию последние 30 дней. Без --region/--municipality — ваша территория.")
    @Option(name: .long, help: "Код региона.") var region: String?
    @Option(name: .long, help: "Код муниципалитета.") var municipality: String?
    @Option(name: .long, help: "Код кампании; по умолчанию — последняя.") var campaign: String?
    @Option(name: .long, help: "Первый день периода (ГГГГ-ММ-ДД).") var from: String?
    @Option(name: .long, help: "Последний день периода (ГГГГ-ММ-ДД), по умолчанию сегодня.") var to: String?
    @Option(name: .long, help: "Формат вывода: table, json, csv, xlsx (с --output).") var format: TableOutputFormat = .table
    @Option(name: .long, help: "Файл, куда записать таблицу (для xlsx обязателен).") var output: String?

    func validate() throws {
        try format.requireFile(output)
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, CalendarDate(value) == nil { throw ValidationError("Дата \(name) «\(value)» не распознана: нужен ГГГГ-ММ-ДД.") }
        }
        if region != nil && municipality != nil { throw ValidationError("Укажите либо --region, либо --municipality.") }
    }

    func run() async throws {
        let report = try await APIClient.saved().get("/api/v1/review-times", query: [
            "region": region, "municipality": municipality, "campaign": campaign, "from": from, "to": to,
        ], as: ReviewTimesReport.self)
        if format == .json { return try Output.json(report) }
        let table = ReviewTimesTable.table(report)
        if try Output.export(table, format: format, output: output) { return }
        print(ReviewTimesTable.notes(report).joined(separator: "\n"))
        guard !report.reviewers.isEmpty || !report.regions.isEmpty else { return print("\nЗа период решений нет, и ничего не ждёт проверки.") }
        print("")
        Output.print(rows: table.textRows, format: .table)
    }
}
