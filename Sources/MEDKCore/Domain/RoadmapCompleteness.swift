/// FIOCO judges a roadmap by concrete measures with deadlines, responsible people,
/// results and indicators, and (for a municipality) the link to the regional plan; a region's
/// roadmap (the regional complex of measures) by measures with deadlines, responsible people,
/// expected results and the normative document each rests on, under their tasks. The system checks
/// this itself before a roadmap can go to review.
public enum RoadmapCompleteness {
    public static func problems(_ measures: [Measure], owner: OwnerLevel) -> [String] {
        guard !measures.isEmpty else { return ["В дорожной карте нет ни одного мероприятия."] }
        var problems: [String] = []
        for measure in measures.sorted(by: { $0.position < $1.position }) {
            let label = "Мероприятие №\(measure.position) «\(measure.title)»"
            if measure.dueDate == nil {
                let written = (measure.deadlineText ?? "").isBlank ? "" : " (в таблице: «\(measure.deadlineText ?? "")»)"
                problems.append("\(label): не указан срок\(written).")
            }
            if measure.task.isBlank { problems.append("\(label): не указана задача.") }
            if measure.responsible.isBlank { problems.append("\(label): не указаны ответственные.") }
            if measure.expectedResult.isBlank { problems.append("\(label): не указан ожидаемый результат.") }
            if owner != .region && (measure.indicator.isBlank || measure.plannedValue.isBlank) {
                problems.append("\(label): не указан показатель и его плановое значение.")
            }
            switch owner {
            case .municipality:
                if measure.track == nil { problems.append("\(label): не указано направление (трек).") }
                if measure.regionalMeasureID == nil && (measure.regionalMeasure ?? "").isBlank {
                    problems.append("\(label): нет связи с мероприятием региональной дорожной карты.")
                }
            case .school:
                if measure.riskFactorID == nil { problems.append("\(label): не указан фактор риска (антирисковая программа).") }
            case .region:
                if (measure.normativeDocument ?? "").isBlank {
                    problems.append("\(label): не указан нормативный документ, на котором основано мероприятие.")
                }
            }
        }
        if owner == .municipality {
            let tracks = Set(measures.compactMap(\.track))
            for track in MunicipalTrack.allCases where !tracks.contains(track) {
                problems.append("Нет мероприятий по направлению \(track.rawValue) «\(track.russianName)».")
            }
        }
        return problems
    }
}

extension String {
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
