import Foundation

/// A measure as the owner writes it.
public struct MeasureInput: Codable, Sendable, Hashable {
    public var task: String
    public var title: String
    public var dueDate: CalendarDate
    public var responsible: String
    public var expectedResult: String
    public var indicator: String
    public var plannedValue: String
    /// School roadmaps: the risk factor (anti-risk programme) the measure belongs to.
    public var riskFactorNumber: Int?
    /// Municipal roadmaps: the FIOCO track.
    public var track: MunicipalTrack?
    /// Municipal roadmaps: the regional measure it implements, in words (as older tables name it).
    public var regionalMeasure: String?
    /// Municipal roadmaps: the measure of the region's confirmed roadmap it implements, chosen from
    /// `regionalMeasureChoices` — preferred to words once the region's roadmap is confirmed.
    public var regionalMeasureID: Int64?
    /// Regional roadmaps: the stage the measure belongs to («Первый этап: 2015 – 2016 гг.»).
    public var stage: String?
    /// Regional roadmaps: the order or programme the measure rests on.
    public var normativeDocument: String?

    public init(task: String, title: String, dueDate: CalendarDate, responsible: String, expectedResult: String,
                indicator: String, plannedValue: String, riskFactorNumber: Int? = nil, track: MunicipalTrack? = nil,
                regionalMeasure: String? = nil, regionalMeasureID: Int64? = nil, stage: String? = nil, normativeDocument: String? = nil) {
        self.task = task
        self.title = title
        self.dueDate = dueDate
        self.responsible = responsible
        self.expectedResult = expectedResult
        self.indicator = indicator
        self.plannedValue = plannedValue
        self.riskFactorNumber = riskFactorNumber
        self.track = track
        self.regionalMeasure = regionalMeasure
        self.regionalMeasureID = regionalMeasureID
        self.stage = stage
        self.normativeDocument = normativeDocument
    }
}

extension MEDKService {
    public func addMeasure(roadmapID: Int64, _ input: MeasureInput, expectedRevision: Int? = nil,
                           by actor: Actor) async throws -> Measure {
        let now = now()
        let measureID = try await write { store in
            try Self.addMeasure(store, roadmapID: roadmapID, input, expectedRevision: expectedRevision, by: actor, at: now)
        }
        return try await measure(measureID, for: actor)
    }

    static func addMeasure(_ store: any StoreWriting, roadmapID: Int64, _ input: MeasureInput, expectedRevision: Int?,
                           by actor: Actor, at now: Date) throws -> Int64 {
        try addMeasures(store, roadmapID: roadmapID, [input], expectedRevision: expectedRevision, by: actor, at: now)[0]
    }

    /// Most measures one call may add: a whole roadmap table, with room to spare.
    public static let maximumMeasuresAtOnce = 1_000
    /// Most measures one roadmap may hold. Real roadmaps have dozens; the card shows them all and
    /// every change re-encodes the school's progress, so a roadmap must not grow without bound.
    public static let maximumMeasuresPerRoadmap = 2_000

    /// Adds several measures to a roadmap as one change (a roadmap filled from a table): all of
    /// them or, if any row is wrong, none, with every wrong row named. One new revision of the
    /// roadmap, one history line per measure.
    public func addMeasures(roadmapID: Int64, _ inputs: [MeasureInput], expectedRevision: Int? = nil,
                            by actor: Actor) async throws -> [Measure] {
        let now = now()
        let ids = try await write { store in
            try Self.addMeasures(store, roadmapID: roadmapID, inputs, expectedRevision: expectedRevision, by: actor, at: now)
        }
        let roadmap = try await item(roadmapID, for: actor)
        return (roadmap.measures ?? []).filter { ids.contains($0.id) }
    }

    static func addMeasures(_ store: any StoreWriting, roadmapID: Int64, _ inputs: [MeasureInput], expectedRevision: Int?,
                            by actor: Actor, at now: Date) throws -> [Int64] {
        guard !inputs.isEmpty else { throw MEDKError.rejected("no_measures", "Не передано ни одного мероприятия.") }
        guard inputs.count <= maximumMeasuresAtOnce else {
            throw MEDKError.rejected("too_many", "За один раз можно добавить не более \(maximumMeasuresAtOnce) мероприятий.")
        }
        let roadmap = try loadRoadmap(store, roadmapID)
        let auditActor = try requireEditable(roadmap, by: actor, expectedRevision: expectedRevision)
        guard try store.measureCount(roadmapID: roadmapID) + inputs.count <= maximumMeasuresPerRoadmap else {
            throw MEDKError.rejected("too_many", "В дорожной карте может быть не более \(maximumMeasuresPerRoadmap) мероприятий.")
        }
        var fields: [MeasureFields] = []
        var problems: [String] = []
        for (index, input) in inputs.enumerated() {
            do {
                fields.append(try validate(store, input, roadmap: roadmap))
            } catch let error as MEDKError where inputs.count > 1 {
                problems += error.details.map { "Мероприятие \(index + 1): \($0)" }
            }
        }
        guard problems.isEmpty else { throw MEDKError.rejected("invalid_measure", "Мероприятия заполнены неверно.", details: problems) }
        let ids = try store.insertMeasures(roadmap: roadmap, position: try store.nextMeasurePosition(roadmapID: roadmapID), fields, at: now)
        try store.touchItem(id: roadmapID, at: now)
        for (id, input) in zip(ids, inputs) {
            try store.appendAudit(auditActor, at: now, .item(.measureAdd, roadmapID, details: [
                "measure_id": String(id), "title": input.title, "due_date": input.dueDate.description]))
        }
        return ids
    }

    public func updateMeasure(_ measureID: Int64, _ input: MeasureInput, expectedRevision: Int? = nil,
                              by actor: Actor) async throws -> Measure {
        let now = now()
        try await write { store in
            let roadmap = try Self.roadmap(ofMeasure: measureID, store)
            let auditActor = try Self.requireEditable(roadmap, by: actor, expectedRevision: expectedRevision)
            let calendar = try roadmap.calendar()
            guard let before = try store.measure(id: measureID, calendar: calendar, at: now) else { throw MEDKError.notVisible }
            try store.updateMeasure(id: measureID, roadmap: roadmap, try Self.validate(store, input, roadmap: roadmap), at: now)
            guard let after = try store.measure(id: measureID, calendar: calendar, at: now) else { throw MEDKError.notVisible }
            let changes = try Self.measureChanges(store, before, after)
            // Saving the form unchanged is no change: no new revision, nothing in the history.
            guard !changes.isEmpty else { return }
            try store.touchItem(id: roadmap.id, at: now)
            var details = MeasureChanges.details(changes)
            details["measure_id"] = String(measureID)
            details["title"] = after.title
            details["due_date"] = after.dueDate?.description ?? ""
            try store.appendAudit(auditActor, at: now, .item(.measureUpdate, roadmap.id, details: details))
        }
        return try await measure(measureID, for: actor)
    }

    /// What changed in a measure, each field as a person reads it.
    static func measureChanges(_ store: any StoreReading, _ before: Measure, _ after: Measure) throws -> [MeasureFieldChange] {
        var factors: [Int64: String] = [:]
        for id in [before.riskFactorID, after.riskFactorID].compactMap({ $0 }) where factors[id] == nil {
            factors[id] = try store.riskFactor(id: id).map { "\($0.number). \($0.title)" } ?? ""
        }
        return MeasureChanges.between(before, after) { id in id.flatMap { factors[$0] } ?? "" }
    }

    public func removeMeasure(_ measureID: Int64, expectedRevision: Int? = nil, by actor: Actor) async throws {
        let now = now()
        try await write { store in
            let roadmap = try Self.roadmap(ofMeasure: measureID, store)
            let auditActor = try Self.requireEditable(roadmap, by: actor, expectedRevision: expectedRevision)
            guard let measure = try store.measure(id: measureID, calendar: try roadmap.calendar(), at: now) else {
                throw MEDKError.notVisible
            }
            if measure.reportItemID != nil {
                throw MEDKError(.conflict, code: "measure_reported",
                                message: "По мероприятию уже начат отчёт; удалить его нельзя, можно изменить.")
            }
            try Self.refuseIfLinked(store, [measureID])
            try store.deleteMeasure(id: measureID, roadmap: roadmap)
            try store.touchItem(id: roadmap.id, at: now)
            try store.appendAudit(auditActor, at: now, .item(.measureRemove, roadmap.id, details: [
                "measure_id": String(measureID), "title": measure.title]))
        }
    }

    public func measure(_ measureID: Int64, for actor: Actor) async throws -> Measure {
        let now = now()
        return try await read { store in
            let roadmap = try Self.roadmap(ofMeasure: measureID, store)
            _ = try Policy.authorize(actor, .viewItem(roadmap.scope))
            guard let measure = try store.measure(id: measureID, calendar: try roadmap.calendar(), at: now) else {
                throw MEDKError.notVisible
            }
            return measure
        }
    }

    /// Starts (or continues) the report on a measure of a confirmed roadmap, optionally
    /// recording the indicator's actual value. Evidence files are uploaded to the report item.
    public func reportMeasure(_ measureID: Int64, actualValue: String?, expectedRevision: Int? = nil,
                              by actor: Actor) async throws -> ItemDetail {
        let now = now()
        let reportID = try await write { store in
            try Self.reportMeasure(store, measureID, actualValue: actualValue, expectedRevision: expectedRevision, by: actor, at: now)
        }
        return try await item(reportID, for: actor)
    }

    static func reportMeasure(_ store: any StoreWriting, _ measureID: Int64, actualValue: String?, expectedRevision: Int?,
                              by actor: Actor, at now: Date) throws -> Int64 {
        let roadmap = try roadmap(ofMeasure: measureID, store)
        let role = try Policy.authorize(actor, .ownItem(roadmap.scope))
        // A roadmap under revision keeps its confirmed measures reportable.
        guard roadmap.firstConfirmedAt != nil else {
            throw MEDKError(.conflict, code: "roadmap_not_confirmed",
                            message: "Отчитываться по мероприятиям можно после подтверждения дорожной карты куратором.")
        }
        guard let measure = try store.measure(id: measureID, calendar: try roadmap.calendar(), at: now) else {
            throw MEDKError.notVisible
        }
        // A report answers a deadline; an imported measure whose deadline was not understood has none yet.
        guard measure.dueDate != nil else {
            throw MEDKError(.conflict, code: "measure_undated",
                            message: "У мероприятия нет срока: сначала укажите его в дорожной карте, потом отчитывайтесь.")
        }
        let auditActor = AuditActor(userID: actor.userID, login: actor.login, role: role)
        var reportID = measure.reportItemID
        if reportID == nil {
            let id = try store.insertItem(ItemDraft(campaignID: roadmap.campaignID, kind: .measureReport, path: roadmap.path,
                                                    measureID: measureID, title: "Отчёт: \(measure.title)", createdAt: now,
                                                    createdBy: actor.userID))
            reportID = id
            try store.appendAudit(auditActor, at: now, AuditRecord(
                action: .itemCreate, entityType: .item, entityID: id, toState: ReviewState.draft.rawValue,
                details: ["kind": ItemKind.measureReport.rawValue, "measure_id": String(measureID)]))
        }
        if let actualValue, let reportID {
            let report = try load(store, reportID)
            let editor = try requireEditable(report, by: actor, expectedRevision: expectedRevision)
            let value = actualValue.trimmingCharacters(in: .whitespacesAndNewlines)
            guard value.count <= 2000 else { throw MEDKError.rejected("value_too_long", "Значение длиннее 2000 символов.") }
            try store.setActualValue(measureID: measureID, value, at: now)
            try store.touchItem(id: reportID, at: now)
            try store.appendAudit(editor, at: now, .item(.measureReportValue, reportID, state: report.state, details: [
                "measure_id": String(measureID), "actual_value": value]))
        }
        return reportID!
    }

    static func loadRoadmap(_ store: any StoreReading, _ id: Int64) throws -> StoredItem {
        let item = try load(store, id)
        guard item.kind == .roadmap else { throw MEDKError.rejected("not_a_roadmap", "Документ №\(id) — не дорожная карта.") }
        return item
    }

    private static func roadmap(ofMeasure measureID: Int64, _ store: any StoreReading) throws -> StoredItem {
        guard let roadmapID = try store.roadmapID(ofMeasure: measureID) else { throw MEDKError.notVisible }
        return try loadRoadmap(store, roadmapID)
    }

    /// A regional measure that municipal measures implement stays: removing it would leave them
    /// pointing at nothing (and the database refuses it).
    static func refuseIfLinked(_ store: any StoreReading, _ measureIDs: [Int64]) throws {
        let linked = try store.linkedMunicipalMeasureCount(regionalMeasureIDs: measureIDs)
        guard linked == 0 else {
            throw MEDKError(.conflict, code: "measure_linked", message: """
                На мероприятие ссылаются мероприятия муниципальных дорожных карт (\(linked)); удалить его нельзя, можно изменить.
                """)
        }
    }

    /// The measures of the region's confirmed roadmap that a measure of this municipal roadmap may
    /// implement, for whoever may see the roadmap.
    public func regionalMeasureChoices(roadmapID: Int64, for actor: Actor) async throws -> [RegionalMeasureChoice] {
        try await read { store in
            let roadmap = try Self.loadRoadmap(store, roadmapID)
            _ = try Policy.authorize(actor, .viewItem(roadmap.scope))
            guard roadmap.owner == .municipality else {
                throw MEDKError.rejected("not_municipal", "Мероприятия региональной дорожной карты выбирают для муниципальной дорожной карты.")
            }
            return try store.regionalMeasureChoices(campaignID: roadmap.campaignID, regionID: roadmap.path.regionID)
        }
    }

    /// Checks a measure's fields; resolves the risk factor for school roadmaps.
    private static func validate(_ store: any StoreReading, _ input: MeasureInput, roadmap: StoredItem) throws -> MeasureFields {
        var problems: [String] = []
        // Each problem beside the field it concerns, named as the form names it.
        var fields: [String: String] = [:]
        func problem(_ field: String?, _ text: String) {
            problems.append(text)
            if let field, fields[field] == nil { fields[field] = text }
        }
        if input.title.isBlank { problem("title", "Не указано, что за мероприятие: заполните поле «Мероприятие».") }
        for (text, field, label) in [(input.task, "task", "Задача"), (input.title, "title", "Мероприятие"),
                                     (input.responsible, "responsible", "Ответственный"),
                                     (input.expectedResult, "expectedResult", "Ожидаемый результат"), (input.indicator, "indicator", "Показатель"),
                                     (input.plannedValue, "plannedValue", "Плановое значение"),
                                     (input.regionalMeasure ?? "", "regionalMeasure", "Региональное мероприятие"),
                                     (input.stage ?? "", "stage", "Этап"), (input.normativeDocument ?? "", "normativeDocument", "Нормативный документ")]
        where text.count > 2000 {
            problem(field, "Поле «\(label)» длиннее 2000 символов (сейчас \(text.count)): сократите его.")
        }
        var factorID: Int64?
        switch roadmap.owner {
        case .municipality:
            if input.riskFactorNumber != nil {
                problem("riskFactorNumber", "В муниципальной дорожной карте мероприятия группируются по направлениям, а не по факторам риска.")
            }
            if input.stage != nil || input.normativeDocument != nil {
                problem(input.stage != nil ? "stage" : "normativeDocument", "Этап и нормативный документ указываются в региональной дорожной карте.")
            }
            if let linked = input.regionalMeasureID,
               try !store.regionalMeasureChoices(campaignID: roadmap.campaignID, regionID: roadmap.path.regionID).contains(where: { $0.id == linked }) {
                problem("regionalMeasureID",
                        "Мероприятие №\(linked) не найдено среди мероприятий подтверждённой региональной дорожной карты этой кампании.")
            }
        case .region:
            if input.riskFactorNumber != nil || input.track != nil || input.regionalMeasure != nil || input.regionalMeasureID != nil {
                problem(nil, "В региональной дорожной карте мероприятия группируются по этапам и задачам, без факторов риска, треков и ссылок на региональные мероприятия.")
            }
        case .school:
            if input.stage != nil || input.normativeDocument != nil {
                problem(nil, "Этап и нормативный документ указываются в региональной дорожной карте.")
            }
            if input.track != nil || input.regionalMeasure != nil || input.regionalMeasureID != nil {
                problem(nil, "Направление и региональное мероприятие указываются только в муниципальной дорожной карте.")
            }
            if let number = input.riskFactorNumber {
                factorID = try store.riskFactorID(campaignID: roadmap.campaignID, number: number)
                if factorID == nil { problem("riskFactorNumber", "В каталоге кампании нет фактора риска №\(number).") }
            }
        }
        guard problems.isEmpty else {
            throw MEDKError.rejected("invalid_measure", "Мероприятие заполнено неверно.", details: problems, fields: fields)
        }
        return MeasureFields(riskFactorID: factorID, track: input.track, task: input.task, title: input.title, dueDate: input.dueDate,
                             responsible: input.responsible, expectedResult: input.expectedResult, indicator: input.indicator,
                             plannedValue: input.plannedValue, regionalMeasure: input.regionalMeasure, regionalMeasureID: input.regionalMeasureID,
                             outline: roadmap.owner == .region
                                 ? MeasureOutline(stage: input.stage, normativeDocument: input.normativeDocument) : nil)
    }
}
