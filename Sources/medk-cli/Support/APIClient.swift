import ArgumentParser
import Foundation
import MEDKAPI
import MEDKCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small JSON client of the MEDK API. Server refusals come back as the same `MEDKError`
/// (code and Russian message) that the core raised.
struct APIClient {
    let server: URL
    let token: String?

    init(server: String, token: String?) throws {
        guard let url = URL(string: server.hasSuffix("/") ? String(server.dropLast()) : server),
              let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw MEDKError.invalid("invalid_server", "Адрес сервера «\(server)» не похож на http(s)://хост:порт.")
        }
        self.server = url
        self.token = token
    }

    /// The client of the saved session.
    static func saved() throws -> APIClient {
        let session = try SavedSession.load()
        return try APIClient(server: session.server, token: session.token)
    }

    static let decoder = APIJSONCoding.decoder()
    static let encoder = APIJSONCoding.encoder()

    func get<T: Decodable>(_ path: String, query: [String: String?] = [:], as type: T.Type) async throws -> T {
        try Self.decoder.decode(T.self, from: try await send("GET", path, query: query, body: nil).0)
    }

    func send<Body: Encodable, T: Decodable>(_ method: String, _ path: String, json body: Body, as type: T.Type) async throws -> T {
        let data = try Self.encoder.encode(body)
        return try Self.decoder.decode(T.self, from: try await send(method, path, body: data, contentType: "application/json").0)
    }

    /// A file the server writes (a whole table as CSV or Excel), saved to `output`.
    func download(_ path: String, query: [String: String?], to output: String) async throws {
        try Output.save(try await raw("GET", path, query: query, body: nil).0, to: output)
    }

    func raw(_ method: String, _ path: String, query: [String: String?] = [:], body: Data?,
             contentType: String? = nil) async throws -> (Data, HTTPURLResponse) {
        try await send(method, path, query: query, body: body, contentType: contentType)
    }

    private func send(_ method: String, _ path: String, query: [String: String?] = [:], body: Data?,
                      contentType: String? = nil) async throws -> (Data, HTTPURLResponse) {
        var components = URLComponents(url: server.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        let items = query.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }.sorted { $0.name < $1.name }
        if !items.isEmpty { components.queryItems = items }
        var request = URLRequest(url: components.url!)
        request.httpMethod = method
        request.timeoutInterval = 120
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        request.setValue("medk-cli", forHTTPHeaderField: "User-Agent")
        request.httpBody = body
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw CLIFailure(error: MEDKError(.internalFailure, code: "server_unreachable",
                                              message: "Сервер \(server.absoluteString) недоступен: \(error.localizedDescription)"))
        }
        guard let http = response as? HTTPURLResponse else {
            throw CLIFailure(error: MEDKError(.internalFailure, code: "bad_response", message: "Сервер вернул непонятный ответ."))
        }
        guard (200..<300).contains(http.statusCode) else {
            if let body = try? Self.decoder.decode(APIErrorBody.self, from: data) {
                throw CLIFailure(error: body.medkError(status: http.statusCode))
            }
            throw CLIFailure(error: MEDKError(APIStatus.kind(http.statusCode), code: "http_\(http.statusCode)",
                                              message: "Сервер ответил кодом \(http.statusCode)."))
        }
        return (data, http)
    }
}

/// What every listing command takes: one page, a page after a cursor, or everything.
struct Paging: ParsableArguments {
    @Option(name: .long, help: "Сколько строк на странице (1–500, по умолчанию 50).") var limit: Int?
    @Option(name: .long, help: "Продолжить с этого места (значение «Далее: --cursor …» из предыдущего вывода).") var cursor: String?
    @Flag(name: .long, help: "Все страницы подряд.") var all = false

    func validate() throws {
        if let limit, !(1...PageRequest.maximumLimit).contains(limit) {
            throw ValidationError("--limit: от 1 до \(PageRequest.maximumLimit).")
        }
    }

    /// Reads the list page by page as asked; returns the rows, the total and where to go on.
    func fetch<T: Codable & Sendable>(_ client: APIClient, _ path: String, query: [String: String?] = [:],
                                      as type: T.Type) async throws -> (items: [T], total: String, next: String?) {
        try await fetch(client, path, query: query, as: type, path: \Page<T>.self)
    }

    /// The same for a response that carries its page inside (`page` picks it out).
    func fetch<Body: Decodable, T: Codable & Sendable>(_ client: APIClient, _ path: String, query: [String: String?] = [:], as type: T.Type,
                                                       path page: KeyPath<Body, Page<T>>) async throws -> (items: [T], total: String, next: String?) {
        var items: [T] = []
        var after = cursor
        while true {
            var parameters = query
            parameters["limit"] = String(all ? PageRequest.maximumLimit : (limit ?? PageRequest.defaultLimit))
            parameters["cursor"] = after
            let page = try await client.get(path, query: parameters, as: Body.self)[keyPath: page]
            items += page.items
            guard all, let next = page.nextCursor else {
                return (items, Self.total(page), all ? nil : page.nextCursor?.description)
            }
            after = next.description
        }
    }

    /// The last line under a listing: how much there is and how to get the rest.
    static func footer(shown: Int, total: String, next: String?) {
        if let next {
            Terminal.info("Показано \(shown) из \(total). Далее: --cursor \(next)")
        } else if total != String(shown) {
            Terminal.info("Показано \(shown) из \(total).")
        }
    }

    /// A core page's total as people read it.
    static func total<T>(_ page: Page<T>) -> String {
        page.totalIsLowerBound ? "более чем \(page.total)" : String(page.total)
    }
}
