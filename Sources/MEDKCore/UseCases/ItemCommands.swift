import Foundation
import GRDB

public struct NewItem: Codable, Sendable, Hashable {
    public var campaignID: Int64
    public var kind: ItemKind
    /// Exactly one owner: a school, or a municipality (its roadmap and supporting documents).
    public var schoolID: Int64?
    public var municipalityID: Int64?
    /// For an anti-risk programme: the chosen risk factor it answers.
    public var riskFactorID: Int64?
    public var title: String?

    public init(campaignID: Int64, kind: ItemKind, schoolID: Int64? = nil, municipalityID: Int64? = nil,
                riskFactorID: Int64? = nil, title: String? = nil) {
        self.campaignID = campaignID
        self.kind = kind
        self.schoolID = schoolID
        self.municipalityID = municipalityID
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

    public init(action: ReviewAction, expectedState: ReviewState, expectedRevision: Int? = nil, comment: String? = nil) {
        self.action = action
        self.expectedState = expectedState
        self.expectedRevision = expectedRevision
        self.comment = comment
    }
}

extension MEDKService {
    public func createItem(_ request: NewItem, by actor: Actor) async throws -> ItemDetail {
        let now = now()
        let id: Int64 = try await write { db in
            guard request.kind.isCreatedDirectly else {
                throw MEDKError.invalid("use_measure_report", "Отчёт по мероприятию создаётся из самого мероприятия (отчитаться о мероприятии).")
            }
            guard try CampaignRow.exists(db, key: request.campaignID) else { throw MEDKError.notFound("Кампания") }
            let path = try Self.ownerPath(db, request)
            let scope = ItemScope(campaignID: request.campaignID, path: path)
            let role = try Policy.authorize(actor, .ownItem(scope))
            var title = request.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if request.kind == .antiriskProgramme {
                let factor = try Self.chosenRiskFactor(db, request)
                if title.isEmpty { title = "\(request.kind.russianName): \(factor.title)" }
            } else if request.riskFactorID != nil {
                throw MEDKError.invalid("unexpected_risk_factor", "Фактор риска указывается только для программы антирисковых мер.")
            }
            if title.isEmpty { title = request.kind.russianName }
            guard title.count <= 500 else { throw MEDKError.invalid("title_too_long", "Название длиннее 500 символов.") }
            var row = ItemRow(campaignId: request.campaignID, kind: request.kind, schoolId: request.schoolID,
                              municipalityId: request.schoolID == nil ? request.municipalityID : nil,
                              riskFactorId: request.riskFactorID, title: title, state: .draft, revision: 1,
                              createdAt: now, createdBy: actor.userID, updatedAt: now)
            do {
                try row.insert(db)
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw MEDKError(.conflict, code: "already_exists",
                                message: "«\(title)» уже создан(а) для этой организации в этой кампании; откройте существующий.")
            }
            if request.kind == .riskProfile {
                try Self.seedRiskProfile(db, itemID: row.id!, campaignID: request.campaignID)
            }
            try AuditLog.append(db, actor: AuditActor(userID: actor.userID, login: actor.login, role: role), at: now,
                                AuditRecord(action: "item.create", entityType: "item", entityID: String(row.id!),
                                            toState: ReviewState.draft.rawValue,
                                            details: ["kind": request.kind.rawValue, "title": title]))
            return row.id!
        }
        return try await item(id, for: actor)
    }

    private static func ownerPath(_ db: Database, _ request: NewItem) throws -> OrganisationPath {
        if let schoolID = request.schoolID {
            guard request.municipalityID == nil else {
                throw MEDKError.invalid("one_owner", "Укажите владельца одного: школу или муниципалитет.")
            }
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.municipality_id, m.region_id FROM schools s JOIN municipalities m ON m.id = s.municipality_id
                WHERE s.id = ?
                """, arguments: [schoolID]) else { throw MEDKError.notFound("Школа") }
            guard try CampaignSchoolRow(campaignId: request.campaignID, schoolId: schoolID).exists(db) else {
                throw MEDKError.invalid("not_in_campaign", "Школа не участвует в этой кампании.")
            }
            return OrganisationPath(regionID: row["region_id"], municipalityID: row["municipality_id"], schoolID: schoolID)
        }
        guard let municipalityID = request.municipalityID,
              let municipality = try MunicipalityRow.fetchOne(db, key: municipalityID) else {
            throw MEDKError.invalid("owner_required", "Укажите владельца: школу или муниципалитет.")
        }
        guard request.kind.allowedForMunicipality else {
            throw MEDKError.invalid("kind_not_for_municipality", "«\(request.kind.russianName)» ведёт школа, а не муниципалитет.")
        }
        return OrganisationPath(regionID: municipality.regionId, municipalityID: municipalityID, schoolID: nil)
    }

    /// An anti-risk programme answers a risk the school chose in its risk-profile selection.
    private static func chosenRiskFactor(_ db: Database, _ request: NewItem) throws -> RiskFactorRow {
        guard let factorID = request.riskFactorID,
              let factor = try RiskFactorRow.fetchOne(db, key: factorID), factor.campaignId == request.campaignID else {
            throw MEDKError.invalid("risk_factor_required", "Для программы антирисковых мер укажите фактор риска этой кампании.")
        }
        let chosen = try Bool.fetchOne(db, sql: """
            SELECT e.chosen FROM risk_profile_entries e JOIN items i ON i.id = e.item_id
            WHERE i.kind = 'risk_profile' AND i.campaign_id = ? AND i.school_id = ? AND e.risk_factor_id = ?
            """, arguments: [request.campaignID, request.schoolID, factorID]) ?? false
        guard chosen else {
            throw MEDKError.invalid("risk_not_chosen", "Фактор «\(factor.title)» не выбран в рисковом профиле школы.")
        }
        return factor
    }

    /// Checks that the actor owns the item and that it can still be changed; returns the audit actor.
    static func requireEditable(_ loaded: LoadedItem, by actor: Actor, expectedRevision: Int?) throws -> AuditActor {
        let role = try Policy.authorize(actor, .ownItem(loaded.scope))
        _ = try ReviewStateMachine.transition(.edit, from: loaded.row.state)
        if let expectedRevision, expectedRevision != loaded.row.revision {
            throw MEDKError.staleRevision(expected: expectedRevision, actual: loaded.row.revision)
        }
        return AuditActor(userID: actor.userID, login: actor.login, role: role)
    }

    /// Records that the content changed: a new revision, so decisions taken on the old one conflict.
    static func touch(_ db: Database, itemID: Int64, at now: Date) throws {
        try db.execute(sql: "UPDATE items SET revision = revision + 1, updated_at = ? WHERE id = ?", arguments: [now, itemID])
    }

    /// Uploads a new immutable file version. The bytes land in the store first (checked for size
    /// and type while streaming); the version row and its audit record commit after.
    public func upload<Chunks: AsyncSequence>(itemID: Int64, fileName rawName: String, chunks: Chunks,
                                              expectedRevision: Int? = nil, by actor: Actor) async throws -> ItemDetail
    where Chunks.Element == [UInt8] {
        let fileName = try Validation.fileName(rawName)
        // Refuse before reading any bytes if the upload cannot be accepted anyway.
        _ = try await read { db in
            try Self.requireEditable(try ItemStore.load(db, id: itemID), by: actor, expectedRevision: expectedRevision)
        }
        let blob: StoredBlob
        do {
            blob = try await files.store(chunks, fileName: fileName)
        } catch {
            throw MEDKError.wrapping(error, logger: logger)
        }
        let now = now()
        try await write { db in
            let loaded = try ItemStore.load(db, id: itemID)
            let auditActor = try Self.requireEditable(loaded, by: actor, expectedRevision: expectedRevision)
            let version = (try Int.fetchOne(db, sql: "SELECT max(version) FROM item_files WHERE item_id = ?", arguments: [itemID]) ?? 0) + 1
            var file = ItemFileRow(itemId: itemID, version: version, fileName: fileName, mediaType: blob.mediaType.rawValue,
                                   size: blob.size, sha256: blob.sha256, uploadedBy: actor.userID, uploadedAt: now)
            try file.insert(db)
            try Self.touch(db, itemID: itemID, at: now)
            try AuditLog.append(db, actor: auditActor, at: now, AuditRecord(
                action: "item.upload", entityType: "item", entityID: String(itemID),
                fromState: loaded.row.state.rawValue, toState: loaded.row.state.rawValue,
                details: ["version": String(version), "file_name": fileName, "media_type": blob.mediaType.rawValue,
                          "size": String(blob.size), "sha256": blob.sha256]))
        }
        return try await item(itemID, for: actor)
    }

    /// Moves an item through the review state machine, refusing stale, unauthorised or
    /// incomplete transitions; the change and its audit row commit in one transaction.
    public func transition(itemID: Int64, _ request: TransitionRequest, by actor: Actor) async throws -> ItemDetail {
        let comment = try Self.validatedComment(request)
        let now = now()
        try await write { db in try Self.applyTransition(db, itemID: itemID, request, comment: comment, by: actor, at: now) }
        return try await item(itemID, for: actor)
    }

    /// Several transitions as one decision (a curator confirming a batch from the queue):
    /// either all of them happen or none does, and the error names the item that failed.
    public func transitionAll(_ requests: [(itemID: Int64, request: TransitionRequest)], by actor: Actor) async throws -> [ItemSummary] {
        guard !requests.isEmpty else { throw MEDKError.invalid("nothing_selected", "Не выбрано ни одного документа.") }
        guard requests.count <= 500 else { throw MEDKError.invalid("too_many", "За один раз можно обработать не более 500 документов.") }
        let comments = try requests.map { try Self.validatedComment($0.request) }
        let now = now()
        let ids = requests.map(\.itemID)
        try await write { db in
            for (index, entry) in requests.enumerated() {
                do {
                    try Self.applyTransition(db, itemID: entry.itemID, entry.request, comment: comments[index], by: actor, at: now)
                } catch let error as MEDKError {
                    let title = (try? ItemStore.load(db, id: entry.itemID))?.summary.title ?? "№\(entry.itemID)"
                    throw MEDKError(error.kind, code: error.code, message: "«\(title)»: \(error.message) Ничего не изменено.",
                                    details: error.details)
                }
            }
        }
        return try await read { db in try ids.map { try ItemStore.load(db, id: $0).summary } }
    }

    private static func validatedComment(_ request: TransitionRequest) throws -> String? {
        let comment = request.comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if request.action.requiresComment, comment?.isEmpty ?? true { throw MEDKError.commentRequired(request.action) }
        if request.action == .edit {
            throw MEDKError.invalid("edit_is_not_a_transition", "Изменение содержимого выполняется загрузкой файла или правкой данных.")
        }
        if let comment, comment.count > 5000 { throw MEDKError.invalid("comment_too_long", "Комментарий длиннее 5000 символов.") }
        return comment
    }

    private static func applyTransition(_ db: Database, itemID: Int64, _ request: TransitionRequest, comment: String?,
                                        by actor: Actor, at now: Date) throws {
        let loaded = try ItemStore.load(db, id: itemID)
        let permission: Permission = request.action.isReviewDecision ? .reviewItem(loaded.scope) : .ownItem(loaded.scope)
        let role = try Policy.authorize(actor, permission)
        guard loaded.row.state == request.expectedState else {
            throw MEDKError.staleState(expected: request.expectedState, actual: loaded.row.state)
        }
        if let expected = request.expectedRevision, expected != loaded.row.revision {
            throw MEDKError.staleRevision(expected: expected, actual: loaded.row.revision)
        }
        let next = try ReviewStateMachine.transition(request.action, from: loaded.row.state)
        if request.action == .submit {
            let problems = try Self.submissionProblems(db, loaded)
            guard problems.isEmpty else {
                throw MEDKError.invalid("incomplete", "Нельзя отправить на проверку: не всё заполнено.", details: problems)
            }
        }
        var row = loaded.row
        let previousRevision = row.revision
        row.state = next
        row.revision += 1
        row.updatedAt = now
        switch request.action {
        case .submit:
            row.submittedAt = now
            row.submittedBy = actor.userID
            row.firstSubmittedAt = row.firstSubmittedAt ?? now
        case .confirm:
            row.decidedAt = now
            row.decidedBy = actor.userID
            row.confirmedVersion = try Int.fetchOne(db, sql: "SELECT max(version) FROM item_files WHERE item_id = ?", arguments: [itemID])
        case .return:
            row.decidedAt = now
            row.decidedBy = actor.userID
        case .withdraw, .reopen, .edit:
            break
        }
        // The guarded UPDATE is the last line of defence against a concurrent writer.
        try db.execute(sql: """
            UPDATE items SET state = ?, revision = ?, updated_at = ?, submitted_at = ?, submitted_by = ?,
                first_submitted_at = ?, decided_at = ?, decided_by = ?, confirmed_version = ?
            WHERE id = ? AND revision = ? AND state = ?
            """, arguments: [row.state, row.revision, row.updatedAt, row.submittedAt, row.submittedBy,
                             row.firstSubmittedAt, row.decidedAt, row.decidedBy, row.confirmedVersion,
                             itemID, previousRevision, loaded.row.state])
        guard db.changesCount == 1 else {
            throw MEDKError.staleRevision(expected: previousRevision, actual: previousRevision + 1)
        }
        var details = ["revision": String(row.revision)]
        if let version = row.confirmedVersion, request.action == .confirm { details["confirmed_version"] = String(version) }
        try AuditLog.append(db, actor: AuditActor(userID: actor.userID, login: actor.login, role: role), at: now,
                            AuditRecord(action: "item.\(request.action.rawValue)", entityType: "item",
                                        entityID: String(itemID), fromState: loaded.row.state.rawValue,
                                        toState: next.rawValue, comment: comment?.isEmpty == true ? nil : comment,
                                        details: details))
    }

    /// What must be in place before an item can go to review.
    static func submissionProblems(_ db: Database, _ loaded: LoadedItem) throws -> [String] {
        let id = loaded.row.id!
        let fileCount = try ItemFileRow.filter(Column("item_id") == id).fetchCount(db)
        switch loaded.row.kind {
        case .riskProfile:
            let entries = try ItemStore.riskProfile(db, itemID: id)
            let factorCount = try RiskFactorRow.filter(Column("campaign_id") == loaded.row.campaignId).fetchCount(db)
            var problems: [String] = []
            if entries.count < factorCount { problems.append("Не для всех факторов риска указана значимость.") }
            if !entries.contains(where: \.chosen) { problems.append("Не выбран ни один фактор риска для работы.") }
            return problems
        case .roadmap:
            // Completeness does not depend on time; any instant will do for the overdue flag.
            let measures = try ItemStore.measures(db, roadmapID: id, calendar: loaded.calendar, now: .distantPast)
            return RoadmapCompleteness.problems(measures, isMunicipal: loaded.scope.isMunicipal)
        case .measureReport:
            var problems: [String] = []
            let actual = try String.fetchOne(db, sql: "SELECT actual_value FROM measures WHERE id = ?", arguments: [loaded.row.measureId]) ?? ""
            if actual.isBlank { problems.append("Не указано фактическое значение показателя.") }
            if fileCount == 0 { problems.append("Не приложено ни одного подтверждающего документа.") }
            return problems
        default:
            return fileCount == 0 ? ["Не загружен файл документа."] : []
        }
    }

    /// A comment on an item's discussion; it changes no state.
    public func comment(itemID: Int64, text: String, by actor: Actor) async throws -> ItemDetail {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw MEDKError.invalid("empty_comment", "Комментарий пуст.") }
        guard text.count <= 5000 else { throw MEDKError.invalid("comment_too_long", "Комментарий длиннее 5000 символов.") }
        let now = now()
        try await write { db in
            let loaded = try ItemStore.load(db, id: itemID)
            let role = try Policy.authorize(actor, .comment(loaded.scope))
            try AuditLog.append(db, actor: AuditActor(userID: actor.userID, login: actor.login, role: role), at: now,
                                AuditRecord(action: "item.comment", entityType: "item", entityID: String(itemID), comment: text))
        }
        return try await item(itemID, for: actor)
    }
}

extension Validation {
    /// Keeps only the last path component and refuses names nobody could mean.
    static func fileName(_ raw: String) throws -> String {
        let name = raw.replacingOccurrences(of: "\\", with: "/").split(separator: "/").last.map(String.init)?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !name.isEmpty, name != ".", name != "..", name.count <= 255,
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw MEDKError.invalid("invalid_file_name", "Недопустимое имя файла.")
        }
        return name
    }
}
