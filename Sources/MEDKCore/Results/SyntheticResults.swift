import Foundation

/// Results and social-context data with the spread and correlation real regions show, for the demo,
/// generated datasets and benchmarks: each school has a stable «quality» and a social context; the
/// context explains part of the results (about −0.5 correlation between hardship and results), small
/// schools swing more from year to year, every year adds its own regional shift, and a school's
/// quality drifts (some improve over the years, some decline), so lists change as real ones do.
public enum SyntheticResults {
    /// The typical school mean and the spread between schools, per exam (points on its own scale).
    static let scales: [ExamKind: (mean: Double, spread: Double)] = [.ege: (62, 8), .oge: (3.7, 0.35), .vpr4: (3.9, 0.3)]

    /// - Parameter struggling: indices of schools made low-results schools in hard conditions (the
    ///   programme schools of a demo region).
    public static func schools(count: Int, years: ClosedRange<Int>, seed: UInt64, method: IdentificationMethod = .seed000,
                               struggling: Set<Int> = []) -> [SchoolResultsInput] {
        (0..<count).map { index in
            var random = SeededRandom(seed: seed, stream: UInt64(index))
            let low = struggling.contains(index)
            let hardship = low ? 0.8 + abs(normal(&random)) * 0.6 : normal(&random)
            let base = low ? -1.3 + 0.3 * normal(&random) : -0.5 * hardship + 0.85 * normal(&random)
            let drift = 0.2 * normal(&random)
            // Rural schools of a dozen graduates next to city schools of two hundred.
            let size = Int(exp(Double.random(in: log(8)...log(220), using: &random)).rounded())
            var results: [ComponentResult] = []
            for year in years {
                let shift = normal(&random) * 0.1
                let quality = base + drift * Double(year - years.lowerBound)
                for component in method.components {
                    let scale = scales[component.exam] ?? (mean: 50, spread: 10)
                    let participants = max(1, component.exam == .ege ? size / 2 : size)
                    let noise = normal(&random) * 3 / Double(participants).squareRoot()
                    results.append(ComponentResult(component.key, year: year,
                                                   mean: scale.mean + scale.spread * (quality + shift + noise), participants: participants))
                }
            }
            var social: [String: Double] = [:]
            for (position, component) in method.social.enumerated() {
                let base = [0.35, 0.25, 0.03, 0.05][position % 4]
                social[component.name] = min(1, max(0, base * exp(0.45 * hardship + 0.2 * normal(&random))))
            }
            return SchoolResultsInput(schoolCode: String(format: "%06d", index), results: results, social: social)
        }
    }

    /// A standard normal value (Box–Muller).
    static func normal(_ random: inout SeededRandom) -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &random), v = Double.random(in: 0..<1, using: &random)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

extension SyntheticResults {
    /// The same data as the two files a region loads (components and social context, Russian
    /// headings, decimal commas), for the given school codes; schools in `struggling` get low
    /// results and hard conditions, as programme schools have.
    public static func files(codes: [String], years: ClosedRange<Int>, seed: UInt64, struggling: Set<String> = [],
                             method: IdentificationMethod = .seed000) -> (components: String, social: String) {
        let generated = schools(count: codes.count, years: years, seed: seed, method: method,
                                struggling: Set(codes.indices.filter { struggling.contains(codes[$0]) }))
        var components = ["Код школы;Год;Экзамен;Предмет;Средний балл;Участников"]
        var social = ["Код школы;Год;Показатель;Значение"]
        func decimal(_ value: Double, _ places: Int) -> String {
            String(format: "%.\(places)f", value).replacingOccurrences(of: ".", with: ",")
        }
        for (code, school) in zip(codes, generated) {
            for result in school.results {
                let mean = result.mean
                components.append("\(code);\(result.year);\(result.key.exam.russianName);\(result.key.subject.russianName);"
                                  + "\(decimal(mean, result.key.exam == .ege ? 1 : 2));\(result.participants)")
            }
            // The social context is measured once, in the first year.
            for (name, value) in school.social.sorted(by: { $0.key < $1.key }) {
                social.append("\(code);\(years.lowerBound);\(name);\(decimal(value, 3))")
            }
        }
        return (components.joined(separator: "\r\n") + "\r\n", social.joined(separator: "\r\n") + "\r\n")
    }
}
