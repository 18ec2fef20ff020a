import Foundation
import MEDKCore

/// Where and how mail leaves: the operator's `--smtp-url`.
///
/// `smtp://[user:password@]host[:port][?starttls=auto|required|off&ca=/path/to/ca.pem]`
/// speaks plain SMTP and upgrades with STARTTLS when the server offers it (`auto`, the default),
/// insists on it (`required`) or never tries (`off`); `smtps://` is TLS from the first byte
/// (port 465). A login is sent only under TLS or to a loopback address, so a password never
/// crosses a network in clear. `ca` names a PEM file of roots to trust instead of the system's.
public struct SMTPSettings: Sendable, Hashable {
    public enum Security: String, Sendable, Hashable {
        case startTLSIfOffered = "auto"
        case startTLSRequired = "required"
        case plain = "off"
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var user: String?
    public var password: String?
    public var trustRootsFile: String?
    /// The name given in EHLO.
    public var clientName: String
    /// How long one reply may take before the exchange is abandoned.
    public var replyTimeout: Duration

    public init(host: String, port: Int, security: Security = .startTLSIfOffered, user: String? = nil, password: String? = nil,
                trustRootsFile: String? = nil, clientName: String = "medk.localhost", replyTimeout: Duration = .seconds(60)) {
        self.host = host
        self.port = port
        self.security = security
        self.user = user
        self.password = password
        self.trustRootsFile = trustRootsFile
        self.clientName = clientName
        self.replyTimeout = replyTimeout
    }

    public init(url text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else { throw MEDKError.invalid("invalid_smtp_url", "Адрес почтового сервера должен иметь вид smtp://сервер:порт («\(Self.redacted(text))»).") }
        var security: Security
        switch scheme {
        case "smtp": security = .startTLSIfOffered
        case "smtps": security = .implicitTLS
        default: throw MEDKError.invalid("invalid_smtp_url", "Адрес почтового сервера начинается с smtp:// или smtps://, а не «\(scheme)://».")
        }
        var trustRootsFile: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "starttls":
                guard scheme == "smtp", let value = item.value.flatMap(Security.init(rawValue:)) else {
                    throw MEDKError.invalid("invalid_smtp_url", "Параметр starttls принимает auto, required или off и только в адресе smtp://.")
                }
                security = value
            case "ca":
                guard let path = item.value, !path.isEmpty else { throw MEDKError.invalid("invalid_smtp_url", "Параметр ca называет файл корневых сертификатов.") }
                trustRootsFile = path
            default:
                throw MEDKError.invalid("invalid_smtp_url", "Неизвестный параметр адреса почтового сервера: «\(item.name)».")
            }
        }
        let port = components.port ?? (security == .implicitTLS ? 465 : 25)
        guard (1...65535).contains(port) else { throw MEDKError.invalid("invalid_smtp_url", "Порт почтового сервера должен быть от 1 до 65535.") }
        let user = components.user.flatMap { $0.removingPercentEncoding ?? $0 }
        let password = components.password.flatMap { $0.removingPercentEncoding ?? $0 }
        if (user == nil) != (password == nil) {
            throw MEDKError.invalid("invalid_smtp_url", "Для входа на почтовый сервер нужны и имя, и пароль (smtp://имя:пароль@сервер).")
        }
        self.init(host: host, port: port, security: security, user: user, password: password, trustRootsFile: trustRootsFile)
        if user != nil, security == .plain, !isLoopback {
            throw MEDKError.invalid("invalid_smtp_url", "Пароль почтового сервера не отправляется без шифрования: уберите starttls=off или используйте smtps://.")
        }
    }

    /// Whether the server is this machine, where a login in clear text crosses no network.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The address with the password hidden, for logs and messages.
    public var description: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let login = user.map { "\($0):***@" } ?? ""
        let query = security == .implicitTLS || security == .startTLSIfOffered ? "" : "?starttls=\(security.rawValue)"
        return "\(scheme)://\(login)\(host):\(port)\(query)"
    }

    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "…"
    }
}
