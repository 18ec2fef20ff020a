import Foundation
import MEDKCore

// Response shapes of /api/v1 that are not the core's own read models (those — `ItemDetail`,
// `Page`, `ComplianceReport`, … — are encoded as they are).

/// The one error shape: a stable English `code` for programs, a Russian `message` for people.
public struct APIErrorBody: Codable, Sendable, Hashable {
    public struct Content: Codable, Sendable, Hashable {
        public var code: String
        public var message: String
        public var details: [String]?
        /// What is wrong with each field that is wrong, by the field's name in the request.
        public var fields: [String: String]?

        public init(code: String, message: String, details: [String]? = nil, fields: [String: String]? = nil) {
            self.code = code
            self.message = message
            self.details = details
            self.fields = fields
        }
    }

    public var error: Content

    public init(_ error: MEDKError) {
        self.error = Content(code: error.code, message: error.message, details: error.details.isEmpty ? nil : error.details,
                             fields: error.fields.isEmpty ? nil : error.fields)
    }

    /// The refusal as the core would have raised it, given the HTTP status it came with.
    public func medkError(status: Int) -> MEDKError {
        MEDKError(APIStatus.kind(status), code: error.code, message: error.message, details: error.details ?? [],
                  fields: error.fields ?? [:])
    }
}

/// Top-level arrays are wrapped in an object so the API can grow fields later.
public struct ListResponse<Element: Codable & Sendable>: Codable, Sendable {
    public var items: [Element]

    public init(items: [Element]) { self.items = items }
}

/// An action done that has nothing else to say.
public struct EmptyResponse: Codable, Sendable, Hashable {
    public var ok: Bool

    public init() { ok = true }
}

/// `GET /health`.
public struct HealthResponse: Codable, Sendable, Hashable {
    public var status: String

    public init(status: String) { self.status = status }
}

/// Which HTTP status each kind of refusal travels as, and back: one table for the server and its clients.
public enum APIStatus {
    public static func code(_ kind: MEDKError.Kind) -> Int {
        switch kind {
        case .invalidInput: 400
        case .unauthenticated: 401
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .conflict: 409
        case .tooLarge: 413
        case .unsupportedMediaType: 415
        case .unprocessable: 422
        case .throttled: 429
        case .internalFailure: 500
        case .unavailable: 503
        }
    }

    public static func kind(_ status: Int) -> MEDKError.Kind {
        switch status {
        case 400: .invalidInput
        case 401: .unauthenticated
        case 403: .forbidden
        case 404: .notFound
        case 405: .methodNotAllowed
        case 409: .conflict
        case 413: .tooLarge
        case 415: .unsupportedMediaType
        case 422: .unprocessable
        case 429: .throttled
        case 503: .unavailable
        case 400..<500: .invalidInput
        default: .internalFailure
        }
    }
}
