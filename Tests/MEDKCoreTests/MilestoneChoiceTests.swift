import MEDKCore
import Testing

/// A campaign has the milestones it chose, not always all seven.
@Suite("Choosing a campaign's milestones")
struct MilestoneChoiceTests {
    @Test("without a choice the usual seven, with moved dates; with a choice only those, in the order given")
    func chosenKinds() throws {
        let usual = try MilestoneInput.chosen(year: 2022, kinds: nil, due: [.roadmap: CalendarDate("2022-06-01")!])
        #expect(usual.count == 7 && usual.first { $0.kind == .roadmap }?.dueDate == CalendarDate("2022-06-01"))
        let chosen = try MilestoneInput.chosen(year: 2022, kinds: [.riskProfile, .developmentConcept, .roadmap], due: [:])
        #expect(chosen.map(\.kind) == [.riskProfile, .developmentConcept, .roadmap])
        #expect(chosen.map(\.dueDate.description) == ["2022-03-01", "2022-04-30", "2022-05-15"])
        let extra = try MilestoneInput.chosen(year: 2022, kinds: [.analyticalNote], due: [.analyticalNote: CalendarDate("2022-09-01")!])
        #expect(extra.map(\.title) == [ItemKind.analyticalNote.russianName])
    }

    @Test("a choice that cannot make a calendar is refused, saying why", arguments: [
        ([ItemKind](), [ItemKind: CalendarDate](), "no_milestones"),
        ([.roadmap, .roadmap], [:], "duplicate_milestone"),
        ([.analyticalNote], [:], "milestone_date_required"),
        ([.roadmap], [.finalReport: CalendarDate("2022-12-01")!], "milestone_not_chosen"),
    ])
    func refused(_ kinds: [ItemKind], _ due: [ItemKind: CalendarDate], _ code: String) {
        let error = #expect(throws: MEDKError.self) { try MilestoneInput.chosen(year: 2022, kinds: kinds, due: due) }
        #expect(error?.code == code)
    }
}
