import Foundation
import Hummingbird
import MEDKCore

/// Resolves `Authorization: Bearer …` to an actor for the API. Requests without a token pass
/// through anonymous; handlers that need someone call `context.requireActor()`. Pages are left
/// alone: they sign in by cookie, and a reverse proxy's own `Authorization: Basic` must not turn
/// every page into a JSON 401.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = MEDKRequestContext
    let service: MEDKService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix(APIRoutes.prefix + "/"), let header = request.headers[.authorization] else {
            return try await next(request, context)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw MEDKError.unauthenticated }
        var context = context
        let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        context.actor = try await service.authenticate(token: token)
        context.token = token
        context.logger[metadataKey: "user"] = "\(context.actor!.login)"
        return try await next(request, context)
    }
}
