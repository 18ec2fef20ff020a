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

        web.post("/login", access: .anonymous) { request, form in
            let next = safeNext(form["next"])
            do {
                let devices = WebCookies.deviceTokens(request.request)
                let result = try await request.service.login(
                    form["login"] ?? "", password: form.fields["password"]?.first ?? "", client: request.context.client,
                    deviceTokens: devices)
                let actor = try await request.service.authenticate(token: result.token)
                var response = request.redirect(next == "/" ? WebNavigation.home(for: actor) : next)
                let lifetime = Int(request.service.sessionLifetime)
                response.setCookie(WebCookies.make(WebCookies.session, result.token, maxAge: lifetime, request: request.request))
                response.setCookie(WebCookies.expired(WebCookies.loginCSRF, request: request.request))
                if let device = result.deviceToken {
                    response.setCookie(WebCookies.device(adding: device, to: devices.filter { $0 != result.replacedDeviceToken },
                                                         request: request.request))
                }
                return response
            } catch let error as MEDKError where [.unauthenticated, .invalidInput, .unprocessable, .throttled, .unavailable].contains(error.kind) {
                let csrf = form.fields[CSRFToken.fieldName]?.first ?? ""
                var response = await request.page("login", title: "Вход", LoginPage(
                    login: form["login"], next: next, error: error.message, csrf: csrf),
                    status: [.unauthenticated, .invalidInput, .unprocessable].contains(error.kind)
                        ? .unauthorized : APIErrorMiddleware.status(for: error.kind))
                if let seconds = error.retryAfter { response.headers[.retryAfter] = String(seconds) }
                return response
            }
        }

        web.post("/logout", access: .sessionOnly) { request, _ in
            if let token = request.context.token { try await request.service.logout(token: token) }
            var response = request.redirect("/login", success: "Вы вышли из системы.")
            response.setCookie(WebCookies.expired(WebCookies.session, request: request.request))
            return response
        }
    }

    /// Only our own paths: an open redirect would let a phishing link borrow our login page.
    /// Browsers drop tabs and line breaks from URLs (`/\t/evil.example` becomes `//evil.example`),
    /// so any control or white-space character refuses the path outright.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !next.hasPrefix("/login"),
              !next.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace })
        else { return "/" }
        return next
    }
}
