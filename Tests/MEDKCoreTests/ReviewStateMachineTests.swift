import MEDKCore
import Testing

@Suite("The review state machine")
struct ReviewStateMachineTests {
    /// Every state × action, with the expected outcome (nil = refused). Written out in full
    /// on purpose: adding a state or an action makes this table incomplete and the test fail.
    static let table: [ReviewState: [ReviewAction: ReviewState?]] = [
        .draft: [.edit: .draft, .submit: .submitted, .confirm: nil, .return: nil, .withdraw: nil, .reopen: nil],
        .submitted: [.edit: nil, .submit: nil, .confirm: .confirmed, .return: .returned, .withdraw: .draft, .reopen: nil],
        .returned: [.edit: .returned, .submit: .submitted, .confirm: nil, .return: nil, .withdraw: nil, .reopen: nil],
        .confirmed: [.edit: nil, .submit: nil, .confirm: nil, .return: nil, .withdraw: nil, .reopen: .draft],
    ]

    @Test("the table covers every state and every action")
    func tableIsComplete() {
        #expect(Set(Self.table.keys) == Set(ReviewState.allCases))
        for (state, row) in Self.table {
            #expect(Set(row.keys) == Set(ReviewAction.allCases), "row \(state) misses an action")
        }
    }

    @Test("each state × action is allowed or refused as the design says",
          arguments: ReviewState.allCases, ReviewAction.allCases)
    func transition(state: ReviewState, action: ReviewAction) throws {
        let expected = Self.table[state]![action]!
        #expect(ReviewStateMachine.target(of: action, from: state) == expected)
        if let expected {
            #expect(try ReviewStateMachine.transition(action, from: state) == expected)
        } else {
            let error = #expect(throws: MEDKError.self) { try ReviewStateMachine.transition(action, from: state) }
            #expect(error?.code == "invalid_transition")
            #expect(error?.message.contains(state.russianName) == true)
        }
    }

    @Test("returning and reopening need a comment; nothing else does")
    func commentsRequired() {
        #expect(ReviewAction.allCases.filter(\.requiresComment) == [.return, .reopen])
    }

    @Test("only confirm and return are reviewer decisions")
    func reviewerDecisions() {
        #expect(ReviewAction.allCases.filter(\.isReviewDecision) == [.confirm, .return])
    }
}
