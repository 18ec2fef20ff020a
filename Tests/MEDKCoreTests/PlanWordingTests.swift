import MEDKCore
import Testing

@Suite("Plan wordings of regional programmes read into a structure")
struct PlanWordingTests {
    @Test("the wordings real programmes use are read as a person would read them", arguments: [
        ("не менее 11% школ данной категории", PlanKind.share, 11.0, PlanDirection.atLeast, PlanPopulation?.some(.schools), PlanPeriod?.none,
         "не менее 11 % школ"),
        ("для 50% МУО", .share, 50, .atLeast, .municipalities, nil, "не менее 50 % муниципалитетов"),
        ("8 школ", .count, 8, .atLeast, .schools, nil, "не менее 8 школ"),
        ("не менее 6 в год", .countPerPeriod, 6, .atLeast, nil, .year, "не менее 6 в год"),
        ("не менее 5 человек от каждой школы", .countPerSchool, 5, .atLeast, .people, nil, "не менее 5 человек от каждой школы"),
        ("в 100% школ", .share, 100, .atLeast, .schools, nil, "не менее 100 % школ"),
        ("не реже одного раза в год", .frequency, 1, .atLeast, nil, .year, "не менее 1 раза в год"),
        ("не более 20 % ШНОР", .share, 20, .atMost, .schools, nil, "не более 20 % школ"),
        ("ежеквартально", .frequency, 1, .atLeast, nil, .quarter, "не менее 1 раза в квартал"),
        ("не менее 2,5 мероприятий в месяц", .countPerPeriod, 2.5, .atLeast, .events, .month, "не менее 2,5 мероприятий в месяц"),
    ])
    func reads(_ wording: String, _ kind: PlanKind, _ value: Double, _ direction: PlanDirection, _ population: PlanPopulation?,
               _ period: PlanPeriod?, _ russian: String) throws {
        let plan = try #require(PlanWording.read(wording), "«\(wording)» not read")
        #expect(plan.kind == kind && plan.value == value && plan.direction == direction, "«\(wording)» → \(plan)")
        #expect(plan.population == population && plan.period == period, "«\(wording)» → \(plan)")
        #expect(plan.russian == russian)
        #expect(plan.wording == wording, "the original wording is kept")
    }

    @Test("a wording without a number to place is not guessed at")
    func notGuessed() {
        #expect(PlanWording.read("Обеспечить сопровождение школ") == nil)
        #expect(PlanWording.read("") == nil)
    }

    @Test("a plan is met by a fact on its side of the value")
    func met() throws {
        let share = try #require(PlanWording.read("не менее 11% школ"))
        #expect(share.isMet(by: 11) && share.isMet(by: 12.5) && !share.isMet(by: 10.9))
        let ceiling = try #require(PlanWording.read("не более 20 % ШНОР"))
        #expect(ceiling.isMet(by: 18) && !ceiling.isMet(by: 21))
    }
}
