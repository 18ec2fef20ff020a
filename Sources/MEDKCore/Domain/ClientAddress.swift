import Foundation

/// Where a request came from, as far as the server can know: the peer's IP address, or the
/// address a declared trusted proxy says it forwarded for. Login throttling counts by it and the
/// audit trail records it.
public struct ClientAddress: Sendable, Hashable, CustomStringConvertible {
    public let description: String

    /// Commands run on the server itself (`medk` with `--data-dir`) and tests.
    public static let local = ClientAddress(verbatim: "local")

    private init(verbatim: String) { description = verbatim }

    /// An IPv4 or IPv6 address in text; anything else is not an address.
    public init?(_ text: some StringProtocol) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 45,
              trimmed.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else { return nil }
        description = trimmed.lowercased()
    }

    /// The client behind `X-Forwarded-For`, trusting only the proxies the operator declared: the
    /// header is read from the right, past trusted hops, and the first untrusted address is the
    /// client. Without trusted proxies the header is ignored (anyone can send it).
    public static func resolve(peer: ClientAddress?, forwardedFor: [String], trustedProxies: Set<ClientAddress>) -> ClientAddress {
        guard let peer else { return .local }
        guard trustedProxies.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.reversed()
        var client = peer
        for hop in hops {
            guard let address = ClientAddress(hop) else { return client }
            client = address
            if !trustedProxies.contains(address) { return address }
        }
        return client
    }
}
