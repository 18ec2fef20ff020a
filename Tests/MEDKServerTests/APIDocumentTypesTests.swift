import Foundation
import MEDKAPI
import MEDKCore
import Testing
import Yams

/// The request bodies (and the small response shapes) are Swift types in MEDKAPI, used by the
/// server, the CLI and these tests; the document is written by hand. These tests hold the two to
/// each other, field by field, so that neither can drift: every field a type sends is documented,
/// every documented field is one the type has, what the document requires the type always sends,
/// an optional field may be null (the server reads null as absent), and every enumeration lists
/// the same values as its Swift type.
@Suite("the API's body types and docs/openapi.yaml describe the same JSON")
struct APIDocumentTypesTests {
    /// Read once and never written: YAML's dictionaries are not Sendable, but nothing mutates them.
    nonisolated(unsafe) static let schemas: [String: Any] = {
        let text = try! String(contentsOf: OpenAPIConformanceTests.documentURL, encoding: .utf8)
        let document = try! Yams.load(yaml: text) as! [String: Any]
        return (document["components"] as! [String: Any])["schemas"] as! [String: Any]
    }()

    struct Mismatch: CustomStringConvertible {
        var path: String
        var problem: String
        var description: String { "\(path): \(problem)" }
    }

    /// A schema with its `$ref`s followed and `allOf` merged; `anyOf` with a null branch is the
    /// non-null branch, marked nullable.
    static func resolve(_ schema: Any) -> (schema: [String: Any], nullable: Bool) {
        var node = schema as! [String: Any]
        var nullable = false
        if let types = node["type"] as? [String] { nullable = types.contains("null") }
        if let branches = node["anyOf"] as? [[String: Any]] {
            let nonNull = branches.filter { ($0["type"] as? String) != "null" }
            nullable = nullable || nonNull.count < branches.count
            if nonNull.count == 1 { node = resolve(nonNull[0]).schema }
        }
        if let all = node["allOf"] as? [Any] {
            for part in all {
                let resolved = resolve(part).schema
                if resolved["not"] == nil { node.merge(resolved) { current, _ in current } }
            }
        }
        if let reference = node["$ref"] as? String {
            let name = String(reference.split(separator: "/").last!)
            node = resolve(schemas[name]!).schema
        }
        return (node, nullable)
    }

    static func json(_ value: some Encodable) throws -> Any {
        try JSONSerialization.jsonObject(with: try APIJSONCoding.encoder().encode(value), options: [.fragmentsAllowed])
    }

    /// Compares one JSON value with its schema. `complete` says the value has every optional field
    /// set, so a documented field it lacks is one the type does not have; `isRequest`, that an
    /// optional field must also accept null (responses leave such fields out instead).
    static func compare(_ value: Any, _ schemaNode: Any, at path: String, complete: Bool, isRequest: Bool = true) -> [Mismatch] {
        let schema = resolve(schemaNode).schema
        if let object = value as? [String: Any] {
            // A map (`additionalProperties`): every value is held to the values' schema.
            if schema["properties"] == nil, let values = schema["additionalProperties"], !(values is Bool) {
                return object.flatMap { compare($0.value, values, at: "\(path).\($0.key)", complete: complete, isRequest: isRequest) }
            }
            guard let properties = schema["properties"] as? [String: Any] else {
                return [Mismatch(path: path, problem: "the type sends an object, the document describes \(schema["type"] ?? "?")")]
            }
            let required = Set(schema["required"] as? [String] ?? [])
            var found: [Mismatch] = []
            for key in Set(object.keys).subtracting(properties.keys).sorted() {
                found.append(Mismatch(path: path, problem: "the type sends «\(key)», which the document does not describe"))
            }
            for key in required.subtracting(object.keys).sorted() {
                found.append(Mismatch(path: path, problem: "the document requires «\(key)», which the type may leave out"))
            }
            for key in Set(properties.keys).subtracting(required).sorted() {
                if isRequest && !resolve(properties[key]!).nullable {
                    found.append(Mismatch(path: path, problem: "optional «\(key)» must accept null (the server reads null as absent)"))
                }
                if complete && object[key] == nil {
                    found.append(Mismatch(path: path, problem: "the document describes «\(key)», which the type does not send"))
                }
            }
            for (key, nested) in object where properties[key] != nil {
                found += compare(nested, properties[key]!, at: "\(path).\(key)", complete: complete, isRequest: isRequest)
            }
            return found
        }
        if let array = value as? [Any] {
            guard let items = schema["items"] else { return [Mismatch(path: path, problem: "the type sends an array, the document does not")] }
            return array.enumerated().flatMap { compare($1, items, at: "\(path)[\($0)]", complete: complete, isRequest: isRequest) }
        }
        return []
    }

    /// Checks a type against its schema with a value that sets every field and one that sets only
    /// what it must.
    static func check(_ name: String, complete: some Encodable, minimal: some Encodable, isRequest: Bool = true,
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let schema = try #require(schemas[name], "no schema \(name)", sourceLocation: sourceLocation)
        let mismatches = compare(try json(complete), schema, at: name, complete: true, isRequest: isRequest)
            + compare(try json(minimal), schema, at: name, complete: false, isRequest: isRequest)
        #expect(mismatches.isEmpty, "\(mismatches.map(\.description).joined(separator: "\n"))", sourceLocation: sourceLocation)
    }

    static let measure = MeasureInput(task: "Повысить квалификацию", title: "Курсы", dueDate: CalendarDate("2026-10-31")!,
                                      responsible: "Завуч", expectedResult: "Все прошли", indicator: "Доля", plannedValue: "100 %",
                                      riskFactorNumber: 3, track: .addressSupport, regionalMeasure: "1.2", regionalMeasureID: 9,
                                      stage: "Этап 1", normativeDocument: "Приказ")

    @Test("every request body the server reads is the one the document describes")
    func requestBodies() throws {
        try Self.check("LoginRequest", complete: LoginRequest(login: "a", password: "b", deviceToken: "medkd_x"),
                       minimal: LoginRequest(login: "a", password: "b"))
        try Self.check("CommentRequest", complete: CommentRequest(text: "Уточните"), minimal: CommentRequest(text: "Уточните"))
        try Self.check("TransitionRequest",
                       complete: TransitionRequest(action: .submit, expectedState: .draft, expectedRevision: 2, comment: "Готово",
                                                   acceptFindings: true, remarks: ["Нет подписи"], keepOpen: [3]),
                       minimal: TransitionRequest(action: .submit, expectedState: .draft))
        try Self.check("RemarkAnswersRequest",
                       complete: RemarkAnswersRequest(answers: [RemarkAnswerInput(remarkID: 1, answer: .declined, text: "Нельзя")],
                                                      expectedRevision: 4),
                       minimal: RemarkAnswersRequest(answers: [RemarkAnswerInput(remarkID: 1, answer: .done)]))
        try Self.check("UserEdit",
                       complete: UserEdit(fullName: "Иванова", email: "", active: false, addRoles: [RoleChange(role: .curator, scope: "75")],
                                          removeRoles: [RoleChange(role: .municipal, scope: "M1")]),
                       minimal: UserEdit())
        try Self.check("NewItem",
                       complete: NewItem(campaignID: 1, kind: .antiriskProgramme, schoolID: 2, municipalityID: 3, regionID: 5, riskFactorID: 4, title: "П"),
                       minimal: NewItem(campaignID: 1, kind: .order))
        let entry = RiskProfileInput(number: 2, significance: .high, chosen: true)
        try Self.check("RiskProfileRequest", complete: RiskProfileRequest(entries: [entry], expectedRevision: 1),
                       minimal: RiskProfileRequest(entries: [entry]))
        var bare = Self.measure
        (bare.riskFactorNumber, bare.track, bare.regionalMeasure) = (nil, nil, nil)
        try Self.check("MeasureRequest", complete: MeasureRequest(measure: Self.measure, expectedRevision: 3),
                       minimal: MeasureRequest(measure: bare))
        try Self.check("MeasureReportRequest", complete: MeasureReportRequest(actualValue: "4", expectedRevision: 1),
                       minimal: MeasureReportRequest())
        try Self.check("CuratorAssignmentRequest",
                       complete: CuratorAssignmentRequest(campaignCode: "500plus-2026", schoolCode: "750010001", curatorLogin: "curator-ivanova"),
                       minimal: CuratorAssignmentRequest(campaignCode: "500plus-2026", schoolCode: "750010001", curatorLogin: "curator-ivanova"))
        try Self.check("MailSettings", complete: MailSettingsBody(email: "team@school.example.ru", enabledKinds: [.measureDue], digestWeekday: 1),
                       minimal: MailSettingsBody(email: nil, enabledKinds: [], digestWeekday: 7))
        let reminders = ReminderSettingsRequest(daysBefore: [14, 3, 1], reviewWorkingDays: 5, escalationDays: [3, 10, 20])
        try Self.check("ReminderSettingsRequest", complete: reminders, minimal: reminders)
        let shift = MilestoneShiftRequest(campaignCode: "500plus-2026", kind: .finalReport, regionCode: "75", dueDate: CalendarDate("2026-12-25")!)
        try Self.check("MilestoneShiftRequest", complete: MilestoneShiftRequest(campaignCode: "500plus-2026", kind: .finalReport, regionCode: "75",
                                                                            dueDate: CalendarDate("2026-12-25")!, reason: "Продлено приказом"),
                       minimal: shift)
        var method = IdentificationMethod.seed000
        method.resultsCut = .value(-0.5)
        try Self.check("IdentificationDraftRequest",
                       complete: IdentificationDraftRequest(year: 2026, objectionsUntil: CalendarDate("2026-12-20")!, method: method,
                                                            rules: .standard, replaceDraft: true),
                       minimal: IdentificationDraftRequest(year: 2026, objectionsUntil: CalendarDate("2026-12-20")!))
        let flags = ProgrammeFlags(lowResults: true, hardSocialConditions: false)
        try Self.check("ObjectionRequest", complete: ObjectionRequest(schoolCode: "750010001", wanted: flags, reason: "Рост случаен"),
                       minimal: ObjectionRequest(schoolCode: "750010001", wanted: flags, reason: "Рост случаен"))
        try Self.check("ObjectionDecisionRequest", complete: ObjectionDecisionRequest(accept: false, comment: "Данные трёх лет"),
                       minimal: ObjectionDecisionRequest(accept: true))
        let plan = try #require(PlanWording.read("не менее 6 мероприятий в год"))
        try Self.check("IndicatorPlanRequest", complete: IndicatorPlanRequest(wording: "не менее 6 мероприятий в год", confirmed: plan),
                       minimal: IndicatorPlanRequest(wording: "не менее 6 в год"))
        try Self.check("IndicatorDefinitionRequest", complete: IndicatorDefinitionRequest(code: "2.3", title: "Наставничество"),
                       minimal: IndicatorDefinitionRequest(code: "2.3", title: "Наставничество"))
        try Self.check("IndicatorFactRequest", complete: IndicatorFactRequest(value: 64, comment: "Мониторинг", evidenceItemID: 7),
                       minimal: IndicatorFactRequest(value: 64, comment: "Мониторинг", evidenceItemID: 7))
        try Self.check("ListApprovalRequest", complete: ListApprovalRequest(closeObjectionsEarly: true), minimal: ListApprovalRequest())
        let scores = [PositionScore(position: .deadlines, score: 1, comment: "Нет сроков у двух мероприятий")]
        try Self.check("PackageEvaluationRequest", complete: PackageEvaluationRequest(scores: scores, expectedVersion: 2),
                       minimal: PackageEvaluationRequest(scores: scores))
    }

    @Test("the error, empty, health and remark answers are the ones the document describes")
    func smallResponses() throws {
        try Self.check("Error", complete: APIErrorBody(MEDKError.rejected("incomplete", "Не всё заполнено.", details: ["нет файла"],
                                                                         fields: ["title": "Не указано, что за мероприятие."])),
                       minimal: APIErrorBody(MEDKError.notVisible), isRequest: false)
        try Self.check("EmptyResponse", complete: EmptyResponse(), minimal: EmptyResponse(), isRequest: false)
        let reminders = ReminderSettingsBody(RegionReminderSettings(regionCode: "75", regionName: "Забайкальский край", settings: .standard, isDefault: true))
        try Self.check("ReminderSettings", complete: reminders, minimal: reminders, isRequest: false)
        try Self.check("HealthResponse", complete: HealthResponse(status: "ok"), minimal: HealthResponse(status: "ok"), isRequest: false)
        let at = Date(timeIntervalSince1970: 1_780_000_000)
        try Self.check("Remark", complete: Remark(id: 1, itemID: 2, text: "Нет подписи", returnedAt: at, returnedBy: "Куратор", answer: .declined,
                                                  answerText: "Нельзя", answeredAt: at, answeredBy: "Школа", closedAt: at),
                       minimal: Remark(id: 1, itemID: 2, text: "Нет подписи", returnedAt: at, returnedBy: "Куратор"), isRequest: false)
    }

    /// The values an enumeration schema lists.
    static func values(_ name: String) -> [String] {
        (resolve(schemas[name]!).schema["enum"] as! [Any]).map { "\($0)" }.sorted()
    }

    @Test("every enumeration in the document lists exactly the values of its Swift type")
    func enumerations() {
        func same<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, where include: (T) -> Bool = { _ in true },
                                                      sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(Self.values(name) == T.allCases.filter(include).map { "\($0.rawValue)" }.sorted(), "\(name)", sourceLocation: sourceLocation)
        }
        same("ReviewState", ReviewState.self)
        same("ReviewAction", ReviewAction.self)
        same("TransitionAction", ReviewAction.self, where: { $0 != .edit })
        same("ItemKind", ItemKind.self)
        same("Significance", Significance.self)
        same("MunicipalTrack", MunicipalTrack.self)
        same("Role", Role.self)
        same("OrganisationKind", OrganisationKind.self)
        same("MilestoneStatus", MilestoneStatus.self)
        same("AuditAction", AuditAction.self)
        same("AuditEntity", AuditEntity.self)
        same("OverdueSort", OverdueSort.self)
        same("ComplianceLevel", ComplianceLevel.self)
        same("EvaluationPosition", EvaluationPosition.self)
        same("MailKind", MailKind.self)
        same("RemarkAnswer", RemarkAnswer.self)
        same("ResultsFileKind", ResultsFileKind.self)
        same("ExamKind", ExamKind.self)
        same("ExamSubject", ExamSubject.self)
        same("Standardisation", Standardisation.self)
        same("CutPointKind", CutPoint.Kind.self)
        same("SchoolGroup", SchoolGroup.self)
        same("ProgrammeDecision", ProgrammeDecision.self)
        same("IdentificationListState", IdentificationListState.self)
        same("ObjectionState", ObjectionState.self)
        same("ListEntryFilter", ListEntryFilter.self)
        same("DynamicsChange", DynamicsChange.self)
        same("PlanKind", PlanKind.self)
        same("PlanDirection", PlanDirection.self)
        same("PlanPopulation", PlanPopulation.self)
        same("PlanPeriod", PlanPeriod.self)
        same("IndicatorSource", IndicatorSource.self)
        same("IndicatorStatus", IndicatorStatus.self)
        // A new item may be any kind the core creates directly; the document excludes the others.
        let kind = (Self.schemas["NewItem"] as! [String: Any])["properties"].flatMap { ($0 as! [String: Any])["kind"] } as! [String: Any]
        let excluded = (kind["allOf"] as! [[String: Any]]).compactMap { ($0["not"] as? [String: Any])?["const"] as? String }
        #expect(excluded == ItemKind.allCases.filter { !$0.isCreatedDirectly }.map(\.rawValue))
    }

    @Test("the check finds what it looks for: an undocumented field, a dropped field, a missing null")
    func checkerCatches() throws {
        struct Extra: Encodable { var text = "x"; var mood = "весело" }
        #expect(Self.compare(try Self.json(Extra()), Self.schemas["CommentRequest"]!, at: "CommentRequest", complete: true)
            .contains { $0.problem.contains("«mood»") })
        struct Short: Encodable { var actualValue = "4" }
        #expect(Self.compare(try Self.json(Short()), Self.schemas["MeasureReportRequest"]!, at: "MeasureReportRequest", complete: true)
            .contains { $0.problem.contains("«expectedRevision», which the type does not send") })
        let strict: [String: Any] = ["type": "object", "properties": ["a": ["type": "integer"]]]
        #expect(Self.compare(["a": 1], strict, at: "S", complete: true).contains { $0.problem.contains("must accept null") })
        #expect(Self.compare([String: Any](), ["type": "object", "required": ["a"], "properties": ["a": ["type": "integer"]]],
                             at: "S", complete: false).contains { $0.problem.contains("requires «a»") })
    }
}
