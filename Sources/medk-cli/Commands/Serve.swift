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
    @OptionGroup var mail: MailOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("Порт должен быть от 0 до 65535.") }
        guard (1...1024).contains(maxUploadMb) else { throw ValidationError("--max-upload-mb: от 1 до 1024.") }
        for proxy in trustedProxies where ClientAddress(proxy) == nil {
            throw ValidationError("--trusted-proxy: «\(proxy)» — не IP-адрес.")
        }
    }

    func run() async throws {
        ServerMemory.limitArenas()
        var logger = Logger(label: "medk")
        logger.logLevel = .info
        let service = try data.open(maxUploadBytes: Int64(maxUploadMb) * 1024 * 1024, logger: logger)
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
                                                 logger: logger) { actualPort in
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
        if let worker = try mail.worker(service, defaultPublicURL: port == 0 ? nil : "http://\(shownHost):\(port)", logger: logger) {
            let interval = Duration.seconds(mail.mailInterval)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService() }
                group.addTask { await worker.run(every: interval) }
                // The server ends on a signal (after the requests in flight); the mail worker ends
                // with it, and the group waits until it has handed the lease back.
                try await group.next()
                group.cancelAll()
            }
        } else {
            try await app.runService()
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
