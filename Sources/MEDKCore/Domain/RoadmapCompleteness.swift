/// What a roadmap lacks before it goes to review, in two kinds.
///
/// **Blocking** is what monitoring cannot work without: a measure with no date can never be on
/// time or late, and one with nobody responsible has nobody to remind. A roadmap with such a
/// measure (or with none at all) cannot be sent.
///
/// **Findings** are FIOCO's criteria for a good roadmap — a task for every measure, an expected
/// result, an indicator with its planned value, a municipality's tracks and links to the regional
/// complex, a school's risk factors, a region's normative documents — and dates that have already
/// passed. A real roadmap, approved by an order, may miss some of them and still be what the
/// municipality or school committed to; so they are shown to the submitter before sending («send
/// anyway?»), to the reviewer beside the decision, and in the package's evaluation, but never wall
/// the roadmap off.
public struct RoadmapCheck: Sendable, Hashable, Codable {
    public var blocking: [String]
    public var findings: [String]

    public init(blocking: [String] = [], findings: [String] = []) {
        self.blocking = blocking
        self.findings = findings
    }

    public var isEmpty: Bool { blocking.isEmpty && findings.isEmpty }
    /// Both kinds, blocking first: for a package's evaluation, which weighs them all.
    public var all: [String] { blocking + findings }
}

/// FIOCO judges a roadmap by concrete measures with deadlines, responsible people, results and
/// indicators, and (for a municipality) the link to the regional plan; a region's roadmap (the
/// regional complex of measures) by measures with deadlines, responsible people, expected results
/// and the normative document each rests on, under their tasks. The system checks this itself,
/// before a roadmap goes to review and for whoever reviews it.
public enum RoadmapCompleteness {
    /// - Parameter today: the day in the owner's zone, when a date already past should be named: a
    ///   measure not yet committed whose date has passed is overdue the moment the roadmap is sent.
    public static func check(_ measures: [Measure], owner: OwnerLevel, today: CalendarDate? = nil) -> RoadmapCheck {
        guard !measures.isEmpty else { return RoadmapCheck(blocking: ["В дорожной карте нет ни одного мероприятия."]) }
        var check = RoadmapCheck()
        var past: [Measure] = []
        for measure in measures.sorted(by: { $0.position < $1.position }) {
            let label = "Мероприятие №\(measure.position) «\(measure.title)»"
            if measure.dueDate == nil {
                let written = (measure.deadlineText ?? "").isBlank ? "" : " (в таблице: «\(measure.deadlineText ?? "")»)"
                check.blocking.append("\(label): не указан срок\(written).")
            }
            if measure.responsible.isBlank { check.blocking.append("\(label): не указаны ответственные.") }
            if let today, let due = measure.dueDate, due < today, !measure.committed, measure.reportState != .confirmed {
                past.append(measure)
            }
            if measure.task.isBlank { check.findings.append("\(label): не указана задача.") }
            if measure.expectedResult.isBlank { check.findings.append("\(label): не указан ожидаемый результат.") }
            if owner != .region && (measure.indicator.isBlank || measure.plannedValue.isBlank) {
                check.findings.append("\(label): не указан показатель и его плановое значение.")
            }
            switch owner {
            case .municipality:
                if measure.track == nil { check.findings.append("\(label): не указано направление (трек).") }
                if measure.regionalMeasureID == nil && (measure.regionalMeasure ?? "").isBlank {
                    check.findings.append("\(label): нет связи с мероприятием региональной дорожной карты.")
                }
            case .school:
                if measure.riskFactorID == nil { check.findings.append("\(label): не указан фактор риска (антирисковая программа).") }
            case .region:
                if (measure.normativeDocument ?? "").isBlank {
                    check.findings.append("\(label): не указан нормативный документ, на котором основано мероприятие.")
                }
            }
        }
        if owner == .municipality {
            let tracks = Set(measures.compactMap(\.track))
            for track in MunicipalTrack.allCases where !tracks.contains(track) {
                check.findings.append("Нет мероприятий по направлению \(track.rawValue) «\(track.russianName)».")
            }
        }
        if !past.isEmpty {
            let named = past.prefix(5).map { "№\($0.position) «\($0.title)» — \($0.russianDueDate)" }.joined(separator: "; ")
            let more = past.count > 5 ? " и ещё \(past.count - 5)" : ""
            check.findings.append("""
                Срок уже прошёл у \(past.count) \(RussianPlural.word(past.count, "мероприятия", "мероприятий", "мероприятий")): \(named)\(more). \
                После отправки они сразу станут просроченными — если срок указан неверно, исправьте его.
                """)
        }
        return check
    }
}

extension String {
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
