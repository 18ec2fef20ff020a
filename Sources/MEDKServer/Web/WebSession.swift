import Crypto
import Foundation
import Hummingbird
import MEDKCore

/// The browser session is the same bearer token the API hands out, kept in an HttpOnly
/// cookie: one session store (hashed in the database, revocable, expiring) for both.
enum WebCookies {
    static let session = "medk_session"
    /// Double-submit token for the login form, which has no session to bind to yet.
    static let loginCSRF = "medk_login_csrf"
    static let flash = "medk_flash"

    /// Secure whenever the browser reached us over TLS (directly or through a proxy saying so).
    static func isSecure(_ request: Request) -> Bool {
        request.head.scheme == "https" || request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    static func make(_ name: String, _ value: String, maxAge: Int?, request: Request) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: isSecure(request), httpOnly: true, sameSite: .lax)
    }

    static func expired(_ name: String, request: Request) -> Cookie {
        make(name, "", maxAge: 0, request: request)
    }

    /// The device tokens this browser was given at its sign-ins (one per account signed in on it,
    /// the latest first): sent only to the login form, never readable by scripts or other sites.
    static let device = "medk_device"
    static let deviceLifetime = 180 * 86_400

    static func deviceTokens(_ request: Request) -> [String] {
        guard let value = request.cookies[device]?.value else { return [] }
        return value.split(separator: ".").prefix(KnownDeviceCookie.tokens).map(String.init)
    }

    /// The cookie after a sign-in: the new token first, then the other accounts' tokens the
    /// browser showed (the one the new token replaces is left out by the caller).
    static func device(adding token: String, to others: [String], request: Request) -> Cookie {
        let kept = [token] + others.prefix(KnownDeviceCookie.tokens - 1)
        return Cookie(name: device, value: kept.joined(separator: "."), maxAge: deviceLifetime, path: "/login",
                      secure: isSecure(request), httpOnly: true, sameSite: .strict)
    }
}

enum KnownDeviceCookie {
    /// Accounts a shared computer remembers (a school's team signing in on one machine).
    static let tokens = 5
}

/// CSRF tokens. With a session the token is an HMAC of the session token, so it needs no
/// storage and dies with the session; a cross-site page can read neither.
enum CSRFToken {
    static let fieldName = "_csrf"

    static func forSession(_ sessionToken: String) -> String {
        let key = SymmetricKey(data: Data(sessionToken.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("medk-web-form".utf8), using: key)
        return Data(mac).map { String(format: "%02x", $0) }.joined()
    }

    static func random() -> String { SessionToken.generate() }

    static func matches(_ presented: String?, _ expected: String) -> Bool {
        guard let presented else { return false }
        let a = Array(presented.utf8), b = Array(expected.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Resolves the session cookie to an actor for the HTML pages. An expired or revoked
/// session simply leaves the request anonymous; pages that need someone send it to /login.
struct WebSessionMiddleware: RouterMiddleware {
    typealias Context = MEDKRequestContext
    let service: MEDKService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if context.actor == nil, let token = request.cookies[WebCookies.session]?.value, !token.isEmpty {
            do {
                context.actor = try await service.authenticate(token: token)
                context.token = token
                context.logger[metadataKey: "user"] = "\(context.actor!.login)"
            } catch let error as MEDKError where error.kind == .unauthenticated {
                context.logger.debug("stale web session cookie")
            }
        }
        return try await next(request, context)
    }
}
