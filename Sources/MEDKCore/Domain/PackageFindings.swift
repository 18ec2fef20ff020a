import Foundation

/// What the system can judge of FIOCO's positions from a municipal package itself: the documents
/// present and confirmed, and the roadmap's measures. Pure, so each rule is tested on its own.
/// Where the answer is in the text of a document (the specifics, how they are taken into account),
/// it shows what it saw and leaves the verdict to the evaluator.
public enum PackageFindings {
    /// - Parameter documents: the package's own items by kind.
    /// - Parameter measures: the municipal roadmap's measures, nil when there is no roadmap.
    public static func judge(documents: [ItemKind: [ItemSummary]], measures: [Measure]?) -> [PositionFinding] {
        let notes = documents[.analyticalNote] ?? []
        let decisions = (documents[.order] ?? []) + (documents[.meetingProtocol] ?? [])
        let measures = measures ?? []
        return [
            PositionFinding(position: .specifics, met: notes.isEmpty ? false : nil,
                            evidence: notes.isEmpty ? ["Аналитической справки нет."] : notes.map(describe)),
            PositionFinding(position: .concreteMeasures, met: measures.isEmpty && decisions.isEmpty ? false : nil,
                            evidence: ["Мероприятий в дорожной карте: \(measures.count)."]
                                + (decisions.isEmpty ? ["Приказов и протоколов нет."] : decisions.map(describe))),
            PositionFinding(position: .specificsConsidered, met: nil,
                            evidence: ["Как меры учитывают специфику, видно из аналитической справки и дорожной карты."]),
            deadlines(measures),
            tracks(measures),
            regionalComplex(measures, agreements: documents[.agreement] ?? []),
            supportingDocuments(documents),
        ]
    }

    static func deadlines(_ measures: [Measure]) -> PositionFinding {
        guard !measures.isEmpty else {
            return PositionFinding(position: .deadlines, met: false, evidence: ["В дорожной карте нет мероприятий."])
        }
        let undated = measures.filter { $0.dueDate == nil }
        var evidence = ["Со сроком: \(measures.count - undated.count) из \(measures.count)."]
        // Occurrences of one row share a title: each row is named once.
        let rows = distinct(undated)
        evidence += rows.prefix(5).map { "Без срока: «\($0.title)»" + ($0.deadlineText.map { " (в таблице: «\($0)»)" } ?? "") + "." }
        if rows.count > 5 { evidence.append("И ещё без срока: \(rows.count - 5).") }
        return PositionFinding(position: .deadlines, met: undated.isEmpty, evidence: evidence)
    }

    static func tracks(_ measures: [Measure]) -> PositionFinding {
        let evidence = MunicipalTrack.allCases.map { track in
            "Трек \(track.rawValue) «\(track.russianName)»: мероприятий \(measures.filter { $0.track == track }.count)."
        }
        let covered = Set(measures.compactMap(\.track))
        return PositionFinding(position: .tracks, met: covered.count == MunicipalTrack.allCases.count, evidence: evidence)
    }

    /// A measure implements the regional complex by reference to a measure of the region's confirmed
    /// roadmap (the system can tell), or names one in words (whether it matches is the evaluator's
    /// call), or names none. Met when every measure links by reference; not met when any names none.
    static func regionalComplex(_ measures: [Measure], agreements: [ItemSummary]) -> PositionFinding {
        let referenced = measures.filter { $0.regionalMeasureID != nil }
        let inWords = measures.filter { $0.regionalMeasureID == nil && !($0.regionalMeasure ?? "").allSatisfy(\.isWhitespace) }
        let unlinked = measures.filter { $0.regionalMeasureID == nil && ($0.regionalMeasure ?? "").allSatisfy(\.isWhitespace) }
        var evidence = ["Мероприятий со ссылкой на мероприятие региональной дорожной карты: \(referenced.count) из \(measures.count)."]
        if !inWords.isEmpty { evidence.append("Региональная мера названа только словами: \(inWords.count).") }
        let rows = distinct(unlinked)
        evidence += rows.prefix(5).map { "Без ссылки: «\($0.title)»." }
        if rows.count > 5 { evidence.append("И ещё без ссылки: \(rows.count - 5).") }
        evidence += agreements.isEmpty ? ["Соглашений о сотрудничестве нет."] : agreements.map(describe)
        let met: Bool? = measures.isEmpty || !unlinked.isEmpty ? false : (inWords.isEmpty ? true : nil)
        return PositionFinding(position: .regionalComplex, met: met, evidence: evidence)
    }

    /// Each kind FIOCO lists must be present and confirmed: a note, the plan, an order or a protocol, an agreement.
    static func supportingDocuments(_ documents: [ItemKind: [ItemSummary]]) -> PositionFinding {
        let kinds: [(String, [ItemKind])] = [("Аналитическая справка", [.analyticalNote]), ("План мероприятий (дорожная карта)", [.roadmap]),
                                             ("Приказ, распоряжение или протокол", [.order, .meetingProtocol]),
                                             ("Соглашение о сотрудничестве", [.agreement])]
        var met = true
        let evidence = kinds.map { name, ofKinds in
            let items = ofKinds.flatMap { documents[$0] ?? [] }
            let confirmed = items.filter { $0.state == .confirmed }.count
            if confirmed == 0 { met = false }
            if items.isEmpty { return "\(name): нет." }
            return "\(name): \(items.count), подтверждено \(confirmed)."
        }
        return PositionFinding(position: .supportingDocuments, met: met, evidence: evidence)
    }

    /// One measure per title, in order: a series' occurrences are one row of the table.
    private static func distinct(_ measures: [Measure]) -> [Measure] {
        var seen: Set<String> = []
        return measures.filter { seen.insert($0.title).inserted }
    }

    private static func describe(_ item: ItemSummary) -> String {
        "\(item.kindName) «\(item.title)» — \(item.stateName)" + (item.latestVersion == nil && item.kind != .roadmap ? ", файла нет." : ".")
    }
}
