import ArgumentParser
import Foundation
import CMallocTuning
import Hummingbird
import Logging
import MEDKCore
import MEDKMail
import MEDKServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Запустить сервер МЭДК (JSON API, OpenAPI на /openapi.yaml).")

    @OptionGroup var data: DataDirectory
    @Option(name: .long, help: "Адрес, на котором слушать.") var host: String = "127.0.0.1"
    @Option(name: .long, help: "Порт (0 — любой свободный).") var port: Int = 8080
    @Flag(name: .long, help: "Заполнить пустую базу демонстрационными данными и показать, как войти.") var demo = false
    @Option(name: .long, help: "Наибольший размер загружаемого файла, МБ.") var maxUploadMb: Int = 25
    @Option(name: .customLong("trusted-proxy"),
            help: "Адрес обратного прокси, которому верить в X-Forwarded-For (можно несколько раз). Без него заголовок не читается.")
    var trustedProxies: [String] = []
    @Option(name: .long, help: ArgumentHelp(
        "Адрес для GET /metrics (Prometheus), например 127.0.0.1:9464; с MEDK_METRICS_TOKEN — ещё и с токеном. Без него метрик нет.",
        valueName: "адрес:порт"))
    var metricsAddress: String?
    @Option(name: .long, help: "Формат журнала сервера: text или json (строка JSON на запись, с request_id).")
    var logFormat: LogFormat = .text
    @OptionGroup var mail: MailOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("Порт должен быть от 0 до 65535.") }
        guard (1...1024).contains(maxUploadMb) else { throw ValidationError("--max-upload-mb: от 1 до 1024.") }
        for proxy in trustedProxies where ClientAddress(proxy) == nil {
            throw ValidationError("--trusted-proxy: «\(proxy)» — не IP-адрес.")
        }
        if let metricsAddress, MetricsAddress(metricsAddress) == nil {
            throw ValidationError("--metrics-address: ожидается адрес:порт, например 127.0.0.1:9464.")
        }
    }

    func run() async throws {
        ServerMemory.limitArenas()
        if logFormat == .json { LoggingSystem.bootstrap { label in JSONLogHandler(label: label) } }
        var logger = Logger(label: "medk")
        logger.logLevel = .info
        let metrics = metricsAddress == nil ? nil : ServerMetrics()
        let service = try data.open(maxUploadBytes: Int64(maxUploadMb) * 1024 * 1024, metrics: metrics?.operations ?? .none,
                                    logger: logger)
        let abandoned = service.files.removeAbandonedTemporaryFiles(olderThan: 3600)
        if abandoned > 0 { logger.notice("removed abandoned temporary files", metadata: ["count": "\(abandoned)"]) }
        if demo {
            if try await DemoData.seed(into: service) {
                Terminal.info("Демонстрационные данные созданы в \(data.url.path).")
            } else {
                Terminal.info("База уже заполнена; демонстрационные данные не добавлялись.")
            }
        } else if try await !service.isInitialized() {
            Terminal.info("В базе нет пользователей. Создайте администратора: medk init --admin ЛОГИН (или запустите с --demo).")
        } else {
            let exposed = try await service.accountsWithDemoPassword()
            guard exposed.isEmpty else {
                throw MEDKError(.conflict, code: "demo_passwords",
                                message: "Сервер не запущен: у учётных записей \(exposed.joined(separator: ", ")) остался опубликованный "
                                    + "демонстрационный пароль, войти под ними может кто угодно. Смените пароли "
                                    + "(medk users passwd ЛОГИН --data-dir …) или запустите демонстрацию с --demo.")
            }
        }
        let demoMode = demo
        let host = host
        let proxies = Set(trustedProxies.compactMap { ClientAddress($0) })
        let app = MEDKServerApp.buildApplication(service: service, host: host, port: port, trustedProxies: proxies,
                                                 metrics: metrics, logger: logger) { actualPort in
            var text = "МЭДК слушает http://\(host):\(actualPort) (API: /api/v1, описание: /openapi.yaml)\n"
            if demoMode {
                text += "Вход: medk login --server http://\(host):\(actualPort) --user ЛОГИН (пароль \(DemoData.password))\n"
                text += "Демонстрационные учётные записи:\n"
                for account in DemoData.accounts {
                    text += "  \(account.login.padding(toLength: 18, withPad: " ", startingAt: 0)) \(account.description)\n"
                }
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        // Links in mail point at this server unless --public-url names the address people use.
        let shownHost = host == "0.0.0.0" || host == "::" ? "localhost" : host
        let worker = try mail.worker(service, defaultPublicURL: port == 0 ? nil : "http://\(shownHost):\(port)", logger: logger)
        let interval = Duration.seconds(mail.mailInterval)
        let metricsApp = metrics.map { metrics in
            let address = MetricsAddress(metricsAddress ?? "")!
            return MetricsApplication.build(metrics: metrics, service: service, host: address.host, port: address.port,
                                            token: ProcessInfo.processInfo.environment["MEDK_METRICS_TOKEN"], logger: logger)
        }
        enum Part { case server, companion }
        try await withThrowingTaskGroup(of: Part.self) { group in
            group.addTask { try await app.runService(); return .server }
            if let worker { group.addTask { await worker.run(every: interval); return .companion } }
            if let metricsApp { group.addTask { try await metricsApp.runService(); return .companion } }
            // The server ends on a signal (after the requests in flight); the mail worker and the
            // metrics listener end with it, and the group waits until the worker has handed the
            // lease back. A companion that fails (the metrics address taken) stops the server.
            while let part = try await group.next(), part != .server {}
            group.cancelAll()
        }
        try await service.settleBeforeExit()
        logger.info("stopped")
    }
}

/// glibc gives each thread that allocates an arena of its own (up to eight per core) and keeps
/// what is freed in it; a server whose requests hop between the event loops, GRDB's reader queues
/// and the cooperative pool then holds freed memory in many arenas at once (fifteen were seen).
/// Two arenas a core keep that bounded without making threads wait for each other: with one a core
/// the country's compliance report was a third slower (A/B on the country, c=1: median 758 ms with
/// no limit, 779 ms with two a core, 1 029 ms with one a core), and its memory peak fell from 144
/// to about 135 MB.
enum ServerMemory {
    static func limitArenas() {
        _ = medk_limit_malloc_arenas(Int32(2 * ProcessInfo.processInfo.activeProcessorCount))
    }
}

enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `HOST:PORT` of the metrics listener (IPv6 in brackets: `[::1]:9464`).
struct MetricsAddress {
    var host: String
    var port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }
}
