import ArgumentParser
import Foundation
import Logging
import MEDKCore
import MEDKMail

/// Where mail goes and how it is written: shared by `medk serve` and `medk notify run`.
struct MailOptions: ParsableArguments {
    @Option(name: .long, help: "Почтовый сервер: smtp://[имя:пароль@]сервер[:порт][?starttls=auto|required|off&ca=ФАЙЛ] или smtps://…")
    var smtpUrl: String?
    @Option(name: .long, help: "Отправитель писем, например «МЭДК <medk@edu.example.ru>».")
    var mailFrom: String?
    @Option(name: .long, help: "Адрес сервера для ссылок в письмах, например https://medk.example.ru.")
    var publicUrl: String?
    @Option(name: .long, help: "Как часто планировать напоминания и отправлять письма, секунд.")
    var mailInterval: Int = 60

    func validate() throws {
        guard (5...3600).contains(mailInterval) else { throw ValidationError("--mail-interval: от 5 до 3600 секунд.") }
        if smtpUrl != nil, mailFrom == nil { throw ValidationError("С --smtp-url нужен и --mail-from (адрес отправителя).") }
        if let publicUrl, !(publicUrl.hasPrefix("http://") || publicUrl.hasPrefix("https://")) {
            throw ValidationError("--public-url начинается с http:// или https://.")
        }
    }

    /// The transport and the configuration, or nil when no SMTP server is given.
    func worker(_ service: MEDKService, defaultPublicURL: String?, logger: Logger) throws -> MailWorker? {
        guard let smtpUrl, let mailFrom else { return nil }
        guard let publicURL = publicUrl ?? defaultPublicURL else { throw ValidationError("Укажите --public-url: письма содержат ссылки.") }
        let transport = try SMTPMailTransport(SMTPSettings(url: smtpUrl))
        return MailWorker(service: service, transport: transport,
                          configuration: MailConfiguration(from: try MailAddress(parsing: mailFrom), publicURL: publicURL), logger: logger)
    }
}

struct Notify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Письма: напоминания о сроках, о долгой проверке, о возврате документов.",
        subcommands: [NotifyRun.self, NotifyStatus.self, Reminders.self])
}

struct NotifyRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Один раз запланировать напоминания и отправить всё, чему пришло время (для cron).",
        discussion: "Сервер, запущенный с --smtp-url, делает то же сам каждую минуту; запускайте одно из двух. "
            + "Письмо, отправка которого прервалась, повторно не отправляется и отмечается в журнале аудита.")
    @OptionGroup var data: DataDirectory
    @OptionGroup var mail: MailOptions

    func validate() throws {
        guard mail.smtpUrl != nil else { throw ValidationError("Укажите --smtp-url.") }
    }

    func run() async throws {
        let service = try await data.openExisting()
        guard let worker = try mail.worker(service, defaultPublicURL: nil, logger: Logger(label: "medk.mail")) else { return }
        let (planning, delivery, settled) = try await worker.runOnce()
        print("Запланировано писем: \(planning.messages) (регионов: \(planning.regionsPlanned)).")
        print("Отправлено: \(delivery.sent); повторим позже: \(delivery.retrying); не отправлено: \(delivery.failed); "
            + "неизвестно: \(delivery.uncertain); пропущено: \(delivery.skipped); устарело: \(delivery.expired).")
        if settled > 0 { print("Прерванных отправок отмечено как неизвестные: \(settled).") }
        if delivery.failed > 0 || delivery.retrying > 0 { throw ExitCode(3) }
    }
}

struct NotifyStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Сколько писем в очереди и в каком они состоянии.")
    @OptionGroup var data: DataDirectory

    func run() async throws {
        let counts = try await data.openExisting().outboxCounts()
        let names = [("pending", "ждут отправки"), ("sending", "отправляются"), ("sent", "отправлены"), ("failed", "не отправлены"),
                     ("uncertain", "неизвестно, дошли ли"), ("skipped", "пропущены (нет адреса или отписка)"), ("expired", "устарели")]
        for (state, name) in names { print("\(name): \(counts[state] ?? 0)") }
    }
}

struct Reminders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Настройки напоминаний региона: за сколько дней до срока писать школам и сколько рабочих дней на проверку.",
        discussion: "Без --days и --review-days показывает действующие настройки. Изменение записывается в журнал аудита.")
    @OptionGroup var data: DataDirectory
    @Option(name: .long, help: "Код региона.") var region: String
    @Option(name: .long, help: "Дни до срока через запятую, например 14,3,1.") var days: String?
    @Option(name: .long, help: "Рабочих дней на проверку документа куратором.") var reviewDays: Int?
    @Option(name: .long, help: "Дней просрочки до эскалации куратору, муниципальному и региональному координатору, например 3,10,20.")
    var escalationDays: String?

    static func days(_ text: String, _ option: String) throws -> [Int] {
        try text.split(separator: ",").map { part in
            guard let day = Int(part.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--\(option): числа через запятую.") }
            return day
        }
    }

    func run() async throws {
        let service = try await data.openExisting()
        var current = try await service.reminderSettings(regionCode: region)
        if days != nil || reviewDays != nil || escalationDays != nil {
            current = try await service.setReminderSettings(
                by: .local, regionCode: region, daysBefore: try days.map { try Self.days($0, "days") } ?? current.settings.daysBefore,
                reviewWorkingDays: reviewDays ?? current.settings.reviewWorkingDays,
                escalationDays: try escalationDays.map { try Self.days($0, "escalation-days") } ?? current.settings.escalationDays)
        }
        print("\(current.regionName) (\(current.regionCode))\(current.isDefault ? ", настройки по умолчанию" : ""):")
        print("  напоминать школам за \(current.settings.daysBefore.map(String.init).joined(separator: ", ")) дн. до срока и на следующий день после;")
        print("  куратору — если документ ждёт проверки дольше \(current.settings.reviewWorkingDays) рабочих дней;")
        let chain = zip(EscalationLevel.allCases, current.settings.escalationDays).map { "\($0.russianDative) — через \($1) дн." }
        print("  просроченные мероприятия эскалируются: \(chain.joined(separator: ", ")).")
    }
}
