import Foundation

public struct NewItem: Codable, Sendable, Hashable {
    public var campaignID: Int64
    public var kind: ItemKind
    /// Exactly one owner: a school, a municipality (its roadmap and supporting documents), or a
    /// region (its regional roadmap).
    public var schoolID: Int64?
    public var municipalityID: Int64?
    public var regionID: Int64?
    /// For an anti-risk programme: the chosen risk factor it answers.
    public var riskFactorID: Int64?
    public var title: String?

    public init(campaignID: Int64, kind: ItemKind, schoolID: Int64? = nil, municipalityID: Int64? = nil, regionID: Int64? = nil,
                riskFactorID: Int64? = nil, title: String? = nil) {
        self.campaignID = campaignID
        self.kind = kind
        self.schoolID = schoolID
        self.municipalityID = municipalityID
        self.regionID = regionID
        self.riskFactorID = riskFactorID
        self.title = title
    }
}

/// A request to move an item through the review state machine.
public struct TransitionRequest: Codable, Sendable, Hashable {
    public var action: ReviewAction
    /// The state the actor saw; anything else means someone acted meanwhile.
    public var expectedState: ReviewState
    /// The revision the actor saw, if known: guards against content changed meanwhile.
    public var expectedRevision: Int?
    public var comment: String?
    /// Submitting a roadmap: the submitter has seen its findings (FIOCO's criteria it misses, dates
    /// already past) and sends it anyway. Without it a roadmap with findings is refused, listing them.
    public var acceptFindings: Bool?
    /// Returning: the remarks the owner is to answer one by one; without them, the comment's list
    /// items (or the whole comment) are the remarks (`RemarkList`).
    public var remarks: [String]?
    /// Returning: remarks of earlier returns the owner answered that stay open (the answer did not
    /// settle them); the others are closed.
    public var keepOpen: [Int64]?

    public init(action: ReviewAction, expectedState: ReviewState, expectedRevision: Int? = nil, comment: String? = nil,
                acceptFindings: Bool? = nil, remarks: [String]? = nil, keepOpen: [Int64]? = nil) {
        self.action = action
        self.expectedState = expectedState
        self.expectedRevision = expectedRevision
        self.comment = comment
        self.acceptFindings = acceptFindings
        self.remarks = remarks
        self.keepOpen = keepOpen
    }
}

extension MEDKService {
    public func createItem(_ request: NewItem, by actor: Actor) async throws -> ItemDetail {
        let now = now()
        let id = try await write { store in try Self.createItem(store, request, by: actor, at: now) }
        return try await item(id, for: actor)
    }

    static func createItem(_ store: any StoreWriting, _ request: NewItem, by actor: Actor, at now: Date) throws -> Int64 {
        guard request.kind.isCreatedDirectly else {
            throw MEDKError.rejected("use_measure_report", "Отчёт по мероприятию создаётся из самого мероприятия (отчитаться о мероприятии).")
        }
        guard try store.campaign(id: request.campaignID) != nil else { throw MEDKError.notFound("Кампания") }
        let path = try ownerPath(store, request)
        let role = try Policy.authorize(actor, .ownItem(ItemScope(campaignID: request.campaignID, path: path)))
        var title = request.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if request.kind == .antiriskProgramme {
            let factor = try chosenRiskFactor(store, request)
            if title.isEmpty { title = "\(request.kind.russianName): \(factor.title)" }
        } else if request.riskFactorID != nil {
            throw MEDKError.rejected("unexpected_risk_factor", "Фактор риска указывается только для программы антирисковых мер.")
        }
        if title.isEmpty { title = request.kind.russianName }
        guard title.count <= 500 else { throw MEDKError.rejected("title_too_long", "Название длиннее 500 символов.") }
        let id: Int64
        do {
            id = try store.insertItem(ItemDraft(campaignID: request.campaignID, kind: request.kind, path: path,
                                                riskFactorID: request.riskFactorID, title: title, createdAt: now, createdBy: actor.userID))
        } catch let error as MEDKError where error.code == "already_exists" {
            throw MEDKError(.conflict, code: "already_exists",
                            message: "«\(title)» у этой организации в этой кампании уже есть; откройте существующий.")
        }
        // A new risk profile starts unassessed: nothing is preset that the school must decide from
        // its survey, and it cannot be sent before every factor is assessed.
        try store.appendAudit(AuditActor(userID: actor.userID, login: actor.login, role: role), at: now,
                              AuditRecord(action: .itemCreate, entityType: .item, entityID: id, toState: ReviewState.draft.rawValue,
                                          details: ["kind": request.kind.rawValue, "title": title]))
        return id
    }

    private static func ownerPath(_ store: any StoreReading, _ request: NewItem) throws -> OrganisationPath {
        guard [request.schoolID, request.municipalityID, request.regionID].compactMap({ $0 }).count <= 1 else {
            throw MEDKError.rejected("one_owner", "Укажите владельца одного: школу, муниципалитет или регион.")
        }
        if let regionID = request.regionID {
            guard try store.region(id: regionID) != nil else { throw MEDKError.notFound("Регион") }
            guard request.kind.allowedForRegion else {
                throw MEDKError.rejected("kind_not_for_region", "Регион ведёт свою дорожную карту и документы к фактам показателей "
                                         + "(справку, приказ, протокол), а не «\(request.kind.russianName)».")
            }
            return .region(regionID)
        }
        if let schoolID = request.schoolID {
            guard let place = try store.schoolPlace(schoolID: schoolID) else { throw MEDKError.notFound("Школа") }
            guard try store.participates(campaignID: request.campaignID, schoolID: schoolID) else {
                throw MEDKError.rejected("not_in_campaign", "Школа не участвует в этой кампании.")
            }
            return place.path
        }
        guard let municipalityID = request.municipalityID, let municipality = try store.municipality(id: municipalityID) else {
            throw MEDKError.rejected("owner_required", "Укажите владельца: школу, муниципалитет или регион.")
        }
        guard request.kind.allowedForMunicipality else {
            throw MEDKError.rejected("kind_not_for_municipality", "«\(request.kind.russianName)» ведёт школа, а не муниципалитет.")
        }
        return OrganisationPath(regionID: municipality.regionID, municipalityID: municipalityID, schoolID: nil)
    }

    /// An anti-risk programme answers a risk the school chose in its risk-profile selection.
    private static func chosenRiskFactor(_ store: any StoreReading, _ request: NewItem) throws -> RiskFactor {
        guard let factorID = request.riskFactorID, let factor = try store.riskFactor(id: factorID),
              factor.campaignID == request.campaignID else {
            throw MEDKError.rejected("risk_factor_required", "Для программы антирисковых мер укажите фактор риска этой кампании.")
        }
        guard let school = request.schoolID,
              try store.isRiskChosen(campaignID: request.campaignID, schoolID: school, riskFactorID: factorID) else {
            throw MEDKError.rejected("risk_not_chosen", "Фактор «\(factor.title)» не выбран в рисковом профиле школы.")
        }
        return factor
    }

    /// Loads an item or refuses with «not found».
    static func load(_ store: any StoreReading, _ id: Int64) throws -> StoredItem {
        guard let item = try store.item(id: id) else { throw MEDKError.notVisible }
        return item
    }

    /// Checks that the actor owns the item and that it can still be changed; returns the audit actor.
    static func requireEditable(_ item: StoredItem, by actor: Actor, expectedRevision: Int?) throws -> AuditActor {
        let role = try Policy.authorize(actor, .ownItem(item.scope))
        _ = try ReviewStateMachine.transition(.edit, from: item.state)
        if let expectedRevision, expectedRevision != item.revision {
            throw MEDKError.staleRevision(expected: expectedRevision, actual: item.revision)
        }
        return AuditActor(userID: actor.userID, login: actor.login, role: role)
    }

    /// Uploads a new immutable file version. The bytes land in the store first (checked for size
    /// and type while streaming); the version row and its audit record commit after.
    public func upload<Chunks: AsyncSequence>(itemID: Int64, fileName rawName: String, chunks: Chunks,
                                              expectedRevision: Int? = nil, by actor: Actor) async throws -> ItemDetail
    where Chunks.Element == [UInt8] {
        let fileName = try Validation.fileName(rawName)
        // Refuse before reading any bytes if the upload cannot be accepted anyway.
        _ = try await read { store in
            try Self.requireEditable(try Self.load(store, itemID), by: actor, expectedRevision: expectedRevision)
        }
        let blob = try await storeUpload(chunks, fileName: fileName)
        let now = now()
        try await write { store in
            try Self.recordUpload(store, itemID: itemID, fileName: fileName, blob: blob, expectedRevision: expectedRevision,
                                  by: actor, at: now)
        }
        return try await item(itemID, for: actor)
    }

    /// The file half of an upload: the bytes kept by their hash, checked on the way (size, type by
    /// the bytes, a zip held to an import's limits off the request threads).
    func storeUpload<Chunks: AsyncSequence>(_ chunks: Chunks, fileName: String) async throws -> StoredBlob where Chunks.Element == [UInt8] {
        let tableWork = tableWork
        do {
            return try await files.store(chunks, fileName: fileName) { file, type in
                guard let kind = type.zipKind else { return }
                try await tableWork.run { try OOXMLPackage.verifyUpload(file, kind: kind) }
            }
        } catch {
            throw MEDKError.wrapping(error, logger: logger)
        }
    }

    /// The database half of an upload: the version row, a new revision, the audit record.
    static func recordUpload(_ store: any StoreWriting, itemID: Int64, fileName: String, blob: StoredBlob, expectedRevision: Int?,
                             by actor: Actor, at now: Date) throws {
        let item = try load(store, itemID)
        let auditActor = try requireEditable(item, by: actor, expectedRevision: expectedRevision)
        let version = (try store.latestFileVersion(itemID: itemID) ?? 0) + 1
        try store.insertFileVersion(itemID: itemID, version: version, fileName: fileName, mediaType: blob.mediaType.rawValue,
                                    size: blob.size, sha256: blob.sha256, uploadedBy: actor.userID, at: now)
        try store.touchItem(id: itemID, at: now)
        try store.appendAudit(auditActor, at: now, .item(.itemUpload, itemID, state: item.state, details: [
            "version": String(version), "file_name": fileName, "media_type": blob.mediaType.rawValue,
            "size": String(blob.size), "sha256": blob.sha256]))
    }

    /// Moves an item through the review state machine, refusing stale, unauthorised or
    /// incomplete transitions; the change and its audit row commit in one transaction.
    public func transition(itemID: Int64, _ request: TransitionRequest, by actor: Actor) async throws -> ItemDetail {
        let comment = try Self.validatedComment(request)
        let now = now()
        _ = try await write { store in try Self.applyTransition(store, itemID: itemID, request, comment: comment, by: actor, at: now) }
        return try await item(itemID, for: actor)
    }

    /// The same step, answering with the item's new summary read in the same transaction: for
    /// callers that only need to know where the item is now (pages redirect after a form; API
    /// clients that say `Prefer: return=minimal`), without reading its files and history again.
    public func transitionSummary(itemID: Int64, _ request: TransitionRequest, by actor: Actor) async throws -> ItemSummary {
        let comment = try Self.validatedComment(request)
        let now = now()
        return try await write { store in
            try Self.applyTransition(store, itemID: itemID, request, comment: comment, by: actor, at: now).summary
        }
    }

    /// Several transitions as one decision (a curator confirming a batch from the queue):
    /// either all of them happen or none does, and the error names the item that failed.
    public func transitionAll(_ requests: [(itemID: Int64, request: TransitionRequest)], by actor: Actor) async throws -> [ItemSummary] {
        guard !requests.isEmpty else { throw MEDKError.rejected("nothing_selected", "Не выбрано ни одного документа.") }
        guard requests.count <= 500 else { throw MEDKError.rejected("too_many", "За один раз можно обработать не более 500 документов.") }
        let comments = try requests.map { try Self.validatedComment($0.request) }
        let now = now()
        return try await write { store in
            for (index, entry) in requests.enumerated() {
                do {
                    try Self.applyTransition(store, itemID: entry.itemID, entry.request, comment: comments[index], by: actor, at: now)
                } catch let error as MEDKError {
                    let title = (try? store.item(id: entry.itemID))??.summary.title ?? "№\(entry.itemID)"
                    throw MEDKError(error.kind, code: error.code, message: "«\(title)»: \(error.message) Ничего не изменено.",
                                    details: error.details)
                }
            }
            return try requests.map { try Self.load(store, $0.itemID).summary }
        }
    }

    /// What became of one decision of a batch: the item as it now stands, or why it was not decided.
    public struct BatchOutcome: Sendable {
        public var itemID: Int64
        public var title: String
        public var ownerName: String?
        public var summary: ItemSummary?
        public var refusal: MEDKError?
    }

    /// Several decisions taken one by one (a curator confirming what they selected in the queue): each
    /// that can be made is made, in a transaction of its own with its audit record; each that cannot
    /// (withdrawn by its school meanwhile, already decided by another) is left as it is and said why.
    public func transitionEach(_ requests: [(itemID: Int64, request: TransitionRequest)], by actor: Actor) async throws -> [BatchOutcome] {
        guard !requests.isEmpty else { throw MEDKError.rejected("nothing_selected", "Не выбрано ни одного документа.") }
        guard requests.count <= 500 else { throw MEDKError.rejected("too_many", "За один раз можно обработать не более 500 документов.") }
        var outcomes: [BatchOutcome] = []
        for entry in requests {
            let comment = try Self.validatedComment(entry.request)
            let now = now()
            do {
                let summary = try await write { store in
                    try Self.applyTransition(store, itemID: entry.itemID, entry.request, comment: comment, by: actor, at: now).summary
                }
                outcomes.append(BatchOutcome(itemID: entry.itemID, title: summary.title, ownerName: summary.ownerName, summary: summary))
            } catch let refusal as MEDKError where refusal.kind != .internalFailure {
                let known = try? await read { store in try store.item(id: entry.itemID)?.summary }
                // What the actor may not see is not named.
                let visible = known.flatMap { $0 }.flatMap { summary in refusal.kind == .notFound ? nil : summary }
                outcomes.append(BatchOutcome(itemID: entry.itemID, title: visible?.title ?? "№\(entry.itemID)", ownerName: visible?.ownerName,
                                             refusal: refusal))
            }
        }
        return outcomes
    }

    static func validatedComment(_ request: TransitionRequest) throws -> String? {
        let comment = request.comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if request.action.requiresComment, comment?.isEmpty ?? true { throw MEDKError.commentRequired(request.action) }
        if request.action == .edit {
            throw MEDKError.rejected("edit_is_not_a_transition", "Изменение содержимого выполняется загрузкой файла или правкой данных.")
        }
        if let comment, comment.count > 5000 {
            let text = "Комментарий длиннее 5000 символов (сейчас \(comment.count)): сократите его."
            throw MEDKError.rejected("comment_too_long", text, fields: ["comment": text])
        }
        return comment
    }

    /// Returns the item as the step left it.
    @discardableResult
    static func applyTransition(_ store: any StoreWriting, itemID: Int64, _ request: TransitionRequest, comment: String?,
                                by actor: Actor, at now: Date) throws -> StoredItem {
        let item = try load(store, itemID)
        let permission: Permission = request.action.isReviewDecision ? .reviewItem(item.scope) : .ownItem(item.scope)
        let role = try Policy.authorize(actor, permission)
        guard item.state == request.expectedState else {
            throw MEDKError.staleState(expected: request.expectedState, actual: item.state)
        }
        if let expected = request.expectedRevision, expected != item.revision {
            throw MEDKError.staleRevision(expected: expected, actual: item.revision)
        }
        let next = try ReviewStateMachine.transition(request.action, from: item.state)
        var acceptedFindings = 0
        if request.action == .submit {
            let check = try submissionCheck(store, item, at: now)
            guard check.blocking.isEmpty else {
                throw MEDKError.rejected("incomplete", "Нельзя отправить на проверку: не всё заполнено.", details: check.blocking)
            }
            guard check.findings.isEmpty || request.acceptFindings == true else {
                throw MEDKError.rejected("findings_not_accepted", """
                    В дорожной карте есть замечания по критериям ФИОКО (\(check.findings.count)). Их можно исправить или \
                    отправить дорожную карту с ними: проверяющий их увидит.
                    """, details: check.findings)
            }
            acceptedFindings = check.findings.count
        }
        // The item was read in this transaction, with its latest file version.
        let confirmedVersion = request.action == .confirm ? item.summary.latestVersion : item.confirmedVersion
        let change = ItemStateChange(action: request.action, to: next, revision: item.revision + 1, at: now, by: actor.userID,
                                     confirmedVersion: confirmedVersion)
        guard try store.changeState(of: item, change) else {
            throw MEDKError.staleRevision(expected: item.revision, actual: item.revision + 1)
        }
        var details = ["revision": String(change.revision)]
        if let version = confirmedVersion, request.action == .confirm { details["confirmed_version"] = String(version) }
        if acceptedFindings > 0 { details["accepted_findings"] = String(acceptedFindings) }
        switch request.action {
        case .return:
            let (texts, kept) = try Self.remarksOfReturn(store, item, request, comment: comment)
            try store.closeRemarks(itemID: item.id, keepingOpen: kept, by: actor.userID, at: now)
            try store.insertRemarks(itemID: item.id, texts: texts, by: actor.userID, at: now)
            details["remarks"] = String(texts.count)
            if !kept.isEmpty { details["kept_open"] = kept.sorted().map(String.init).joined(separator: ",") }
        case .confirm:
            try store.closeRemarks(itemID: item.id, keepingOpen: [], by: actor.userID, at: now)
        default:
            break
        }
        try store.appendAudit(AuditActor(userID: actor.userID, login: actor.login, role: role), at: now,
                              AuditRecord(action: .transition(request.action), entityType: .item, entityID: itemID,
                                          fromState: item.state.rawValue, toState: next.rawValue,
                                          comment: comment?.isEmpty == true ? nil : comment, details: details))
        if request.action == .return {
            // In this transaction: the message exists if and only if the return does.
            try MailEvents.itemReturned(store, item, comment: comment, by: actor, at: now)
        }
        return item.applying(change, byLogin: actor.login)
    }

    /// What must be in place before an item can go to review (blocking), and what a roadmap's
    /// submitter must have seen (findings). A remark of the reviewer not yet answered blocks any item.
    static func submissionCheck(_ store: any StoreReading, _ item: StoredItem, at now: Date) throws -> RoadmapCheck {
        let unanswered = try store.remarks(itemID: item.id).filter { $0.state == .open }.map {
            "Нет ответа на замечание «\($0.text.count > 120 ? String($0.text.prefix(120)) + "…" : $0.text)»: отметьте, исправлено ли оно, или напишите, почему нет."
        }
        guard item.kind == .roadmap else { return RoadmapCheck(blocking: unanswered + (try submissionProblems(store, item))) }
        let calendar = try item.calendar()
        // Completeness does not depend on time; any instant will do for the overdue flag.
        let measures = try store.measures(roadmapID: item.id, calendar: calendar, at: .distantPast)
        var check = RoadmapCompleteness.check(measures, owner: item.owner, today: calendar.date(of: now))
        check.blocking = unanswered + check.blocking
        return check
    }

    /// A return's remarks, each within bounds, and which earlier answered remarks stay open.
    static func remarksOfReturn(_ store: any StoreReading, _ item: StoredItem, _ request: TransitionRequest,
                                comment: String?) throws -> (texts: [String], keptOpen: Set<Int64>) {
        let texts: [String]
        if let explicit = request.remarks {
            texts = explicit.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            guard texts.count <= RemarkList.maximumCount else {
                throw MEDKError.rejected("too_many_remarks", "В одном возврате может быть не более \(RemarkList.maximumCount) замечаний.")
            }
            if let long = texts.first(where: { $0.count > RemarkList.maximumLength }) {
                throw MEDKError.rejected("remark_too_long", "Замечание «\(long.prefix(60))…» длиннее \(RemarkList.maximumLength) символов: сократите его.")
            }
        } else {
            // A reviewer's comment is never refused for how it is split: a list too long to answer
            // item by item is one remark, as a comment without a list is.
            let split = RemarkList.split(comment ?? "")
            texts = split.count <= RemarkList.maximumCount ? split : [comment ?? ""].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        let answered = Set(try store.remarks(itemID: item.id).filter { $0.state == .answered }.map(\.id))
        let kept = Set(request.keepOpen ?? [])
        if let stranger = kept.subtracting(answered).first {
            throw MEDKError.rejected("unknown_remark", "Замечание №\(stranger) не ждёт решения по этому документу: обновите страницу.")
        }
        return (texts, kept)
    }

    /// What must be in place before an item other than a roadmap can go to review.
    static func submissionProblems(_ store: any StoreReading, _ item: StoredItem) throws -> [String] {
        let hasFile = item.summary.latestVersion != nil
        switch item.kind {
        case .riskProfile:
            let assessed = Set(try store.riskProfile(itemID: item.id).map(\.number))
            let unassessed = try store.riskFactors(campaignID: item.campaignID).map(\.number).filter { !assessed.contains($0) }.sorted()
            var problems: [String] = []
            if !unassessed.isEmpty {
                problems.append("Не оценены факторы риска № \(unassessed.map(String.init).joined(separator: ", ")): "
                    + "укажите значимость каждого по итогам анкетирования.")
            }
            if try !store.riskProfile(itemID: item.id).contains(where: \.chosen) {
                problems.append("Не выбран ни один фактор риска для работы.")
            }
            return problems
        case .measureReport:
            var problems: [String] = []
            let measure = try item.measureID.flatMap { try store.measure(id: $0, calendar: try item.calendar(), at: .distantPast) }
            if (measure?.actualValue ?? "").isBlank { problems.append("Не указано фактическое значение показателя.") }
            if !hasFile { problems.append("Не приложено ни одного подтверждающего документа.") }
            return problems
        default:
            return hasFile ? [] : ["Не загружен файл документа."]
        }
    }

    /// A comment on an item's discussion; it changes no state.
    /// Adds a comment to the item's discussion and returns it as its history shows it: the
    /// answer is the comment, however long the discussion has grown (the item and its history
    /// are read on their own, page by page).
    @discardableResult
    public func comment(itemID: Int64, text: String, by actor: Actor) async throws -> HistoryEntry {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw MEDKError.rejected("empty_comment", "Комментарий пуст.", fields: ["text": "Напишите комментарий."]) }
        guard text.count <= 5000 else {
            let message = "Комментарий длиннее 5000 символов (сейчас \(text.count)): сократите его."
            throw MEDKError.rejected("comment_too_long", message, fields: ["text": message])
        }
        let now = now()
        return try await write { store in
            let item = try Self.load(store, itemID)
            let role = try Policy.authorize(actor, .comment(item.scope))
            try store.appendAudit(AuditActor(userID: actor.userID, login: actor.login, role: role), at: now,
                                  .item(.itemComment, itemID, comment: text))
            // The newest line of the item's history is the one just written, in this transaction.
            guard let written = try store.history(itemID: itemID, page: PageRequest(limit: 1, countsTotal: false)).items.first else {
                throw MEDKError.internalFailure
            }
            return written
        }
    }
}

extension StoredItem {
    /// The owner's region calendar, for deadlines.
    func calendar() throws -> RegionCalendar { try RegionCalendar(timeZoneIdentifier: summary.timeZone) }
}

extension Validation {
    /// Keeps only the last path component and refuses names nobody could mean.
    /// Unicode's explicit directional formatting characters (UAX #9): embeddings, overrides,
    /// isolates and marks.
    static let bidiControls: Set<Unicode.Scalar> = Set([0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                                        0x2066, 0x2067, 0x2068, 0x2069].compactMap(Unicode.Scalar.init))

    static func fileName(_ raw: String) throws -> String {
        let name = raw.replacingOccurrences(of: "\\", with: "/").split(separator: "/").last.map(String.init)?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        // Control characters and bidirectional overrides (U+202E makes «отчёт‮fdp.exe» read as
        // «отчётexe.pdf») are refused: a name must show what it is.
        guard !name.isEmpty, name != ".", name != "..", name.count <= 255,
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || Self.bidiControls.contains($0) }) else {
            throw MEDKError.rejected("invalid_file_name", "Недопустимое имя файла.")
        }
        return name
    }
}
