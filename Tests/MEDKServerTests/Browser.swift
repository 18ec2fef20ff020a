import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MEDKCore
import MEDKServer
import MEDKTestSupport
import NIOCore
import Testing

/// A minimal browser for in-process page tests: keeps cookies, remembers the last page's form
/// token, and posts forms the way a browser does (url-encoded or multipart).
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    private(set) var lastSetCookies: [String] = []
    private(set) var csrf: String?
    private(set) var lastPage = "/"

    struct Page {
        var status: HTTPResponse.Status
        var html: String
        var headers: HTTPFields
        /// The body as sent, for downloads that are not text.
        var bytes: [UInt8] = []
        var location: String? { headers[.location] }
    }

    init(_ client: any TestClientProtocol) { self.client = client }

    static func signedIn(_ client: any TestClientProtocol, _ login: String, password: String = TestWorld.password) async throws -> Browser {
        let browser = Browser(client)
        let page = try await browser.login(login, password: password)
        #expect(page.status == .seeOther, "login of \(login) failed: \(page.html)")
        return browser
    }

    func login(_ login: String, password: String) async throws -> Page {
        _ = try await get("/login")
        return try await post("/login", ["login": login, "password": password])
    }

    @discardableResult
    func get(_ path: String) async throws -> Page {
        try await send(.get, path, body: nil, contentType: nil)
    }

    /// Posts a url-encoded form; the page's CSRF token is added unless `csrf: false`.
    @discardableResult
    func post(_ path: String, _ fields: [String: String], multi: [(String, String)] = [], csrf withToken: Bool = true) async throws -> Page {
        var pairs = fields.map { ($0.key, $0.value) } + multi
        if withToken, let csrf { pairs.append(("_csrf", csrf)) }
        let body = pairs.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.post, path, body: ByteBuffer(string: body), contentType: "application/x-www-form-urlencoded")
    }

    /// Posts a multipart form with one file, as `<input type=file>` does.
    @discardableResult
    func upload(_ path: String, fileName: String, bytes: [UInt8], fields: [String: String] = [:], csrf withToken: Bool = true) async throws -> Page {
        let boundary = "----MEDKBoundary\(UUID().uuidString.prefix(8))"
        var body: [UInt8] = []
        var all = fields
        if withToken, let csrf { all["_csrf"] = csrf }
        for (name, value) in all {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: application/pdf\r\n\r\n".utf8)
        body += bytes
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return try await send(.post, path, body: ByteBuffer(bytes: body), contentType: "multipart/form-data; boundary=\(boundary)")
    }

    private func send(_ method: HTTPRequest.Method, _ path: String, body: ByteBuffer?, contentType: String?) async throws -> Page {
        var headers: HTTPFields = [:]
        if let contentType { headers[.contentType] = contentType }
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        headers[.referer] = "http://localhost\(lastPage)"
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        lastSetCookies = response.headers[values: .setCookie]
        for header in lastSetCookies {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        let html = String(buffer: response.body)
        if method == .get && response.status == .ok { lastPage = path }
        if let token = Self.firstMatch(#"name="_csrf" value="([^"]*)""#, in: html) { csrf = token }
        return Page(status: response.status, html: html, headers: response.headers, bytes: Array(response.body.readableBytesView))
    }

    /// Follows a redirect the way a browser would after a form.
    func follow(_ page: Page) async throws -> Page {
        var page = page
        for _ in 0..<5 {
            guard let location = page.location else { return page }
            // A browser keeps the fragment to itself.
            page = try await get(String(location.split(separator: "#", maxSplits: 1)[0]))
        }
        return page
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.subtracting(CharacterSet(charactersIn: "\u{80}"..."\u{10FFFF}")))!
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }
}

func withWeb<T: Sendable>(_ world: TestWorld, _ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
    let (router, _) = MEDKServerApp.buildRouter(service: world.service)
    return try await Application(router: router).test(.router, body)
}
