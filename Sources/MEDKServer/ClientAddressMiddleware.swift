import Hummingbird
import MEDKCore

/// Tells each request who its client is: the socket's peer, unless the peer is a proxy the
/// operator declared (`medk serve --trusted-proxy`), in which case `X-Forwarded-For` is read
/// from the right past trusted hops. Anyone can send that header, so without a declared proxy
/// it is ignored.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = MEDKRequestContext
    let trustedProxies: Set<ClientAddress>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.client = ClientAddress.resolve(peer: context.peer, forwardedFor: request.headers[values: .init("X-Forwarded-For")!],
                                               trustedProxies: trustedProxies)
        return try await next(request, context)
    }
}
