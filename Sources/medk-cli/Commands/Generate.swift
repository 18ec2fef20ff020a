import ArgumentParser
import Foundation
import MEDKCore

enum DatasetSizeArgument: String, ExpressibleByArgument, CaseIterable {
    case demo, region, country
    var value: DatasetSize { DatasetSize(rawValue: rawValue)! }
}

struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Создать синтетический набор данных для проверки и замеров (в пустом каталоге).",
        discussion: """
        demo — регион, 3 муниципалитета, 12 школ; region — большой регион: 1 700 школ, около 100 000 мероприятий; \
        country — страна: 85 регионов в их часовых поясах, 40 000 школ, около 2,4 млн мероприятий. \
        Набор детерминирован: одно и то же зерно (--seed) даёт одни и те же данные. История кампании «500+ 2026» \
        проходит через те же правила, что и работа людей (политика доступа, состояния, журнал аудита). \
        Пароль всех учётных записей берётся из переменной MEDK_PASSWORD.
        """)
    @OptionGroup var data: DataDirectory
    @Option(name: .long, help: "Размер: demo, region, country.") var size: DatasetSizeArgument
    @Option(name: .long, help: "Зерно генератора (по умолчанию 1).") var seed: UInt64 = 1
    @Option(name: .long, help: "Формат вывода: table или json.") var format: OutputFormat = .table

    func validate() throws {
        guard format != .csv else { throw ValidationError("--format: table или json.") }
    }

    func run() async throws {
        guard let password = ProcessInfo.processInfo.environment["MEDK_PASSWORD"], !password.isEmpty else {
            throw MEDKError.invalid("password_required", "Задайте пароль учётных записей в переменной MEDK_PASSWORD.")
        }
        let service = try data.open()
        let accounts = try await service.generate(size.value, seed: seed, password: password) { line in
            Terminal.info(line)
        }
        if format == .json { return try Output.json(accounts) }
        print("""
        Набор данных «\(size.rawValue)» создан в \(data.url.path).
        Куратор: \(accounts.curator)
        Муниципальный координатор: \(accounts.municipal)
        Региональный координатор: \(accounts.regional)
        Федеральный оператор: \(accounts.federal)
        Пароль всех учётных записей — из MEDK_PASSWORD.
        """)
    }
}
