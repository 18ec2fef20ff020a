import Foundation
import Hummingbird
import MEDKCore

/// Per-request state: who is calling, once the bearer token has been checked.
public struct MEDKRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var actor: Actor?
    public var token: String?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// JSON bodies are small; file uploads are streamed and limited by the file store instead.
    public var maxUploadSize: Int { 1 << 20 }

    public var requestDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The signed-in actor, or a 401 for anonymous calls.
    public func requireActor() throws -> Actor {
        guard let actor else { throw MEDKError.unauthenticated }
        return actor
    }
}
