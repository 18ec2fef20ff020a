import Foundation
import HTTPTypes
import Hummingbird
import MEDKCore
import NIOCore

/// Why a form was refused before it reached the core.
enum WebFailure: Error {
    case csrf
}

/// The request as a page handler sees it: who is asking, and how to answer with a page.
struct WebRequest: Sendable {
    let request: Request
    let context: MEDKRequestContext
    let service: MEDKService
    let pages: PageRenderer

    /// The signed-in actor; anonymous visitors are sent to the login page by `WebErrorMiddleware`.
    func actor() throws -> Actor { try context.requireActor() }

    func query(_ name: String) -> String? { request.query(name) }

    var path: String { request.uri.path }

    func chrome() async -> PageChrome {
        await PageChrome.make(request: request, context: context, service: service)
    }

    /// The page, with the person's refused form put back as they left it when the address names
    /// one of their drafts (`?draft=`, see `FormRestorer`).
    func page(_ template: String, title: String, _ data: Any, status: HTTPResponse.Status = .ok) async -> Response {
        pages.page(template, title: title, data: data, chrome: await chrome(), status: status, draft: await draft())
    }

    /// The person's refused form this address names (`?draft=`), if it is theirs and still kept.
    func draft() async -> FormDraft? {
        guard let id = query("draft"), let actor = context.actor else { return nil }
        return try? await service.formDrafts.draft(id: id, for: actor)
    }

    func redirect(_ location: String, success: String? = nil, error: String? = nil) -> Response {
        let flash = success.map { Flash(text: $0, isError: false) } ?? error.map { Flash(text: $0, isError: true) }
        return HTMLResponse.redirect(location, flash: flash, request: request)
    }
}

/// What surrounds every page: the user, the navigation, the form token and a flash message.
struct PageChrome: Sendable {
    var request: Request
    var userName: String?
    var userRoles: String?
    var nav: [NavLink]
    var csrf: String?
    var flash: Flash?
    var sessionIdleMinutes = 30

    static func make(request: Request, context: MEDKRequestContext, service: MEDKService) async -> PageChrome {
        let flash = request.cookies[WebCookies.flash].flatMap { Flash(cookieValue: $0.value) }
        let idle = Int(service.sessionIdleTimeout / 60)
        guard let actor = context.actor, let token = context.token else {
            return PageChrome(request: request, nav: [], flash: flash, sessionIdleMinutes: idle)
        }
        let info = try? await service.userInfo(id: actor.userID)
        let roles = info?.grants.map { grant in
            grant.organisationName.map { "\(grant.role.russianName): \($0)" } ?? grant.role.russianName
        }.joined(separator: "; ")
        return PageChrome(request: request, userName: info?.fullName ?? actor.login, userRoles: roles,
                          nav: WebNavigation.links(for: actor, currentPath: request.uri.path),
                          csrf: CSRFToken.forSession(token), flash: flash, sessionIdleMinutes: idle)
    }
}

/// Registers page routes on a group that has the session and error middleware. Every POST
/// goes through `post`, which reads the form and checks its CSRF token before the handler runs.
struct WebRoutes {
    let group: RouterGroup<MEDKRequestContext>
    let service: MEDKService
    let pages: PageRenderer

    func get(_ path: String, _ handler: @escaping @Sendable (WebRequest) async throws -> Response) {
        let service = service, pages = pages
        group.get(RouterPath(path)) { request, context in
            try await handler(WebRequest(request: request, context: context, service: service, pages: pages))
        }
    }

    /// Registers a form. Nothing of the body is read before the route knows who is asking: a
    /// form that needs a session is refused without one, and the body is read within `limits`
    /// (the login form, the only anonymous one, takes 16 KB). Then the CSRF token and, when the
    /// browser sent one, the `Origin` are checked before the handler runs. Files the form brought
    /// are removed once it has been answered.
    func post(_ path: String, access: FormAccess = .signedIn, limits: FormLimits = .form,
              _ handler: @escaping @Sendable (WebRequest, WebForm) async throws -> Response) {
        let service = service, pages = pages
        group.post(RouterPath(path)) { request, context in
            let web = WebRequest(request: request, context: context, service: service, pages: pages)
            switch access {
            case .sessionOnly where context.token == nil:
                return try await handler(web, WebForm())
            case .signedIn where context.actor == nil:
                return try await Self.keepForSignIn(request, context: context, service: service, limits: limits)
            default:
                break
            }
            guard Self.isSameOrigin(request) else {
                context.logger.warning("form refused: foreign Origin", metadata: ["path": "\(request.uri.path)"])
                throw WebFailure.csrf
            }
            let form = try await FormReader.read(request, limits: access == .anonymous ? .anonymous : limits,
                                                 temporaryDirectory: service.files.temporaryDirectory)
            defer { form.removeTemporaryFiles() }
            let expected = context.token.map(CSRFToken.forSession) ?? request.cookies[WebCookies.loginCSRF]?.value
            guard let expected, CSRFToken.matches(form.fields[CSRFToken.fieldName]?.first, expected) else {
                context.logger.warning("form refused: missing or wrong CSRF token", metadata: ["path": "\(request.uri.path)"])
                throw WebFailure.csrf
            }
            do {
                return try await handler(web, form)
            } catch let refusal as MEDKError where Self.keptOnRefusal.contains(refusal.kind) {
                // Back to the page, with the form as it was sent and the refusal beside it.
                guard let actor = context.actor else { throw refusal }
                let id = try await service.formDrafts.keep(action: request.uri.path, fields: Self.draftFields(form),
                                                           files: Self.draftFiles(form), refusal: refusal, for: actor)
                return HTMLResponse.redirect(Self.draftLocation(WebErrorMiddleware.backLocation(request), draft: id), request: request)
            }
        }
    }

    /// Refusals a person answers by correcting the form: the form comes back as it was sent.
    static let keptOnRefusal: Set<MEDKError.Kind> = [.invalidInput, .unprocessable, .conflict, .tooLarge, .unsupportedMediaType]

    static func draftFields(_ form: WebForm) -> [FormDraft.Field] {
        form.fields.sorted { $0.key < $1.key }.flatMap { name, values in values.map { FormDraft.Field(name: name, value: $0) } }
    }

    static func draftFiles(_ form: WebForm) -> [FormDraft.Field] {
        form.files.sorted { $0.key < $1.key }.map { FormDraft.Field(name: $0.key, value: $0.value.fileName) }
    }

    /// The page to go back to, naming the draft and landing on it.
    static func draftLocation(_ back: String, draft: String) -> String {
        var components = URLComponents(string: back) ?? URLComponents()
        var items = (components.queryItems ?? []).filter { $0.name != "draft" }
        items.append(URLQueryItem(name: "draft", value: draft))
        components.queryItems = items
        components.fragment = "draft"
        return components.string ?? back
    }

    /// A form posted after its sender's sign-in ended (the session cookie names a session that ran
    /// out, not one that was signed out): what was typed is kept for that user — once the form's
    /// token proves the form was theirs — and the person signs in and comes back to it. Anything
    /// else is sent to sign in as before, its body unread.
    static func keepForSignIn(_ request: Request, context: MEDKRequestContext, service: MEDKService,
                              limits: FormLimits) async throws -> Response {
        guard let stale = request.cookies[WebCookies.session]?.value, !stale.isEmpty, isSameOrigin(request),
              try await service.formDrafts.isEndedSession(token: stale) else {
            throw MEDKError.unauthenticated
        }
        // A file it carried is not kept (the page asks for it again).
        let form = try await FormReader.read(request, limits: limits, temporaryDirectory: service.files.temporaryDirectory)
        defer { form.removeTemporaryFiles() }
        guard CSRFToken.matches(form.fields[CSRFToken.fieldName]?.first, CSRFToken.forSession(stale)),
              let id = try await service.formDrafts.keepForEndedSession(token: stale, action: request.uri.path,
                                                                         fields: draftFields(form), files: draftFiles(form))
        else { throw MEDKError.unauthenticated }
        let back = draftLocation(WebErrorMiddleware.backLocation(request), draft: id)
        let next = back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F"
        return HTMLResponse.redirect("/login?next=\(next)", request: request)
    }

    /// A POST whose only credential is a token in its address (an unsubscribe link): no session,
    /// no form token, and its body (a mail client's `List-Unsubscribe=One-Click`) is not read.
    func postWithLinkToken(_ path: String, _ handler: @escaping @Sendable (WebRequest) async throws -> Response) {
        let service = service, pages = pages
        group.post(RouterPath(path)) { request, context in
            try await handler(WebRequest(request: request, context: context, service: service, pages: pages))
        }
    }

    /// Defence in depth behind the CSRF token: a browser that says where a form came from must
    /// say this site (the `Host` it asked, or the host a proxy says it forwarded). Browsers
    /// cannot forge `Origin`; clients that send none are judged by the token alone.
    static func isSameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let url = URLComponents(string: origin), let host = url.host, !host.isEmpty else { return false }
        let authority = url.port.map { "\(host):\($0)" } ?? host
        let asked = [request.head.authority, request.headers[.init("X-Forwarded-Host")!]]
            .compactMap { $0?.lowercased() }
        return asked.contains(authority.lowercased())
            || (url.port == nil && asked.contains { $0 == "\(host.lowercased()):\(url.scheme == "https" ? 443 : 80)" })
    }
}

/// Who may post a form.
enum FormAccess: Sendable {
    /// Anyone: the login form.
    case anonymous
    /// A signed-in user; others are sent to the login page before the body is read.
    case signedIn
    /// Does something only inside a live session (logging out); without one it is passed on
    /// unread and the handler finds nothing to do.
    case sessionOnly
}

extension MEDKServerApp {
    /// The Russian HTML interface: same core use cases and policy as the API.
    static func registerWeb(on router: Router<MEDKRequestContext>, service: MEDKService, pages: PageRenderer) {
        router.get("/static/{file}") { _, context -> Response in
            guard let name = context.parameters.get("file"), let asset = StaticAssets.asset(named: name) else {
                throw HTTPError(.notFound)
            }
            return Response(status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=3600"],
                            body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
        let group = router.group()
            .add(middleware: WebSessionMiddleware(service: service))
            .add(middleware: WebErrorMiddleware(service: service, pages: pages))
        let web = WebRoutes(group: group, service: service, pages: pages)
        SessionPages.register(web)
        ItemPages.register(web)
        QueuePages.register(web)
        MonitoringPages.register(web)
        ReviewTimesPages.register(web)
        EvaluationPages.register(web)
        AdminPages.register(web)
        MailPages.register(web)
        DashboardPages.register(web)
        ResultsPages.register(web)
        ResultsDynamicsPages.register(web)
        IndicatorPages.register(web)
    }
}

/// CSS and the like, read once from the resource bundle.
enum StaticAssets {
    struct Asset: Sendable {
        var bytes: [UInt8]
        var contentType: String
    }

    static let all: [String: Asset] = {
        guard let directory = Bundle.module.url(forResource: "static", withExtension: nil),
              let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil) else { return [:] }
        var result: [String: Asset] = [:]
        for file in files {
            guard let data = try? Data(contentsOf: file) else { continue }
            let type = switch file.pathExtension {
            case "css": "text/css; charset=utf-8"
            case "js": "text/javascript; charset=utf-8"
            case "svg": "image/svg+xml"
            case "png": "image/png"
            default: "application/octet-stream"
            }
            result[file.lastPathComponent] = Asset(bytes: Array(data), contentType: type)
        }
        return result
    }()

    static func asset(named name: String) -> Asset? { all[name] }
}
