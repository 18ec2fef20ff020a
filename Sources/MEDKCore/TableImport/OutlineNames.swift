import Foundation

/// Recognises a risk factor or a FIOCO track named in a table as people write them: by number
/// («Фактор 2.», «Трек 1», «2») or by name, in any case and word form («Дефицит педагогических
/// кадров», «Профилактика учебной неуспешности»). Pure, so the import's mapping is tested without
/// a database.
public enum OutlineNames {
    /// The factor a heading or a cell names: the number after «Фактор», or the one factor whose
    /// name the text repeats (most of its words, by stem); nil when none or several fit.
    public static func riskFactor(in text: String, catalogue: [Int: String]) -> Int? {
        let lower = normalised(text)
        if lower.hasPrefix("фактор") || lower.hasPrefix("рф") || Int(lower) != nil {
            if let number = leadingNumber(lower), catalogue[number] != nil { return number }
        }
        return bestName(lower, catalogue)
    }

    /// The track a heading or a cell names: «Трек 2», «2», or the track's name.
    public static func track(in text: String) -> MunicipalTrack? {
        let lower = normalised(text)
        if lower.hasPrefix("трек") || lower.hasPrefix("направление") || Int(lower) != nil {
            if let number = leadingNumber(lower), let track = MunicipalTrack(rawValue: number) { return track }
        }
        let names = Dictionary(uniqueKeysWithValues: MunicipalTrack.allCases.map { ($0.rawValue, $0.russianName) })
        return bestName(lower, names).flatMap(MunicipalTrack.init(rawValue:))
    }

    /// Whether a heading row names a risk factor by itself («Фактор 3. …», «Фактор риска: …»).
    static func namesRiskFactor(_ text: String) -> Bool {
        normalised(text).hasPrefix("фактор")
    }

    private static func normalised(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "ё", with: "е").trimmingCharacters(in: .whitespaces)
    }

    /// The first number of the text's first thirty characters: «фактор риска № 2. …» → 2.
    private static func leadingNumber(_ lower: String) -> Int? {
        let head = lower.prefix(30)
        guard let start = head.firstIndex(where: \.isNumber) else { return nil }
        return Int(head[start...].prefix(while: \.isNumber).prefix(3))
    }

    /// Word stems a name is recognised by: its words of four letters and more, cut to five letters,
    /// so «педагогических» and «педагогические» agree and «с», «и» count for nothing.
    static func stems(_ lower: String) -> Set<Substring> {
        Set(lower.split(whereSeparator: { !$0.isLetter }).filter { $0.count >= 4 }.map { $0.prefix(5) })
    }

    /// The one name of which at least three quarters of the stems are in the text; a tie is no answer.
    private static func bestName(_ lower: String, _ names: [Int: String]) -> Int? {
        let words = stems(lower)
        guard !words.isEmpty else { return nil }
        var best: (number: Int, score: Double)?
        var tied = false
        for (number, name) in names {
            let nameStems = stems(normalised(name))
            guard !nameStems.isEmpty else { continue }
            let score = Double(nameStems.intersection(words).count) / Double(nameStems.count)
            guard score >= 0.75 else { continue }
            if let current = best, abs(current.score - score) < 0.001 {
                tied = true
            } else if best == nil || score > best!.score {
                (best, tied) = ((number, score), false)
            }
        }
        return tied ? nil : best?.number
    }
}

/// What a roadmap's indicator cell says its target is, when the table has no column for it:
/// «Количество новостей на сайте — не менее 1 в месяц» → «не менее 1 в месяц».
public enum IndicatorTarget {
    /// Words that open a target, as whole words.
    static let openers = ["не менее", "не более", "не ниже", "не выше", "не реже", "не меньше", "не больше", "не хуже",
                          "менее", "более", "свыше", "до", "от", "≥", "≤", ">", "<"]

    /// The target in the indicator's text: from the first word that opens one, or the part after
    /// the last dash or colon when it holds a number, or the whole text when it holds a number or
    /// a percentage; nil when the text states no target («Проведён семинар»).
    public static func read(_ indicator: String) -> String? {
        let text = indicator.trimmingCharacters(in: .whitespaces)
        guard text.contains(where: \.isNumber) else { return nil }
        let lower = text.lowercased()
        var earliest: String.Index?
        for opener in openers {
            var searchStart = lower.startIndex
            while let range = lower.range(of: opener, range: searchStart..<lower.endIndex) {
                let before = range.lowerBound == lower.startIndex ? nil : lower[lower.index(before: range.lowerBound)]
                let after = range.upperBound == lower.endIndex ? nil : lower[range.upperBound]
                let isWord = opener.first!.isLetter
                    ? !(before?.isLetter ?? false) && !(after?.isLetter ?? false) : true
                // Only an opener a number soon follows: «доля от общего числа» opens nothing, «до 80 %» does.
                if isWord, lower[range.upperBound...].prefix(12).contains(where: \.isNumber) {
                    if earliest == nil || range.lowerBound < earliest! { earliest = range.lowerBound }
                    break
                }
                searchStart = range.upperBound
            }
        }
        if let earliest {
            let offset = lower.distance(from: lower.startIndex, to: earliest)
            return String(text.dropFirst(offset)).trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ".,;")))
        }
        for separator in [" — ", " – ", " - ", ":"] {
            if let range = text.range(of: separator, options: .backwards) {
                let tail = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
                if tail.contains(where: \.isNumber) { return tail }
            }
        }
        return text
    }
}
