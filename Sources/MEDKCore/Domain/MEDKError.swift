/// An error a person is meant to read: a stable English `code` for programs and a Russian
/// `message` for people. Nothing else ever leaves the core towards users.
public struct MEDKError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The request could not be read as documented: JSON of another shape, a parameter's
        /// syntax, a page size out of range. HTTP 400; only the adapters and paging raise it.
        case invalidInput
        /// The request was read, and a rule of the domain refuses it: an empty comment, a school
        /// outside the campaign, measures on something that is not a roadmap, a cursor the server
        /// never issued. HTTP 422. Keeping the two apart keeps the API document honest: a request
        /// the document calls valid is never answered 400 (Schemathesis holds the server to that).
        case unprocessable
        case unauthenticated
        case forbidden
        case notFound
        case conflict
        case tooLarge
        case unsupportedMediaType
        /// The address exists, but not for this method (`details` names the methods it has).
        case methodNotAllowed
        /// Too many attempts: the caller must wait (`retryAfter`).
        case throttled
        /// The server is too busy to take this now; nothing was done.
        case unavailable
        case internalFailure
    }

    public var kind: Kind
    public var code: String
    public var message: String
    /// Per-row problems of an import and similar multi-part refusals.
    public var details: [String]
    /// What is wrong with each field of the request that is wrong, by the field's name as the API
    /// and the pages' forms call it («title», «dueDate»): shown beside the field it concerns.
    public var fields: [String: String]
    /// Seconds to wait before trying again (`throttled`, `unavailable`).
    public var retryAfter: Int?

    public init(_ kind: Kind, code: String, message: String, details: [String] = [], fields: [String: String] = [:],
                retryAfter: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.details = details
        self.fields = fields
        self.retryAfter = retryAfter
    }

    public var description: String { "\(code): \(message)" }
}

extension MEDKError {
    public static func invalid(_ code: String, _ message: String, details: [String] = []) -> MEDKError {
        MEDKError(.invalidInput, code: code, message: message, details: details)
    }

    /// A well-formed request that a rule of the domain refuses (see `Kind.unprocessable`).
    public static func rejected(_ code: String, _ message: String, details: [String] = [],
                                fields: [String: String] = [:]) -> MEDKError {
        MEDKError(.unprocessable, code: code, message: message, details: details, fields: fields)
    }

    /// «Школа «Z» не найдена.», «Регион «R9» не найден.», «Мероприятие … не найдено.»: the participle
    /// agrees with the first word of `what` (a noun, or an adjective before one), by its ending.
    public static func notFound(_ what: String) -> MEDKError {
        MEDKError(.notFound, code: "not_found", message: "\(what) \(notFoundWord(what)).")
    }

    static func notFoundWord(_ what: String) -> String {
        let first = what.split(separator: " ").first.map { $0.lowercased() } ?? ""
        if first.hasSuffix("а") || first.hasSuffix("я") { return "не найдена" }
        if first.hasSuffix("о") || first.hasSuffix("е") || first.hasSuffix("ие") { return "не найдено" }
        if first.hasSuffix("ы") || first.hasSuffix("и") { return "не найдены" }
        return "не найден"
    }

    public static func forbidden(_ message: String) -> MEDKError {
        MEDKError(.forbidden, code: "forbidden", message: message)
    }

    public static let unauthenticated = MEDKError(
        .unauthenticated, code: "unauthenticated",
        message: "Требуется вход в систему: сессия отсутствует или истекла.")

    /// A document or measure that does not exist or that the actor may not see: one answer for
    /// both, so that ids cannot be probed.
    public static let notVisible = MEDKError(.notFound, code: "not_found",
                                             message: "Не найдено: такого документа нет или он вам недоступен.")

    public static let badCredentials = MEDKError(
        .unauthenticated, code: "bad_credentials", message: "Неверный логин или пароль.")

    /// The same for every login, existing or not: throttling says nothing about which exist.
    public static func loginThrottled(retryAfter seconds: Int) -> MEDKError {
        MEDKError(.throttled, code: "login_throttled",
                  message: "Слишком много неудачных попыток входа. Повторите через \(Self.russianWait(seconds)).",
                  retryAfter: seconds)
    }

    static func russianWait(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds) с" }
        return "\((seconds + 59) / 60) мин"
    }

    public static func invalidTransition(action: ReviewAction, state: ReviewState) -> MEDKError {
        MEDKError(.conflict, code: "invalid_transition",
                  message: "Действие «\(action.russianName)» невозможно в состоянии «\(state.russianName)».")
    }

    public static func staleState(expected: ReviewState, actual: ReviewState) -> MEDKError {
        MEDKError(.conflict, code: "stale_state", message: """
            Пока вы работали со страницей, документ перешёл из состояния «\(expected.russianName)» в «\(actual.russianName)». \
            Посмотрите, что изменилось, и решите, повторять ли действие.
            """)
    }

    public static func staleRevision(expected: Int, actual: Int) -> MEDKError {
        let changes = max(actual - expected, 1)
        return MEDKError(.conflict, code: "stale_revision", message: """
            Пока вы работали со страницей, документ изменили (\(RussianPlural.count(changes, "изменение", "изменения", "изменений"))). \
            Посмотрите, что изменилось, и повторите.
            """)
    }

    public static func commentRequired(_ action: ReviewAction) -> MEDKError {
        let text = "Для действия «\(action.russianName)» нужен комментарий: напишите, что исправить."
        return rejected("comment_required", text, fields: ["comment": text])
    }
}

extension MEDKError {
    /// What users see when something failed that they cannot fix; the cause is in the log.
    public static let internalFailure = MEDKError(
        .internalFailure, code: "internal_error",
        message: "Внутренняя ошибка сервера. Действие не выполнено; администратор увидит подробности в журнале.")
}
