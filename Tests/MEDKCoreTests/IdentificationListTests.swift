import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

/// Region R1 of the test world with `ResultsFixtures`' data.
@Suite("Lists of ШНОР/ШНСУ drawn up, objected to and approved")
struct IdentificationListTests {

    static var method: IdentificationMethod {
        var method = IdentificationMethod.seed000
        method.components = [ResultComponent(.oge, .mathematics)]
        method.social = [SocialComponent("Доля из неполных семей")]
        method.windowYears = 1
        method.resultsCut = .median
        method.socialCut = .median
        return method
    }

    /// 15 March 2026 in Chita, and a week for objections.
    static let until = CalendarDate(year: 2026, month: 3, day: 22)!

    func loaded() async throws -> TestWorld {
        let world = try await TestWorld()
        let region = Operator.user(try await world.actor("reg-R1"))
        _ = try await world.service.resultsData.importFile(.components, text: ResultsFixtures.components, fileName: "огэ.csv", dryRun: false, by: region)
        _ = try await world.service.resultsData.importFile(.social, text: ResultsFixtures.social, fileName: "контекст.csv", dryRun: false, by: region)
        return world
    }

    func flags(_ world: TestWorld, _ code: String) async throws -> ProgrammeFlags {
        let school = try await world.service.school(code: code)
        return ProgrammeFlags(lowResults: school.lowResults, hardSocialConditions: school.hardSocialConditions)
    }

    @Test("a draft proposes entry, staying and exit by the rules and changes no school's flags")
    func draftProposes() async throws {
        let world = try await loaded()
        let list = try await world.service.identificationLists.prepare(regionCode: "R1", year: 2026, method: Self.method,
                                                                       objectionsUntil: Self.until, by: .user(try await world.actor("reg-R1")))
        #expect(list.state == .draft && list.methodVersion == 1)
        let view = try await world.service.identificationLists.view(listID: list.id, filter: .all, by: .local)
        let proposed = Dictionary(uniqueKeysWithValues: view.entries.items.map { ($0.schoolCode, $0.proposed) })
        #expect(proposed["A"] == ProgrammeFlags(lowResults: false, hardSocialConditions: false), "high two years running and rising: leaves")
        #expect(proposed["B"] == ProgrammeFlags(lowResults: true, hardSocialConditions: false), "low stays; favourable conditions leave ШНСУ")
        #expect(proposed["C"] == ProgrammeFlags(lowResults: true, hardSocialConditions: true), "low three years: enters")
        #expect(proposed["D"] == ProgrammeFlags(lowResults: true, hardSocialConditions: true), "high but falling: stays")
        #expect(list.counts.entering == 1 && list.counts.leaving == 1 && list.counts.changes == 4)
        #expect(try await flags(world, "A") == ProgrammeFlags(lowResults: true, hardSocialConditions: false), "a draft changes nothing")
        #expect(try await world.auditTrail().filter { $0.action == .identificationDraft }.count == 1)
    }

    @Test("only the region's own coordinator, FIOCO or the administrator draws up a region's list")
    func onlyTheRegionDraws() async throws {
        let world = try await loaded()
        for login in ["reg-R2", "mun-M1", "curator1"] {
            let refused = await #expect(throws: MEDKError.self) {
                try await world.service.identificationLists.prepare(regionCode: "R1", year: 2026, method: Self.method,
                                                                    objectionsUntil: Self.until, by: .user(try await world.actor(login)))
            }
            #expect(refused?.code == "forbidden", "\(login) may not")
        }
        _ = try await world.service.identificationLists.prepare(regionCode: "R1", year: 2026, method: Self.method,
                                                                objectionsUntil: Self.until, by: .user(try await world.actor("federal")))
    }

    @Test("a regional coordinator cannot load results of another region's school, and the file changes nothing")
    func foreignSchoolRefused() async throws {
        let world = try await TestWorld()
        let refused = await #expect(throws: MEDKError.self) {
            try await world.service.resultsData.importFile(.components, text: ResultsFixtures.components + "\nE;2026;ОГЭ;математика;4;50",
                                                           fileName: "огэ.csv", dryRun: false, by: .user(try await world.actor("reg-R1")))
        }
        #expect(refused?.details.count == 1 && refused?.details.first?.contains("другом регионе") == true)
        let municipal = await #expect(throws: MEDKError.self) {
            try await world.service.resultsData.importFile(.components, text: ResultsFixtures.components, fileName: "огэ.csv", dryRun: true,
                                                           by: .user(try await world.actor("mun-M1")))
        }
        #expect(municipal?.code == "forbidden", "a municipality does not load results at all")
        #expect(try await world.auditTrail().filter { $0.action == .resultsImport }.isEmpty)
    }

    @Test("a municipal coordinator sees and objects only to their own schools' lines, within the period")
    func municipalObjections() async throws {
        let world = try await loaded()
        let lists = world.service.identificationLists
        let list = try await lists.prepare(regionCode: "R1", year: 2026, method: Self.method, objectionsUntil: Self.until,
                                           by: .user(try await world.actor("reg-R1")))
        let m2 = try await world.actor("mun-M2")
        let seen = try await lists.view(listID: list.id, filter: .all, by: .user(m2))
        #expect(seen.entries.items.map(\.schoolCode) == ["D"] && seen.canObject && !seen.canDecide)
        let foreign = await #expect(throws: MEDKError.self) {
            try await lists.object(listID: list.id, schoolCode: "A", wanted: ProgrammeFlags(lowResults: true, hardSocialConditions: false),
                                   reason: "Школа не справляется", by: m2)
        }
        #expect(foreign?.code == "forbidden")
        let m1 = try await world.actor("mun-M1")
        let same = await #expect(throws: MEDKError.self) {
            try await lists.object(listID: list.id, schoolCode: "A", wanted: ProgrammeFlags(lowResults: false, hardSocialConditions: false),
                                   reason: "Согласны", by: m1)
        }
        #expect(same?.code == "objection_changes_nothing")
        world.clock.set(TestWorld.instant("2026-03-23 00:30", zone: "Asia/Chita"))
        let late = await #expect(throws: MEDKError.self) {
            try await lists.object(listID: list.id, schoolCode: "A", wanted: ProgrammeFlags(lowResults: true, hardSocialConditions: false),
                                   reason: "Рост случайный", by: m1)
        }
        #expect(late?.code == "objection_period_over", "the period ends at midnight of its last day in the region's zone")
    }

    @Test("approval waits for every objection; an accepted one sets the school's line; approval changes each differing school once and freezes the list")
    func objectionDecidedThenApproved() async throws {
        let world = try await loaded()
        let lists = world.service.identificationLists
        let region = Operator.user(try await world.actor("reg-R1"))
        let list = try await lists.prepare(regionCode: "R1", year: 2026, method: Self.method, objectionsUntil: Self.until, by: region)
        let objection = try await lists.object(listID: list.id, schoolCode: "A", wanted: ProgrammeFlags(lowResults: true, hardSocialConditions: false),
                                               reason: "Рост за один год — смена состава выпускников, не улучшение.", by: try await world.actor("mun-M1"))
        let waiting = await #expect(throws: MEDKError.self) { try await lists.approve(listID: list.id, closingObjectionsEarly: true, by: region) }
        #expect(waiting?.code == "objections_pending")
        let bare = await #expect(throws: MEDKError.self) { try await lists.decide(objectionID: objection.id, accept: false, comment: " ", by: region) }
        #expect(bare?.code == "comment_required", "a rejection says why")
        let accepted = try await lists.decide(objectionID: objection.id, accept: true, comment: nil, by: region)
        #expect(accepted.state == .accepted)
        let open = await #expect(throws: MEDKError.self) { try await lists.approve(listID: list.id, by: region) }
        #expect(open?.code == "objection_period_open")
        let approved = try await lists.approve(listID: list.id, closingObjectionsEarly: true, by: region)
        #expect(approved.state == .approved)
        #expect(try await flags(world, "A") == ProgrammeFlags(lowResults: true, hardSocialConditions: false), "the accepted objection kept A in ШНОР")
        #expect(try await flags(world, "C") == ProgrammeFlags(lowResults: true, hardSocialConditions: true))
        #expect(try await flags(world, "D") == ProgrammeFlags(lowResults: true, hardSocialConditions: true))
        let changes = try await world.auditTrail().filter { $0.action == .schoolProgrammeFlags }
        #expect(changes.count == 3, "B, C and D change; A stays as it was")
        let after = await #expect(throws: MEDKError.self) {
            try await lists.object(listID: list.id, schoolCode: "B", wanted: ProgrammeFlags(lowResults: false, hardSocialConditions: false),
                                   reason: "Поздно", by: try await world.actor("mun-M1"))
        }
        #expect(after?.code == "list_not_draft")
    }

    @Test("an approved list is reproduced from its method and data after the data is corrected; a new draft sees the correction")
    func reproducedAfterCorrection() async throws {
        let world = try await loaded()
        let lists = world.service.identificationLists
        let list = try await lists.prepare(regionCode: "R1", year: 2026, method: Self.method, objectionsUntil: Self.until, by: .local)
        _ = try await lists.approve(listID: list.id, closingObjectionsEarly: true, by: .local)
        _ = try await world.service.resultsData.importFile(.components, text: ResultsFixtures.components.replacingOccurrences(of: "4,6;120", with: "3,2;120"),
                                                           fileName: "огэ-исправленный.csv", dryRun: false, by: .local)
        let again = try await lists.verify(listID: list.id, by: .local)
        #expect(again.matches, "the list reads the data as it stood when it was made")
        let next = try await lists.prepare(regionCode: "R1", year: 2026, method: Self.method, objectionsUntil: Self.until, by: .local)
        #expect(next.runHash != list.runHash && next.dataBatch > list.dataBatch)
        #expect(next.methodVersion == list.methodVersion, "the same method is the same stored version")
        var changed = Self.method
        changed.resultsCut = .percentile(0.3)
        let third = try await lists.prepare(regionCode: "R1", year: 2026, method: changed, objectionsUntil: Self.until, replacingDraft: true, by: .local)
        #expect(third.methodVersion == 2)
        let history = try await lists.lists(regionCode: "R1", by: .local)
        #expect(history.map(\.state) == [.draft, .discarded, .approved])
    }

    @Test("a school below the cut in only one year of the three is placed without certainty, however large it is")
    func oneYearBelow() throws {
        func history(_ code: String, _ means: [Double]) -> SchoolResultsHistory {
            SchoolResultsHistory(schoolCode: code, results: means.enumerated().map { offset, mean in
                ComponentResult(ComponentKey(exam: .oge, subject: .mathematics), year: 2024 + offset, mean: mean, participants: 1000)
            }, social: [])
        }
        var method = IdentificationMethod.seed000
        method.components = [ResultComponent(.oge, .mathematics)]
        method.windowYears = 1
        method.resultsCut = .median
        let flags = ProgrammeFlags(lowResults: false, hardSocialConditions: false)
        let schools = ["X", "Y"].enumerated().map { index, code in
            SchoolStanding(schoolID: Int64(index + 1), code: code, name: code, municipalityID: 1, municipalityName: "М", flags: flags)
        }
        let list = try DraftList.make(year: 2026, method: method, rules: .standard, schools: schools,
                                      histories: [history("X", [4.0, 4.0, 3.0]), history("Y", [3.5, 3.5, 3.5])])
        let x = try #require(list.entries.first { $0.schoolCode == "X" }), y = try #require(list.entries.first { $0.schoolCode == "Y" })
        #expect(x.placement.uncertain && x.decision == .outside, "X fell below the cut this year only")
        #expect(!y.placement.uncertain && y.decision == .enters, "Y was below two years of three, a thousand pupils each: certain")
    }
}
