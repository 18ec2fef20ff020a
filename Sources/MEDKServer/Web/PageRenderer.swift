import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MEDKCore
import Mustache
import NIOCore

/// A link of the top navigation.
struct NavLink: Sendable {
    var title: String
    var href: String
    var current: Bool
}

/// A one-off message shown at the top of the next page (after a redirect).
struct Flash: Sendable {
    var text: String
    var isError: Bool

    /// Kept in a short-lived cookie: `e:` or `s:` and the percent-encoded text.
    var cookieValue: String {
        (isError ? "e:" : "s:") + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }

    init(text: String, isError: Bool) {
        self.text = text
        self.isError = isError
    }

    init?(cookieValue: String) {
        guard cookieValue.count > 2, let text = String(cookieValue.dropFirst(2)).removingPercentEncoding else { return nil }
        self.init(text: String(text.prefix(1000)), isError: cookieValue.hasPrefix("e:"))
    }
}

/// Everything the layout needs besides the page's own content.
struct LayoutData: Sendable {
    var title: String
    var body: String
    var userName: String?
    var userRoles: String?
    var nav: [NavLink]
    var csrf: String?
    var flash: Flash?
}

/// Renders mustache templates (HTML-escaped by default) inside the common layout.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    init(library: MustacheLibrary) { self.library = library }

    /// Loads every `.mustache` file shipped in the module's resources.
    static func bundled() -> PageRenderer {
        var library = MustacheLibrary()
        guard let directory = Bundle.module.url(forResource: "templates", withExtension: nil) else {
            preconditionFailure("templates are missing from the MEDKServer resource bundle")
        }
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        for file in files where file.pathExtension == "mustache" {
            do {
                let text = try String(contentsOf: file, encoding: .utf8)
                try library.register(text, named: file.deletingPathExtension().lastPathComponent)
            } catch {
                preconditionFailure("template \(file.lastPathComponent) does not parse: \(error)")
            }
        }
        return PageRenderer(library: library)
    }

    func render(_ template: String, _ data: Any) -> String {
        guard let html = library.render(data, withTemplate: template) else {
            preconditionFailure("no template named \(template)")
        }
        return html
    }

    /// Page templates wrap themselves in `{{#page}}…{{/page}}`, so that names they do not
    /// have (the form token) are looked up in the envelope.
    struct Envelope: @unchecked Sendable {
        var page: Any
        var csrf: String?
        /// How long a sign-in lasts without activity, for the note under long forms.
        var sessionIdleMinutes: Int
    }

    func page(_ template: String, title: String, data: Any, chrome: PageChrome, status: HTTPResponse.Status = .ok,
              draft: FormDraft? = nil) -> Response {
        var body = render(template, Envelope(page: data, csrf: chrome.csrf, sessionIdleMinutes: chrome.sessionIdleMinutes))
        if let draft { body = FormRestorer.restore(draft, in: body) }
        let layout = LayoutData(title: title, body: body, userName: chrome.userName, userRoles: chrome.userRoles,
                                nav: chrome.nav, csrf: chrome.csrf, flash: chrome.flash)
        var response = HTMLResponse.make(render("layout", layout), status: status)
        if chrome.flash != nil { response.setCookie(WebCookies.expired(WebCookies.flash, request: chrome.request)) }
        return response
    }
}

enum HTMLResponse {
    /// Pages may frame only themselves (the inline preview) and load nothing from elsewhere.
    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        + "frame-src 'self'; object-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'"

    static func make(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .init("Content-Security-Policy")!: contentSecurityPolicy,
            .init("X-Frame-Options")!: "SAMEORIGIN",
            .init("Referrer-Policy")!: "same-origin",
        ], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func redirect(_ location: String, flash: Flash? = nil, request: Request) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
        if let flash { response.setCookie(WebCookies.make(WebCookies.flash, flash.cookieValue, maxAge: 120, request: request)) }
        return response
    }
}
