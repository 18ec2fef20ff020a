import Crypto
import Foundation

/// Whether a stored list is what its method, rules and data give today.
public struct ListReproduction: Codable, Sendable, Hashable {
    public var listID: Int64
    public var inputsHash: String
    public var runHash: String
    public var reproducedInputsHash: String
    public var reproducedRunHash: String
    /// Both hashes agree (stored, so that the API's clients see it too).
    public var matches: Bool

    public init(listID: Int64, inputsHash: String, runHash: String, reproducedInputsHash: String, reproducedRunHash: String) {
        self.listID = listID
        self.inputsHash = inputsHash
        self.runHash = runHash
        self.reproducedInputsHash = reproducedInputsHash
        self.reproducedRunHash = reproducedRunHash
        matches = inputsHash == reproducedInputsHash && runHash == reproducedRunHash
    }
}

/// A region's list of ШНОР/ШНСУ from draft to approval (issue 23, seed 000 §4): the region's
/// coordinator draws it up from the loaded data by a stored method and the entry and exit rules;
/// municipal coordinators see their schools' lines and object within the period the region set;
/// the region decides each objection and approves, which changes the schools' flags (one audit
/// record per school) and freezes the list with the hashes of its data and run.
public struct IdentificationLists: Sendable {
    let service: MEDKService

    public func prepare(regionCode: String, year: Int, method: IdentificationMethod = .seed000, rules: ProgrammeRules = .standard,
                        objectionsUntil: CalendarDate, replacingDraft: Bool = false, by op: Operator) async throws -> IdentificationListSummary {
        try method.validate()
        try rules.validate()
        guard (2000...2100).contains(year) else { throw MEDKError.rejected("invalid_year", "Год — четырёхзначное число.") }
        let definition = try method.canonicalJSON()
        let methodHash = SHA256.hash(data: Data(definition.utf8)).hexString
        let now = service.now()
        let id = try await service.write { store in
            guard let region = try store.region(code: regionCode) else { throw MEDKError.notFound("Регион «\(regionCode)»") }
            let actor = try op.authorize(.identifySchools(regionID: region.id))
            let today = try RegionCalendar.cached(region.timeZone).date(of: now)
            guard objectionsUntil >= today else {
                throw MEDKError.rejected("invalid_objection_period", "Срок возражений не может закончиться раньше сегодняшнего дня (\(today.russian)).",
                                         fields: ["objections_until": "Укажите сегодняшнюю или более позднюю дату."])
            }
            let batch = try store.latestResultsBatch()
            let histories = try store.resultsHistories(regionID: region.id,
                                                       years: DraftList.firstYear(year, method: method, rules: rules)...year, asOf: batch)
            guard !histories.isEmpty else {
                throw MEDKError.rejected("no_results_data", "Для региона нет загруженных результатов за \(DraftList.firstYear(year, method: method, rules: rules))–\(year) годы: "
                                         + "сначала загрузите средние баллы и показатели социального контекста.")
            }
            if let draft = try store.draftListID(regionID: region.id) {
                guard replacingDraft else {
                    throw MEDKError(.conflict, code: "draft_exists",
                                    message: "У региона уже есть проект списка №\(draft). Утвердите или отмените его, либо замените новым.")
                }
                try store.setListState(id: draft, .discarded, at: now, by: actor.userID)
                _ = try store.appendAudit(actor, at: now, AuditRecord(action: .identificationDiscard, entityType: .identificationList, entityID: draft,
                                                                      fromState: "draft", toState: "discarded",
                                                                      details: ["reason": "replaced"]))
            }
            let schools = try store.schoolStandings(regionID: region.id)
            let draft = try DraftList.make(year: year, method: method, rules: rules, schools: schools, histories: histories)
            let stored = try store.identificationMethod(regionID: region.id, sha256: methodHash)
                ?? store.insertIdentificationMethod(regionID: region.id, definition: definition, sha256: methodHash, at: now, by: actor.userID)
            let listID = try store.insertIdentificationList(
                NewIdentificationList(regionID: region.id, year: year, methodID: stored.id, rules: rules, dataBatch: batch,
                                      inputsHash: draft.inputsHash, runHash: draft.runHash, resultsCut: draft.runs.last?.resultsCut,
                                      socialCut: draft.runs.last?.socialCut, objectionsUntil: objectionsUntil,
                                      createdAt: now, createdBy: actor.userID), entries: draft.entries)
            let counts = ListCounts(draft.entries)
            _ = try store.appendAudit(actor, at: now, AuditRecord(
                action: .identificationDraft, entityType: .identificationList, entityID: listID, toState: "draft",
                details: ["region": region.code, "year": String(year), "method_version": String(stored.version), "method_sha256": methodHash,
                          "data_batch": String(batch), "inputs_sha256": draft.inputsHash, "run_sha256": draft.runHash,
                          "entering": String(counts.entering), "leaving": String(counts.leaving), "changes": String(counts.changes),
                          "objections_until": objectionsUntil.description]))
            return listID
        }
        return try await summary(id)
    }

    /// A region's lists, newest first.
    public func lists(regionCode: String, by op: Operator) async throws -> [IdentificationListSummary] {
        try await service.read { store in
            guard let region = try store.region(code: regionCode) else { throw MEDKError.notFound("Регион «\(regionCode)»") }
            _ = try Self.reach(store, regionID: region.id, requested: nil, by: op)
            return try store.identificationLists(regionID: region.id)
        }
    }

    /// A list's lines within the reader's reach: the whole region for its coordinators, FIOCO and the
    /// administrator; the municipality's schools for a municipal coordinator.
    public func view(listID: Int64, filter: ListEntryFilter = .changes, municipalityID: Int64? = nil, page: PageRequest = .first,
                     by op: Operator) async throws -> IdentificationListView {
        let now = service.now()
        return try await service.read { store in
            guard let summary = try store.identificationList(id: listID) else { throw MEDKError.notFound("Список №\(listID)") }
            let reach = try Self.reach(store, regionID: summary.regionID, requested: municipalityID, by: op)
            let today = try RegionCalendar.cached(summary.timeZone).date(of: now)
            var canObject = false
            if case .user(let actor) = op, summary.state == .draft, today <= summary.objectionsUntil, let municipality = reach.municipalityID {
                canObject = Policy.allows(actor, .objectToPlacement(municipalityID: municipality))
            }
            return IdentificationListView(
                summary: summary, counts: try store.listCounts(listID: listID, municipalityID: reach.municipalityID),
                entries: try store.listEntries(listID: listID, municipalityID: reach.municipalityID, filter: filter, page: page),
                objections: try store.objections(listID: listID, municipalityID: reach.municipalityID),
                canObject: canObject, objectionsOpen: summary.state == .draft && today <= summary.objectionsUntil,
                canDecide: summary.state == .draft && reach.decides)
        }
    }

    /// Every line within the reader's reach, for a chart or a download (a region has ~1,700 schools).
    public func allEntries(listID: Int64, municipalityID: Int64? = nil, by op: Operator) async throws -> (IdentificationListSummary, [ListEntry]) {
        try await service.read { store in
            guard let summary = try store.identificationList(id: listID) else { throw MEDKError.notFound("Список №\(listID)") }
            let reach = try Self.reach(store, regionID: summary.regionID, requested: municipalityID, by: op)
            return (summary, try store.allListEntries(listID: listID, municipalityID: reach.municipalityID))
        }
    }

    /// A municipal coordinator asks for other flags for a school of their municipality, with a reason,
    /// while the list is a draft and the period lasts; one open objection per school.
    public func object(listID: Int64, schoolCode: String, wanted: ProgrammeFlags, reason: String, by actor: Actor) async throws -> PlacementObjection {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 2000 else {
            let message = reason.isEmpty ? "Напишите, почему статус школы должен быть другим." : "Обоснование длиннее 2000 символов: сократите его."
            throw MEDKError.rejected("invalid_reason", message, fields: ["reason": message])
        }
        let now = service.now()
        let id = try await service.write { store in
            guard let summary = try store.identificationList(id: listID) else { throw MEDKError.notFound("Список №\(listID)") }
            _ = try Self.reach(store, regionID: summary.regionID, requested: nil, by: .user(actor))
            guard let school = try store.school(code: schoolCode), let entry = try store.listEntry(listID: listID, schoolID: school.id) else {
                throw MEDKError.notFound("Школа «\(schoolCode)» в списке №\(listID)")
            }
            let auditActor = try Operator.user(actor).authorize(.objectToPlacement(municipalityID: entry.municipalityID))
            guard summary.state == .draft else {
                throw MEDKError(.conflict, code: "list_not_draft", message: "Список №\(listID) \(summary.state.russianName): возражения больше не принимаются.")
            }
            let today = try RegionCalendar.cached(summary.timeZone).date(of: now)
            guard today <= summary.objectionsUntil else {
                throw MEDKError.rejected("objection_period_over", "Срок возражений закончился \(summary.objectionsUntil.russian).")
            }
            guard wanted != entry.proposed else {
                throw MEDKError.rejected("objection_changes_nothing", "Проект списка уже предлагает для школы «\(entry.proposed.russian)»: "
                                         + "возражение должно просить другой статус.", fields: ["wanted": "Выберите статус, отличный от предложенного."])
            }
            if try store.objections(listID: listID, municipalityID: entry.municipalityID)
                .contains(where: { $0.schoolID == school.id && $0.state == .pending }) {
                throw MEDKError(.conflict, code: "objection_pending",
                                message: "По школе «\(entry.schoolName)» уже есть возражение, ждущее решения региона.")
            }
            let id = try store.insertObjection(listID: listID, schoolID: school.id, reason: reason, wanted: wanted, at: now, by: actor.userID)
            _ = try store.appendAudit(auditActor, at: now, AuditRecord(
                action: .identificationObject, entityType: .identificationList, entityID: listID, toState: "pending", comment: reason,
                details: ["objection": String(id), "school": school.code, "proposed": entry.proposed.russian, "wanted": wanted.russian]))
            return id
        }
        return try await objection(id)
    }

    /// The region accepts an objection (the school's proposed flags become the wanted ones) or rejects
    /// it, saying why.
    public func decide(objectionID: Int64, accept: Bool, comment: String?, by op: Operator) async throws -> PlacementObjection {
        let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        if !accept && comment == nil {
            let message = "Напишите, почему возражение отклонено: муниципалитет увидит ответ."
            throw MEDKError.rejected("comment_required", message, fields: ["comment": message])
        }
        if let comment, comment.count > 2000 { throw MEDKError.rejected("comment_too_long", "Ответ длиннее 2000 символов: сократите его.") }
        let now = service.now()
        try await service.write { store in
            guard let objection = try store.objection(id: objectionID), let summary = try store.identificationList(id: objection.listID) else {
                throw MEDKError.notFound("Возражение №\(objectionID)")
            }
            let actor = try op.authorize(.identifySchools(regionID: summary.regionID))
            guard summary.state == .draft else {
                throw MEDKError(.conflict, code: "list_not_draft", message: "Список №\(summary.id) \(summary.state.russianName): решения больше не принимаются.")
            }
            guard objection.state == .pending else {
                throw MEDKError(.conflict, code: "objection_decided", message: "По возражению №\(objectionID) уже принято решение: \(objection.state.russianName).")
            }
            let state: ObjectionState = accept ? .accepted : .rejected
            try store.decideObjection(id: objectionID, state, comment: comment, at: now, by: actor.userID)
            if accept { try store.setProposedFlags(listID: summary.id, schoolID: objection.schoolID, objection.wanted) }
            _ = try store.appendAudit(actor, at: now, AuditRecord(
                action: .identificationDecideObjection, entityType: .identificationList, entityID: summary.id, fromState: "pending",
                toState: state.rawValue, comment: comment,
                details: ["objection": String(objectionID), "school": objection.schoolCode, "wanted": objection.wanted.russian]))
        }
        return try await objection(objectionID)
    }

    /// Approves a draft: refused while objections wait or, unless the region closes it early, while
    /// the period lasts, and if the list no longer comes out of its method and data; then each school
    /// whose flags differ takes the list's flags (one audit record each) and the list is frozen.
    public func approve(listID: Int64, closingObjectionsEarly: Bool = false, by op: Operator) async throws -> IdentificationListSummary {
        let now = service.now()
        try await service.write { store in
            let (summary, actor) = try Self.draftToDecide(store, listID, by: op)
            guard summary.counts.pendingObjections == 0 else {
                throw MEDKError.rejected("objections_pending", "Возражений ждут решения: \(summary.counts.pendingObjections). "
                                         + "Примите или отклоните каждое, затем утвердите список.")
            }
            let today = try RegionCalendar.cached(summary.timeZone).date(of: now)
            guard today > summary.objectionsUntil || closingObjectionsEarly else {
                throw MEDKError.rejected("objection_period_open", "Срок возражений идёт до \(summary.objectionsUntil.russian) включительно. "
                                         + "Утвердите после него или завершите приём возражений досрочно.")
            }
            let reproduction = try Self.reproduce(store, summary)
            guard reproduction.matches else {
                throw MEDKError(.conflict, code: "list_not_reproducible",
                                message: "Список №\(listID) не воспроизводится из своих данных и методики: составьте его заново.")
            }
            var changed = 0
            for entry in try store.allListEntries(listID: listID, municipalityID: nil) {
                guard var school = try store.school(id: entry.schoolID) else { continue }
                let current = ProgrammeFlags(lowResults: school.lowResults, hardSocialConditions: school.hardSocialConditions)
                guard current != entry.proposed else { continue }
                school.lowResults = entry.proposed.lowResults
                school.hardSocialConditions = entry.proposed.hardSocialConditions
                try store.updateSchool(school)
                changed += 1
                _ = try store.appendAudit(actor, at: now, AuditRecord(
                    action: .schoolProgrammeFlags, entityType: .school, entityID: school.id, fromState: current.russian, toState: entry.proposed.russian,
                    details: ["list": String(listID), "school": school.code, "decision": entry.decision.rawValue,
                              "social_decision": entry.socialDecision.rawValue]))
            }
            try store.setListState(id: listID, .approved, at: now, by: actor.userID)
            _ = try store.appendAudit(actor, at: now, AuditRecord(
                action: .identificationApprove, entityType: .identificationList, entityID: listID, fromState: "draft", toState: "approved",
                details: ["schools_changed": String(changed), "inputs_sha256": summary.inputsHash, "run_sha256": summary.runHash,
                          "closed_objections_early": closingObjectionsEarly && today <= summary.objectionsUntil ? "yes" : "no"]))
        }
        return try await summary(listID)
    }

    /// Withdraws a draft; it stays on record, discarded.
    public func discard(listID: Int64, by op: Operator) async throws -> IdentificationListSummary {
        let now = service.now()
        try await service.write { store in
            let (summary, actor) = try Self.draftToDecide(store, listID, by: op)
            try store.setListState(id: listID, .discarded, at: now, by: actor.userID)
            _ = try store.appendAudit(actor, at: now, AuditRecord(action: .identificationDiscard, entityType: .identificationList, entityID: listID,
                                                                  fromState: "draft", toState: "discarded", details: ["reason": "withdrawn"]))
        }
        return try await summary(listID)
    }

    /// A draft the region decides on, and who decides: refused when it is approved or discarded already.
    static func draftToDecide(_ store: any StoreReading, _ listID: Int64, by op: Operator) throws -> (IdentificationListSummary, AuditActor) {
        guard let summary = try store.identificationList(id: listID) else { throw MEDKError.notFound("Список №\(listID)") }
        let actor = try op.authorize(.identifySchools(regionID: summary.regionID))
        guard summary.state == .draft else {
            throw MEDKError(.conflict, code: "list_not_draft", message: "Список №\(listID) уже \(summary.state.russianName).")
        }
        return (summary, actor)
    }

    /// Makes the list again from its stored method, rules and data batch and compares the hashes.
    public func verify(listID: Int64, by op: Operator) async throws -> ListReproduction {
        try await service.read { store in
            guard let summary = try store.identificationList(id: listID) else { throw MEDKError.notFound("Список №\(listID)") }
            _ = try Self.reach(store, regionID: summary.regionID, requested: nil, by: op)
            return try Self.reproduce(store, summary)
        }
    }

    static func reproduce(_ store: any StoreReading, _ summary: IdentificationListSummary) throws -> ListReproduction {
        let histories = try store.resultsHistories(
            regionID: summary.regionID, years: DraftList.firstYear(summary.year, method: summary.method, rules: summary.rules)...summary.year,
            asOf: summary.dataBatch)
        let again = try DraftList.make(year: summary.year, method: summary.method, rules: summary.rules, schools: [], histories: histories)
        return ListReproduction(listID: summary.id, inputsHash: summary.inputsHash, runHash: summary.runHash,
                                reproducedInputsHash: again.inputsHash, reproducedRunHash: again.runHash)
    }

    private func summary(_ id: Int64) async throws -> IdentificationListSummary {
        try await service.read { store in
            guard let summary = try store.identificationList(id: id) else { throw MEDKError.notFound("Список №\(id)") }
            return summary
        }
    }

    private func objection(_ id: Int64) async throws -> PlacementObjection {
        try await service.read { store in
            guard let objection = try store.objection(id: id) else { throw MEDKError.notFound("Возражение №\(id)") }
            return objection
        }
    }

    /// What of a region's list the reader may see: all of it (and decide) for those who identify,
    /// all of it for those who monitor the region, one municipality for its coordinator.
    struct Reach {
        var municipalityID: Int64?
        var decides: Bool
    }

    static func reach(_ store: any StoreReading, regionID: Int64, requested: Int64?, by op: Operator) throws -> Reach {
        guard case .user(let actor) = op else { return Reach(municipalityID: requested, decides: true) }
        if Policy.allows(actor, .identifySchools(regionID: regionID)) { return Reach(municipalityID: requested, decides: true) }
        if Policy.allows(actor, .viewMonitoring(.region(regionID))) { return Reach(municipalityID: requested, decides: false) }
        let own = try Policy.territories(actor).municipalities.sorted().filter { try store.municipality(id: $0)?.regionID == regionID }
        if let requested, own.contains(requested) { return Reach(municipalityID: requested, decides: false) }
        if requested == nil, let first = own.first { return Reach(municipalityID: first, decides: false) }
        throw MEDKError.forbidden("Списки ШНОР/ШНСУ региона видят его координаторы, муниципальные координаторы — свои школы, и ФИОКО.")
    }
}

extension MEDKService {
    public var identificationLists: IdentificationLists { IdentificationLists(service: self) }
}
