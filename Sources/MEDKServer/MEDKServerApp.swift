import Foundation
import Hummingbird
import Logging
import MEDKAPI
import MEDKCore
import NIOCore

/// Builds the HTTP application over a `MEDKService`.
public enum MEDKServerApp {
    /// The router with every route; `routes` lists what was registered under /api.
    /// - Parameter trustedProxies: reverse proxies whose `X-Forwarded-For` names the client.
    /// - Parameter metrics: where requests are counted and timed (`--metrics-address`), if anywhere.
    public static func buildRouter(service: MEDKService, trustedProxies: Set<ClientAddress> = [], metrics: ServerMetrics? = nil)
        -> (Router<MEDKRequestContext>, [APIRoute]) {
        let router = Router(context: MEDKRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        if let metrics { router.add(middleware: RequestMetricsMiddleware(metrics: metrics)) }
        router.add(middleware: ClientAddressMiddleware(trustedProxies: trustedProxies))
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: APIErrorMiddleware())
        let routeIndex = RouteIndex()
        router.add(middleware: MethodNotAllowedMiddleware(index: routeIndex))
        let pages = PageRenderer.bundled()
        router.add(middleware: PageNotFoundMiddleware(pages: pages))
        router.get("/health") { _, _ in HealthResponse(status: "ok") }
        router.get("/openapi.yaml") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
        }
        router.add(middleware: BearerAuthMiddleware(service: service))
        let table = RouteTable(router: router)
        APIRoutes.register(table, service: service)
        routeIndex.set(table.routes + MethodNotAllowedMiddleware.documented)
        registerWeb(on: router, service: service, pages: pages)
        return (router, table.routes)
    }

    public static func buildApplication(
        service: MEDKService, host: String, port: Int, trustedProxies: Set<ClientAddress> = [], metrics: ServerMetrics? = nil,
        logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let (router, _) = buildRouter(service: service, trustedProxies: trustedProxies, metrics: metrics)
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "MEDK"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

/// The OpenAPI document shipped with the server (`docs/openapi.yaml` links to the same file).
public enum OpenAPIDocument {
    public static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "openapi: 3.1.0\n" }
        return text
    }()
}
