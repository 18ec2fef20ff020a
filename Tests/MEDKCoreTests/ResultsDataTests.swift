import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Results data loaded and identified")
struct ResultsDataTests {
    static let components = """
        Код школы;Год;Экзамен;Предмет;Средний балл;Участников
        A;2026;ОГЭ;Математика;4,6;120
        B;2026;ОГЭ;математика;3,1;80
        C;2026;ОГЭ;математика;3,0;90
        D;2026;ОГЭ;математика;4,5;60
        """
    static let social = """
        Код школы;Год;Показатель;Значение
        A;2026;Доля из неполных семей;0,10
        B;2026;Доля из неполных семей;0,12
        C;2026;Доля из неполных семей;0,60
        D;2026;Доля из неполных семей;0,55
        """

    @Test("a region's results and social data load as Russian tables write them, whole or not at all, and identify its schools")
    func loadAndIdentify() async throws {
        let world = try await TestWorld()
        let data = world.service.resultsData
        let checked = try await data.importFile(.components, text: Self.components, fileName: "огэ.csv", dryRun: true, by: .local)
        #expect(checked.created == 4)
        let bad = await #expect(throws: MEDKError.self) {
            try await data.importFile(.components, text: Self.components + "\nZ;2026;ОГЭ;математика;4;10\nA;26;ОГЭ;математика;4;10",
                                      fileName: "огэ.csv", dryRun: false, by: .local)
        }
        #expect(bad?.details.map { String($0.prefix(9)) } == ["строка 6:", "строка 7:"])
        _ = try await data.importFile(.components, text: Self.components, fileName: "огэ.csv", dryRun: false, by: .local)
        _ = try await data.importFile(.social, text: Self.social, fileName: "контекст.csv", dryRun: false, by: .local)
        let again = try await data.importFile(.components, text: Self.components.replacingOccurrences(of: "4,6;120", with: "4,7;120"),
                                              fileName: "огэ.csv", dryRun: false, by: .local)
        #expect(again.updated == 1 && again.unchanged == 3, "a correction changes only what it corrects")
        #expect(try await world.auditTrail().filter { $0.action == .resultsImport }.count == 3)

        var method = IdentificationMethod.seed000
        method.components = [ResultComponent(.oge, .mathematics)]
        method.social = [SocialComponent("Доля из неполных семей")]
        method.windowYears = 1
        method.resultsCut = .median
        method.socialCut = .median
        let run = try await data.identify(regionCode: "R1", year: 2026, method: method, by: .local)
        let groups = Dictionary(uniqueKeysWithValues: run.placements.compactMap { p in p.group.map { (p.schoolCode, $0) } })
        #expect(groups == ["A": .effective, "B": .struggling, "C": .deprived, "D": .resilient])
        let school = await #expect(throws: MEDKError.self) {
            try await data.identify(regionCode: "R1", year: 2026, by: .user(try await world.actor("school-A")))
        }
        #expect(school?.code == "forbidden")
    }
}
