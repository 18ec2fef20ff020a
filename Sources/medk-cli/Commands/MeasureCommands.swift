import ArgumentParser
import Foundation
import MEDKCore

struct MeasureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure", abstract: "Мероприятия дорожной карты: добавить, отчитаться.",
        subcommands: [Add.self, Report.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Добавить мероприятие в дорожную карту (черновик или на доработке).")
        @Argument(help: "Номер дорожной карты.") var roadmap: Int64
        @Option(name: .long, help: "Задача.") var task: String
        @Option(name: .long, help: "Название мероприятия.") var title: String
        @Option(name: .long, help: "Срок: ГГГГ-ММ-ДД или ДД.ММ.ГГГГ.") var due: String
        @Option(name: .long, help: "Ответственные.") var responsible: String
        @Option(name: .long, help: "Ожидаемый результат.") var result: String
        @Option(name: .long, help: "Показатель.") var indicator: String
        @Option(name: .long, help: "Плановое значение показателя.") var planned: String
        @Option(name: .long, help: "Школьная карта: номер фактора риска.") var risk: Int?
        @Option(name: .long, help: "Муниципальная карта: направление 1, 2 или 3.") var track: Int?
        @Option(name: .long, help: "Муниципальная карта: мероприятие региональной дорожной карты.") var regional: String?

        func run() async throws {
            guard let dueDate = CalendarDate(due) else { throw ValidationError("Срок «\(due)» не распознан: нужен ГГГГ-ММ-ДД или ДД.ММ.ГГГГ.") }
            var trackValue: MunicipalTrack?
            if let track {
                guard let value = MunicipalTrack(rawValue: track) else { throw ValidationError("Направление — 1, 2 или 3.") }
                trackValue = value
            }
            let client = try APIClient.saved()
            let input = MeasureInput(task: task, title: title, dueDate: dueDate, responsible: responsible, expectedResult: result,
                                     indicator: indicator, plannedValue: planned, riskFactorNumber: risk, track: trackValue,
                                     regionalMeasure: regional)
            let measure = try await client.send("POST", "/api/v1/items/\(roadmap)/measures", json: Body(measure: input), as: Measure.self)
            print("Мероприятие №\(measure.position) (id \(measure.id)) добавлено в дорожную карту №\(roadmap).")
        }

        struct Body: Encodable { var measure: MeasureInput }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Отчитаться о мероприятии: фактическое значение, подтверждающие файлы и (с --submit) отправка куратору.")
        @Argument(help: "id мероприятия (из medk show ДОРОЖНАЯ_КАРТА).") var measure: Int64
        @Option(name: .long, help: "Фактическое значение показателя.") var actual: String?
        @Option(name: .long, help: "Подтверждающий файл; можно несколько раз.") var evidence: [String] = []
        @Flag(name: .long, help: "Сразу отправить отчёт на проверку.") var submit = false

        func run() async throws {
            let client = try APIClient.saved()
            var report = try await client.send("POST", "/api/v1/measures/\(measure)/report", json: Body(actualValue: actual), as: ItemDetail.self)
            for path in evidence {
                let url = URL(fileURLWithPath: path)
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    throw MEDKError.invalid("file_not_found", "Не удалось прочитать файл «\(path)».")
                }
                let (body, _) = try await client.raw("POST", "/api/v1/items/\(report.item.id)/files",
                                                     query: ["fileName": url.lastPathComponent], body: data,
                                                     contentType: "application/octet-stream")
                report = try APIClient.decoder.decode(ItemDetail.self, from: body)
            }
            if submit {
                report = try await client.send("POST", "/api/v1/items/\(report.item.id)/transitions",
                                               json: TransitionRequest(action: .submit, expectedState: report.item.state,
                                                                       expectedRevision: report.item.revision),
                                               as: ItemDetail.self)
            }
            print("Отчёт №\(report.item.id) по мероприятию \(measure): \(report.item.stateName), файлов \(report.files.count).")
        }

        struct Body: Encodable { var actualValue: String? }
    }
}

struct Deadlines: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Соблюдение сроков: по школам — контрольные точки и мероприятия, по кураторам — ожидающие проверки.",
        discussion: "Сроки — календарные даты в часовом поясе региона школы. Без --region/--municipality — ваша территория.")
    @Option(name: .long, help: "Код региона.") var region: String?
    @Option(name: .long, help: "Код муниципалитета.") var municipality: String?
    @Option(name: .long, help: "Код кампании; по умолчанию — последняя.") var campaign: String?
    @Option(name: .long, help: "На дату (ГГГГ-ММ-ДД): состояние на конец этого дня по местному времени.") var asOf: String?
    @Option(name: .long, help: "Формат вывода: table, json, csv.") var format: OutputFormat = .table

    func validate() throws {
        if let asOf, CalendarDate(asOf) == nil { throw ValidationError("Дата --as-of «\(asOf)» не распознана: нужен ГГГГ-ММ-ДД.") }
        if region != nil && municipality != nil { throw ValidationError("Укажите либо --region, либо --municipality.") }
    }

    func run() async throws {
        let report = try await APIClient.saved().get("/api/v1/deadlines", query: [
            "region": region, "municipality": municipality, "campaign": campaign, "asOf": asOf.flatMap(CalendarDate.init)?.description,
        ], as: ComplianceReport.self)
        switch format {
        case .json:
            try Output.json(report)
        case .csv:
            Output.print(rows: ComplianceTable.rows(report), format: .csv)
        case .table:
            print("Кампания «\(report.campaignName)», \(report.scope), " + (report.asOf.map { "на конец \($0.russian)" } ?? "на текущий момент"))
            print(Output.table(ComplianceTable.rows(report)))
            print("Кураторы:\n" + Output.table(ComplianceTable.curatorRows(report)))
        }
    }
}
