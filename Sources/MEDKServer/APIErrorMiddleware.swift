import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Logging
import MEDKAPI
import MEDKCore

struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = MEDKRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            response.headers[.xContentTypeOptions] = "nosniff"
            if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
            return response
        } catch {
            let medkError = Self.translate(error, logger: context.logger)
            return Self.response(for: medkError)
        }
    }

    static func translate(_ error: any Error, logger: Logger) -> MEDKError {
        switch error {
        case let error as MEDKError:
            return error
        case is NIOTooManyBytesError:
            return MEDKError(.tooLarge, code: "body_too_large", message: "Тело запроса слишком велико.")
        case is DecodingError:
            return .invalid("invalid_json", "Тело запроса не соответствует ожидаемому формату JSON: \(describe(error as! DecodingError))")
        case let error as HTTPError:
            switch error.status {
            case .notFound:
                return MEDKError(.notFound, code: "not_found", message: "Такого адреса нет.")
            case .contentTooLarge:
                return MEDKError(.tooLarge, code: "body_too_large", message: "Тело запроса слишком велико.")
            case .methodNotAllowed:
                return MEDKError(.methodNotAllowed, code: "method_not_allowed", message: "Этот метод для адреса не поддерживается.")
            case .badRequest:
                return .invalid("bad_request", "Некорректный запрос.")
            default:
                return .invalid("bad_request", "Некорректный запрос (\(error.status.code)).")
            }
        default:
            logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return MEDKError(.internalFailure, code: "internal_error", message: "Внутренняя ошибка сервера. Действие не выполнено.")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "нет поля «\(key.stringValue)»."
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "неверное значение поля «\(context.codingPath.map(\.stringValue).joined(separator: "."))»."
        @unknown default: "ошибка разбора."
        }
    }

    static func status(for kind: MEDKError.Kind) -> HTTPResponse.Status {
        HTTPResponse.Status(code: APIStatus.code(kind))
    }

    static func response(for error: MEDKError) -> Response {
        // The one error shape of the API, `{"error": {"code", "message", "details"}}`: nothing
        // internal reaches the client.
        let body = APIErrorBody(error)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data()
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
                                   .xContentTypeOptions: "nosniff"]
        if error.kind == .unauthenticated { headers[.wwwAuthenticate] = "Bearer realm=\"medk\"" }
        if let seconds = error.retryAfter { headers[.retryAfter] = String(seconds) }
        if error.kind == .methodNotAllowed, !error.details.isEmpty { headers[.allow] = error.details.joined(separator: ", ") }
        return Response(status: status(for: error.kind), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
