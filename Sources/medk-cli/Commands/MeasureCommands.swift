import ArgumentParser
import Foundation
import MEDKAPI
import MEDKCore

struct MeasureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure", abstract: "Мероприятия дорожной карты: добавить, импортировать из таблицы, отчитаться.",
        subcommands: [Add.self, Import.self, Report.self, Regional.self])

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
        @Option(name: .long, help: "Муниципальная карта: мероприятие региональной дорожной карты словами.") var regional: String?
        @Option(name: .customLong("regional-measure"),
                help: "Муниципальная карта: id мероприятия подтверждённой региональной дорожной карты (список — medk measure regional).")
        var regionalMeasure: Int64?
        @Option(name: .long, help: "Региональная карта: этап.") var stage: String?
        @Option(name: .customLong("normative-document"), help: "Региональная карта: нормативный документ, на котором основано мероприятие.")
        var normativeDocument: String?

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
                                     regionalMeasure: regional, regionalMeasureID: regionalMeasure, stage: stage,
                                     normativeDocument: normativeDocument)
            let measure = try await client.send("POST", "/api/v1/items/\(roadmap)/measures", json: MeasureRequest(measure: input), as: Measure.self)
            print("Мероприятие №\(measure.position) (id \(measure.id)) добавлено в дорожную карту №\(roadmap).")
        }
    }

    struct Regional: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Мероприятия подтверждённой региональной дорожной карты, которые может реализовать мероприятие муниципальной.")
        @Argument(help: "Номер муниципальной дорожной карты.") var roadmap: Int64

        func run() async throws {
            let client = try APIClient.saved()
            let choices = try await client.get("/api/v1/items/\(roadmap)/regional-measures", as: ListResponse<RegionalMeasureChoice>.self).items
            guard !choices.isEmpty else {
                print("Региональная дорожная карта этой кампании ещё не подтверждена ФИОКО: выбрать пока не из чего.")
                return
            }
            for choice in choices {
                print("id \(choice.id): \(choice.label)\(choice.dueDate.map { ", срок \($0.russian)" } ?? "")")
            }
            print("Укажите id в medk measure add \(roadmap) ... --regional-measure ID.")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Импортировать мероприятия из таблицы (DOCX, XLSX, CSV); с --dry-run — только показать, как она прочитана.",
            discussion: """
                Программа находит таблицу по строке заголовка («Мероприятие», «Сроки реализации», «Ответственные»…), \
                понимает строки-разделы («Трек 1. …», «Цель: …», «Первый этап: …»), строки, перенесённые на новую \
                страницу, и сроки, написанные словами («Апрель 2023г.», «I квартал», «Ежемесячно»). С --dry-run \
                ничего не сохраняется: показывается каждое мероприятие и замечания к нему. Без --dry-run мероприятия \
                добавляются в дорожную карту все сразу или, если какую-то строку сохранить нельзя, ни одно; срок из \
                нескольких дат или периодичный («Ежемесячно») даёт по мероприятию на каждую дату, а непонятый срок \
                сохраняется текстом без даты — его нужно указать до отправки на проверку.
                """)
        @Argument(help: "Номер дорожной карты.") var roadmap: Int64
        @Argument(help: "Файл таблицы: .docx, .xlsx или .csv.") var file: String
        @Flag(name: .long, help: "Только показать, как будет прочитана таблица, ничего не сохраняя.") var dryRun = false
        @Flag(name: .long, help: "Заменить мероприятия, которые уже есть в дорожной карте (исправленная таблица загружается снова).")
        var replace = false
        @Flag(name: .customLong("new-only"),
              help: "Добавить только строки, которых ещё нет в дорожной карте (то же название и срок) — для дополненной таблицы.")
        var newOnly = false
        @Option(name: .long, help: "Год программы для сроков без года; по умолчанию — год кампании.") var year: Int?
        @Option(name: .long, help: "Вывод: table или json; с --dry-run ещё xlsx — как прочитана таблица, книгой Excel (с --output).")
        var format: TableOutputFormat = .table
        @Option(name: .long, help: "Файл для --format xlsx.") var output: String?

        func validate() throws {
            if replace && newOnly { throw ValidationError("--replace и --new-only вместе не указываются: выберите одно.") }
            if format == .csv { throw ValidationError("--format: table, json или (с --dry-run) xlsx.") }
            if format == .xlsx && !dryRun { throw ValidationError("--format xlsx — только с --dry-run: книга показывает, как прочитана таблица.") }
            try format.requireFile(output)
        }

        func run() async throws {
            let url = URL(fileURLWithPath: file)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw MEDKError.invalid("file_not_found", "Не удалось прочитать файл «\(file)».")
            }
            let client = try APIClient.saved()
            var query: [String: String?] = ["fileName": url.lastPathComponent]
            if let year { query["year"] = String(year) }
            guard !dryRun else {
                let (body, _) = try await client.raw("POST", "/api/v1/items/\(roadmap)/measures/import-preview", query: query,
                                                     body: data, contentType: "application/octet-stream")
                let preview = try APIClient.decoder.decode(RoadmapImportPreview.self, from: body)
                if format == .json { return try Output.json(preview) }
                if format == .xlsx, let output {
                    return try Output.save(try XLSXWriter.workbook(ImportPreviewTable.table(preview, fileName: url.lastPathComponent)),
                                           to: output)
                }
                return print(Self.describe(preview), terminator: "")
            }
            // Without either, rows the roadmap already has make the server refuse rather than double it.
            if replace { query["mode"] = MeasureImportMode.replace.rawValue }
            if newOnly { query["mode"] = MeasureImportMode.addNew.rawValue }
            let (body, _) = try await client.raw("POST", "/api/v1/items/\(roadmap)/measures/import", query: query,
                                                 body: data, contentType: "application/octet-stream")
            let result = try APIClient.decoder.decode(MeasureImportResult.self, from: body)
            if format == .json { return try Output.json(result) }
            print(Self.describe(result), terminator: "")
        }

        /// What was saved: how many rows and measures, and what still needs a person.
        static func describe(_ result: MeasureImportResult) -> String {
            var out = "Импортировано в дорожную карту №\(result.roadmapID) из «\(result.fileName)»: строк таблицы \(result.rows), "
                + "мероприятий \(result.measuresCreated) (повторяющиеся сроки — отдельными мероприятиями).\n"
            if result.replaced > 0 { out += "Прежние мероприятия заменены: \(result.replaced).\n" }
            if result.skipped > 0 { out += "Уже были в дорожной карте и не добавлены: \(result.skipped).\n" }
            for problem in result.problems { out += "! \(problem.message)\n" }
            if result.undated > 0 {
                out += "! Без срока: \(result.undated). Укажите срок (medk show \(result.roadmapID) покажет их), "
                    + "иначе дорожную карту нельзя отправить на проверку:\n"
                for measure in result.measures where measure.dueDate == nil {
                    out += "  id \(measure.id): «\(measure.title)», в таблице: «\(measure.deadlineText ?? "")»\n"
                }
            }
            return out
        }

        /// Every measure as read, one block each, flagged ones marked.
        static func describe(_ preview: RoadmapImportPreview) -> String {
            var out = "Таблица «\(preview.table)» (\(preview.format.russianName)), заголовок в строке \(preview.headerLine); "
                + "год программы \(preview.programmeYear).\n"
            out += "Столбцы: " + preview.recognisedColumns.joined(separator: "; ") + ".\n"
            for problem in preview.problems { out += "! \(problem.message)\n" }
            out += "Мероприятий: \(preview.measures.count), требуют внимания: \(preview.flaggedCount)"
                + (preview.pastCount > 0 ? " (срок уже прошёл: \(preview.pastCount))" : "") + ".\n"
            for measure in preview.measures {
                out += "\n" + (measure.isFlagged ? "! " : "") + "Строка \(measure.line)"
                    + (measure.number.map { " № \($0)" } ?? "") + ": «\(measure.title)»\n"
                for line in measure.outline { out += "  \(line)\n" }
                out += "  Срок: «\(measure.deadlineText)» → \(measure.russianDueDates)"
                    + (measure.recurrence.map { " (\($0.russianName))" } ?? "") + "\n"
                if let factor = measure.riskFactorNumber { out += "  Фактор риска: № \(factor)\n" }
                for (label, value) in [("Ответственные", measure.responsible), ("Показатель", measure.indicator),
                                       ("Результат", measure.result), ("Плановое значение", measure.plannedValue),
                                       ("Нормативный документ", measure.normativeDocument),
                                       ("Региональная мера", measure.regionalMeasure)] where !value.isEmpty {
                    out += "  \(label): \(value)\n"
                }
                for note in measure.notes { out += "  ! \(note.message)\n" }
            }
            return out
        }
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
            var report = try await client.send("POST", "/api/v1/measures/\(measure)/report", json: MeasureReportRequest(actualValue: actual), as: ItemDetail.self)
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
    }
}

struct Deadlines: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Соблюдение сроков: страна по регионам, регион по муниципалитетам и школам, муниципалитет по школам.",
        discussion: "Сроки — календарные даты в часовом поясе региона школы. Без --region/--municipality — ваша территория. "
            + "В формате csv — все школы территории (для страны — регионы).")
    @Option(name: .long, help: "Код региона.") var region: String?
    @Option(name: .long, help: "Код муниципалитета.") var municipality: String?
    @Option(name: .long, help: "Код кампании; по умолчанию — последняя.") var campaign: String?
    @Option(name: .long, help: "На дату (ГГГГ-ММ-ДД): состояние на конец этого дня по местному времени.") var asOf: String?
    @Flag(name: .long, help: "Только школы с отставанием.") var lagging = false
    @Option(name: .long, help: "Школ на странице (1–500, по умолчанию 50).") var limit: Int?
    @Option(name: .long, help: "Продолжить список школ с этого места.") var cursor: String?
    @Option(name: .long, help: "Формат вывода: table, json, csv, xlsx (с --output).") var format: TableOutputFormat = .table
    @Option(name: .long, help: "Файл, куда записать таблицу (для xlsx обязателен; для csv — вместо вывода на экран).") var output: String?

    func validate() throws {
        try format.requireFile(output)
        if let asOf, CalendarDate(asOf) == nil { throw ValidationError("Дата --as-of «\(asOf)» не распознана: нужен ГГГГ-ММ-ДД.") }
        if region != nil && municipality != nil { throw ValidationError("Укажите либо --region, либо --municipality.") }
    }

    func run() async throws {
        let client = try APIClient.saved()
        var query: [String: String?] = [
            "region": region, "municipality": municipality, "campaign": campaign, "asOf": asOf.flatMap { CalendarDate($0) }?.description,
            "lagging": lagging ? "true" : nil, "limit": limit.map(String.init), "cursor": cursor,
        ]
        if format == .csv || format == .xlsx {
            // The server writes the whole territory's table, the same file the web page downloads.
            query["format"] = format.rawValue
            if let output { return try await client.download("/api/v1/deadlines", query: query, to: output) }
            let (data, _) = try await client.raw("GET", "/api/v1/deadlines", query: query, body: nil)
            var text = String(decoding: data, as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            return print(text, terminator: "")
        }
        let report = try await client.get("/api/v1/deadlines", query: query, as: ComplianceReport.self)
        if format == .json { return try Output.json(report) }
        print("Кампания «\(report.campaignName)», \(report.scope), " + (report.asOf.map { "на конец \($0.russian)" } ?? "на текущий момент"))
        let totals = report.totals
        print("Школ: \(totals.schools), с отставанием: \(totals.laggingSchools); мероприятий: \(totals.measures.total), "
              + "подтверждено: \(totals.measures.confirmed), просрочено: \(totals.measures.overdue); ждут проверки: \(totals.waiting).")
        if let roadmap = report.municipalRoadmap {
            print("\n" + Self.describe(roadmap, title: "Дорожная карта муниципалитета", overdueFilter: "--municipality"), terminator: "")
        }
        if let roadmap = report.regionalRoadmap {
            print("\n" + Self.describe(roadmap, title: "Региональная дорожная карта", overdueFilter: "--region"), terminator: "")
        }
        if !report.parts.isEmpty {
            print("\n" + (report.level == .country ? "По регионам" : "По муниципалитетам") + ":\n" + Output.table(ComplianceTable.territoryRows(report)))
        }
        if let schools = report.schools {
            print("\nШколы:\n" + Output.table(ComplianceTable.rows(report)))
            Paging.footer(shown: schools.items.count, total: Paging.total(schools), next: schools.nextCursor?.description)
        }
        if report.level != .country {
            print("\nКураторы:\n" + Output.table(ComplianceTable.curatorRows(report)))
        }
    }
}

extension Deadlines {
    /// The territory's own roadmap (a municipality's or the region's), above its schools or municipalities.
    static func describe(_ roadmap: MunicipalRoadmapStatus, title: String, overdueFilter: String) -> String {
        guard let id = roadmap.roadmapID else { return "\(title): не начата.\n" }
        var out = "\(title) (№\(id), \(roadmap.stateName ?? "")): \(roadmap.measuresSummary).\n"
        if !roadmap.overdue.isEmpty {
            out += Output.table([["Мероприятие", "Срок", "Дней просрочки", "Отчёт"]] + roadmap.overdue.map {
                [$0.title, $0.dueDate.russian, String($0.daysOverdue), $0.reportState?.russianName ?? "нет"]
            })
            if roadmap.measures.overdue > roadmap.overdue.count {
                out += "… и ещё \(roadmap.measures.overdue - roadmap.overdue.count): medk overdue \(overdueFilter) КОД.\n"
            }
        }
        return out
    }
}

struct Overdue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Просроченные мероприятия: срок прошёл по времени школы, отчёт не подтверждён.",
        discussion: "Без отбора — всё, что вам доступно. Порядок: due — сначала самые давние, recent — недавние, school — по школам.")
    @Option(name: .long, help: "Код региона.") var region: String?
    @Option(name: .long, help: "Код муниципалитета.") var municipality: String?
    @Option(name: .long, help: "Код школы.") var school: String?
    @Option(name: .long, help: "Логин куратора: мероприятия закреплённых за ним школ.") var curator: String?
    @Option(name: .long, help: "Код кампании; по умолчанию — последняя.") var campaign: String?
    @Option(name: .long, help: "Порядок: due, recent, school.") var sort: String = "due"
    @OptionGroup var paging: Paging
    @Option(name: .long, help: "Формат вывода: table, json, csv; xlsx — весь список книгой Excel (с --output).")
    var format: TableOutputFormat = .table
    @Option(name: .long, help: "Файл для --format xlsx.") var output: String?

    func validate() throws {
        guard OverdueSort(rawValue: sort) != nil else { throw ValidationError("--sort: due, recent или school.") }
        try format.requireFile(output)
    }

    func run() async throws {
        if format == .xlsx, let output {
            // The whole list, as the server writes it for the web page's download.
            return try await APIClient.saved().download("/api/v1/overdue-measures", query: [
                "region": region, "municipality": municipality, "school": school, "curator": curator, "campaign": campaign,
                "sort": sort, "format": "xlsx",
            ], to: output)
        }
        let measures = try await paging.fetch(try APIClient.saved(), "/api/v1/overdue-measures", query: [
            "region": region, "municipality": municipality, "school": school, "curator": curator, "campaign": campaign, "sort": sort,
        ], as: OverdueMeasure.self, path: \OverdueList.measures)
        if format == .json { return try Output.json(measures.items) }
        Output.print(rows: ComplianceTable.overdueRows(measures.items), format: format == .csv ? .csv : .table)
        if format == .table && measures.items.isEmpty { Terminal.info("Просроченных мероприятий нет.") }
        Paging.footer(shown: measures.items.count, total: measures.total, next: measures.next)
    }
}

