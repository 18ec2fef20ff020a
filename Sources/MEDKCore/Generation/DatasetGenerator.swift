import Foundation

/// How big a synthetic dataset to build.
public enum DatasetSize: String, CaseIterable, Sendable {
    /// One region, three municipalities, a dozen schools: enough to look around.
    case demo
    /// One large region: 1,700 schools, about 100,000 measures.
    case region
    /// The country: 85 regions in their real zones, 40,000 schools, about 2.4 million measures.
    case country
}

/// The accounts a person (or a benchmark) signs in with to look at a generated dataset.
public struct GeneratedAccounts: Codable, Sendable, Hashable {
    public var curator: String
    public var municipal: String
    public var regional: String
    public var federal: String
}

extension MEDKService {
    /// Builds a deterministic synthetic dataset in an empty database through the core's own
    /// steps — policy, state machine, completeness checks, audit chain, per-school progress —
    /// so that it is exactly what real use would have left behind: a campaign from February to
    /// late November with items in every state. Steps run in time order across all schools, so
    /// the audit trail reads chronologically, in transactions of a few thousand steps.
    ///
    /// Every account gets `password`. It is hashed once and the hash shared (one salt for all
    /// accounts): hashing 46,000 passwords one by one would take the better part of an hour,
    /// and this is synthetic data; real accounts are created one at a time with their own salt.
    public func generate(_ size: DatasetSize, seed: UInt64, password: String,
                         progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> GeneratedAccounts {
        try PasswordHasher.validate(password)
        guard try await !isInitialized() else {
            throw MEDKError(.conflict, code: "already_initialized",
                            message: "В каталоге уже есть база с пользователями; набор данных создаётся только в пустом каталоге.")
        }
        let generator = DatasetGenerator(service: self, size: size, seed: seed, progress: progress)
        return try await generator.run(password: password, passwordHash: try await passwords.hash(password))
    }
}

/// Builds one dataset; see `MEDKService.generate`.
final class DatasetGenerator: @unchecked Sendable {
    // Mutable state is touched only inside one write transaction at a time (the store serialises
    // them) or between them, never concurrently: hence @unchecked.
    let service: MEDKService
    let size: DatasetSize
    let seed: UInt64
    let progress: @Sendable (String) -> Void

    /// The campaign's year and the moment the generated history stops.
    static let year = 2026
    static let campaignCode = "500plus-2026"
    let anchor: Int64

    var regions: [RegionPlan] = []
    var schools: [SchoolRecord] = []
    var curators: [Actor] = []
    var curatorSpeeds: [ClosedRange<Int>] = []
    var campaignID: Int64 = 0
    var factorIDs: [Int: Int64] = [:]
    var blobs: [StoredBlob] = []

    init(service: MEDKService, size: DatasetSize, seed: UInt64, progress: @escaping @Sendable (String) -> Void) {
        self.service = service
        self.size = size
        self.seed = seed
        self.progress = progress
        // 20 November 2026, noon in Moscow: spring deadlines long past, December's still ahead.
        anchor = 1_795_165_200
    }

    struct RegionPlan {
        var entry: RussianRegions.Entry
        var municipalities: [(code: String, name: String, schools: Int)]
        var calendar: RegionCalendar
        /// Start of each local day of the year, as Unix seconds (Foundation's calendar is slow).
        var dayStarts: [Int64] = []
        var id: Int64 = 0
    }

    struct SchoolRecord {
        var id: Int64 = 0
        var code: String
        var municipalityCode: String
        var region: Int
        var actor: Actor
        var curator: Int
        var behaviour: Behaviour
        var chosen: [Int] = []
        var measures: [MeasurePlan] = []
        var items: [ItemRef: (id: Int64, state: ReviewState)] = [:]
    }

    enum Behaviour { case diligent, late, lagging }

    struct MeasurePlan {
        var factor: Int
        var template: MeasureTemplates.Template
        var due: CalendarDate
        var id: Int64 = 0
    }

    enum ItemRef: Hashable, Sendable {
        case riskProfile, concept, midterm, roadmap, interim, final
        case antirisk(Int)
        case report(Int)

        var kind: ItemKind {
            switch self {
            case .riskProfile: .riskProfile
            case .concept: .developmentConcept
            case .midterm: .midtermProgramme
            case .roadmap: .roadmap
            case .interim: .interimReport
            case .final: .finalReport
            case .antirisk: .antiriskProgramme
            case .report: .measureReport
            }
        }
    }

    enum Action: Sendable {
        case createRiskProfile
        case createDocument(ItemRef)
        case createRoadmap
        case submit(ItemRef)
        case decide(ItemRef, confirm: Bool)
        case revise(ItemRef)
        case report(Int)
    }

    struct Step: Sendable {
        var at: Int64
        var school: Int32
        var action: Action
    }

    // MARK: The run

    func run(password: String, passwordHash: String) async throws -> GeneratedAccounts {
        let started = Date()
        layOut()
        let setupAt = Date(timeIntervalSince1970: TimeInterval(localDays(region: 0, 2026, 1, 12)))
        _ = try await service.initialize(adminLogin: "admin", fullName: "Администратор МЭДК", password: password)
        try await createTerritory(passwordHash: passwordHash, at: setupAt)
        progress("Территория: регионов \(regions.count), муниципалитетов \(regions.map(\.municipalities.count).reduce(0, +)), "
                 + "школ \(schools.count), кураторов \(curators.count).")
        try await createResults(at: setupAt)
        for index in 0..<24 {
            blobs.append(try await service.files.store(bytes: DemoData.samplePDF("MEDK sample \(index)"), fileName: "образец.pdf"))
        }
        var steps: [Step] = []
        for index in schools.indices { plan(school: index, into: &steps) }
        try await service.store.beginBulkLoad()
        // A stable sort: steps of one item keep their order even at equal times.
        steps = steps.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        progress("Шагов истории: \(steps.count).")
        try await execute(steps, started: started)
        try await service.store.finishBulkLoad()
        try await service.optimizeStorage()
        progress("Готово за \(Int(Date().timeIntervalSince(started))) с.")
        let first = schools[schools.firstIndex { regions[$0.region].entry.code == RussianRegions.large } ?? 0]
        return GeneratedAccounts(curator: curators[first.curator].login, municipal: "mun-\(first.municipalityCode)",
                                 regional: "region-\(regions[first.region].entry.code)", federal: "fioco")
    }

    // MARK: Territory

    /// Regions, municipalities and how many schools each has.
    private func layOut() {
        var random = SeededRandom(seed: seed, stream: 1)
        let chosen: [(RussianRegions.Entry, Int)]
        switch size {
        case .demo:
            chosen = [(RussianRegions.all.first { $0.code == "75" }!, 12)]
        case .region:
            chosen = [(RussianRegions.all.first { $0.code == RussianRegions.large }!, 1_700)]
        case .country:
            let others = RussianRegions.all.filter { $0.code != RussianRegions.large }
            let weights = others.map { _ in 0.25 + pow(Double.random(in: 0..<1, using: &random), 2) * 3 }
            let total = weights.reduce(0, +)
            var counts = weights.map { max(60, Int(Double(40_000 - 1_700) * $0 / total)) }
            counts[counts.indices.max { counts[$0] < counts[$1] }!] += 40_000 - 1_700 - counts.reduce(0, +)
            chosen = RussianRegions.all.map { entry in
                entry.code == RussianRegions.large ? (entry, 1_700) : (entry, counts[others.firstIndex { $0.code == entry.code }!])
            }
        }
        for (entry, schoolCount) in chosen {
            let municipalityCount = size == .demo ? 3 : max(3, schoolCount / 28)
            var weights = (0..<municipalityCount).map { index in index == 0 ? 4.0 : 0.5 + Double.random(in: 0..<1.5, using: &random) }
            let total = weights.reduce(0, +)
            weights = weights.map { $0 / total }
            var counts = weights.map { max(1, Int(Double(schoolCount) * $0)) }
            counts[0] += schoolCount - counts.reduce(0, +)
            let municipalities = counts.enumerated().map { index, count in
                (code: entry.code + String(format: "%03d", index + 1), name: Self.municipalityName(index, region: entry.name), schools: count)
            }
            let calendar = try! RegionCalendar.cached(entry.zone)
            var plan = RegionPlan(entry: entry, municipalities: municipalities, calendar: calendar)
            let first = CalendarDate(year: Self.year, month: 1, day: 1)!
            plan.dayStarts = (0..<370).map { Int64(calendar.startOfDay(first.adding(days: $0)).timeIntervalSince1970) }
            regions.append(plan)
        }
    }

    private static let stems = ["Берёзовский", "Заречный", "Лесной", "Озёрный", "Степной", "Речной", "Горный", "Северный", "Южный",
                                "Сосновский", "Кедровый", "Луговой", "Полевой", "Светлый", "Красноярский", "Зелёный", "Ключевской",
                                "Верхний", "Нижний", "Приморский", "Ясный", "Холмский", "Каменский", "Ольховский", "Малиновский"]

    private static func municipalityName(_ index: Int, region: String) -> String {
        if index == 0 { return "Городской округ — административный центр (\(region))" }
        let stem = stems[(index - 1) % stems.count]
        let round = (index - 1) / stems.count
        return round == 0 ? "\(stem) муниципальный район" : "\(stem) муниципальный округ № \(round + 1)"
    }

    /// Regions, municipalities, schools, accounts, the campaign and curator assignments.
    private func createTerritory(passwordHash: String, at: Date) async throws {
        let operatorActor = AuditActor.localOperator()
        let regions = self.regions
        let ids: [Int64] = try await service.write { store in
            _ = try OrganisationWrites.upsertUser(store, operatorActor, at: at, login: "fioco", fullName: "Оператор ФИОКО",
                                                  email: "fioco@example.org", grant: RoleGrant(role: .federal), passwordHash: passwordHash)
            return try regions.map { region in
                let id = try OrganisationWrites.upsertRegion(store, operatorActor, at: at, code: region.entry.code, name: region.entry.name,
                                                             timeZone: region.entry.zone).0
                _ = try OrganisationWrites.upsertUser(store, operatorActor, at: at, login: "region-\(region.entry.code)",
                                                      fullName: "Региональный координатор (\(region.entry.name))", email: nil,
                                                      grant: RoleGrant(role: .regional, organisationID: id), passwordHash: passwordHash)
                return id
            }
        }
        for index in self.regions.indices { self.regions[index].id = ids[index] }
        let campaign = try await service.createCampaign(by: .local, code: Self.campaignCode, name: "500+ \(Self.year)", year: Self.year)
        campaignID = campaign.campaign.id
        factorIDs = Dictionary(uniqueKeysWithValues: campaign.riskFactors.map { ($0.number, $0.id) })
        var random = SeededRandom(seed: seed, stream: 2)
        for regionIndex in self.regions.indices {
            let region = self.regions[regionIndex]
            var firstSchool = schools.count
            for municipality in region.municipalities {
                for number in 1...municipality.schools {
                    let code = municipality.code + String(format: "%04d", number)
                    let behaviour: Behaviour = random.chance(0.6) ? .diligent : random.chance(0.6) ? .late : .lagging
                    schools.append(SchoolRecord(code: code, municipalityCode: municipality.code, region: regionIndex,
                                                actor: Actor(userID: 0, login: "school-\(code)", grants: []), curator: 0, behaviour: behaviour))
                }
            }
            // A curator for about a dozen schools of the region; some curators are quick, some slow.
            let count = max(1, (schools.count - firstSchool + 11) / 12)
            let base = curators.count
            for number in 1...count {
                curators.append(Actor(userID: 0, login: "curator-\(region.entry.code)-\(String(format: "%03d", number))", grants: []))
                let speed = random.chance(0.5) ? 1...4 : random.chance(0.7) ? 3...10 : 7...30
                curatorSpeeds.append(speed)
            }
            while firstSchool < schools.count {
                schools[firstSchool].curator = base + (firstSchool % count)
                firstSchool += 1
            }
        }
        // Organisations and accounts in batches of one transaction each.
        let batch = 400
        var municipalityIDs: [String: Int64] = [:]
        for regionIndex in self.regions.indices {
            let region = self.regions[regionIndex]
            let created: [(String, Int64)] = try await service.write { store in
                try region.municipalities.map { municipality in
                    let id = try OrganisationWrites.upsertMunicipality(store, operatorActor, at: at, code: municipality.code,
                                                                       name: municipality.name, regionID: region.id).0
                    _ = try OrganisationWrites.upsertUser(store, operatorActor, at: at, login: "mun-\(municipality.code)",
                                                          fullName: "Муниципальный координатор (\(municipality.name))", email: nil,
                                                          grant: RoleGrant(role: .municipal, organisationID: id), passwordHash: passwordHash)
                    return (municipality.code, id)
                }
            }
            for (code, id) in created { municipalityIDs[code] = id }
        }
        for start in stride(from: 0, to: curators.count, by: batch) {
            let slice = Array(start..<min(start + batch, curators.count))
            let plans = slice.map { (index: $0, login: curators[$0].login, regionID: regionOf(curator: $0)) }
            let made: [(Int, Int64, Int64)] = try await service.write { store in
                try plans.map { plan in
                    let id = try OrganisationWrites.upsertUser(store, operatorActor, at: at, login: plan.login,
                                                               fullName: "Куратор \(plan.login.dropFirst(8))", email: nil,
                                                               grant: RoleGrant(role: .curator, organisationID: plan.regionID),
                                                               passwordHash: passwordHash).0
                    return (plan.index, id, plan.regionID)
                }
            }
            for (index, id, regionID) in made {
                curators[index] = Actor(userID: id, login: curators[index].login, grants: [RoleGrant(role: .curator, organisationID: regionID)])
            }
        }
        let campaignID = self.campaignID
        for start in stride(from: 0, to: schools.count, by: batch) {
            let slice = Array(start..<min(start + batch, schools.count))
            let plans = slice.map { index in
                (index: index, code: schools[index].code, municipalityID: municipalityIDs[schools[index].municipalityCode]!,
                 name: schoolName(index), curatorID: curators[schools[index].curator].userID, lowResults: index % 3 != 2,
                 hardSocial: index % 4 == 1)
            }
            let made: [(Int, Int64, Int64)] = try await service.write { store in
                try plans.map { plan in
                    let schoolID = try OrganisationWrites.upsertSchool(store, operatorActor, at: at, code: plan.code, name: plan.name,
                                                                       municipalityID: plan.municipalityID, lowResults: plan.lowResults,
                                                                       hardSocial: plan.hardSocial, programmeYears: "2026–2028").0
                    let userID = try OrganisationWrites.upsertUser(store, operatorActor, at: at, login: "school-\(plan.code)",
                                                                   fullName: "Управленческая команда: \(plan.name)", email: nil,
                                                                   grant: RoleGrant(role: .school, organisationID: schoolID),
                                                                   passwordHash: passwordHash).0
                    guard let place = try store.schoolPlace(schoolID: schoolID) else { throw MEDKError.notFound("Школа") }
                    _ = try OrganisationWrites.assignCurator(store, operatorActor, at: at, campaignID: campaignID, school: place,
                                                             curatorID: plan.curatorID)
                    return (plan.index, schoolID, userID)
                }
            }
            for (index, schoolID, userID) in made {
                schools[index].id = schoolID
                schools[index].actor = Actor(userID: userID, login: schools[index].actor.login,
                                             grants: [RoleGrant(role: .school, organisationID: schoolID)])
            }
        }
        for index in curators.indices {
            curators[index].curatedSchools = []
        }
        for school in schools {
            curators[school.curator].curatedSchools.insert(CampaignSchool(campaignID: campaignID, schoolID: school.id))
        }
    }

    private func regionOf(curator index: Int) -> Int64 {
        let code = curators[index].login.split(separator: "-")[1]
        return regions.first { $0.entry.code == code }!.id
    }

    private func schoolName(_ index: Int) -> String {
        let school = schools[index]
        let number = Int(school.code.suffix(4))!
        let kinds = ["МБОУ «Средняя общеобразовательная школа № \(number)»", "МОУ «СОШ № \(number)»",
                     "МБОУ «Основная общеобразовательная школа № \(number)»", "МКОУ «Школа № \(number)»"]
        return kinds[number % kinds.count]
    }

    // MARK: Planning one school's year

    /// Unix seconds of a local date and time in the school's region.
    private func localDays(region: Int, _ year: Int, _ month: Int, _ day: Int, hour: Int = 0, minute: Int = 0) -> Int64 {
        let date = CalendarDate(year: year, month: month, day: min(day, 28 + (month == 2 ? 0 : 2)))!
        let offset = CalendarDate(year: Self.year, month: 1, day: 1)!.days(to: date)
        let start = regions.isEmpty ? Int64(date.dayNumber) * 86_400 : regions[region].dayStarts[max(0, min(offset, 369))]
        return start + Int64(hour * 3600 + minute * 60)
    }

    private func plan(school index: Int, into steps: inout [Step]) {
        var random = SeededRandom(seed: seed, stream: 1_000 + UInt64(index))
        let record = schools[index]
        let region = record.region
        let speed = curatorSpeeds[record.curator]
        let anchor = self.anchor
        let school = Int32(index)

        func at(_ month: Int, _ days: ClosedRange<Int>) -> Int64 {
            let day = random.int(days)
            let date = CalendarDate(year: Self.year, month: month, day: 1)!.adding(days: day - 1)
            return localDays(region: region, date.year, date.month, date.day, hour: random.int(9...17), minute: random.int(0...59))
        }
        func later(_ time: Int64, days: ClosedRange<Int>) -> Int64 {
            // The same local time of day shifted by whole days, at a working hour.
            let shifted = time + Int64(random.int(days)) * 86_400
            let dayStart = shifted - ((shifted - localDays(region: region, Self.year, 1, 1)) % 86_400)
            return dayStart + Int64(random.int(9 * 3600...17 * 3600))
        }
        func add(_ time: Int64, _ action: Action) -> Bool {
            guard time < anchor else { return false }
            steps.append(Step(at: time, school: school, action: action))
            return true
        }
        /// Submit, then the curator's decisions (a return, a fix, a resubmission) until confirmed
        /// or the history ends; returns when the item was confirmed.
        func review(_ ref: ItemRef, submittedAt: Int64, returnRate: Double) -> Int64? {
            guard add(submittedAt, .submit(ref)) else { return nil }
            var submitted = submittedAt
            for round in 0..<3 {
                let decided = later(submitted, days: speed)
                if round < 2 && random.chance(returnRate) {
                    guard add(decided, .decide(ref, confirm: false)) else { return nil }
                    let fixed = later(decided, days: 2...10)
                    if random.chance(0.08) || !add(fixed, .revise(ref)) { return nil }
                    submitted = fixed + 1_800
                    guard add(submitted, .submit(ref)) else { return nil }
                } else {
                    return add(decided, .decide(ref, confirm: true)) ? decided : nil
                }
            }
            return nil
        }
        let behaviour = record.behaviour

        // Risk profile, due 1 March.
        var chosen: [Int] = []
        while chosen.count < random.int(2...3) {
            let factor = random.int(1...10)
            if !chosen.contains(factor) { chosen.append(factor) }
        }
        schools[index].chosen = chosen.sorted()
        let profileCreated = at(2, behaviour == .diligent ? 2...20 : 10...27)
        guard add(profileCreated, .createRiskProfile) else { return }
        if behaviour == .lagging && random.chance(0.4) { return }
        let profileSubmitted = behaviour == .diligent ? later(profileCreated, days: 0...6) : at(3, 2...25)
        let profileConfirmed = review(.riskProfile, submittedAt: max(profileSubmitted, profileCreated + 600), returnRate: 0.2)

        // Concept documents and anti-risk programmes, due 30 April.
        func document(_ ref: ItemRef, after start: Int64) {
            let created = max(start, behaviour == .diligent ? at(3, 15...31) : at(4, 10...30))
            guard add(created, .createDocument(ref)) else { return }
            if behaviour == .lagging && random.chance(0.35) { return }
            let submitted = behaviour == .diligent ? later(created, days: 1...20) : later(created, days: 10...40)
            _ = review(ref, submittedAt: submitted, returnRate: 0.25)
        }
        document(.concept, after: profileCreated + 3_600)
        document(.midterm, after: profileCreated + 3_600)
        for (position, _) in schools[index].chosen.enumerated() {
            document(.antirisk(position), after: profileCreated + 3_600)
        }
        _ = profileConfirmed

        // The roadmap, due 15 May: its measures across June–December, reported as they fall due.
        var measures: [MeasurePlan] = []
        let measureCount = random.int(50...80)
        for number in 0..<measureCount {
            let factor = schools[index].chosen[number % schools[index].chosen.count]
            let templates = MeasureTemplates.templates(factor: factor)
            let month = random.int(6...12)
            let day: Int = random.chance(0.45) ? CalendarDate.daysIn(month: month, year: Self.year)
                : random.chance(0.5) ? [10, 15, 20, 25][random.int(0...3)] : random.int(1...28)
            measures.append(MeasurePlan(factor: factor, template: templates[number % templates.count],
                                        due: CalendarDate(year: Self.year, month: month, day: day)!))
        }
        schools[index].measures = measures
        if behaviour == .lagging && random.chance(0.3) { return }
        let roadmapCreated = behaviour == .diligent ? at(5, 1...10) : at(5, 8...31)
        guard add(roadmapCreated, .createRoadmap) else { return }
        if behaviour == .lagging && random.chance(0.3) { return }
        let roadmapSubmitted = later(roadmapCreated, days: behaviour == .diligent ? 1...6 : 5...30)
        guard let roadmapConfirmed = review(.roadmap, submittedAt: roadmapSubmitted, returnRate: 0.25) else { return }

        // Interim monitoring, due 30 June; the final report, due 15 December, only started.
        let interimCreated = max(roadmapConfirmed + 3_600, behaviour == .diligent ? at(6, 10...25) : at(7, 1...20))
        if add(interimCreated, .createDocument(.interim)), !(behaviour == .lagging && random.chance(0.5)) {
            _ = review(.interim, submittedAt: later(interimCreated, days: 1...10), returnRate: 0.2)
        }
        if random.chance(0.2) { _ = add(at(11, 1...19), .createDocument(.final)) }

        let reportRate: Double = switch behaviour {
        case .diligent: 0.93
        case .late: 0.78
        case .lagging: 0.5
        }
        for (position, measure) in measures.enumerated() {
            let dueAt = localDays(region: region, measure.due.year, measure.due.month, measure.due.day, hour: 12)
            guard random.chance(reportRate) else { continue }
            let start = max(roadmapConfirmed + 86_400, later(dueAt - 12 * 86_400, days: 0...(behaviour == .diligent ? 14 : 30)))
            guard add(start, .report(position)) else { continue }
            _ = review(.report(position), submittedAt: start + 1_200, returnRate: 0.12)
        }
    }

    // MARK: Running the steps

    private func execute(_ steps: [Step], started: Date) async throws {
        let batch = 10_000
        var done = 0
        var reported = 0
        while done < steps.count {
            let slice = Array(steps[done..<min(done + batch, steps.count)])
            try await service.write { store in
                for step in slice { try self.perform(step, store) }
            }
            done += slice.count
            let percent = done * 100 / steps.count
            if percent >= reported + 5 || done == steps.count {
                reported = percent
                progress("История: \(percent) % (\(done) шагов, \(Int(Date().timeIntervalSince(started))) с).")
            }
        }
    }

    private static let returnComments = [
        "Цели не связаны с выбранными факторами риска; уточните задачи.",
        "Нет показателей и плановых значений по двум мероприятиям.",
        "Приложите подписанную версию документа.",
        "Сроки мероприятий не согласованы с графиком учебного года.",
        "Отчёт не подтверждает выполнение: приложите приказ или протокол.",
    ]

    private func perform(_ step: Step, _ store: any StoreWriting) throws {
        let index = Int(step.school)
        let at = Date(timeIntervalSince1970: TimeInterval(step.at))
        let actor = schools[index].actor
        switch step.action {
        case .createRiskProfile:
            let id = try MEDKService.createItem(store, NewItem(campaignID: campaignID, kind: .riskProfile, schoolID: schools[index].id),
                                                by: actor, at: at)
            try MEDKService.applyRiskProfile(store, itemID: id, entries: riskEntries(index, variant: 0), expectedRevision: nil,
                                             by: actor, at: at.addingTimeInterval(120))
            schools[index].items[.riskProfile] = (id, .draft)
        case .createDocument(let ref):
            let riskFactorID: Int64? = if case .antirisk(let position) = ref { factorIDs[schools[index].chosen[position]] } else { nil }
            let id = try MEDKService.createItem(store, NewItem(campaignID: campaignID, kind: ref.kind, schoolID: schools[index].id,
                                                               riskFactorID: riskFactorID), by: actor, at: at)
            schools[index].items[ref] = (id, .draft)
            try upload(index, ref, id: id, at: at.addingTimeInterval(300))
        case .createRoadmap:
            let id = try MEDKService.createItem(store, NewItem(campaignID: campaignID, kind: .roadmap, schoolID: schools[index].id),
                                                by: actor, at: at)
            schools[index].items[.roadmap] = (id, .draft)
            // The roadmap's table filled in at once, as schools paste it from their Word or Excel plan.
            let inputs = schools[index].measures.map { plan in
                MeasureInput(task: plan.template.task, title: plan.template.title, dueDate: plan.due,
                             responsible: plan.template.responsible, expectedResult: plan.template.result,
                             indicator: plan.template.indicator, plannedValue: plan.template.planned, riskFactorNumber: plan.factor)
            }
            let ids = try MEDKService.addMeasures(store, roadmapID: id, inputs, expectedRevision: nil, by: actor, at: at.addingTimeInterval(600))
            for (position, measureID) in ids.enumerated() { schools[index].measures[position].id = measureID }
        case .submit(let ref):
            try transition(index, ref, .submit, by: actor, at: at)
        case .decide(let ref, let confirm):
            let curator = curators[schools[index].curator]
            let comment = confirm ? nil : Self.returnComments[Int(step.at % Int64(Self.returnComments.count))]
            try transition(index, ref, confirm ? .confirm : .return, by: curator, comment: comment, at: at)
        case .revise(let ref):
            guard let item = schools[index].items[ref] else { return }
            if ref == .riskProfile {
                try MEDKService.applyRiskProfile(store, itemID: item.id, entries: riskEntries(index, variant: 1), expectedRevision: nil,
                                                 by: actor, at: at)
            } else {
                try upload(index, ref, id: item.id, at: at)
            }
            // The school says what it fixed before sending again, as it must.
            let open = try store.remarks(itemID: item.id).filter { $0.state == .open }
            if !open.isEmpty {
                try RemarkAnswering.apply(store, itemID: item.id, open.map {
                    RemarkAnswerInput(remarkID: $0.id, answer: .done, text: "Исправлено в новой версии.")
                }, expectedRevision: nil, by: actor, at: at.addingTimeInterval(60))
            }
        case .report(let position):
            let measure = schools[index].measures[position]
            let value = measure.template.planned
            let id = try MEDKService.reportMeasure(store, measure.id, actualValue: value, expectedRevision: nil, by: actor, at: at)
            schools[index].items[.report(position)] = (id, .draft)
            try upload(index, .report(position), id: id, at: at.addingTimeInterval(600))
        }

        func upload(_ index: Int, _ ref: ItemRef, id: Int64, at: Date) throws {
            let blob = blobs[Int((id + Int64(index)) % Int64(blobs.count))]
            try MEDKService.recordUpload(store, itemID: id, fileName: "\(ref.kind.rawValue)-\(schools[index].code).pdf", blob: blob,
                                         expectedRevision: nil, by: schools[index].actor, at: at)
        }

        func transition(_ index: Int, _ ref: ItemRef, _ action: ReviewAction, by actor: Actor, comment: String? = nil, at: Date) throws {
            guard let item = schools[index].items[ref] else { return }
            // The generated schools send their roadmaps as people do, late dates and all: they have seen the findings.
            try MEDKService.applyTransition(store, itemID: item.id, TransitionRequest(action: action, expectedState: item.state,
                                                                                      acceptFindings: true),
                                            comment: comment, by: actor, at: at)
            schools[index].items[ref] = (item.id, ReviewStateMachine.target(of: action, from: item.state)!)
        }
    }

    /// Every factor's significance from the diagnostic survey; the chosen ones high.
    private func riskEntries(_ index: Int, variant: Int) -> [RiskProfileInput] {
        let chosen = Set(schools[index].chosen)
        return (1...10).map { number in
            RiskProfileInput(number: number,
                             significance: chosen.contains(number) ? .high : ((number + index + variant) % 3 == 0 ? .medium : .low),
                             chosen: chosen.contains(number))
        }
    }
}
