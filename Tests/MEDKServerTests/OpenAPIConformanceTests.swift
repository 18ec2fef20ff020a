import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKCore
import MEDKServer
import MEDKTestSupport
import NIOCore
import Testing

@Suite("docs/openapi.yaml is true to the server")
struct OpenAPIConformanceTests {
    static let documentURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml")

    /// (method, path) pairs under `paths:` — two-space indented paths, four-space indented methods.
    static func documentedRoutes() throws -> Set<APIRouteKey> {
        let text = try String(contentsOf: documentURL, encoding: .utf8)
        var routes = Set<APIRouteKey>()
        var inPaths = false
        var currentPath: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            if inPaths, let first = line.first, !first.isWhitespace, first != "#" { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /") && !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).dropLast(line.hasSuffix(":") ? 1 : 0))
            } else if line.hasPrefix("    ") && !line.hasPrefix("     "), let path = currentPath {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete", "patch"].contains(String(key)) {
                    routes.insert(APIRouteKey(method: String(key), path: path))
                }
            }
        }
        return routes
    }

    struct APIRouteKey: Hashable, CustomStringConvertible {
        var method: String
        var path: String
        var description: String { "\(method.uppercased()) \(path)" }
    }

    @Test("every registered route is documented and every documented route exists")
    func sameRoutes() async throws {
        let world = try await TestWorld()
        let (_, registered) = MEDKServerApp.buildRouter(service: world.service)
        let server = Set(registered.map { APIRouteKey(method: $0.method, path: $0.path) })
            .union([APIRouteKey(method: "get", path: "/health"), APIRouteKey(method: "get", path: "/openapi.yaml")])
        let documented = try Self.documentedRoutes()
        #expect(documented.count > 20)
        #expect(server.subtracting(documented).isEmpty, "undocumented: \(server.subtracting(documented).sorted { $0.description < $1.description })")
        #expect(documented.subtracting(server).isEmpty, "documented but missing: \(documented.subtracting(server).sorted { $0.description < $1.description })")
    }

    @Test("every documented route answers: anonymous calls to protected routes get 401, never 404")
    func everyRouteAnswers() async throws {
        let world = try await TestWorld()
        let documented = try Self.documentedRoutes()
        try await withAPI(world) { client in
            for route in documented {
                let uri = route.path.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{version}", with: "1")
                let method = HTTPRequest.Method(route.method.uppercased())!
                let response = try await client.execute(uri: uri, method: method, headers: [.contentType: "application/json"],
                                                        body: ByteBuffer(string: "{}"))
                switch route.path {
                case "/health", "/openapi.yaml":
                    #expect(response.status == .ok, "\(route)")
                case "/api/v1/auth/login":
                    #expect(response.status == .badRequest, "\(route)")
                default:
                    #expect(response.status == .unauthorized, "\(route) answered \(response.status.code)")
                }
            }
        }
    }

    @Test("the server serves the same document as docs/openapi.yaml, declared as OpenAPI 3.1")
    func servedDocument() async throws {
        let world = try await TestWorld()
        let file = try String(contentsOf: Self.documentURL, encoding: .utf8)
        #expect(file.hasPrefix("openapi: 3.1"))
        try await withAPI(world) { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(String(buffer: response.body) == file)
        }
    }
}
