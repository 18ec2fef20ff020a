import ArgumentParser
import Foundation
import MEDKCore

/// `medk backup`, `medk restore`, `medk check`: copies an administrator can trust, and proof of it.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Записать копию: база, файлы документов и описание копии (можно при работающем сервере).",
        discussion: """
        Копия — каталог: medk.sqlite (согласованный снимок базы), files/ (документы, которые она называет) и \
        manifest.json (хеши и подписанная контрольная точка журнала), записанный последним: каталог без него — \
        незаконченная копия. Ключ журнала (audit.key) в копию не кладётся: храните его отдельно \
        (--include-key — положить и его). --verify читает копию заново и проверяет её целиком.
        """)
    @OptionGroup var data: DataDirectory
    @Argument(help: "Каталог копии (не должен существовать).") var directory: String
    @Flag(name: .long, help: "Проверить записанную копию: базу, SHA-256 каждого файла, журнал аудита.") var verify = false
    @Flag(name: .long, help: "Положить в копию и ключ журнала (audit.key).") var includeKey = false

    func run() async throws {
        let service = try await data.openExisting()
        let report = try await service.backups.write(to: URL(fileURLWithPath: directory), includingKey: includeKey, verify: verify) {
            Terminal.info($0)
        }
        let manifest = report.manifest
        print("""
            Копия записана: \(report.location.path)
            База: \(ByteSize.russian(manifest.database.bytes)), файлов документов \(manifest.files.count) \
            (\(ByteSize.russian(manifest.files.bytes))), записей журнала \(manifest.audit.lastSeq).
            """)
        if let check = report.check { print(CheckOutput.text(check)) }
        print(manifest.includesAuditKey
              ? "Ключ журнала — в копии: храните её там, куда нет доступа у посторонних."
              : "Ключа журнала в копии нет: для восстановления понадобится audit.key, хранящийся отдельно.")
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Восстановить каталог данных из копии medk backup и проверить его.",
        discussion: """
        Сначала проверяется копия (SHA-256 базы, integrity_check), затем она переносится во временный каталог рядом, \
        схема приводится к этой версии МЭДК, и проверяются SHA-256 каждого файла и журнал аудита — он должен \
        продолжать подписанную точку копии и каждую --checkpoint. Только после этого каталог встаёт на место. \
        Каталог с данными заменяется лишь с --replace и только если им не пользуется ни сервер, ни команда medk; \
        прежний каталог не удаляется, а остаётся рядом под новым именем.
        """)
    @Argument(help: "Каталог копии.") var backup: String
    @Option(name: .long, help: "Каталог данных, в который восстановить.") var dataDir: String
    @Flag(name: .long, help: "Заменить каталог, в котором уже есть данные (прежний остаётся рядом).") var replace = false
    @Option(name: .long, help: "Файл ключа журнала (audit.key), если его нет в копии и в каталоге данных.") var auditKey: String?
    @Option(name: .long, help: "Контрольная точка medk audit checkpoint, которую журнал должен продолжать (можно несколько).")
    var checkpoint: [String] = []

    func run() async throws {
        let report = try await Backups.restore(
            from: URL(fileURLWithPath: backup), into: URL(fileURLWithPath: dataDir), replacing: replace,
            auditKeyFile: auditKey.map { URL(fileURLWithPath: $0) }, checkpoints: try checkpoint.map(CheckpointFile.read)
        ) { Terminal.info($0) }
        print("Каталог данных восстановлен: \(report.dataDirectory.path) (копия от \(report.manifest.createdAt)).")
        print(CheckOutput.text(report.check))
        if let previous = report.previousDirectory {
            print("Прежний каталог сохранён: \(previous.path) — удалите его сами, когда убедитесь, что он не нужен.")
        }
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Проверить данные: базу, SHA-256 каждого файла документов, цепочку журнала аудита.",
        discussion: """
        Без --backup проверяется каталог данных (и база PostgreSQL, если указана: например, после pg_restore). \
        С --backup — копия medk backup, ничего в ней не меняя.
        """)
    @OptionGroup var data: DataDirectory
    @Option(name: .long, help: "Проверить копию medk backup в этом каталоге.") var backup: String?
    @Option(name: .long, help: "Файл ключа журнала для проверки копии (если его нет в ней).") var auditKey: String?
    @Option(name: .long, help: "Контрольная точка medk audit checkpoint, которую журнал должен продолжать (можно несколько).")
    var checkpoint: [String] = []

    func run() async throws {
        let points = try checkpoint.map(CheckpointFile.read)
        let report: DataCheckReport
        if let backup {
            report = try await Backups.verify(backup: URL(fileURLWithPath: backup), auditKeyFile: auditKey.map { URL(fileURLWithPath: $0) },
                                              dataDirectory: data.url, checkpoints: points) {
                Terminal.info($0)
            }
        } else {
            report = try await data.openExisting().checkData(continuing: points) { Terminal.info($0) }
        }
        print(CheckOutput.text(report))
    }
}

enum CheckpointFile {
    static func read(_ path: String) throws -> AuditCheckpoint {
        do {
            return try JSONDecoder().decode(AuditCheckpoint.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw MEDKError.invalid("checkpoint_unreadable", "Файл «\(path)» — не контрольная точка журнала МЭДК.")
        }
    }
}

enum CheckOutput {
    static func text(_ report: DataCheckReport) -> String {
        var lines = [
            report.databaseChecked ? "База цела (integrity_check)." : "Страницы базы проверяет сам PostgreSQL (контрольные суммы данных).",
            "Файлы документов целы: \(report.files) (\(ByteSize.russian(report.fileBytes))), SHA-256 совпадают.",
            "Журнал аудита цел: записей \(report.auditEntries), последний хеш \(report.lastAuditHash).",
        ]
        if !report.checkpointsContinued.isEmpty {
            lines.append("Журнал продолжает контрольные точки: " + report.checkpointsContinued.map { "№\($0)" }.joined(separator: ", ") + ".")
        }
        lines.append(String(format: "Проверено за %.1f с.", report.seconds))
        return lines.joined(separator: "\n")
    }
}
