import Foundation
import Hummingbird
import MEDKCore

/// An address that matches no route gets the «не найдено» page in a browser; the API
/// (and anything asking for JSON) keeps its JSON error.
struct PageNotFoundMiddleware: RouterMiddleware {
    typealias Context = MEDKRequestContext
    let pages: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && Self.wantsPage(request) {
            let chrome = PageChrome(request: request, nav: [])
            return pages.page("error", title: "Не найдено", data: WebErrorMiddleware.ErrorPage(
                heading: "Не найдено", message: "Такой страницы нет. Проверьте адрес или начните с главной.",
                details: [], showLogin: false), chrome: chrome, status: .notFound)
        }
    }

    static func wantsPage(_ request: Request) -> Bool {
        !request.uri.path.hasPrefix("/api/") && (request.headers[.accept]?.contains("text/html") ?? false)
    }
}
