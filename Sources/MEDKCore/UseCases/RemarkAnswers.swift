import Foundation

/// The owner's answer to one remark: done, or why not.
public struct RemarkAnswerInput: Codable, Sendable, Hashable {
    public var remarkID: Int64
    public var answer: RemarkAnswer
    /// What was done, or why not (required when declined).
    public var text: String?

    public init(remarkID: Int64, answer: RemarkAnswer, text: String? = nil) {
        self.remarkID = remarkID
        self.answer = answer
        self.text = text
    }
}

/// The owner answers the reviewer's remarks of a returned document, each on its own (done, or why
/// not), while the document may be edited; the answers are part of the next version, so they move
/// its revision on, and each is audited. A remark already closed cannot be answered; a declined one
/// says why.
public struct RemarkAnswering: Sendable {
    let service: MEDKService

    public func answer(itemID: Int64, _ answers: [RemarkAnswerInput], expectedRevision: Int? = nil,
                       by actor: Actor) async throws -> ItemDetail {
        let inputs = try Self.cleaned(answers)
        let now = service.now()
        try await service.write { store in
            try Self.apply(store, itemID: itemID, inputs, expectedRevision: expectedRevision, by: actor, at: now)
        }
        return try await service.item(itemID, for: actor)
    }

    /// The answers trimmed, each declined one with its reason; refused together, naming each field.
    static func cleaned(_ answers: [RemarkAnswerInput]) throws -> [RemarkAnswerInput] {
        guard !answers.isEmpty else {
            throw MEDKError.rejected("no_answers", "Не выбрано ни одного ответа: отметьте, исправлено ли замечание.")
        }
        var fields: [String: String] = [:]
        var cleaned: [RemarkAnswerInput] = []
        for input in answers {
            let text = input.text?.trimmingCharacters(in: .whitespacesAndNewlines)
            if input.answer == .declined && (text ?? "").isEmpty {
                fields["text_\(input.remarkID)"] = "Напишите, почему замечание не исправлено."
            }
            if let text, text.count > 2000 { fields["text_\(input.remarkID)"] = "Ответ длиннее 2000 символов: сократите его." }
            cleaned.append(RemarkAnswerInput(remarkID: input.remarkID, answer: input.answer, text: text?.isEmpty == true ? nil : text))
        }
        guard fields.isEmpty else {
            throw MEDKError.rejected("invalid_answer", "Ответы на замечания не сохранены: не всё заполнено.",
                                     details: fields.sorted { $0.key < $1.key }.map(\.value), fields: fields)
        }
        return cleaned
    }

    /// Records cleaned answers in the caller's transaction (also the dataset generator's).
    static func apply(_ store: any StoreWriting, itemID: Int64, _ inputs: [RemarkAnswerInput], expectedRevision: Int?,
                      by actor: Actor, at now: Date) throws {
        let item = try MEDKService.load(store, itemID)
        let auditActor = try MEDKService.requireEditable(item, by: actor, expectedRevision: expectedRevision)
        let remarks = Dictionary(uniqueKeysWithValues: try store.remarks(itemID: itemID).map { ($0.id, $0) })
        for input in inputs {
            guard let remark = remarks[input.remarkID], remark.state != .closed else {
                throw MEDKError.rejected("unknown_remark", "Замечание №\(input.remarkID) не ждёт ответа по этому документу: обновите страницу.")
            }
            try store.answerRemark(id: input.remarkID, input.answer, text: input.text, by: actor.userID, at: now)
            var details = ["remark_id": String(input.remarkID), "answer": input.answer.rawValue]
            if let text = input.text { details["text"] = text }
            try store.appendAudit(auditActor, at: now, .item(.remarkAnswer, itemID, state: item.state, details: details))
        }
        try store.touchItem(id: itemID, at: now)
    }
}

extension MEDKService {
    public var remarkAnswers: RemarkAnswering { RemarkAnswering(service: self) }
}
