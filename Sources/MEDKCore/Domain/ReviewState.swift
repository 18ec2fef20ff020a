/// The one state machine shared by documents, roadmaps, risk-profile selections and measure reports.
public enum ReviewState: String, Codable, Sendable, CaseIterable {
    case draft
    case submitted
    case confirmed
    case returned

    public var russianName: String {
        switch self {
        case .draft: "черновик"
        case .submitted: "на проверке"
        case .confirmed: "подтверждено"
        case .returned: "на доработке"
        }
    }
}

public enum ReviewAction: String, Codable, Sendable, CaseIterable {
    /// Changing content: uploading a file version, editing measures or the risk profile.
    case edit
    case submit
    case confirm
    case `return`
    case withdraw
    case reopen

    public var russianName: String {
        switch self {
        case .edit: "изменение"
        case .submit: "отправка на проверку"
        case .confirm: "подтверждение"
        case .return: "возврат на доработку"
        case .withdraw: "отзыв с проверки"
        case .reopen: "начало новой редакции"
        }
    }

    /// Reviewer decisions as opposed to the owner's own steps.
    public var isReviewDecision: Bool { self == .confirm || self == .return }

    /// Actions that must carry a comment saying why.
    public var requiresComment: Bool { self == .return || self == .reopen }

    /// Where each step leads, whatever it starts from (the transition table below agrees; a test
    /// holds it to that): histories record the action alone. Edits change no state.
    public var resultingState: ReviewState? {
        switch self {
        case .submit: .submitted
        case .confirm: .confirmed
        case .return: .returned
        case .withdraw, .reopen: .draft
        case .edit: nil
        }
    }
}

public enum ReviewStateMachine {
    /// The whole transition table; anything not listed is refused.
    public static func target(of action: ReviewAction, from state: ReviewState) -> ReviewState? {
        switch (state, action) {
        case (.draft, .edit): .draft
        case (.draft, .submit): .submitted
        case (.submitted, .confirm): .confirmed
        case (.submitted, .return): .returned
        case (.submitted, .withdraw): .draft
        case (.returned, .edit): .returned
        case (.returned, .submit): .submitted
        case (.confirmed, .reopen): .draft
        default: nil
        }
    }

    /// The target state, or the refusal a person can read.
    public static func transition(_ action: ReviewAction, from state: ReviewState) throws(MEDKError) -> ReviewState {
        guard let next = target(of: action, from: state) else {
            throw MEDKError.invalidTransition(action: action, state: state)
        }
        return next
    }
}
