import Foundation
import Hummingbird
import MEDKCore

/// Login, logout and the landing redirect.
enum SessionPages {
    struct LoginPage: Sendable {
        var login: String?
        var next: String
        var error: String?
        var csrf: String
    }

    static func register(_ web: WebRoutes) {
        web.get("/") { request in
            let actor = try request.actor()
            return request.redirect(WebNavigation.home(for: actor))
        }

        web.get("/login") { request in
            let token = request.context.token.map(CSRFToken.forSession)
                ?? request.request.cookies[WebCookies.loginCSRF]?.value ?? CSRFToken.random()
            var response = await request.page("login", title: "Вход", LoginPage(
                login: nil, next: safeNext(request.query("next")), error: nil, csrf: token))
            if request.context.token == nil {
                response.setCookie(WebCookies.make(WebCookies.loginCSRF, token, maxAge: nil, request: request.request))
            }
            return response
        }

        web.post("/login") { request, form in
            let next = safeNext(form["next"])
            do {
                let result = try await request.service.login(
                    form["login"] ?? "", password: form.fields["password"]?.first ?? "",
                    client: request.request.headers[.userAgent].map { String($0.prefix(200)) })
                let actor = try await request.service.authenticate(token: result.token)
                var response = request.redirect(next == "/" ? WebNavigation.home(for: actor) : next)
                let lifetime = Int(request.service.sessionLifetime)
                response.setCookie(WebCookies.make(WebCookies.session, result.token, maxAge: lifetime, request: request.request))
                response.setCookie(WebCookies.expired(WebCookies.loginCSRF, request: request.request))
                return response
            } catch let error as MEDKError where error.kind == .unauthenticated || error.kind == .invalidInput {
                let csrf = form.fields[CSRFToken.fieldName]?.first ?? ""
                return await request.page("login", title: "Вход", LoginPage(
                    login: form["login"], next: next, error: error.message, csrf: csrf), status: .unauthorized)
            }
        }

        web.post("/logout", sessionOnly: true) { request, _ in
            if let token = request.context.token { try await request.service.logout(token: token) }
            var response = request.redirect("/login", success: "Вы вышли из системы.")
            response.setCookie(WebCookies.expired(WebCookies.session, request: request.request))
            return response
        }
    }

    /// Only our own paths: an open redirect would let a phishing link borrow our login page.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !next.hasPrefix("/login") else { return "/" }
        return next
    }
}
