import Foundation

/// What a line of a document's history adds to its action, in words a person reads — the file and
/// version uploaded, the measure and each of its fields from what to what, the answer to a remark —
/// rather than the audit record's keys (`media_type`, `sha256`), which stay in the audit log.
public enum HistoryWords {
    public static func details(_ entry: HistoryEntry) -> String {
        let details = entry.details
        var parts: [String] = []
        switch entry.action {
        case .itemUpload:
            var upload = details["version"].map { "версия \($0)" } ?? "файл"
            if let name = details["file_name"] { upload += ", «\(name)»" }
            if let size = details["size"].flatMap(Int64.init) { upload += ", " + ByteSize.russian(size) }
            parts.append(upload)
        case .measureAdd, .measureUpdate, .measureRemove:
            if let title = details["title"] { parts.append("мероприятие «\(title)»") }
            let changes = MeasureChanges.parse(details)
            if entry.action == .measureAdd, let due = details["due_date"].flatMap({ CalendarDate($0) }) {
                parts.append("срок \(due.russian)")
            }
            parts += changes.map(\.russian)
        case .measureImport:
            if let name = details["file_name"] { parts.append("таблица «\(name)»") }
            if let count = details["measures"] { parts.append("добавлено мероприятий: \(count)") }
            if let replaced = details["replaced"], replaced != "0" { parts.append("заменено: \(replaced)") }
            if let undated = details["undated"], undated != "0" { parts.append("без срока: \(undated)") }
        case .measureReportValue:
            if let value = details["actual_value"] { parts.append("фактическое значение «\(value)»") }
        case .riskProfileUpdate:
            if let chosen = details["chosen"], !chosen.isEmpty {
                parts.append("выбраны факторы № " + chosen.split(separator: ",").joined(separator: ", "))
            }
        case .remarkAnswer:
            if let answer = details["answer"].flatMap(RemarkAnswer.init(rawValue:)) {
                parts.append("ответ: \(answer.russianName)" + (details["text"].map { " — \($0)" } ?? ""))
            }
        default:
            if let version = details["confirmed_version"] { parts.append("подтверждена версия \(version)") }
            if let count = details["remarks"], count != "0" { parts.append("замечаний: \(count)") }
            if let kept = details["kept_open"] {
                parts.append("оставлены открытыми замечания № " + kept.split(separator: ",").joined(separator: ", "))
            }
            if let findings = details["accepted_findings"] { parts.append("отправлено с замечаниями по критериям ФИОКО: \(findings)") }
            if let reason = details["reason"] { parts.append("причина: \(reason)") }
        }
        return parts.joined(separator: "; ")
    }
}
