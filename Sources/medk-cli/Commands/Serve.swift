import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MEDKCore
import MEDKServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Запустить сервер МЭДК (JSON API, OpenAPI на /openapi.yaml).")

    @OptionGroup var data: DataDirectory
    @Option(name: .long, help: "Адрес, на котором слушать.") var host: String = "127.0.0.1"
    @Option(name: .long, help: "Порт (0 — любой свободный).") var port: Int = 8080
    @Flag(name: .long, help: "Заполнить пустую базу демонстрационными данными и показать, как войти.") var demo = false
    @Option(name: .long, help: "Наибольший размер загружаемого файла, МБ.") var maxUploadMb: Int = 25

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("Порт должен быть от 0 до 65535.") }
        guard (1...1024).contains(maxUploadMb) else { throw ValidationError("--max-upload-mb: от 1 до 1024.") }
    }

    func run() async throws {
        var logger = Logger(label: "medk")
        logger.logLevel = .info
        let service = try data.open(maxUploadBytes: Int64(maxUploadMb) * 1024 * 1024, logger: logger)
        if demo {
            if try await DemoData.seed(into: service) {
                Terminal.info("Демонстрационные данные созданы в \(data.url.path).")
            } else {
                Terminal.info("База уже заполнена; демонстрационные данные не добавлялись.")
            }
        } else if try await !service.isInitialized() {
            Terminal.info("В базе нет пользователей. Создайте администратора: medk init --admin ЛОГИН (или запустите с --demo).")
        }
        let demoMode = demo
        let host = host
        let app = MEDKServerApp.buildApplication(service: service, host: host, port: port, logger: logger) { actualPort in
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
        try await app.runService()
    }
}
