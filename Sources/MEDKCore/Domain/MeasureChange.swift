import Foundation

/// A field of a measure a person can change, as the history names it.
public enum MeasureField: String, Codable, Sendable, CaseIterable {
    case task
    case title
    case dueDate = "due_date"
    case responsible
    case expectedResult = "expected_result"
    case indicator
    case plannedValue = "planned_value"
    case riskFactor = "risk_factor"
    case track
    case regionalMeasure = "regional_measure"
    case stage
    case normativeDocument = "normative_document"

    /// The field's name as the measure's form labels it.
    public var russianName: String {
        switch self {
        case .task: "Задача"
        case .title: "Мероприятие"
        case .dueDate: "Срок"
        case .responsible: "Ответственный"
        case .expectedResult: "Ожидаемый результат"
        case .indicator: "Показатель"
        case .plannedValue: "Плановое значение"
        case .riskFactor: "Фактор риска"
        case .track: "Направление"
        case .regionalMeasure: "Региональное мероприятие"
        case .stage: "Этап"
        case .normativeDocument: "Нормативный документ"
        }
    }
}

/// One field of a measure changed from one value to another, both as a person reads them
/// (a date as «30.01.2027», a risk factor as «2. Дефицит педагогических кадров»).
public struct MeasureFieldChange: Codable, Sendable, Hashable {
    public var field: MeasureField
    public var old: String
    public var new: String

    public init(field: MeasureField, old: String, new: String) {
        self.field = field
        self.old = old
        self.new = new
    }

    /// «Срок: 30.01.2026 → 30.01.2027»; an empty side reads «не указано».
    public var russian: String {
        "\(field.russianName): \(old.isEmpty ? "не указано" : "«\(old)»") → \(new.isEmpty ? "не указано" : "«\(new)»")"
    }
}

/// What changed between two states of a measure, kept in the audit record of the change so that
/// the history (and a reviewer looking at a resubmitted roadmap) says which field went from what
/// to what, like the journals of OpenProject or Redmine.
public enum MeasureChanges {
    /// Longest value kept for one side of a change; measures' fields are at most 2 000 characters.
    static let maximumValueLength = 2_000

    /// The fields that differ, in the form's order. `riskFactorName` reads a factor's id as a person does.
    public static func between(_ old: Measure, _ new: Measure, riskFactorName: (Int64?) -> String) -> [MeasureFieldChange] {
        func value(_ measure: Measure, _ field: MeasureField) -> String {
            switch field {
            case .task: measure.task
            case .title: measure.title
            case .dueDate: measure.dueDate?.russian ?? ""
            case .responsible: measure.responsible
            case .expectedResult: measure.expectedResult
            case .indicator: measure.indicator
            case .plannedValue: measure.plannedValue
            case .riskFactor: riskFactorName(measure.riskFactorID)
            case .track: measure.track?.russianName ?? ""
            case .regionalMeasure: measure.regionalMeasureTitle ?? measure.regionalMeasure ?? ""
            case .stage: measure.stage ?? ""
            case .normativeDocument: measure.normativeDocument ?? ""
            }
        }
        return MeasureField.allCases.compactMap { field in
            let before = value(old, field), after = value(new, field)
            return before == after ? nil : MeasureFieldChange(field: field, old: before, new: after)
        }
    }

    /// The audit details that hold the changes: `changed` lists the fields, `<field>.old` and
    /// `<field>.new` their values.
    public static func details(_ changes: [MeasureFieldChange]) -> [String: String] {
        guard !changes.isEmpty else { return [:] }
        var details = ["changed": changes.map(\.field.rawValue).joined(separator: ",")]
        for change in changes {
            details["\(change.field.rawValue).old"] = String(change.old.prefix(maximumValueLength))
            details["\(change.field.rawValue).new"] = String(change.new.prefix(maximumValueLength))
        }
        return details
    }

    /// The changes an audit record holds; none for records written before changes were kept.
    public static func parse(_ details: [String: String]) -> [MeasureFieldChange] {
        guard let changed = details["changed"] else { return [] }
        return changed.split(separator: ",").compactMap { name in
            guard let field = MeasureField(rawValue: String(name)) else { return nil }
            return MeasureFieldChange(field: field, old: details["\(name).old"] ?? "", new: details["\(name).new"] ?? "")
        }
    }
}
