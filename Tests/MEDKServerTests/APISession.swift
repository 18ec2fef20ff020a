import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MEDKAPI
import MEDKCore
import MEDKServer
import MEDKTestSupport
import NIOCore
import Testing

/// A signed-in client of the in-process API, speaking JSON the way real clients do.
struct APISession: Sendable {
    let client: any TestClientProtocol
    let token: String?

    static let encoder = APIJSONCoding.encoder()
    static let decoder = APIJSONCoding.decoder()

    static func login(_ client: any TestClientProtocol, _ login: String, password: String = TestWorld.password) async throws -> APISession {
        let anonymous = APISession(client: client, token: nil)
        let result: LoginResult = try await anonymous.send(.post, "/api/v1/auth/login", LoginRequest(login: login, password: password))
        return APISession(client: client, token: result.token)
    }

    func raw(_ method: HTTPRequest.Method, _ uri: String, body: ByteBuffer? = nil,
             contentType: String = "application/json") async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: contentType]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body)
    }

    /// Sends and decodes a success; records an issue with the server's error otherwise.
    func send<T: Decodable>(_ method: HTTPRequest.Method, _ uri: String, _ body: (some Encodable)? = nil as String?,
                            expect status: HTTPResponse.Status? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> T {
        let buffer = try body.map { ByteBuffer(data: try Self.encoder.encode($0)) }
        let response = try await raw(method, uri, body: buffer)
        guard (200..<300).contains(response.status.code) else {
            let error = try? Self.decoder.decode(APIErrorBody.self, from: Data(buffer: response.body))
            Issue.record("\(method) \(uri) → \(response.status.code) \(error?.error.code ?? "") \(error?.error.message ?? "")",
                         sourceLocation: sourceLocation)
            throw MEDKError(.invalidInput, code: error?.error.code ?? "http", message: error?.error.message ?? "")
        }
        if let status { #expect(response.status == status, sourceLocation: sourceLocation) }
        return try Self.decoder.decode(T.self, from: Data(buffer: response.body))
    }

    func get<T: Decodable>(_ uri: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> T {
        try await send(.get, uri, nil as String?, sourceLocation: sourceLocation)
    }

    /// Sends and expects a refusal; returns its status and error body.
    func refusal(_ method: HTTPRequest.Method, _ uri: String, _ body: (some Encodable)? = nil as String?,
                 rawBody: ByteBuffer? = nil) async throws -> (HTTPResponse.Status, APIErrorBody.Content) {
        let buffer = try rawBody ?? body.map { ByteBuffer(data: try Self.encoder.encode($0)) }
        let response = try await raw(method, uri, body: buffer)
        #expect(!(200..<300).contains(response.status.code), "\(method) \(uri) unexpectedly succeeded")
        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
        let error = try Self.decoder.decode(APIErrorBody.self, from: Data(buffer: response.body))
        return (response.status, error.error)
    }

    func upload(_ itemID: Int64, name: String, bytes: [UInt8]) async throws -> TestResponse {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
        return try await raw(.post, "/api/v1/items/\(itemID)/files?fileName=\(encoded)", body: ByteBuffer(bytes: bytes),
                             contentType: "application/octet-stream")
    }
}

func withAPI<T: Sendable>(_ world: TestWorld, _ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
    let (router, _) = MEDKServerApp.buildRouter(service: world.service)
    return try await Application(router: router).test(.router, body)
}

extension ItemDetail {
    func transition(_ action: ReviewAction, comment: String? = nil) -> TransitionRequest {
        TransitionRequest(action: action, expectedState: item.state, expectedRevision: item.revision, comment: comment)
    }
}
