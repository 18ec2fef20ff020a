import Foundation

/// A region's target indicators with plan and fact (issue 23): the region adopts seed 000's
/// catalogue, states each year's plan as its programme words it (read by `PlanWording` and shown
/// back), and either MEDK computes the fact from its own data — with a trace a person can follow —
/// or the region enters it, naming its evidence. Each change is one transaction with its audit record.
public struct TargetIndicators: Sendable {
    let service: MEDKService

    /// Adds the catalogue's indicators the region does not have yet; returns the region's indicators.
    public func adoptCatalogue(regionCode: String, by op: Operator) async throws -> [TargetIndicator] {
        let now = service.now()
        return try await service.write { store in
            guard let region = try store.region(code: regionCode) else { throw MEDKError.notFound("Регион «\(regionCode)»") }
            let actor = try op.authorize(.identifySchools(regionID: region.id))
            let have = Set(try store.targetIndicators(regionID: region.id).map(\.code))
            for definition in IndicatorCatalogue.seed000 where !have.contains(definition.code) {
                let id = try store.insertTargetIndicator(regionID: region.id, definition, at: now, by: actor.userID)
                _ = try store.appendAudit(actor, at: now, AuditRecord(action: .indicatorAdopt, entityType: .targetIndicator, entityID: id,
                                                                      details: ["region": region.code, "code": definition.code,
                                                                                "source": definition.source.rawValue]))
            }
            return try store.targetIndicators(regionID: region.id)
        }
    }

    /// An indicator of the region's own programme, whose fact the region enters: a code as the
    /// programme numbers it («2.3») and its title; a code the region already has is refused.
    public func define(regionCode: String, code: String, title: String, by op: Operator) async throws -> TargetIndicator {
        let code = code.trimmingCharacters(in: .whitespacesAndNewlines), title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        var fields: [String: String] = [:]
        if code.isEmpty || code.count > 20 { fields["code"] = "Номер показателя в программе — до 20 символов." }
        if title.isEmpty || title.count > 500 { fields["title"] = "Название показателя — до 500 символов." }
        guard fields.isEmpty else {
            throw MEDKError.rejected("invalid_indicator", "Показатель не добавлен: не всё заполнено.",
                                     details: fields.sorted { $0.key < $1.key }.map(\.value), fields: fields)
        }
        let now = service.now()
        return try await service.write { store in
            guard let region = try store.region(code: regionCode) else { throw MEDKError.notFound("Регион «\(regionCode)»") }
            let actor = try op.authorize(.identifySchools(regionID: region.id))
            guard try !store.targetIndicators(regionID: region.id).contains(where: { $0.code == code }) else {
                throw MEDKError(.conflict, code: "indicator_exists", message: "У региона уже есть показатель с номером «\(code)».")
            }
            let id = try store.insertTargetIndicator(regionID: region.id, IndicatorDefinition(code: code, title: title, source: .entered),
                                                     at: now, by: actor.userID)
            _ = try store.appendAudit(actor, at: now, AuditRecord(action: .indicatorAdopt, entityType: .targetIndicator, entityID: id, comment: title,
                                                                  details: ["region": region.code, "code": code, "source": "entered"]))
            guard let indicator = try store.targetIndicator(id: id) else { throw MEDKError.notFound("Показатель") }
            return indicator
        }
    }

    /// Sets a year's plan from its wording; `confirmed` is the reading the person saw (or stated by
    /// hand when the wording could not be read), so that what is stored is what they agreed to.
    public func setPlan(indicatorID: Int64, year: Int, wording: String, confirmed: PlanTarget? = nil, by op: Operator) async throws -> TargetIndicator {
        let wording = wording.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2000...2100).contains(year) else {
            throw MEDKError.rejected("invalid_year", "Год — четырёхзначное число.", fields: ["year": "Укажите год."])
        }
        guard !wording.isEmpty, wording.count <= 500 else {
            let message = wording.isEmpty ? "Напишите план так, как он записан в программе." : "Формулировка длиннее 500 символов."
            throw MEDKError.rejected("invalid_plan", message, fields: ["wording": message])
        }
        var target = try confirmed ?? Self.reading(wording)
        target.wording = wording
        guard target.value.isFinite, target.value >= 0, target.kind != .share || target.value <= 100 else {
            throw MEDKError.rejected("invalid_plan", "Плановое значение — неотрицательное число, доля — не больше 100 %.")
        }
        let now = service.now()
        let stored = target
        return try await service.write { store in
            guard let indicator = try store.targetIndicator(id: indicatorID) else { throw MEDKError.notFound("Показатель №\(indicatorID)") }
            let actor = try op.authorize(.identifySchools(regionID: indicator.regionID))
            let previous = indicator.plans.first { $0.year == year }?.target
            try store.setIndicatorPlan(indicatorID: indicatorID, year: year, stored)
            _ = try store.appendAudit(actor, at: now, AuditRecord(
                action: .indicatorPlan, entityType: .targetIndicator, entityID: indicatorID, fromState: previous?.russian, toState: stored.russian,
                comment: wording, details: ["year": String(year), "code": indicator.code]))
            return try store.targetIndicator(id: indicatorID) ?? indicator
        }
    }

    /// How a wording reads as a plan, or a refusal that says how to write it.
    public static func reading(_ wording: String) throws -> PlanTarget {
        guard let target = PlanWording.read(wording) else {
            throw MEDKError.rejected("plan_unread", "Формулировку «\(wording)» не удалось прочитать как план: в ней нет числа. "
                                     + "Запишите план с числом («не менее 11% школ», «8 школ», «не реже одного раза в год»).",
                                     fields: ["wording": "Нужна формулировка с числом."])
        }
        return target
    }

    /// Enters a fact for an indicator MEDK does not compute, resting on a document the region keeps
    /// (an analytical note, an order, a protocol with a file): the fact counts once the federal
    /// operator confirms that document, as any other.
    public func enterFact(indicatorID: Int64, year: Int, value: Double, comment: String, evidenceItemID: Int64,
                          by op: Operator) async throws {
        let comment = try Self.validatedFact(year: year, value: value, comment: comment)
        let now = service.now()
        try await service.write { store in
            let (indicator, actor) = try Self.enterable(store, indicatorID: indicatorID, by: op)
            try Self.requireEvidence(store, itemID: evidenceItemID, of: indicator)
            try Self.record(store, indicator, year: year, value: value, comment: comment, evidenceItemID: evidenceItemID, by: actor, at: now)
        }
    }

    /// Enters a fact with a new file as its evidence, in one go: the file becomes the region's
    /// analytical note on the fact, sent to review with it; all of it commits together or nothing does.
    public func enterFact<Chunks: AsyncSequence & Sendable>(indicatorID: Int64, year: Int, value: Double, comment: String,
                                                            fileName rawName: String, chunks: Chunks,
                                                            by actor: Actor) async throws where Chunks.Element == [UInt8] {
        let comment = try Self.validatedFact(year: year, value: value, comment: comment)
        let fileName = try Validation.fileName(rawName)
        let (indicator, campaign) = try await service.read { store in
            let (indicator, _) = try Self.enterable(store, indicatorID: indicatorID, by: .user(actor))
            // The document belongs to the campaign of the fact's year, or to the latest one.
            let campaigns = try store.campaigns()
            guard let campaign = campaigns.first(where: { $0.year == year }) ?? campaigns.max(by: { $0.year < $1.year }) else {
                throw MEDKError.rejected("no_campaign", "В МЭДК ещё нет ни одной кампании: документу не к чему относиться.")
            }
            // Refused before a byte of the file is kept: only the region itself keeps its documents.
            _ = try Policy.authorize(actor, .ownItem(ItemScope(campaignID: campaign.id, path: .region(indicator.regionID))))
            return (indicator, campaign)
        }
        let blob = try await service.storeUpload(chunks, fileName: fileName)
        let now = service.now()
        try await service.write { store in
            let (indicator, auditActor) = try Self.enterable(store, indicatorID: indicator.id, by: .user(actor))
            let itemID = try MEDKService.createItem(store, NewItem(
                campaignID: campaign.id, kind: .analyticalNote, regionID: indicator.regionID,
                title: "Обоснование факта показателя \(indicator.code) за \(year) год"), by: actor, at: now)
            try MEDKService.recordUpload(store, itemID: itemID, fileName: fileName, blob: blob, expectedRevision: nil, by: actor, at: now)
            try MEDKService.applyTransition(store, itemID: itemID, TransitionRequest(action: .submit, expectedState: .draft, comment: comment),
                                            comment: comment, by: actor, at: now)
            try Self.record(store, indicator, year: year, value: value, comment: comment, evidenceItemID: itemID, by: auditActor, at: now)
        }
    }

    /// The region's documents a fact may rest on, newest first.
    public func evidenceDocuments(regionCode: String, by op: Operator) async throws -> [RegionDocument] {
        try await service.read { store in
            guard let region = try store.region(code: regionCode) else { throw MEDKError.notFound("Регион «\(regionCode)»") }
            _ = try op.authorize(.identifySchools(regionID: region.id))
            return try store.regionDocuments(regionID: region.id, limit: 200)
        }
    }

    private static func validatedFact(year: Int, value: Double, comment: String) throws -> String {
        let comment = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2000...2100).contains(year) else {
            throw MEDKError.rejected("invalid_year", "Год — четырёхзначное число.", fields: ["year": "Укажите год."])
        }
        guard value.isFinite, value >= 0 else {
            throw MEDKError.rejected("invalid_fact", "Факт — неотрицательное число.", fields: ["value": "Укажите число."])
        }
        guard !comment.isEmpty, comment.count <= 2000 else {
            let message = comment.isEmpty ? "Назовите, откуда факт: документ, приказ, мониторинг." : "Комментарий длиннее 2000 символов."
            throw MEDKError.rejected("evidence_required", message, fields: ["comment": message])
        }
        return comment
    }

    /// The indicator, if the operator may enter its fact and MEDK does not compute it.
    private static func enterable(_ store: any StoreReading, indicatorID: Int64, by op: Operator) throws -> (TargetIndicator, AuditActor) {
        guard let indicator = try store.targetIndicator(id: indicatorID) else { throw MEDKError.notFound("Показатель №\(indicatorID)") }
        let actor = try op.authorize(.identifySchools(regionID: indicator.regionID))
        guard !indicator.source.isComputed else {
            throw MEDKError(.conflict, code: "fact_computed", message: "Факт показателя «\(indicator.title)» рассчитывает МЭДК: вносить его не нужно.")
        }
        return (indicator, actor)
    }

    /// A fact rests on a document of the indicator's own region with a file in it; a roadmap is no evidence.
    private static func requireEvidence(_ store: any StoreReading, itemID: Int64, of indicator: TargetIndicator) throws {
        let refusal = MEDKError.rejected("evidence_document", "Факт подтверждается документом региона (справкой, приказом, протоколом) "
                                         + "с приложенным файлом: выберите такой документ или загрузите файл.",
                                         fields: ["evidence": "Выберите документ региона или загрузите файл."])
        guard let item = try store.item(id: itemID), item.path == .region(indicator.regionID), item.kind != .roadmap else { throw refusal }
        guard item.summary.latestVersion != nil else {
            throw MEDKError.rejected("evidence_without_file", "В документе «\(item.summary.title)» нет файла: загрузите его в документ или приложите файл здесь.",
                                     fields: ["evidence": "В выбранном документе нет файла."])
        }
    }

    private static func record(_ store: any StoreWriting, _ indicator: TargetIndicator, year: Int, value: Double, comment: String,
                               evidenceItemID: Int64, by actor: AuditActor, at now: Date) throws {
        try store.setIndicatorFact(indicatorID: indicator.id, year: year, value: value, comment: comment, evidenceItemID: evidenceItemID,
                                   at: now, by: actor.userID)
        _ = try store.appendAudit(actor, at: now, AuditRecord(
            action: .indicatorFact, entityType: .targetIndicator, entityID: indicator.id, toState: String(value), comment: comment,
            details: ["year": String(year), "code": indicator.code, "evidence_item": String(evidenceItemID)]))
    }

    /// Every indicator of the region for `year`: plan, fact (computed or entered) with its trace,
    /// status, and the facts of up to three years before.
    public func report(regionCode: String, year: Int, by op: Operator) async throws -> IndicatorReport {
        try await service.read { store in
            guard let region = try store.region(code: regionCode) else { throw MEDKError.notFound("Регион «\(regionCode)»") }
            let reach = try IdentificationLists.reach(store, regionID: region.id, requested: nil, by: op)
            let indicators = try store.targetIndicators(regionID: region.id)
            let entered = Dictionary(grouping: try store.enteredFacts(regionID: region.id), by: \.indicatorID)
            let years = (year - 3)...year
            var dynamics: [Int: YearDynamics] = [:]
            if indicators.contains(where: { $0.source == .positiveDynamics || $0.source == .leftLowResults }) {
                let (method, _) = try ResultsDynamicsReader.method(store, regionID: region.id)
                let runs = try ResultsDynamicsReader.runs(store, regionID: region.id, years: (years.lowerBound - 1)...year, method: method,
                                                          cache: service.identificationRuns)
                let programme = Set(try store.schoolStandings(regionID: region.id)
                    .filter { $0.flags.lowResults || $0.flags.hardSocialConditions }.map(\.code))
                for change in Dynamics.years(runs, programme: programme) { dynamics[change.year] = change }
            }
            func fact(_ indicator: TargetIndicator, _ year: Int) throws -> IndicatorFact? {
                switch indicator.source {
                case .entered:
                    return entered[indicator.id]?.first { $0.year == year }.map { stored in
                        var trace = ["Внесено: \(stored.comment ?? "")"]
                        if let evidence = stored.evidence {
                            trace.append("Документ «\(evidence.title)» — \(evidence.state.russianName)"
                                         + (evidence.state == .confirmed ? "." : ": факт учитывается, когда его подтвердит ФИОКО."))
                        } else {
                            trace.append("Документ не приложен: факт не учитывается, пока его не подтвердит документ.")
                        }
                        return IndicatorFact(value: stored.value, trace: trace, enteredBy: stored.enteredBy, enteredAt: stored.enteredAt,
                                             evidence: stored.evidence)
                    }
                case .positiveDynamics:
                    guard let change = dynamics[year], let share = change.improvedShare else { return nil }
                    return IndicatorFact(value: (share * 1000).rounded() / 10, trace: [
                        "Школ ШНОР и ШНСУ (по нынешнему статусу): \(change.programmeSchools); индекс обоих лет есть у "
                            + "\(change.improved + change.declined + change.unclear), нет — у \(change.noData).",
                        "Рост сверх случайных колебаний: \(change.improved); снижение: \(change.declined); не различить: \(change.unclear).",
                        "Доля = \(change.improved) ÷ \(change.improved + change.declined + change.unclear) = \(PlanFormat.percent(share * 100)).",
                    ])
                case .leftLowResults:
                    guard let change = dynamics[year] else { return nil }
                    return IndicatorFact(value: Double(change.leftLow.count), trace: [
                        "Вышли из зоны низких результатов (ИОР был ниже порога в \(year - 1), стал выше в \(year)): \(change.leftLow.count); "
                            + "вошли: \(change.enteredLow.count).",
                    ])
                case .confirmedRoadmaps:
                    let counts = try store.confirmedRoadmaps(regionID: region.id, year: year)
                    guard counts.schools > 0 else { return nil }
                    let share = Double(counts.confirmed) / Double(counts.schools) * 100
                    return IndicatorFact(value: (share * 10).rounded() / 10, trace: [
                        "Школ ШНОР региона: \(counts.schools); дорожная карта кампании \(year) года подтверждена у \(counts.confirmed).",
                        "Доля = \(counts.confirmed) ÷ \(counts.schools) = \(PlanFormat.percent(share)).",
                    ])
                }
            }
            let rows = try indicators.map { indicator -> IndicatorRow in
                let plan = indicator.plans.first { $0.year == year }?.target
                let now = try fact(indicator, year)
                // The trend shows what counts: earlier facts whose documents were not confirmed are left out.
                let trend = try years.dropLast().compactMap { earlier in
                    try fact(indicator, earlier).flatMap { $0.isConfirmed ? YearValue(year: earlier, value: $0.value) : nil }
                }
                return IndicatorRow(indicator: indicator, year: year, plan: plan, fact: now, status: IndicatorStatus.of(plan, now), trend: trend)
            }
            return IndicatorReport(region: region, year: year, rows: rows, canEdit: reach.decides)
        }
    }
}

/// Numbers as people read them in plans and facts.
public enum PlanFormat {
    /// «15 %», «12,5 %».
    public static func percent(_ value: Double) -> String { number(value) + " %" }

    /// «5», «12,5»: a whole number without decimals, otherwise one.
    public static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10),\(abs(tenths % 10))"
    }
}

extension MEDKService {
    public var targetIndicators: TargetIndicators { TargetIndicators(service: self) }
}
