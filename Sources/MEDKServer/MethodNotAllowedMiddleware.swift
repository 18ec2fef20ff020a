import Foundation
import Hummingbird
import MEDKCore

/// The API's registered (method, path template) pairs, filled once while the router is built and
/// only read afterwards.
final class RouteIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var templates: [(method: String, segments: [Substring])] = []

    func set(_ routes: [APIRoute]) {
        lock.lock()
        defer { lock.unlock() }
        templates = routes.map { (method: $0.method.uppercased(), segments: $0.path.split(separator: "/")) }
    }

    /// The methods registered for paths the template of which matches `path` (`{id}` matches any segment).
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        lock.lock()
        defer { lock.unlock() }
        let methods = templates.filter { template in
            template.segments.count == segments.count
                && zip(template.segments, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.map(\.method)
        return Array(Set(methods)).sorted()
    }
}

/// An API address asked with a method it does not have (TRACE, DELETE on a list…) answers 405
/// with `Allow`, as HTTP says, rather than 404 as if the address did not exist.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = MEDKRequestContext
    let index: RouteIndex

    /// The addresses outside /api/v1 that the OpenAPI document describes.
    static let documented: [APIRoute] = [APIRoute(method: "GET", path: "/health"), APIRoute(method: "GET", path: "/openapi.yaml")]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound
            && (request.uri.path.hasPrefix(APIRoutes.prefix + "/") || Self.documented.contains { $0.path == request.uri.path }) {
            let allowed = index.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            throw MEDKError(.methodNotAllowed, code: "method_not_allowed",
                            message: "Метод \(request.method.rawValue) для этого адреса не поддерживается; допустимы: \(allowed.joined(separator: ", ")).",
                            details: allowed)
        }
    }
}
