import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MEDKCore

/// Gives every request an id — the one a balancer or client sent in `X-Request-Id` when it is a
/// plain token, else a new one — logs the request's lines with it and returns it in the response's
/// `X-Request-Id`, so that a person's complaint, the balancer's log and the server's log meet.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    static var header: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[Self.header].flatMap(Self.acceptable) ?? Self.newID()
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        do {
            var response = try await next(request, context)
            response.headers[Self.header] = id
            return response
        } catch let error as any HTTPResponseError {
            var response = try error.response(from: request, context: context)
            response.headers[Self.header] = id
            return response
        }
    }

    /// An id from outside is kept only if it cannot forge a log line or a header: 1–64 letters,
    /// digits, `-`, `_` or `.`.
    static func acceptable(_ text: String) -> String? {
        guard (1...64).contains(text.utf8.count),
              text.utf8.allSatisfy({ $0 < 128 && (isalnum(Int32($0)) != 0 || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")) })
        else { return nil }
        return text
    }

    /// 128 random bits as 32 hex digits.
    static func newID() -> String {
        (0..<16).map { _ in UInt8.random(in: .min ... .max) }.hexString
    }
}
