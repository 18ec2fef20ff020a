import ArgumentParser
import Foundation
import Logging
import MEDKCore

/// The data directory of local (server-side) commands.
struct DataDirectory: ParsableArguments {
    @Option(name: .long, help: "Каталог данных: база medk.sqlite и файлы. По умолчанию ./medk-data или MEDK_DATA_DIR.")
    var dataDir: String?
    @Option(name: .long, help: ArgumentHelp(
        "База: sqlite (встроенная, в каталоге данных) или postgres://пользователь@сервер:5432/база. По умолчанию MEDK_DATABASE или sqlite.",
        valueName: "адрес"))
    var database: String?
    @Option(name: .long, help: "Соединений с PostgreSQL у этого процесса (по умолчанию \(DatabaseChoice.defaultConnections)).")
    var databaseConnections: Int = DatabaseChoice.defaultConnections

    var databaseChoice: DatabaseChoice {
        get throws {
            try DatabaseChoice(argument: database ?? ProcessInfo.processInfo.environment["MEDK_DATABASE"], connections: databaseConnections)
        }
    }

    var url: URL {
        let path = dataDir ?? ProcessInfo.processInfo.environment["MEDK_DATA_DIR"] ?? "./medk-data"
        return URL(fileURLWithPath: path).standardizedFileURL
    }

    func open(maxUploadBytes: Int64 = FileStore.defaultMaxBytes, metrics: OperationMetrics = .none,
              logger: Logger = Logger(label: "medk")) throws -> MEDKService {
        try MEDKService(dataDirectory: url, database: try databaseChoice, maxUploadBytes: maxUploadBytes, metrics: metrics, logger: logger)
    }

    /// Local tools only work on a database that `medk init` (or `serve --demo`) created.
    func openExisting() async throws -> MEDKService {
        guard try databaseChoice != .embedded || FileManager.default.fileExists(atPath: url.appendingPathComponent("medk.sqlite").path) else {
            throw MEDKError.invalid("no_database", "В каталоге \(url.path) нет базы МЭДК. Создайте её: medk init --admin ЛОГИН.")
        }
        return try open()
    }
}

struct Initialize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Создать базу данных и первого администратора.")

    @OptionGroup var data: DataDirectory
    @Option(name: .long, help: "Логин администратора.") var admin: String
    @Option(name: .long, help: "ФИО администратора.") var name: String = "Администратор"

    func run() async throws {
        let password = try Terminal.password(prompt: "Пароль администратора \(admin): ", confirm: true)
        let service = try data.open()
        _ = try await service.initialize(adminLogin: admin, fullName: name, password: password)
        print("База создана: \(service.databasePath)\nАдминистратор: \(admin)")
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Применить миграции схемы базы данных (выполняется и при каждом запуске).")

    @OptionGroup var data: DataDirectory

    func run() async throws {
        let service = try await data.openExisting()
        print("Схема базы \(service.databasePath) актуальна.")
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Импорт из CSV (UTF-8 или Windows-1251, разделитель «;» или «,»): regions, municipalities, schools, users, assignments.",
        discussion: "Файл с любой ошибочной строкой не меняет ничего; перечисляются все ошибочные строки с номерами. Формат столбцов — docs/import.md.")

    @OptionGroup var data: DataDirectory
    @Argument(help: "Что импортировать: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: ImportKindArgument
    @Argument(help: "CSV-файл.") var file: String
    @Flag(name: .long, help: "Только проверить: показать, что изменится, ничего не записывая.") var dryRun = false
    @Option(name: .long, help: "Формат вывода: table, json, csv, xlsx (отчёт об импорте книгой Excel, с --output).")
    var format: TableOutputFormat = .table
    @Option(name: .long, help: "Файл для --format xlsx.") var output: String?

    func validate() throws {
        try format.requireFile(output)
    }

    func run() async throws {
        guard let bytes = FileManager.default.contents(atPath: file) else {
            throw MEDKError.invalid("file_not_found", "Не удалось прочитать файл «\(file)».")
        }
        // UTF-8 or Windows-1251, as Russian Excel saves «CSV (разделители — точки с запятой)».
        let text = TableFileReader.decodeText(bytes)
        let service = try await data.openExisting()
        let report = try await service.importCSV(kind.value, text: text, dryRun: dryRun, by: .local)
        if format == .json { return try Output.json(report) }
        if format == .xlsx, let output {
            let name = URL(fileURLWithPath: file).lastPathComponent
            try Output.save(try XLSXWriter.workbook(ImportReportTable.table(report, fileName: name)), to: output)
            return Terminal.info((dryRun ? "Проверка (ничего не записано): " : "Импорт выполнен: ")
                + "создано \(report.count(.created)), изменено \(report.count(.updated)), без изменений \(report.count(.unchanged)).")
        }
        let names: [UpsertOutcome: String] = [.created: "будет создано", .updated: "будет изменено", .unchanged: "без изменений"]
        let done: [UpsertOutcome: String] = [.created: "создано", .updated: "изменено", .unchanged: "без изменений"]
        Output.print(rows: [["Строка", "Ключ", "Название", "Результат"]] + report.rows.map {
            [String($0.line), $0.key, $0.name ?? "", (dryRun ? names : done)[$0.outcome]!]
        }, format: format == .csv ? .csv : .table)
        Terminal.info((dryRun ? "Проверка (ничего не записано): " : "Импорт выполнен: ")
            + "создано \(report.count(.created)), изменено \(report.count(.updated)), без изменений \(report.count(.unchanged)).")
    }
}

struct ImportKindArgument: ExpressibleByArgument {
    var value: ImportKind
    init?(argument: String) {
        guard let kind = ImportKind(rawValue: argument) else { return nil }
        value = kind
    }
    static var allValueStrings: [String] { ImportKind.allCases.map(\.rawValue) }
}

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Пользователи: список, добавление, изменение, смена пароля.",
        subcommands: [List.self, Add.self, Edit.self, Password.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Список пользователей и их ролей.")
        @OptionGroup var data: DataDirectory
        @Option(name: .long, help: "Часть логина или ФИО.") var search: String?
        @Option(name: .long, help: "Только с этой ролью: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String?
        @Option(name: .long, help: "Сколько строк (1–500).") var limit: Int = 100
        @Option(name: .long, help: "Продолжить с этого места (значение «Далее: --cursor …»).") var cursor: String?
        @Option(name: .long, help: "Формат вывода: table, json, csv, xlsx (с --output; строки этой страницы).")
        var format: TableOutputFormat = .table
        @Option(name: .long, help: "Файл для --format xlsx.") var output: String?

        func validate() throws {
            if let role, Role(rawValue: role) == nil { throw ValidationError("Неизвестная роль «\(role)».") }
            try format.requireFile(output)
        }

        func run() async throws {
            let page = try await data.openExisting().users(UserQuery(search: search, role: role.flatMap(Role.init(rawValue:))),
                                                          page: try PageRequest.validated(limit: limit, after: cursor), by: .local)
            if format == .json { return try Output.json(page.items) }
            if format == .xlsx, let output {
                let filter = [search.map { "поиск «\($0)»" }, role.map { "роль \($0)" }].compactMap { $0 }
                return try Output.save(try XLSXWriter.workbook(UserTable.table(page.items, filter: filter)), to: output)
            }
            Output.print(rows: [["Логин", "ФИО", "Активен", "Роли"]] + page.items.map { user in
                [user.login, user.fullName, user.isActive ? "да" : "нет",
                 user.grants.map { "\($0.role.rawValue)\($0.organisationCode.map { ":" + $0 } ?? "")" }.joined(separator: ", ")]
            }, format: format == .csv ? .csv : .table)
            Paging.footer(shown: page.items.count, total: Paging.total(page), next: page.nextCursor?.description)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Добавить пользователя. Роль: school:КОД_ОО, curator:КОД_РЕГИОНА, municipal:КОД_МО, regional:КОД_РЕГИОНА, federal, admin.")
        @OptionGroup var data: DataDirectory
        @Argument(help: "Логин.") var login: String
        @Option(name: .long, help: "ФИО.") var name: String
        @Option(name: .long, help: "Электронная почта.") var email: String?
        @Option(name: .long, help: "Роль с организацией, можно несколько раз: school:750010001.") var role: [String] = []
        @Flag(name: .long, help: "Сразу задать пароль (из приглашения или MEDK_PASSWORD).") var withPassword = false

        func run() async throws {
            let service = try await data.openExisting()
            var grants: [RoleGrant] = []
            for text in role {
                let (parsedRole, code) = try RoleArgument.parse(text)
                grants.append(try await service.roleGrant(parsedRole, scopeCode: code))
            }
            let password = withPassword ? try Terminal.password(prompt: "Пароль для \(login): ", confirm: true) : nil
            let user = try await service.createUser(by: .local, login: login, fullName: name, email: email, grants: grants, password: password)
            print("Пользователь \(user.login) создан" + (password == nil ? "; задайте пароль: medk users passwd \(login)" : "."))
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Изменить пользователя: ФИО, почту, роли; отключить (все его сессии закрываются) или включить.",
            discussion: "Роль — как в medk users add: school:КОД_ОО, curator:КОД_РЕГИОНА, municipal:КОД_МО, regional:КОД_РЕГИОНА, federal, admin.")
        @OptionGroup var data: DataDirectory
        @Argument(help: "Логин.") var login: String
        @Option(name: .long, help: "Новое ФИО.") var name: String?
        @Option(name: .long, help: "Новая почта; пустая строка удаляет адрес.") var email: String?
        @Option(name: .customLong("add-role"), help: "Добавить роль; можно несколько раз.") var addRole: [String] = []
        @Option(name: .customLong("remove-role"), help: "Снять роль; можно несколько раз.") var removeRole: [String] = []
        @Flag(name: .long, help: "Отключить учётную запись.") var deactivate = false
        @Flag(name: .long, help: "Включить учётную запись снова.") var activate = false

        func validate() throws {
            if deactivate && activate { throw ValidationError("Укажите что-то одно: --deactivate или --activate.") }
        }

        func run() async throws {
            func changes(_ texts: [String]) throws -> [RoleChange]? {
                texts.isEmpty ? nil : try texts.map { let (role, code) = try RoleArgument.parse($0); return RoleChange(role: role, scope: code) }
            }
            let edit = UserEdit(fullName: name, email: email, active: deactivate ? false : activate ? true : nil,
                                addRoles: try changes(addRole), removeRoles: try changes(removeRole))
            let user = try await data.openExisting().userAccounts.edit(login: login, edit, by: .local)
            print("Пользователь \(user.login) (\(user.fullName)) изменён: \(user.isActive ? "действует" : "отключён"); роли: "
                  + (user.grants.isEmpty ? "нет" : user.grants.map { "\($0.role.rawValue)\($0.organisationCode.map { ":" + $0 } ?? "")" }
                      .joined(separator: ", ")) + ".")
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "passwd", abstract: "Задать пароль пользователя (все его сессии закрываются).")
        @OptionGroup var data: DataDirectory
        @Argument(help: "Логин.") var login: String

        func run() async throws {
            let service = try await data.openExisting()
            let password = try Terminal.password(prompt: "Новый пароль для \(login): ", confirm: true)
            try await service.setPassword(by: .local, login: login, password: password)
            print("Пароль пользователя \(login) изменён.")
        }
    }
}

enum RoleArgument {
    /// `role` or `role:CODE`; the code is resolved by the core, as in imports.
    static func parse(_ text: String) throws -> (Role, String?) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let role = Role(rawValue: parts[0]) else {
            throw ValidationError("Неизвестная роль «\(parts[0])»: допустимы \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if role.scopeKind != nil && parts.count != 2 {
            throw ValidationError("Для роли \(role.rawValue) укажите код организации: \(role.rawValue):КОД.")
        }
        return (role, parts.count == 2 ? parts[1] : nil)
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Журнал аудита: проверка цепочки, контрольные точки, смена ключа, просмотр.",
        subcommands: [Verify.self, Checkpoint.self, RotateKey.self, Log.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Пересчитать цепочку журнала по ключу; назвать первую испорченную запись.",
            discussion: "С --checkpoint ФАЙЛ ещё и доказать, что журнал продолжает сохранённую контрольную точку: "
                + "ничего до неё не переписано и ничего не отрезано.")
        @OptionGroup var data: DataDirectory
        @Option(name: .long, help: "Файл контрольной точки, напечатанной medk audit checkpoint.") var checkpoint: String?

        func run() async throws {
            let point = try checkpoint.map(CheckpointFile.read)
            switch try await data.openExisting().verifyAudit(extending: point) {
            case .intact(let rows, let lastHash):
                print("Журнал аудита цел: записей \(rows), последний хеш \(lastHash).")
                if let point { print("Журнал продолжает контрольную точку №\(point.seq) от \(point.at).") }
            case .broken(let seq, let reason):
                throw MEDKError(.conflict, code: "audit_chain_broken", message: "Журнал аудита повреждён начиная с записи №\(seq): \(reason).")
            }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Напечатать подписанную контрольную точку журнала (JSON).",
            discussion: "Сохраните её вне сервера (почта, другой компьютер, бумага): позже medk audit verify --checkpoint "
                + "докажет, что журнал её продолжает, даже если у злоумышленника был ключ.")
        @OptionGroup var data: DataDirectory

        func run() async throws {
            let point = try await data.openExisting().auditCheckpoint()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(point), as: UTF8.self))
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Начать подписывать журнал новым ключом (старый остаётся в файле ключей для проверки).")
        @OptionGroup var data: DataDirectory

        func run() async throws {
            let key = try await data.openExisting().rotateAuditKey(by: .local)
            print("Новый ключ журнала \(key.id) действует с записи №\(key.fromSeq). Сохраните копию файла audit.key в надёжном месте.")
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Кто, что и когда сделал.",
            discussion: """
                table и json — страница, новые первыми (продолжение: --cursor). jsonl, csv и xlsx — вся выборка \
                (период, документ или весь журнал) по порядку записей, потоком: память не растёт с размером журнала. \
                Записи несут свои хеши: выгрузку можно сверить с журналом.
                """)
        @OptionGroup var data: DataDirectory
        @Option(name: .long, help: "Только записи об этом документе.") var item: Int64?
        @Option(name: .long, help: "С этого дня (ГГГГ-ММ-ДД, по UTC).") var from: String?
        @Option(name: .long, help: "По этот день включительно (ГГГГ-ММ-ДД, по UTC).") var to: String?
        @Option(name: .long, help: "Сколько последних записей показать (до 500; для table и json).") var limit: Int = 100
        @Option(name: .long, help: "Продолжить с этого места (значение «Далее: --cursor …»).") var cursor: String?
        @Option(name: .long, help: "Формат: table, json (страница); jsonl, csv, xlsx (вся выборка).") var format: AuditLogFormat = .table
        @Option(name: .long, help: "Файл (для xlsx обязателен; jsonl и csv без него — в стандартный вывод).") var output: String?

        enum AuditLogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
            case table, json, jsonl, csv, xlsx
        }

        func validate() throws {
            if format == .xlsx && output == nil { throw ValidationError("Для --format xlsx укажите файл: --output ФАЙЛ.xlsx.") }
            for (name, value) in [("--from", from), ("--to", to)] where value != nil && CalendarDate(value!) == nil {
                throw ValidationError("\(name) «\(value!)»: нужна дата ГГГГ-ММ-ДД.")
            }
        }

        func run() async throws {
            let service = try await data.openExisting()
            let query = try AuditExtract.query(item: item, from: from.flatMap { CalendarDate($0) }, through: to.flatMap { CalendarDate($0) })
            switch format {
            case .table, .json: try await page(service, query)
            case .jsonl, .csv: try await text(service, query)
            case .xlsx: try await workbook(service, query, to: output!)
            }
        }

        func page(_ service: MEDKService, _ query: AuditQuery) async throws {
            let page = try await service.auditLog(query, page: try PageRequest.validated(limit: limit, after: cursor), by: .local)
            let entries = page.items
            if format == .json {
                try Output.json(entries)
                if let next = page.nextCursor { FileHandle.standardError.write(Data("Далее: --cursor \(next)\n".utf8)) }
                return
            }
            Output.print(rows: [["№", "Время (UTC)", "Кто", "Роль", "Действие", "Объект", "Переход", "Комментарий"]] + entries.map { entry in
                [String(entry.seq), entry.at, entry.actorLogin, entry.actorRole?.rawValue ?? "—", entry.action.russianName,
                 "\(entry.entityType.russianName) \(entry.entityID.map { String($0) } ?? "")",
                 entry.fromState == nil && entry.toState == nil ? "" : "\(entry.fromState ?? "∅") → \(entry.toState ?? "∅")",
                 entry.comment ?? ""]
            }, format: .table)
            Paging.footer(shown: entries.count, total: Paging.total(page), next: page.nextCursor?.description)
        }

        /// JSON Lines or CSV, batch by batch, to the file or standard output.
        func text(_ service: MEDKService, _ query: AuditQuery) async throws {
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil) else {
                    throw ValidationError("Не удалось создать файл «\(output)».")
                }
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            } else {
                handle = .standardOutput
            }
            defer { if output != nil { try? handle.close() } }
            if format == .csv { handle.write(Data(CSV.write([AuditTable.header], bom: true).utf8)) }
            let count = try await service.auditExtract.forEachBatch(query, by: .local) { entries in
                let text = format == .csv ? CSV.write(entries.map(AuditTable.textCells), bom: false)
                    : try entries.map(AuditExtract.jsonLine).joined()
                handle.write(Data(text.utf8))
            }
            if let output { FileHandle.standardError.write(Data("Записей: \(count) → \(output)\n".utf8)) }
        }

        /// The whole selection as a workbook, written row by row to a temporary file, then moved to `path`.
        func workbook(_ service: MEDKService, _ query: AuditQuery, to path: String) async throws {
            // A sheet holds 1 048 576 rows; the rest would be lost silently, so the extract says where it stopped.
            let (file, count) = try await service.auditExtract.workbook(
                query, limit: Self.sheetRows,
                cutNote: "Лист Excel вмещает \(Self.sheetRows) записей: остальное выгрузите в jsonl или csv, или сузьте период.",
                in: FileManager.default.temporaryDirectory, by: .local)
            let target = URL(fileURLWithPath: path)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.moveItem(at: file, to: target)
            try? FileManager.default.removeItem(at: file.deletingLastPathComponent())
            print("Записей: \(count) → \(path)")
        }

        static let sheetRows = 1_048_000
    }
}

struct RepairProgress: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair-progress",
        abstract: "Пересобрать сводки соблюдения сроков всех школ из документов, журнала и мероприятий.",
        discussion: "Сводки обновляются при каждом изменении сами; пересборка нужна, только если база восстанавливалась "
            + "по частям или сообщение об ошибке просит о ней. Можно при работающем сервере.")
    @OptionGroup var data: DataDirectory

    func run() async throws {
        let count = try await data.openExisting().repairProgress()
        print("Сводки пересобраны: школ — \(count).")
    }
}
