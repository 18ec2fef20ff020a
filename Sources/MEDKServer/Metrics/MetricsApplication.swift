import Crypto
import Foundation
import Hummingbird
import Logging
import MEDKCore
import NIOCore

/// `GET /metrics` on an address of its own (`--metrics-address`, loopback by default in the
/// docs), so that the figures are not on the address people and the internet reach; with
/// `MEDK_METRICS_TOKEN` set, a scrape must also bring `Authorization: Bearer <token>`.
public enum MetricsApplication {
    public static func build(metrics: ServerMetrics, service: MEDKService, host: String, port: Int, token: String?,
                             logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        let expected = token.map { Array(SHA256.hash(data: Data("Bearer \($0)".utf8))) }
        router.get("/metrics") { request, _ -> Response in
            if let expected {
                let given = Array(SHA256.hash(data: Data((request.headers[.authorization] ?? "").utf8)))
                // Compared as digests: equal length, no early exit on the first differing byte.
                guard zip(given, expected).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
                    return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
                }
            }
            let body = await metrics.exposition(service: service)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "MEDK-metrics"),
                           logger: logger)
    }
}
