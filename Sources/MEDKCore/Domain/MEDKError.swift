/// An error a person is meant to read: a stable English `code` for programs and a Russian
/// `message` for people. Nothing else ever leaves the core towards users.
public struct MEDKError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case invalidInput
        case unauthenticated
        case forbidden
        case notFound
        case conflict
        case tooLarge
        case unsupportedMediaType
        case internalFailure
    }

    public var kind: Kind
    public var code: String
    public var message: String
    /// Per-row problems of an import and similar multi-part refusals.
    public var details: [String]

    public init(_ kind: Kind, code: String, message: String, details: [String] = []) {
        self.kind = kind
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "\(code): \(message)" }
}

extension MEDKError {
    public static func invalid(_ code: String, _ message: String, details: [String] = []) -> MEDKError {
        MEDKError(.invalidInput, code: code, message: message, details: details)
    }

    public static func notFound(_ what: String) -> MEDKError {
        MEDKError(.notFound, code: "not_found", message: "\(what) не найден(а).")
    }

    public static func forbidden(_ message: String) -> MEDKError {
        MEDKError(.forbidden, code: "forbidden", message: message)
    }

    public static let unauthenticated = MEDKError(
        .unauthenticated, code: "unauthenticated",
        message: "Требуется вход в систему: сессия отсутствует или истекла.")

    public static let badCredentials = MEDKError(
        .unauthenticated, code: "bad_credentials", message: "Неверный логин или пароль.")

    public static func invalidTransition(action: ReviewAction, state: ReviewState) -> MEDKError {
        MEDKError(.conflict, code: "invalid_transition",
                  message: "Действие «\(action.russianName)» невозможно в состоянии «\(state.russianName)».")
    }

    public static func staleState(expected: ReviewState, actual: ReviewState) -> MEDKError {
        MEDKError(.conflict, code: "stale_state",
                  message: "Объект изменился: ожидалось состояние «\(expected.russianName)», сейчас «\(actual.russianName)». Обновите страницу и повторите.")
    }

    public static func staleRevision(expected: Int, actual: Int) -> MEDKError {
        MEDKError(.conflict, code: "stale_revision",
                  message: "Объект изменился после того, как вы его открыли (редакция \(expected), сейчас \(actual)). Откройте его заново и повторите.")
    }

    public static func commentRequired(_ action: ReviewAction) -> MEDKError {
        invalid("comment_required", "Для действия «\(action.russianName)» нужен комментарий.")
    }
}

extension MEDKError {
    /// What users see when something failed that they cannot fix; the cause is in the log.
    public static let internalFailure = MEDKError(
        .internalFailure, code: "internal_error",
        message: "Внутренняя ошибка сервера. Действие не выполнено; администратор увидит подробности в журнале.")
}
