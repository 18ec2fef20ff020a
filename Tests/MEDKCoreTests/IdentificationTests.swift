import Foundation
import MEDKCore
import Testing

/// Identification of low-results schools and schools in hard social conditions (seed 000 §3–4).
@Suite("Identification of schools from results and social context")
struct IdentificationTests {
    /// One component, one indicator: the numbers are easy to follow.
    static let simple = IdentificationMethod(
        components: [ResultComponent(.oge, .mathematics)], social: [SocialComponent("Доля из неполных семей")],
        windowYears: 1, minimumParticipants: 15, resultsCut: .median, socialCut: .median, withinToBetweenRatio: 3)

    static func school(_ code: String, mean: Double, hardShare: Double, participants: Int = 400, year: Int = 2026) -> SchoolResultsInput {
        SchoolResultsInput(schoolCode: code, results: [ComponentResult(ComponentKey(exam: .oge, subject: .mathematics), year: year,
                                                                       mean: mean, participants: participants)],
                           social: ["Доля из неполных семей": hardShare])
    }

    static let region = [
        school("A", mean: 4.6, hardShare: 0.10), school("B", mean: 3.1, hardShare: 0.12),
        school("C", mean: 3.0, hardShare: 0.60), school("D", mean: 4.5, hardShare: 0.55),
        school("E", mean: 3.9, hardShare: 0.30),
    ]

    static func groups(_ run: IdentificationRun) -> [String: SchoolGroup] {
        Dictionary(uniqueKeysWithValues: run.placements.compactMap { placement in placement.group.map { (placement.schoolCode, $0) } })
    }

    @Test("a school with high results in hard conditions is resilient; low results in favourable conditions is struggling")
    func quadrants() {
        let groups = Self.groups(Identification.run(Self.simple, year: 2026, schools: Self.region))
        #expect(groups["A"] == .effective)
        #expect(groups["B"] == .struggling)
        #expect(groups["C"] == .deprived)
        #expect(groups["D"] == .resilient)
        #expect(SchoolGroup.resilient.russianName == "Резильентные")
    }

    @Test("moving a cut point moves exactly the schools between the old and the new one")
    func movingCut() {
        var method = Self.simple
        let before = Identification.run(method, year: 2026, schools: Self.region)
        let old = try! #require(before.resultsCut)
        method.resultsCut = .value(old + 0.5)
        let after = Identification.run(method, year: 2026, schools: Self.region)
        let moved = Set(zip(before.placements, after.placements).filter { $0.group != $1.group }.map(\.0.schoolCode))
        let between = Set(before.placements.filter { ($0.resultsIndex ?? -99) >= old && ($0.resultsIndex ?? -99) < old + 0.5 }.map(\.schoolCode))
        #expect(moved == between && !moved.isEmpty)
    }

    @Test("a school with 12 participants is not placed; one of 20 near the cut is placed without certainty")
    func smallSchools() {
        let schools = Self.region + [Self.school("F", mean: 3.8, hardShare: 0.3, participants: 12),
                                     Self.school("G", mean: 3.85, hardShare: 0.3, participants: 20)]
        let run = Identification.run(Self.simple, year: 2026, schools: schools)
        let f = try! #require(run.placements.first { $0.schoolCode == "F" })
        #expect(f.group == nil && f.resultsIndex == nil, "«недостаточно данных»")
        let g = try! #require(run.placements.first { $0.schoolCode == "G" })
        #expect(g.group != nil && g.uncertain, "3 / √20 ≈ 0.67 standard deviations of noise: the median is within reach")
        let a = try! #require(run.placements.first { $0.schoolCode == "A" })
        #expect(!a.uncertain, "a large school far from the cut is placed with certainty")
    }

    @Test("an approved list is reproduced bit for bit from its method and data, whatever order the schools come in")
    func reproducible() throws {
        let first = Identification.run(.seed000, year: 2026, schools: Self.region)
        let again = Identification.run(.seed000, year: 2026, schools: Self.region.reversed())
        #expect(try first.contentHash() == again.contentHash())
        var changed = IdentificationMethod.seed000
        changed.minimumParticipants += 1
        #expect(try Identification.run(changed, year: 2026, schools: Self.region).contentHash() != first.contentHash(),
                "the list names its method: another method, another list")
    }

    @Test("a school enters when low in two of the last three years and leaves after two years above the cut with a positive dynamic")
    func entryAndExit() {
        func placed(_ index: Double?, low: Bool) -> Placement? {
            index.map { Placement(schoolCode: "S", resultsIndex: $0, socialIndex: 0, group: low ? .struggling : .effective,
                                  resultsNoise: 0.1, uncertain: false, participants: 100) }
        }
        let rules = ProgrammeRules.standard
        #expect(rules.decide([placed(-1, low: true), placed(0.2, low: false), placed(-0.9, low: true)], inProgramme: false) == .enters)
        #expect(rules.decide([placed(0.3, low: false), placed(0.2, low: false), placed(-0.9, low: true)], inProgramme: false) == .outside,
                "one bad year is not enough")
        #expect(rules.decide([nil, nil, placed(-0.9, low: true)], inProgramme: false) == .insufficientData)
        #expect(rules.decide([placed(-1, low: true), placed(0.1, low: false), placed(0.3, low: false)], inProgramme: true) == .leaves)
        #expect(rules.decide([placed(-1, low: true), placed(0.4, low: false), placed(0.3, low: false)], inProgramme: true) == .stays,
                "above the cut but falling: stays")
        #expect(rules.decide([placed(0.2, low: false), placed(-0.5, low: true), placed(0.3, low: false)], inProgramme: true) == .stays)
    }

    @Test("seed 000's method uses ЕГЭ, ОГЭ and ВПР in Russian and mathematics over three years, each standardised within the year")
    func seedMethod() {
        let method = IdentificationMethod.seed000
        #expect(method.components.count == 6 && method.windowYears == 3)
        // Two years of the same school: a region-wide rise in one year does not lift anyone's index.
        let key = ComponentKey(exam: .ege, subject: .russian)
        let schools = (0..<4).map { index in
            SchoolResultsInput(schoolCode: "S\(index)", results: [
                ComponentResult(key, year: 2025, mean: 60 + Double(index), participants: 50),
                ComponentResult(key, year: 2026, mean: 70 + Double(index), participants: 50),
            ], social: [method.social[0].name: Double(index) / 10])
        }
        let run = Identification.run(method, year: 2026, schools: schools)
        let indices = run.placements.compactMap(\.resultsIndex)
        #expect(indices.count == 4 && abs(indices.reduce(0, +)) < 1e-9, "standardised per year: the region's mean is 0 every year")
    }
}
