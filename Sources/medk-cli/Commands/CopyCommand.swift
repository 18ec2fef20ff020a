import ArgumentParser
import Foundation
import MEDKCore

/// `medk copy`: a region on the embedded SQLite moves to PostgreSQL.
struct Copy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Перенести каталог данных SQLite (база, файлы, журнал с ключом) в пустую базу PostgreSQL и проверить перенос.",
        discussion: """
        Остановите сервер на SQLite перед переносом: копируется согласованный снимок, и записанное после него \
        останется в старой базе. Целевая база должна быть пустой (createdb) и без запущенных на ней серверов. \
        Ключ журнала (audit.key) кладётся в --data-dir — каталог данных серверов на PostgreSQL. Перенос — одна \
        транзакция: при любой ошибке в PostgreSQL ничего не остаётся. После переноса сверяются число строк каждой \
        таблицы, SHA-256 каждого файла, прочитанного обратно из PostgreSQL, и цепочка журнала аудита.
        """)

    @Option(name: .long, help: "Каталог данных SQLite, из которого переносить.") var from: String
    @Option(name: .long, help: "Адрес пустой базы PostgreSQL: postgres://пользователь@сервер:5432/база.") var to: String
    @Option(name: .long, help: "Каталог данных серверов на PostgreSQL (для ключа журнала). По умолчанию ./medk-data или MEDK_DATA_DIR.")
    var dataDir: String?

    func run() async throws {
        let source = URL(fileURLWithPath: from).standardizedFileURL
        let target = URL(fileURLWithPath: dataDir ?? ProcessInfo.processInfo.environment["MEDK_DATA_DIR"] ?? "./medk-data").standardizedFileURL
        guard source != target else {
            throw MEDKError.invalid("same_directory", "--data-dir для PostgreSQL должен отличаться от каталога SQLite (--from).")
        }
        Terminal.info("Перенос \(source.path) → PostgreSQL…")
        let result = try await DatabaseMove.sqliteToPostgres(from: source, to: to, dataDirectory: target) { line in Terminal.info(line) }
        let copy = result.copy
        let rows = copy.tables.reduce(0) { $0 + $1.rows }
        print("""
            Перенесено за \(Self.seconds(copy.seconds)): таблиц \(copy.tables.count), строк \(rows), файлов \(copy.files) \
            (\(ByteSize.russian(copy.fileBytes))).
            Проверено за \(Self.seconds(result.verificationSeconds)): число строк совпадает в каждой таблице; файлы прочитаны \
            из PostgreSQL, SHA-256 совпадают (\(ByteSize.russian(result.verifiedFileBytes))); журнал аудита цел: записей \(result.auditEntries).
            Ключ журнала — в \(target.appendingPathComponent("audit.key").path). Запуск: medk serve --data-dir \(target.path) --database …
            """)
    }

    static func seconds(_ value: Double) -> String {
        value < 60 ? String(format: "%.1f с", value) : String(format: "%d мин %02d с", Int(value) / 60, Int(value) % 60)
    }
}
