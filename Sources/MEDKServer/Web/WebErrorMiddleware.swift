import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MEDKCore

/// Turns every failure of a page into something a person can act on: the login page, a
/// «нет доступа» or «не найдено» page, or — for a refused form — the same page again with
/// the reason on top. Nothing internal is shown.
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = MEDKRequestContext
    let service: MEDKService
    let pages: PageRenderer

    struct ErrorPage: Sendable {
        var heading: String
        var message: String
        var details: [String]
        var showLogin: Bool
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch WebFailure.csrf {
            return await page(request, context, status: .forbidden, ErrorPage(
                heading: "Форма устарела",
                message: "Форма отправлена без действующего ключа защиты (она устарела или пришла с чужого сайта). Ничего не изменено. Откройте страницу заново и повторите действие.",
                details: [], showLogin: context.actor == nil))
        } catch {
            let medkError = APIErrorMiddleware.translate(error, logger: context.logger)
            switch medkError.kind {
            case .unauthenticated:
                let next = request.method == .get ? request.uri.description : "/"
                let target = "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F")
                return HTMLResponse.redirect(target, request: request)
            case .forbidden:
                return await page(request, context, status: .forbidden, ErrorPage(
                    heading: "Нет доступа", message: medkError.message, details: medkError.details, showLogin: false))
            case .notFound:
                return await page(request, context, status: .notFound, ErrorPage(
                    heading: "Не найдено", message: medkError.message, details: medkError.details, showLogin: false))
            case .throttled, .unavailable:
                var response = await page(request, context, status: APIErrorMiddleware.status(for: medkError.kind), ErrorPage(
                    heading: "Повторите позже", message: medkError.message, details: [], showLogin: false))
                if let seconds = medkError.retryAfter { response.headers[.retryAfter] = String(seconds) }
                return response
            case .internalFailure:
                return await page(request, context, status: .internalServerError, ErrorPage(
                    heading: "Что-то пошло не так", message: medkError.message, details: [], showLogin: false))
            case .tooLarge where request.method == .post:
                // The body was refused before it was read whole: say so on a page of its own (a
                // redirect would be lost on a browser still sending the file).
                return await page(request, context, status: .contentTooLarge, ErrorPage(
                    heading: "Слишком большой объём", message: medkError.message + " Ничего не сохранено.",
                    details: medkError.details, showLogin: false))
            case .invalidInput, .unprocessable, .conflict, .tooLarge, .unsupportedMediaType, .methodNotAllowed:
                if request.method == .post {
                    return HTMLResponse.redirect(Self.backLocation(request), flash: Flash(
                        text: ([medkError.message] + medkError.details).joined(separator: " "), isError: true), request: request)
                }
                return await page(request, context, status: APIErrorMiddleware.status(for: medkError.kind), ErrorPage(
                    heading: "Запрос не выполнен", message: medkError.message, details: medkError.details, showLogin: false))
            }
        }
    }

    private func page(_ request: Request, _ context: Context, status: HTTPResponse.Status, _ error: ErrorPage) async -> Response {
        let chrome = await PageChrome.make(request: request, context: context, service: service)
        return pages.page("error", title: error.heading, data: error, chrome: chrome, status: status)
    }

    /// Where a refused form goes back to: the page it came from. Only the path of the Referer
    /// is used, so the redirect never leaves this site.
    static func backLocation(_ request: Request) -> String {
        guard let referer = request.headers[.referer], let url = URLComponents(string: referer) else { return "/" }
        let location = url.percentEncodedQuery.map { "\(url.percentEncodedPath)?\($0)" } ?? url.percentEncodedPath
        return SessionPages.safeNext(location)
    }
}
