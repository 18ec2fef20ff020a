import ArgumentParser
import Foundation
import MEDKCore

/// Identification of schools from results and social context (issue 23): data, identification,
/// and a region's lists of ШНОР/ШНСУ from draft to approval, as the machine's operator.
struct ResultsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Результаты школ: идентификация ШНОР/ШНСУ по индексам результатов и социального благополучия.",
        subcommands: [ImportFile.self, Identify.self, Draft.self, Lists.self, Show.self, Decide.self, Approve.self, Discard.self, Verify.self,
                      DynamicsCommand.self, Bench.self])

    struct ImportFile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Загрузить результаты школ: components — средние баллы ЕГЭ/ОГЭ/ВПР-4 (Код школы;Год;Экзамен;Предмет;Средний балл;Участников), "
                + "social — показатели социального контекста (Код школы;Год;Показатель;Значение).",
            discussion: "CSV в UTF-8 или Windows-1251; файл с ошибочной строкой не меняет ничего. Повторная загрузка исправляет значения.")
        @OptionGroup var data: DataDirectory
        @Argument(help: "Что в файле: components или social.") var kind: String
        @Argument(help: "Файл CSV или XLSX.") var file: String
        @Flag(name: .long, help: "Только проверить.") var dryRun = false

        func run() async throws {
            guard let kind = ResultsFileKind(rawValue: kind) else { throw ValidationError("Вид файла: components или social.") }
            guard let bytes = FileManager.default.contents(atPath: file) else {
                throw MEDKError.invalid("file_not_found", "Не удалось прочитать файл «\(file)».")
            }
            let report = try await data.openExisting().resultsData.importFile(
                kind, data: bytes, fileName: URL(fileURLWithPath: file).lastPathComponent, dryRun: dryRun, by: .local)
            print((dryRun ? "Проверка (ничего не записано): " : "Загружено: ")
                  + "новых значений \(report.created), исправленных \(report.updated), без изменений \(report.unchanged).")
        }
    }

    struct Identify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Разместить школы региона по четырём группам (методика seed 000) по загруженным данным; ничего не меняет.")
        @OptionGroup var data: DataDirectory
        @Option(name: .long, help: "Код региона.") var region: String
        @Option(name: .long, help: "Год идентификации (окно — три года до него включительно).") var year: Int
        @Option(name: .long, help: "Формат: table или json.") var format: OutputFormat = .table

        func run() async throws {
            let run = try await data.openExisting().resultsData.identify(regionCode: region, year: year, by: .local)
            if format == .json { return try Output.json(run) }
            let number = { (value: Double?) in value.map { String(format: "%.2f", $0) } ?? "—" }
            print("Пороги: результаты \(number(run.resultsCut)), социальное благополучие \(number(run.socialCut)).")
            Output.print(rows: [["Школа", "Индекс результатов", "Индекс благополучия", "Группа", "Участников", ""]] + run.placements.map {
                [$0.schoolCode, number($0.resultsIndex), number($0.socialIndex), $0.group?.russianName ?? "недостаточно данных",
                 String($0.participants), $0.uncertain ? "без уверенности" : ""]
            }, format: .table)
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Замер: идентификация синтетического набора школ (как у региона или всей страны) по методике seed 000.",
            discussion: "Данные создаются в памяти по зерну и в замер не входят; печатается время одного прогона (медиана и худший) и группы.")
        @Option(name: .long, help: "Сколько школ (регион — около 1 700, страна — около 40 000).") var schools: Int = 40_000
        @Option(name: .long, help: "Год идентификации; окно — три года до него включительно.") var year: Int = 2026
        @Option(name: .long, help: "Зерно данных.") var seed: UInt64 = 1
        @Option(name: .long, help: "Сколько прогонов.") var runs: Int = 5

        func validate() throws {
            guard (1...200_000).contains(schools), (1...50).contains(runs) else { throw ValidationError("--schools 1…200000, --runs 1…50.") }
        }

        func run() async throws {
            let method = IdentificationMethod.seed000
            let data = SyntheticResults.schools(count: schools, years: (year - method.windowYears + 1)...year, seed: seed)
            var times: [Double] = []
            var last: IdentificationRun?
            for _ in 0..<runs {
                let started = DispatchTime.now().uptimeNanoseconds
                last = Identification.run(method, year: year, schools: data)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
            }
            times.sort()
            guard let run = last else { return }
            let counts = Dictionary(grouping: run.placements.compactMap(\.group), by: { $0 }).mapValues(\.count)
            print("Школ: \(schools), лет: \(method.windowYears), компонентов: \(method.components.count); "
                  + "прогон: медиана \(String(format: "%.1f", times[times.count / 2])) мс, худший \(String(format: "%.1f", times.last!)) мс.")
            print(SchoolGroup.allCases.map { "\($0.russianName): \(counts[$0] ?? 0)" }.joined(separator: "; ")
                  + "; недостаточно данных: \(run.placements.filter { $0.group == nil }.count)"
                  + "; размещены без уверенности: \(run.placements.filter(\.uncertain).count).")
        }
    }

    struct Draft: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Составить проект списка ШНОР/ШНСУ региона по загруженным данным (методика seed 000; статусы школ не меняются).")
        @OptionGroup var data: DataDirectory
        @Option(name: .long, help: "Код региона.") var region: String
        @Option(name: .long, help: "Год списка.") var year: Int
        @Option(name: .long, help: "Последний день возражений муниципалитетов (ГГГГ-ММ-ДД).") var objectionsUntil: String
        @Option(name: .long, help: "Порог результатов, процентиль (1–99).") var resultsCut: Double = 25
        @Option(name: .long, help: "Порог благополучия, процентиль (1–99).") var socialCut: Double = 25
        @Option(name: .long, help: "Меньше участников за окно — «недостаточно данных».") var minimumParticipants: Int = 15
        @Option(name: .long, help: "Показатель социального контекста (можно несколько); по умолчанию — показатели seed 000.") var indicator: [String] = []
        @Flag(name: .long, help: "Заменить открытый проект региона.") var replace = false

        func run() async throws {
            guard let until = CalendarDate(objectionsUntil) else { throw ValidationError("Дата — ГГГГ-ММ-ДД.") }
            var method = IdentificationMethod.seed000
            method.resultsCut = .percentile(resultsCut / 100)
            method.socialCut = .percentile(socialCut / 100)
            method.minimumParticipants = minimumParticipants
            if !indicator.isEmpty { method.social = indicator.map { SocialComponent($0) } }
            let list = try await data.openExisting().identificationLists.prepare(
                regionCode: region, year: year, method: method, objectionsUntil: until, replacingDraft: replace, by: .local)
            print("Проект списка №\(list.id) (\(list.year), методика версии \(list.methodVersion)): входят в ШНОР \(list.counts.entering), "
                  + "выходят \(list.counts.leaving), меняется статус \(list.counts.changes). Возражения — до \(list.objectionsUntil.russian).")
        }
    }

    struct Lists: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Списки ШНОР/ШНСУ региона, новые сверху.")
        @OptionGroup var data: DataDirectory
        @Option(name: .long, help: "Код региона.") var region: String
        @Option(name: .long, help: "Формат: table или json.") var format: OutputFormat = .table

        func run() async throws {
            let lists = try await data.openExisting().identificationLists.lists(regionCode: region, by: .local)
            if format == .json { return try Output.json(lists) }
            Output.print(rows: [["№", "Год", "Состояние", "Методика", "Меняется статус", "Ждут возражения"]] + lists.map {
                [String($0.id), String($0.year), $0.state.russianName, "версия \($0.methodVersion)", String($0.counts.changes),
                 String($0.counts.pendingObjections)]
            }, format: .table)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Строки списка: школы, индексы, решения по правилам, статус до и по списку; возражения.")
        @OptionGroup var data: DataDirectory
        @Argument(help: "Номер списка.") var list: Int64
        @Option(name: .long, help: "Какие школы: changes, uncertain, insufficientData, objected, all.") var filter: String = "changes"
        @Option(name: .long, help: "Формат: table, csv или json.") var format: OutputFormat = .table

        func run() async throws {
            guard let filter = ListEntryFilter(rawValue: filter) else { throw ValidationError("--filter: changes, uncertain, insufficientData, objected, all.") }
            let lists = try await data.openExisting().identificationLists
            let (summary, entries) = try await lists.allEntries(listID: list, by: .local)
            let view = try await lists.view(listID: list, filter: filter, page: PageRequest(limit: 1), by: .local)
            let shown = entries.filter(filter.matches)
            if format == .json { return try Output.json(shown) }
            let table = IdentificationListTable.table(summary, shown)
            if format == .csv { return print(CSV.write(table.textRows), terminator: "") }
            print(table.title)
            table.notes.forEach { print($0) }
            Output.print(rows: table.textRows, format: .table)
            for objection in view.objections {
                print("Возражение №\(objection.id) (\(objection.state.russianName)): \(objection.schoolName) — просит «\(objection.wanted.russian)»; "
                      + "\(objection.author ?? "—"): \(objection.reason)" + (objection.decisionComment.map { " Ответ: \($0)" } ?? ""))
            }
        }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Решить возражение муниципалитета: accept — принять, reject — отклонить (с --comment).")
        @OptionGroup var data: DataDirectory
        @Argument(help: "Номер возражения.") var objection: Int64
        @Argument(help: "accept или reject.") var decision: String
        @Option(name: .long, help: "Ответ муниципалитету (при отклонении обязателен).") var comment: String?

        func run() async throws {
            guard ["accept", "reject"].contains(decision) else { throw ValidationError("Решение: accept или reject.") }
            let decided = try await data.openExisting().identificationLists.decide(objectionID: objection, accept: decision == "accept",
                                                                                  comment: comment, by: .local)
            print("Возражение №\(decided.id) по школе «\(decided.schoolName)»: \(decided.state.russianName).")
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Утвердить список: статусы ШНОР/ШНСУ школ меняются по нему, список закрепляется с методикой и данными.")
        @OptionGroup var data: DataDirectory
        @Argument(help: "Номер списка.") var list: Int64
        @Flag(name: .long, help: "Завершить приём возражений досрочно.") var closeObjections = false

        func run() async throws {
            let approved = try await data.openExisting().identificationLists.approve(listID: list, closingObjectionsEarly: closeObjections, by: .local)
            print("Список №\(approved.id) утверждён.")
        }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Отменить проект списка (он остаётся в истории).")
        @OptionGroup var data: DataDirectory
        @Argument(help: "Номер списка.") var list: Int64

        func run() async throws {
            let discarded = try await data.openExisting().identificationLists.discard(listID: list, by: .local)
            print("Проект №\(discarded.id) отменён.")
        }
    }

    struct DynamicsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dynamics",
            abstract: "Динамика школ ШНОР по годам: рост, снижение, «не различить», доля с положительной динамикой; вошедшие и вышедшие из зоны низких результатов.")
        @OptionGroup var data: DataDirectory
        @Option(name: .long, help: "Код региона.") var region: String
        @Option(name: .long, help: "Код муниципалитета.") var municipality: String?
        @Option(name: .long, help: "Сколько последних лет (2–10).") var years: Int = 4
        @Option(name: .long, help: "Формат: table, csv (все школы) или json.") var format: OutputFormat = .table

        func run() async throws {
            guard (2...10).contains(years) else { throw ValidationError("--years: от 2 до 10.") }
            let service = try await data.openExisting()
            let municipalityID = try await municipality.asyncMapCLI { try await service.municipality(code: $0).id }
            let report = try await service.resultsDynamics.territory(regionCode: region, municipalityID: municipalityID, years: years, by: .local)
            if format == .json { return try Output.json(report) }
            if format == .csv { return print(CSV.write(ResultsDynamicsTable.table(report).textRows), terminator: "") }
            print("Динамика: \(report.region.name)" + (report.municipalityName.map { ", \($0)" } ?? "")
                  + "; методика — " + (report.methodVersion.map { "версия \($0)" } ?? "seed 000") + ".")
            Output.print(rows: [["Год", "Школ ШНОР", "Рост", "Не различить", "Снижение", "Нет данных", "Доля с ростом", "Вошли в зону", "Вышли"]]
                + report.changes.map { year in
                    [String(year.year), String(year.programmeSchools), String(year.improved), String(year.unclear), String(year.declined),
                     String(year.noData), year.improvedShare.map { "\(Int(($0 * 100).rounded())) %" } ?? "—",
                     String(year.enteredLow.count), String(year.leftLow.count)]
                }, format: .table)
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Проверить, что список воспроизводится из своей методики и данных (сравнение хэшей SHA-256).")
        @OptionGroup var data: DataDirectory
        @Argument(help: "Номер списка.") var list: Int64

        func run() async throws {
            let check = try await data.openExisting().identificationLists.verify(listID: list, by: .local)
            print("Данные: \(check.inputsHash) — \(check.reproducedInputsHash == check.inputsHash ? "совпадают" : "НЕ совпадают (\(check.reproducedInputsHash))")")
            print("Расчёт: \(check.runHash) — \(check.reproducedRunHash == check.runHash ? "совпадает" : "НЕ совпадает (\(check.reproducedRunHash))")")
            guard check.matches else { throw ExitCode(1) }
            print("Список №\(list) воспроизводится бит в бит.")
        }
    }
}

extension Optional {
    func asyncMapCLI<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
