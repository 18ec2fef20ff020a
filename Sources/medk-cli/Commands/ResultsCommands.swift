import ArgumentParser
import Foundation
import MEDKCore

/// Identification of schools from results and social context (issue 23; more subcommands follow
/// as the data gets its storage).
struct ResultsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Результаты школ: идентификация ШНОР/ШНСУ по индексам результатов и социального благополучия.",
        subcommands: [ImportFile.self, Identify.self, Bench.self])

    struct ImportFile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Загрузить результаты школ: components — средние баллы ЕГЭ/ОГЭ/ВПР-4 (Код школы;Год;Экзамен;Предмет;Средний балл;Участников), "
                + "social — показатели социального контекста (Код школы;Год;Показатель;Значение).",
            discussion: "CSV в UTF-8 или Windows-1251; файл с ошибочной строкой не меняет ничего. Повторная загрузка исправляет значения.")
        @OptionGroup var data: DataDirectory
        @Argument(help: "Что в файле: components или social.") var kind: String
        @Argument(help: "CSV-файл.") var file: String
        @Flag(name: .long, help: "Только проверить.") var dryRun = false

        func run() async throws {
            guard let kind = ResultsFileKind(rawValue: kind) else { throw ValidationError("Вид файла: components или social.") }
            guard let bytes = FileManager.default.contents(atPath: file) else {
                throw MEDKError.invalid("file_not_found", "Не удалось прочитать файл «\(file)».")
            }
            let report = try await data.openExisting().resultsData.importFile(
                kind, text: TableFileReader.decodeText(bytes), fileName: URL(fileURLWithPath: file).lastPathComponent, dryRun: dryRun, by: .local)
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
}
