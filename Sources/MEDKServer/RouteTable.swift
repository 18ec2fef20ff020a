import Foundation
import Hummingbird
import MEDKCore

/// One registered route, as written in `docs/openapi.yaml`.
public struct APIRoute: Sendable, Hashable, CustomStringConvertible {
    public var method: String
    public var path: String

    public var description: String { "\(method) \(path)" }
}

/// Registers handlers and remembers each (method, path), so a test can hold every route
/// against the OpenAPI document.
final class RouteTable {
    let router: Router<MEDKRequestContext>
    private(set) var routes: [APIRoute] = []

    init(router: Router<MEDKRequestContext>) { self.router = router }

    func on<Output: ResponseGenerator>(_ method: HTTPRequest.Method, _ path: String,
                                       _ handler: @escaping @Sendable (Request, MEDKRequestContext) async throws -> Output) {
        router.on(RouterPath(path), method: method, use: handler)
        routes.append(APIRoute(method: method.rawValue.lowercased(), path: path))
    }
}

extension Parameters {
    /// A numeric path parameter, or a 404 that names what was not found.
    func id(_ name: String = "id") throws -> Int64 {
        guard let text = self.get(name), let value = Int64(text), value > 0 else {
            throw MEDKError.notFound("Документ «\(self.get(name) ?? "")»")
        }
        return value
    }
}

extension Request {
    func query(_ name: String) -> String? {
        uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A parameter with a type (number, date, enumeration, flag): nil only when absent, so that an
    /// empty `state=` is refused by its parser rather than read as «no filter».
    func typedQuery(_ name: String) -> String? {
        uri.queryParameters.get(name)
    }
}

extension Request {
    /// Decodes a JSON body, letting `DecodingError` through so the client learns which field is wrong.
    func decodeJSON<T: Decodable>(as type: T.Type, context: MEDKRequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        return try context.requestDecoder.decode(T.self, from: Data(buffer.readableBytesView))
    }
}
