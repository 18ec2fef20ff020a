import ArgumentParser
import Foundation
import MEDKAPI
import MEDKCore

struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Войти на сервер МЭДК и запомнить сессию.")
    @Option(name: .long, help: "Адрес сервера, например http://127.0.0.1:8080 (или MEDK_SERVER).") var server: String?
    @Option(name: .long, help: "Логин.") var user: String?

    func run() async throws {
        guard let server = server ?? ProcessInfo.processInfo.environment["MEDK_SERVER"] else {
            throw ValidationError("Укажите --server URL или переменную MEDK_SERVER.")
        }
        let login: String
        if let user { login = user } else {
            Terminal.info("Логин: ")
            login = readLine() ?? ""
        }
        let password = try Terminal.password(prompt: "Пароль \(login): ")
        let client = try APIClient(server: server, token: nil)
        var devices = SavedDevices.load()
        let deviceKey = SavedDevices.key(server: client.server.absoluteString, login: login)
        let result = try await client.send("POST", "/api/v1/auth/login",
                                           json: LoginRequest(login: login, password: password, deviceToken: devices.tokens[deviceKey]),
                                           as: LoginResult.self)
        try SavedSession(server: client.server.absoluteString, token: result.token, login: result.user.login).save()
        if let device = result.deviceToken {
            devices.tokens[deviceKey] = device
            try? devices.save()
        }
        print("Вход выполнен: \(result.user.fullName) (\(result.user.grants.map(\.role.russianName).joined(separator: ", "))). Сессия до \(Output.time(result.expiresAt, zone: TimeZone.current.identifier)).")
    }
}

struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Выйти: сессия отзывается на сервере.")

    func run() async throws {
        let client = try APIClient.saved()
        _ = try await client.send("POST", "/api/v1/auth/logout", json: [String: String](), as: EmptyResponse.self)
        SavedSession.remove()
        print("Сессия закрыта.")
    }
}

struct WhoAmI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Кто вошёл и с какими ролями.")
    @Option(name: .long, help: "Формат вывода: table, json, csv.") var format: OutputFormat = .table

    func run() async throws {
        let user = try await APIClient.saved().get("/api/v1/me", as: UserInfo.self)
        if format == .json { return try Output.json(user) }
        Output.print(rows: [["Логин", "ФИО", "Роль", "Организация"]] + user.grants.map {
            [user.login, user.fullName, $0.role.russianName, $0.organisationName ?? "—"]
        }, format: format)
    }
}

struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Очередь на проверку: что ждёт вашего решения, самое давнее первым.")
    @Option(name: .long, help: "Код школы.") var school: String?
    @Option(name: .long, help: "Вид: \(ItemKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: String?
    @OptionGroup var paging: Paging
    @Option(name: .long, help: "Формат вывода: table, json, csv; xlsx — вся очередь книгой Excel (с --output).")
    var format: TableOutputFormat = .table
    @Option(name: .long, help: "Файл для --format xlsx.") var output: String?

    func validate() throws {
        try format.requireFile(output)
    }

    func run() async throws {
        var paging = paging
        if format == .xlsx { paging.all = true }
        let queue = try await paging.fetch(try APIClient.saved(), "/api/v1/queue", query: ["school": school, "kind": kind],
                                           as: QueueEntry.self)
        if format == .json { return try Output.json(queue.items) }
        if format == .xlsx, let output {
            let filter = [school.map { "школа \($0)" }, kind.map { "вид \($0)" }].compactMap { $0 }
            return try Output.save(try XLSXWriter.workbook(QueueTable.table(queue.items, filter: filter)), to: output)
        }
        Output.print(rows: [["№", "Школа / МО", "Документ", "Ред.", "Отправлено", "Ждёт, ч"]] + queue.items.map { entry in
            [String(entry.item.id), entry.item.ownerName, entry.item.title,
             String(entry.item.revision), Output.time(entry.waitingSince, zone: entry.item.timeZone), String(entry.waitingHours)]
        }, format: format == .csv ? .csv : .table)
        if format == .table && queue.items.isEmpty { Terminal.info("Очередь пуста.") }
        Paging.footer(shown: queue.items.count, total: queue.total, next: queue.next)
    }
}

struct Items: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Документы и отчёты, доступные вам.")
    @Option(name: .long, help: "Код школы.") var school: String?
    @Option(name: .long, help: "Состояние: draft, submitted, confirmed, returned.") var state: String?
    @Option(name: .long, help: "Вид: \(ItemKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: String?
    @OptionGroup var paging: Paging
    @Option(name: .long, help: "Формат вывода: table, json, csv; xlsx — весь список книгой Excel (с --output).")
    var format: TableOutputFormat = .table
    @Option(name: .long, help: "Файл для --format xlsx.") var output: String?

    func validate() throws {
        try format.requireFile(output)
    }

    func run() async throws {
        if format == .xlsx, let output {
            return try await APIClient.saved().download("/api/v1/items", query: [
                "school": school, "state": state, "kind": kind, "format": "xlsx"], to: output)
        }
        let items = try await paging.fetch(try APIClient.saved(), "/api/v1/items", query: ["school": school, "state": state, "kind": kind],
                                           as: ItemSummary.self)
        if format == .json { return try Output.json(items.items) }
        Output.print(rows: [["№", "Школа / МО", "Вид", "Название", "Состояние", "Ред.", "Версия файла"]] + items.items.map {
            [String($0.id), $0.schoolCode ?? $0.ownerName, $0.kindName, $0.title, $0.stateName, String($0.revision),
             $0.latestVersion.map(String.init) ?? "—"]
        }, format: format == .csv ? .csv : .table)
        Paging.footer(shown: items.items.count, total: items.total, next: items.next)
    }
}

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Открыть документ или отчёт: состояние, файлы, история, замечания.")
    @Argument(help: "Номер документа.") var item: Int64
    @Option(name: .long, help: "Формат вывода: table или json.") var format: OutputFormat = .table

    func run() async throws {
        let detail = try await APIClient.saved().get("/api/v1/items/\(item)", as: ItemDetail.self)
        if format == .json { return try Output.json(detail) }
        print(ItemPrinter.describe(detail))
    }
}

enum ItemPrinter {
    static func describe(_ detail: ItemDetail) -> String {
        let item = detail.item
        let zone = item.timeZone
        var out = "№\(item.id) \(item.title)\n"
        out += "Вид: \(item.kindName)\nВладелец: \(item.schoolName.map { "\($0) (\(item.schoolCode ?? ""))" } ?? item.ownerName)\n"
        out += "Состояние: \(item.stateName), редакция \(item.revision)\n"
        if let submitted = item.submittedAt { out += "Отправлено: \(Output.time(submitted, zone: zone)) — \(item.submittedBy ?? "")\n" }
        if let confirmed = detail.confirmedVersion { out += "Подтверждённая версия файла: \(confirmed)\n" }
        if !detail.allowedActions.isEmpty {
            out += "Доступные вам действия: \(detail.allowedActions.map(\.russianName).joined(separator: ", "))\n"
        }
        if !detail.files.isEmpty {
            out += "\nФайлы:\n" + Output.table([["Версия", "Имя", "Размер", "Загружен", "Кем", "SHA-256"]] + detail.files.map {
                [String($0.version), $0.fileName, ByteSize.russian($0.size), Output.time($0.uploadedAt, zone: zone), $0.uploadedBy,
                 String($0.sha256.prefix(16)) + "…"]
            })
        }
        if let profile = detail.riskProfile {
            out += "\nРисковый профиль:\n" + Output.table([["№", "Фактор риска", "Значимость", "Выбран"]] + profile.map {
                [String($0.number), $0.title, $0.significance.russianName, $0.chosen ? "да" : ""]
            })
        }
        if let measures = detail.measures {
            let rows: [[String]] = measures.map { measure in
                let due = measure.russianDueDate + (measure.series.map { " (\($0.russian))" } ?? "")
                let mark = measure.overdue ? "ПРОСРОЧЕНО" : measure.dueDate == nil ? "НЕТ СРОКА" : ""
                return [String(measure.position), String(measure.id), measure.title, due, measure.responsible,
                        "\(measure.indicator) (\(measure.plannedValue))", measure.reportState?.russianName ?? "—", mark]
            }
            out += "\nМероприятия:\n" + Output.table([["№", "id", "Мероприятие", "Срок", "Ответственные", "Показатель (план)", "Отчёт", ""]] + rows)
        }
        if let problems = detail.completenessProblems, !problems.isEmpty {
            out += "\nБез этого отправить на проверку нельзя:\n" + problems.map { "  • \($0)\n" }.joined()
        }
        if let findings = detail.completenessFindings, !findings.isEmpty {
            out += "\nЗамечания по критериям ФИОКО (отправить можно с --with-findings; проверяющий их увидит):\n"
                + findings.map { "  • \($0)\n" }.joined()
        }
        if let changes = detail.changesSinceDecision {
            let decision = changes.decision
            out += "\nЧто изменилось после решения (\(decision.action.russianName), \(Output.time(decision.at, zone: zone)), "
                + "\(decision.actorName ?? decision.actor)):\n"
            out += changes.changes.isEmpty ? "  ничего: отправлено в том же виде\n" : changes.changes.map { entry in
                let words = HistoryWords.details(entry)
                return "  • \(entry.action.russianName)" + (words.isEmpty ? "" : ": \(words)") + "\n"
            }.joined()
            if changes.truncated { out += "  … и другие — в истории ниже\n" }
        }
        let remarks = detail.remarks.filter { $0.state != .closed }
        if !remarks.isEmpty {
            out += "\nЗамечания проверяющего (ответ — medk answer \(item.id) НОМЕР done|declined --text …):\n"
                + Output.table([["№", "Замечание", "Состояние", "Ответ"]] + remarks.map {
                    [String($0.id), $0.text, $0.state.russianName,
                     [$0.answer?.russianName, $0.answerText].compactMap { $0 }.joined(separator: ": ")]
                })
        }
        if let measure = detail.measure {
            out += "\nМероприятие: \(measure.title), срок \(measure.russianDueDate)\(measure.overdue ? " — ПРОСРОЧЕНО" : "")\n"
            out += "Показатель: \(measure.indicator), план \(measure.plannedValue), факт \(measure.actualValue ?? "—")\n"
        }
        out += "\nИстория" + (detail.historyTotal > detail.history.count
            ? " (последние \(detail.history.count) из \(detail.historyTotal))" : "") + ":\n" + Output.table([["Время", "Кто", "Действие", "Переход", "Комментарий"]] + detail.history.map {
            [Output.time($0.at, zone: zone), $0.actorName ?? $0.actor, $0.action.russianName,
             $0.fromState == $0.toState ? "" : "\($0.fromState?.russianName ?? "∅") → \($0.toState?.russianName ?? "∅")",
             $0.comment ?? ""]
        })
        return out
    }
}

/// confirm / return / submit / withdraw / reopen: the same call with a different action.
protocol TransitionCommand: AsyncParsableCommand {
    static var action: ReviewAction { get }
    var item: Int64 { get }
    var comment: String? { get }
    var revision: Int? { get }
    /// Submitting a roadmap with FIOCO findings the person has seen.
    var acceptsFindings: Bool { get }
    /// Returning: answered remarks of earlier returns that stay open.
    var remarksKeptOpen: [Int64] { get }
}

extension TransitionCommand {
    var acceptsFindings: Bool { false }
    var remarksKeptOpen: [Int64] { [] }

    func run() async throws {
        let client = try APIClient.saved()
        // The decision applies to the revision the user saw: --revision from `show`, else the current one.
        let current = try await client.get("/api/v1/items/\(item)", as: ItemDetail.self)
        let request = TransitionRequest(action: Self.action, expectedState: current.item.state,
                                        expectedRevision: revision ?? current.item.revision, comment: comment,
                                        acceptFindings: acceptsFindings ? true : nil,
                                        keepOpen: remarksKeptOpen.isEmpty ? nil : remarksKeptOpen)
        let updated = try await client.send("POST", "/api/v1/items/\(item)/transitions", json: request, as: ItemDetail.self)
        print("№\(item) «\(updated.item.title)»: \(current.item.stateName) → \(updated.item.stateName).")
    }
}

struct Confirm: TransitionCommand {
    static let configuration = CommandConfiguration(abstract: "Подтвердить документ или отчёт.")
    static let action = ReviewAction.confirm
    @Argument(help: "Номер документа.") var item: Int64
    @Option(name: .long, help: "Комментарий.") var comment: String?
    @Option(name: .long, help: "Редакция, которую вы проверили (из medk show); иначе текущая.") var revision: Int?
}

struct Return: TransitionCommand {
    static let configuration = CommandConfiguration(
        abstract: "Вернуть на доработку (комментарий обязателен).",
        discussion: """
            Каждый пункт списка в комментарии («- …», «1. …») — отдельное замечание, на которое школа ответит; \
            без списка весь комментарий — одно замечание. Прежние замечания с ответом снимаются, кроме названных в --keep-open.
            """)
    static let action = ReviewAction.return
    @Argument(help: "Номер документа.") var item: Int64
    @Option(name: .long, help: "Что исправить (обязательно).") var comment: String?
    @Option(name: .long, help: "Редакция, которую вы проверили (из medk show); иначе текущая.") var revision: Int?
    @Option(name: .customLong("keep-open"), help: "Номер прежнего замечания, которое остаётся открытым; можно несколько раз.")
    var keepOpen: [Int64] = []

    var remarksKeptOpen: [Int64] { keepOpen }

    func validate() throws {
        guard let comment, !comment.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("Укажите --comment: что нужно исправить.")
        }
    }
}

struct Submit: TransitionCommand {
    static let configuration = CommandConfiguration(abstract: "Отправить на проверку куратору.")
    static let action = ReviewAction.submit
    @Argument(help: "Номер документа.") var item: Int64
    @Option(name: .long, help: "Комментарий.") var comment: String?
    @Option(name: .long, help: "Ожидаемая редакция; иначе текущая.") var revision: Int?
    @Flag(name: .customLong("with-findings"),
          help: "Отправить дорожную карту с замечаниями по критериям ФИОКО (их список — в medk show).") var withFindings = false

    var acceptsFindings: Bool { withFindings }
}

struct Withdraw: TransitionCommand {
    static let configuration = CommandConfiguration(abstract: "Отозвать с проверки (пока куратор не принял решение).")
    static let action = ReviewAction.withdraw
    @Argument(help: "Номер документа.") var item: Int64
    @Option(name: .long, help: "Комментарий.") var comment: String?
    @Option(name: .long, help: "Ожидаемая редакция; иначе текущая.") var revision: Int?
}

struct Reopen: TransitionCommand {
    static let configuration = CommandConfiguration(abstract: "Начать новую редакцию подтверждённого документа (комментарий обязателен).")
    static let action = ReviewAction.reopen
    @Argument(help: "Номер документа.") var item: Int64
    @Option(name: .long, help: "Зачем нужна новая редакция (обязательно).") var comment: String?
    @Option(name: .long, help: "Ожидаемая редакция; иначе текущая.") var revision: Int?
}

struct Answer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ответить на замечание проверяющего: исправлено (done) или нет (declined, с объяснением в --text).",
        discussion: "Номера замечаний — в medk show. Пока на замечание нет ответа, документ не отправить на проверку.")
    @Argument(help: "Номер документа.") var item: Int64
    @Argument(help: "Номер замечания.") var remark: Int64
    @Argument(help: "done — исправлено, declined — не исправлено.") var answer: RemarkAnswer
    @Option(name: .long, help: "Что сделано или почему не исправлено (для declined обязательно).") var text: String?
    @Option(name: .long, help: "Ожидаемая редакция; иначе текущая.") var revision: Int?

    func run() async throws {
        let request = RemarkAnswersRequest(answers: [RemarkAnswerInput(remarkID: remark, answer: answer, text: text)],
                                           expectedRevision: revision)
        let updated = try await APIClient.saved().send("POST", "/api/v1/items/\(item)/remarks", json: request, as: ItemDetail.self)
        let waiting = updated.remarks.filter { $0.state == .open }.count
        print("Ответ на замечание №\(remark) сохранён: \(answer.russianName)."
              + (waiting == 0 ? " На все замечания есть ответ: документ можно отправить (medk submit \(item))." : " Ещё без ответа: \(waiting)."))
    }
}

extension RemarkAnswer: ExpressibleByArgument {}

struct Comment: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Оставить комментарий к документу (состояние не меняется).")
    @Argument(help: "Номер документа.") var item: Int64
    @Option(name: .long, help: "Текст комментария.") var text: String

    func run() async throws {
        _ = try await APIClient.saved().send("POST", "/api/v1/items/\(item)/comments", json: CommentRequest(text: text), as: HistoryEntry.self)
        print("Комментарий добавлен к №\(item).")
    }
}
