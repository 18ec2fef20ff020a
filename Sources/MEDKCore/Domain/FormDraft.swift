import Foundation

/// A form the server refused — or could not take because the person's sign-in had ended while
/// they wrote — kept so that the page it came from shows it again exactly as they left it, with
/// the reason beside it. Only its owner sees it, for an hour.
public struct FormDraft: Codable, Sendable, Hashable {
    public struct Field: Codable, Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Random and unguessable; the page's address carries it (`?draft=`).
    public var id: String
    public var userID: Int64
    /// The path the form was posted to: which form of the page it was.
    public var action: String
    /// What the person typed and chose, in the form's order (never a password or the form token).
    public var fields: [Field]
    /// The file fields that carried a file, with the file's name: files are not kept, so the page
    /// asks for them again.
    public var files: [Field]
    /// The refusal: its code, its message and its lines, and what is wrong with each field.
    public var code: String
    public var message: String
    public var details: [String]
    public var fieldErrors: [String: String]
    public var createdAt: Date

    public static let lifetime: TimeInterval = 3600
    /// Fields whose value is never kept: passwords and the form's own token.
    static let neverKept: Set<String> = ["password", "_csrf"]

    public init(id: String = SessionToken.randomURLSafe(), userID: Int64, action: String, fields: [Field], files: [Field] = [],
                refusal: MEDKError, createdAt: Date) {
        self.id = id
        self.userID = userID
        self.action = action
        self.fields = fields.filter { !Self.neverKept.contains($0.name) && !$0.name.lowercased().contains("password") }
        self.files = files
        code = refusal.code
        message = refusal.message
        details = refusal.details
        fieldErrors = refusal.fields
        self.createdAt = createdAt
    }

    /// The values of a field, in the order they came.
    public func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// What a person reads when their sign-in ended while they wrote.
    public static let sessionEnded = MEDKError(.unauthenticated, code: "session_ended", message: """
        Вход истёк, пока вы заполняли форму, и она не отправлена. Всё, что вы ввели, сохранено ниже: \
        проверьте и отправьте ещё раз.
        """)

    /// An id as `SessionToken.randomURLSafe` makes them; anything else is not looked up.
    public static func isPlausibleID(_ id: String) -> Bool {
        id.utf8.count == 43 && id.utf8.allSatisfy { $0 == 45 || $0 == 95 || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
    }
}
