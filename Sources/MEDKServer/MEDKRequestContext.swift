import Foundation
import Hummingbird
import MEDKAPI
import MEDKCore

/// Per-request state: who is calling, once the bearer token has been checked.
public struct MEDKRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var actor: Actor?
    public var token: String?
    /// The connection's peer, as the socket says.
    public let peer: ClientAddress?
    /// The client as far as the server can tell (`ClientAddressMiddleware`): the peer, or the
    /// address a trusted proxy forwarded for.
    public var client: ClientAddress = .local

    public init(source: Source) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress.flatMap { ClientAddress($0) }
    }

    /// JSON bodies are small; file uploads are streamed and limited by the file store instead.
    public var maxUploadSize: Int { 1 << 20 }

    public var requestDecoder: JSONDecoder { APIJSON.decoder }

    public var responseEncoder: StreamingJSONEncoder { APIJSON.encoder }

    /// The signed-in actor, or a 401 for anonymous calls.
    public func requireActor() throws -> Actor {
        guard let actor else { throw MEDKError.unauthenticated }
        return actor
    }
}

/// The API's JSON coders, made once. Dates go out as ISO 8601 to the second, written by
/// `Timestamp`; responses are written by `StreamingJSONEncoder` (Foundation's encoder, its
/// `.iso8601` strategy and sorted keys were a third of the CPU of a page of a list); dates come
/// in as any ISO 8601 Foundation reads.
enum APIJSON {
    static let encoder = StreamingJSONEncoder()

    static let decoder = APIJSONCoding.decoder()
}
