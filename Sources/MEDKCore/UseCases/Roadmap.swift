import Foundation
import GRDB

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
    /// Municipal roadmaps: the regional measure it implements.
    public var regionalMeasure: String?

    public init(task: String, title: String, dueDate: CalendarDate, responsible: String, expectedResult: String,
                indicator: String, plannedValue: String, riskFactorNumber: Int? = nil, track: MunicipalTrack? = nil,
                regionalMeasure: String? = nil) {
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
    }
}

extension MEDKService {
    public func addMeasure(roadmapID: Int64, _ input: MeasureInput, expectedRevision: Int? = nil,
                           by actor: Actor) async throws -> Measure {
        let now = now()
        let measureID: Int64 = try await write { db in
            let loaded = try Self.loadRoadmap(db, roadmapID)
            let auditActor = try Self.requireEditable(loaded, by: actor, expectedRevision: expectedRevision)
            let factorID = try Self.validate(db, input, roadmap: loaded)
            let position = (try Int.fetchOne(db, sql: "SELECT max(position) FROM measures WHERE roadmap_id = ?", arguments: [roadmapID]) ?? 0) + 1
            var row = MeasureRow(roadmapId: roadmapID, position: position, riskFactorId: factorID, track: input.track?.rawValue,
                                 task: input.task, title: input.title, dueDate: input.dueDate.description,
                                 responsible: input.responsible, expectedResult: input.expectedResult,
                                 indicator: input.indicator, plannedValue: input.plannedValue, actualValue: nil,
                                 regionalMeasure: input.regionalMeasure, createdAt: now, updatedAt: now)
            try row.insert(db)
            try Self.touch(db, itemID: roadmapID, at: now)
            try AuditLog.append(db, actor: auditActor, at: now, AuditRecord(
                action: "measure.add", entityType: "item", entityID: String(roadmapID),
                details: ["measure_id": String(row.id!), "title": input.title, "due_date": input.dueDate.description]))
            return row.id!
        }
        return try await measure(measureID, for: actor)
    }

    public func updateMeasure(_ measureID: Int64, _ input: MeasureInput, expectedRevision: Int? = nil,
                              by actor: Actor) async throws -> Measure {
        let now = now()
        try await write { db in
            guard var row = try MeasureRow.fetchOne(db, key: measureID) else { throw MEDKError.notFound("Мероприятие №\(measureID)") }
            let loaded = try Self.loadRoadmap(db, row.roadmapId)
            let auditActor = try Self.requireEditable(loaded, by: actor, expectedRevision: expectedRevision)
            row.riskFactorId = try Self.validate(db, input, roadmap: loaded)
            row.track = input.track?.rawValue
            row.task = input.task
            row.title = input.title
            row.dueDate = input.dueDate.description
            row.responsible = input.responsible
            row.expectedResult = input.expectedResult
            row.indicator = input.indicator
            row.plannedValue = input.plannedValue
            row.regionalMeasure = input.regionalMeasure
            row.updatedAt = now
            try row.update(db)
            try Self.touch(db, itemID: row.roadmapId, at: now)
            try AuditLog.append(db, actor: auditActor, at: now, AuditRecord(
                action: "measure.update", entityType: "item", entityID: String(row.roadmapId),
                details: ["measure_id": String(measureID), "title": input.title, "due_date": input.dueDate.description]))
        }
        return try await measure(measureID, for: actor)
    }

    public func removeMeasure(_ measureID: Int64, expectedRevision: Int? = nil, by actor: Actor) async throws {
        let now = now()
        try await write { db in
            guard let row = try MeasureRow.fetchOne(db, key: measureID) else { throw MEDKError.notFound("Мероприятие №\(measureID)") }
            let loaded = try Self.loadRoadmap(db, row.roadmapId)
            let auditActor = try Self.requireEditable(loaded, by: actor, expectedRevision: expectedRevision)
            if try ItemRow.filter(Column("measure_id") == measureID).fetchCount(db) > 0 {
                throw MEDKError(.conflict, code: "measure_reported",
                                message: "По мероприятию уже начат отчёт; удалить его нельзя, можно изменить.")
            }
            try MeasureRow.deleteOne(db, key: measureID)
            try Self.touch(db, itemID: row.roadmapId, at: now)
            try AuditLog.append(db, actor: auditActor, at: now, AuditRecord(
                action: "measure.remove", entityType: "item", entityID: String(row.roadmapId),
                details: ["measure_id": String(measureID), "title": row.title]))
        }
    }

    public func measure(_ measureID: Int64, for actor: Actor) async throws -> Measure {
        let now = now()
        return try await read { db in
            guard let row = try MeasureRow.fetchOne(db, key: measureID) else { throw MEDKError.notFound("Мероприятие №\(measureID)") }
            let loaded = try ItemStore.load(db, id: row.roadmapId)
            _ = try Policy.authorize(actor, .viewItem(loaded.scope))
            return try ItemStore.measures(db, measureID: measureID, calendar: loaded.calendar, now: now)[0]
        }
    }

    /// Starts (or continues) the report on a measure of a confirmed roadmap, optionally
    /// recording the indicator's actual value. Evidence files are uploaded to the report item.
    public func reportMeasure(_ measureID: Int64, actualValue: String?, expectedRevision: Int? = nil,
                              by actor: Actor) async throws -> ItemDetail {
        let now = now()
        let reportID: Int64 = try await write { db in
            guard let measure = try MeasureRow.fetchOne(db, key: measureID) else { throw MEDKError.notFound("Мероприятие №\(measureID)") }
            let roadmap = try Self.loadRoadmap(db, measure.roadmapId)
            let role = try Policy.authorize(actor, .ownItem(roadmap.scope))
            // A roadmap under revision keeps its confirmed measures reportable.
            guard try Self.wasConfirmed(db, roadmap) else {
                throw MEDKError(.conflict, code: "roadmap_not_confirmed",
                                message: "Отчитываться по мероприятиям можно после подтверждения дорожной карты куратором.")
            }
            let auditActor = AuditActor(userID: actor.userID, login: actor.login, role: role)
            var reportID = try Int64.fetchOne(db, sql: "SELECT id FROM items WHERE measure_id = ? AND kind = 'measure_report'", arguments: [measureID])
            if reportID == nil {
                var report = ItemRow(campaignId: roadmap.row.campaignId, kind: .measureReport, schoolId: roadmap.row.schoolId,
                                     municipalityId: roadmap.row.municipalityId, measureId: measureID,
                                     title: "Отчёт: \(measure.title)", state: .draft, revision: 1, createdAt: now,
                                     createdBy: actor.userID, updatedAt: now)
                try report.insert(db)
                reportID = report.id!
                try AuditLog.append(db, actor: auditActor, at: now, AuditRecord(
                    action: "item.create", entityType: "item", entityID: String(report.id!), toState: ReviewState.draft.rawValue,
                    details: ["kind": ItemKind.measureReport.rawValue, "measure_id": String(measureID)]))
            }
            if let actualValue {
                let report = try ItemStore.load(db, id: reportID!)
                let editor = try Self.requireEditable(report, by: actor, expectedRevision: expectedRevision)
                let value = actualValue.trimmingCharacters(in: .whitespacesAndNewlines)
                guard value.count <= 2000 else { throw MEDKError.invalid("value_too_long", "Значение длиннее 2000 символов.") }
                try db.execute(sql: "UPDATE measures SET actual_value = ?, updated_at = ? WHERE id = ?", arguments: [value, now, measureID])
                try Self.touch(db, itemID: reportID!, at: now)
                try AuditLog.append(db, actor: editor, at: now, AuditRecord(
                    action: "measure.report_value", entityType: "item", entityID: String(reportID!),
                    fromState: report.row.state.rawValue, toState: report.row.state.rawValue,
                    details: ["measure_id": String(measureID), "actual_value": value]))
            }
            return reportID!
        }
        return try await item(reportID, for: actor)
    }

    static func wasConfirmed(_ db: Database, _ loaded: LoadedItem) throws -> Bool {
        if loaded.row.state == .confirmed { return true }
        return try AuditRow.filter(Column("entity_type") == "item" && Column("entity_id") == String(loaded.row.id!)
                                   && Column("action") == "item.confirm").fetchCount(db) > 0
    }

    private static func loadRoadmap(_ db: Database, _ id: Int64) throws -> LoadedItem {
        let loaded = try ItemStore.load(db, id: id)
        guard loaded.row.kind == .roadmap else {
            throw MEDKError.invalid("not_a_roadmap", "Объект №\(id) — не дорожная карта.")
        }
        return loaded
    }

    /// Checks a measure's fields; returns the risk factor id for school roadmaps.
    private static func validate(_ db: Database, _ input: MeasureInput, roadmap: LoadedItem) throws -> Int64? {
        var problems: [String] = []
        if input.title.isBlank { problems.append("Не указано название мероприятия.") }
        for (text, name) in [(input.task, "задача"), (input.title, "название"), (input.responsible, "ответственные"),
                             (input.expectedResult, "ожидаемый результат"), (input.indicator, "показатель"),
                             (input.plannedValue, "плановое значение"), (input.regionalMeasure ?? "", "региональное мероприятие")]
        where text.count > 2000 {
            problems.append("Поле «\(name)» длиннее 2000 символов.")
        }
        var factorID: Int64?
        if roadmap.scope.isMunicipal {
            if input.riskFactorNumber != nil { problems.append("В муниципальной дорожной карте мероприятия группируются по направлениям, а не по факторам риска.") }
        } else {
            if input.track != nil || input.regionalMeasure != nil {
                problems.append("Направление и региональное мероприятие указываются только в муниципальной дорожной карте.")
            }
            if let number = input.riskFactorNumber {
                factorID = try Int64.fetchOne(db, sql: "SELECT id FROM risk_factors WHERE campaign_id = ? AND number = ?",
                                              arguments: [roadmap.row.campaignId, number])
                if factorID == nil { problems.append("В каталоге кампании нет фактора риска №\(number).") }
            }
        }
        guard problems.isEmpty else {
            throw MEDKError.invalid("invalid_measure", "Мероприятие заполнено неверно.", details: problems)
        }
        return factorID
    }
}
