import Foundation

/// A small but realistic territory for trying MEDK out: Zabaykalsky Krai (UTC+9), two
/// municipalities, five schools, two curators, coordinators, and a campaign with some
/// history — documents confirmed, returned, waiting and missing.
public enum DemoData {
    public static let password = "medk-demo-2026"

    public struct Account: Sendable {
        public var login: String
        public var description: String
    }

    public static let accounts: [Account] = [
        Account(login: "admin", description: "администратор"),
        Account(login: "fioco", description: "федеральный оператор"),
        Account(login: "region75", description: "региональный координатор, Забайкальский край"),
        Account(login: "mun-baley", description: "муниципальный координатор, Балейский район"),
        Account(login: "mun-chita", description: "муниципальный координатор, г. Чита"),
        Account(login: "curator-ivanova", description: "куратор школ 750010001, 750010002, 750020002"),
        Account(login: "curator-petrov", description: "куратор школ 750010003, 750020001, 750020002"),
        Account(login: "school-750010001", description: "управленческая команда МОУ «Балейская СОШ № 1»"),
        Account(login: "school-750010002", description: "управленческая команда МОУ «Ундино-Посельская СОШ»"),
        Account(login: "school-750010003", description: "управленческая команда МОУ «Жидкинская СОШ»"),
        Account(login: "school-750020001", description: "управленческая команда МБОУ «СОШ № 7» г. Читы"),
        Account(login: "school-750020002", description: "управленческая команда МБОУ «СОШ № 21» г. Читы"),
    ]

    static let regions = """
        code;name;time_zone
        75;Забайкальский край;Asia/Chita
        """
    static let municipalities = """
        code;name;region_code
        75001;Балейский муниципальный округ;75
        75002;Городской округ «Город Чита»;75
        """
    static let schools = """
        code;name;municipality_code;low_results;hard_social;programme_years
        750010001;МОУ «Балейская СОШ № 1»;75001;да;нет;2025–2027
        750010002;МОУ «Ундино-Посельская СОШ»;75001;да;да;2025–2027
        750010003;МОУ «Жидкинская СОШ»;75001;нет;да;2025–2027
        750020001;МБОУ «СОШ № 7» г. Читы;75002;да;нет;2025–2027
        750020002;МБОУ «СОШ № 21» г. Читы;75002;да;да;2025–2027
        """
    static let users = """
        login;full_name;email;role;scope_code
        fioco;Оператор ФИОКО;fioco@example.org;federal;
        region75;Соколова Анна Викторовна;region75@example.org;regional;75
        mun-baley;Кузнецов Олег Петрович;baley@example.org;municipal;75001
        mun-chita;Лебедева Мария Сергеевна;chita@example.org;municipal;75002
        curator-ivanova;Иванова Елена Николаевна;ivanova@example.org;curator;75
        curator-petrov;Петров Сергей Иванович;petrov@example.org;curator;75
        school-750010001;Команда Балейской СОШ № 1;baley1@school.example.org;school;750010001
        school-750010002;Команда Ундино-Посельской СОШ;undino@school.example.org;school;750010002
        school-750010003;Команда Жидкинской СОШ;zhidka@school.example.org;school;750010003
        school-750020001;Команда СОШ № 7 г. Читы;chita7@school.example.org;school;750020001
        school-750020002;Команда СОШ № 21 г. Читы;chita21@school.example.org;school;750020002
        """

    static func assignments(_ campaign: String) -> String {
        """
        campaign_code;school_code;curator_login
        \(campaign);750010001;curator-ivanova
        \(campaign);750010002;curator-ivanova
        \(campaign);750010003;curator-petrov
        \(campaign);750020001;curator-petrov
        \(campaign);750020002;curator-ivanova
        \(campaign);750020002;curator-petrov
        """
    }

    /// Seeds an empty database; returns false (changing nothing) when it already has users.
    @discardableResult
    public static func seed(into service: MEDKService) async throws -> Bool {
        guard try await !service.isInitialized() else { return false }
        // The story is told relative to the day the demo is made, in the region's zone: on any day a
        // newcomer sees work done, work late and deadlines ahead, never a year of everything overdue.
        let calendar = try RegionCalendar(timeZoneIdentifier: "Asia/Chita")
        let today = calendar.date(of: service.clock.now())
        let year = today.year
        _ = try await service.initialize(adminLogin: "admin", fullName: "Администратор МЭДК", password: password)
        for (kind, text) in [(ImportKind.regions, regions), (.municipalities, municipalities), (.schools, schools), (.users, users)] {
            _ = try await service.importCSV(kind, text: text, dryRun: false, by: .local)
        }
        for account in accounts where account.login != "admin" {
            try await service.setPassword(by: .local, login: account.login, password: password)
        }
        // Every account has an address, so that reminders and digests can be watched in a local mail sink.
        _ = try await service.setMailPreferences(email: "admin@example.org", enabled: Set(MailKind.allCases),
                                                 by: try await service.actor(login: "admin"))
        let campaignCode = "500plus-\(year)"
        let campaign = try await service.createCampaign(by: .local, code: campaignCode, name: "500+ \(year)", year: year,
                                                        milestones: milestones(around: today))
        _ = try await service.importCSV(.assignments, text: assignments(campaignCode), dryRun: false, by: .local)
        let history = History(service: service, campaignID: campaign.campaign.id, today: today, calendar: calendar)
        try await history.play()
        try await history.results()
        return true
    }

    /// The rest of the region's schools, outside the campaign: identification needs a region's
    /// worth of schools for its chart and cut points to mean anything.
    static let otherMunicipalities: [(code: String, name: String, places: [String])] = [
        ("75001", "Балейский муниципальный округ", ["Казаковская", "Нижнегирюнинская", "Ильинская", "Подойницынская", "Матусовская"]),
        ("75002", "Городской округ «Город Чита»", []),
        ("75003", "Читинский район", ["Смоленская", "Верх-Читинская", "Домнинская", "Новокукинская", "Сивяковская", "Арахлейская", "Ленинская", "Засопкинская"]),
        ("75004", "Краснокаменский муниципальный округ", ["Краснокаменская", "Ковылинская", "Капцегайтуйская", "Юбилейнинская"]),
        ("75005", "Нерчинский район", ["Нерчинская", "Знаменская", "Олинская", "Зюльзинская", "Бишигинская", "Савватеевская"]),
        ("75006", "Агинский район", ["Агинская", "Новоорловская", "Амитхашинская", "Цокто-Хангильская", "Хойто-Агинская"]),
    ]

    /// Codes and CSV rows of the region's other schools: Chita's numbered city schools, and village
    /// schools (a numbered one where a place has several) elsewhere.
    static func otherSchools() -> (municipalities: String, schools: String, codes: [String]) {
        var municipalities = ["code;name;region_code"]
        var schools = ["code;name;municipality_code;low_results;hard_social;programme_years"]
        var codes: [String] = []
        for (code, name, places) in otherMunicipalities {
            if !["75001", "75002"].contains(code) { municipalities.append("\(code);\(name);75") }
            var names: [String] = []
            if code == "75002" {
                names = (1...52).filter { ![7, 21].contains($0) }.map { "МБОУ «СОШ № \($0)» г. Читы" }
            } else {
                for (index, place) in places.enumerated() {
                    let count = index == 0 ? 4 : 1 + index % 3
                    names += (1...count).map { count == 1 ? "МОУ «\(place) СОШ»" : "МОУ «\(place) СОШ № \($0)»" }
                }
            }
            for (index, schoolName) in names.enumerated() {
                let schoolCode = "\(code)\(String(format: "%04d", 100 + index))"
                schools.append("\(schoolCode);\(schoolName);\(code);нет;нет;")
                codes.append(schoolCode)
            }
        }
        return (municipalities.joined(separator: "\n"), schools.joined(separator: "\n"), codes)
    }

    /// The campaign's calendar around `today`: the risk profile and the concept documents behind,
    /// the roadmap just past, the interim report in under two weeks, the final report months ahead.
    static func milestones(around today: CalendarDate) -> [MilestoneInput] {
        [
            .init(kind: .riskProfile, title: "Выбор рискового профиля", dueDate: today.adding(days: -75)),
            .init(kind: .developmentConcept, title: "Концепция развития", dueDate: today.adding(days: -28)),
            .init(kind: .midtermProgramme, title: "Среднесрочная программа развития", dueDate: today.adding(days: -28)),
            .init(kind: .antiriskProgramme, title: "Программы антирисковых мер", dueDate: today.adding(days: -28)),
            .init(kind: .roadmap, title: "Дорожная карта", dueDate: today.adding(days: -14)),
            .init(kind: .interimReport, title: "Промежуточный мониторинг", dueDate: today.adding(days: 12)),
            .init(kind: .finalReport, title: "Итоговый отчёт", dueDate: today.adding(days: 150)),
        ]
    }

    /// Plays the campaign's work so far through the real use cases, at the times it would have
    /// happened, counted in days before `today`.
    private struct History {
        let service: MEDKService
        let campaignID: Int64
        let today: CalendarDate
        let calendar: RegionCalendar

        /// The service as it was `daysAgo` days before today at that local time.
        func at(_ daysAgo: Int, _ hour: Int, _ minute: Int = 0) -> MEDKService {
            let start = calendar.startOfDay(today.adding(days: -daysAgo))
            return service.with(clock: ManualClock(start.addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))))
        }

        func actor(_ login: String) async throws -> Actor { try await service.actor(login: login) }

        /// Four years of results for the whole region; last year's list approved by the region, this
        /// year's draft open for objections with one from Baley waiting for the region's decision.
        func results() async throws {
            let others = DemoData.otherSchools()
            _ = try await service.importCSV(.municipalities, text: others.municipalities, dryRun: false, by: .local)
            _ = try await service.importCSV(.schools, text: others.schools, dryRun: false, by: .local)
            let programme = ["750010001", "750010002", "750010003", "750020001", "750020002"]
            let files = SyntheticResults.files(codes: programme + others.codes, years: (today.year - 4)...today.year, seed: 75,
                                               struggling: Set(programme))
            let region = Operator.user(try await actor("region75"))
            _ = try await at(70, 10).resultsData.importFile(.components, text: files.components, fileName: "Результаты ЕГЭ ОГЭ ВПР.csv",
                                                            dryRun: false, by: region)
            _ = try await at(70, 10, 5).resultsData.importFile(.social, text: files.social, fileName: "Социальный контекст.csv",
                                                               dryRun: false, by: region)
            let lastYear = try await at(60, 11).identificationLists.prepare(
                regionCode: "75", year: today.year - 1, objectionsUntil: today.adding(days: -50), by: region)
            _ = try await at(45, 12).identificationLists.approve(listID: lastYear.id, by: region)
            let draft = try await at(3, 11).identificationLists.prepare(regionCode: "75", year: today.year,
                                                                        objectionsUntil: today.adding(days: 7), by: region)
            // The concept's indicators with this year's plans as a regional programme words them, and one fact entered.
            let indicators = try await at(40, 10).targetIndicators.adoptCatalogue(regionCode: "75", by: region)
            let plans = ["1.2": "не менее 20% школ данной категории", "1.3.1": "не менее 80% педагогов", "1.4.2": "для 50% школ",
                         "М.1": "в 100% школ", "М.2": "не менее 3 школ в год"]
            for indicator in indicators {
                guard let wording = plans[indicator.code] else { continue }
                _ = try await at(40, 11).targetIndicators.setPlan(indicatorID: indicator.id, year: today.year, wording: wording, by: region)
            }
            if let teachers = indicators.first(where: { $0.code == "1.3.1" }) {
                // Entered with the centre's note as evidence, now waiting in the federal operator's queue.
                try await at(5, 16).targetIndicators.enterFact(
                    indicatorID: teachers.id, year: today.year, value: 64, comment: "Мониторинг ЦНППМ: диагностику прошли 412 из 644 педагогов ШНОР",
                    fileName: "Справка ЦНППМ о диагностике.pdf", chunks: OneChunk(bytes: samplePDF("CNPPM note")), by: try await actor("region75"))
            }
            let baley = try await actor("mun-baley")
            let view = try await at(1, 15).identificationLists.allEntries(listID: draft.id, by: .user(baley)).1
            // Baley asks to keep in the programme a school the rules would let go, or to take in one placed without certainty.
            let outside = view.filter { !$0.proposed.lowResults && $0.placement.resultsIndex != nil }
            if let line = view.first(where: { $0.changesFlags && !$0.proposed.lowResults }) ?? view.first(where: \.changesFlags)
                ?? outside.first(where: \.placement.uncertain) ?? outside.min(by: { $0.placement.resultsIndex! < $1.placement.resultsIndex! }) {
                var wanted = line.proposed
                wanted.lowResults.toggle()
                _ = try await at(1, 15).identificationLists.object(
                    listID: draft.id, schoolCode: line.schoolCode, wanted: wanted,
                    reason: wanted.lowResults
                        ? "Результаты школы у порога и держатся за счёт двух сильных классов; в остальных — отток учителей математики. "
                            + "Просим \(line.before.lowResults ? "оставить школу в программе" : "включить школу в программу"): "
                            + "без поддержки она опустится ниже порога."
                        : "Рост результатов — заслуга программы прошлых лет; просим вывести школу, чтобы поддержка пошла тем, кому она нужнее.",
                    by: baley)
            }
        }

        func schoolID(_ code: String) async throws -> Int64 {
            try await service.school(code: code).id
        }

        func play() async throws {
            let curator = try await actor("curator-ivanova")

            // 750010001: everything on time, the concept uploaded at 23:30 local time on its due date;
            // of its roadmap's measures one is reported and confirmed, one is late, one falls due in
            // three days and one later.
            let s1 = try await actor("school-750010001")
            let profile1 = try await riskProfile(school: "750010001", by: s1, chosen: [2, 3, 8], daysAgo: 90)
            try await decide(profile1, .confirm, by: curator, daysAgo: 86, comment: nil)
            let concept1 = try await document(.developmentConcept, school: "750010001", by: s1, daysAgo: 28, hour: 23, minute: 30)
            try await decide(concept1, .confirm, by: curator, daysAgo: 24, comment: "Концепция соответствует рисковому профилю.")
            let roadmap1 = try await roadmap(school: "750010001", by: s1, daysAgo: 16)
            try await decide(roadmap1, .confirm, by: curator, daysAgo: 14, comment: nil)
            try await reportFirstMeasure(of: roadmap1, by: s1, daysAgo: 11, confirmedBy: curator)

            // 750010002: profile confirmed, concept returned for revision and not yet fixed.
            let s2 = try await actor("school-750010002")
            let profile2 = try await riskProfile(school: "750010002", by: s2, chosen: [1, 9], daysAgo: 82)
            try await decide(profile2, .confirm, by: curator, daysAgo: 78, comment: nil)
            let concept2 = try await document(.developmentConcept, school: "750010002", by: s2, daysAgo: 30, hour: 16)
            try await decide(concept2, .return, by: curator, daysAgo: 25,
                             comment: """
                                 Исправьте, пожалуйста:
                                 1. Цели концепции не связаны с выбранными рисками.
                                 2. Уточните задачи по фактору «Низкий уровень вовлеченности родителей».
                                 """)

            // 750010003: profile sent after its deadline, still waiting for the curator.
            let s3 = try await actor("school-750010003")
            _ = try await riskProfile(school: "750010003", by: s3, chosen: [10], daysAgo: 70)

            // 750020001: nothing submitted (missing everywhere); its curator has nothing waiting.

            // 750020002: profile submitted 00:30 local time the day after its deadline: late.
            let s5 = try await actor("school-750020002")
            _ = try await riskProfile(school: "750020002", by: s5, chosen: [4, 7], daysAgo: 74, hour: 0, minute: 30)
        }

        func riskProfile(school: String, by actor: Actor, chosen: Set<Int>, daysAgo: Int,
                         hour: Int = 15, minute: Int = 0) async throws -> ItemDetail {
            let at = at(daysAgo, hour, minute)
            let item = try await at.createItem(NewItem(campaignID: campaignID, kind: .riskProfile, schoolID: try await schoolID(school)), by: actor)
            let entries = (1...10).map { RiskProfileInput(number: $0, significance: chosen.contains($0) ? .high : ($0 % 3 == 0 ? .medium : .low),
                                                          chosen: chosen.contains($0)) }
            let filled = try await at.setRiskProfile(itemID: item.item.id, entries: entries, by: actor)
            return try await at.transition(itemID: item.item.id, TransitionRequest(action: .submit, expectedState: .draft,
                                                                                   expectedRevision: filled.item.revision), by: actor)
        }

        func document(_ kind: ItemKind, school: String, by actor: Actor, daysAgo: Int, hour: Int, minute: Int = 0) async throws -> ItemDetail {
            let at = at(daysAgo, hour, minute)
            let item = try await at.createItem(NewItem(campaignID: campaignID, kind: kind, schoolID: try await schoolID(school)), by: actor)
            let withFile = try await at.upload(itemID: item.item.id, fileName: "\(kind.rawValue)-\(school).pdf",
                                               chunks: OneChunk(bytes: samplePDF(kind.russianName)), by: actor)
            return try await at.transition(itemID: item.item.id, TransitionRequest(action: .submit, expectedState: .draft,
                                                                                   expectedRevision: withFile.item.revision), by: actor)
        }

        func roadmap(school: String, by actor: Actor, daysAgo: Int) async throws -> ItemDetail {
            let at = at(daysAgo, 11)
            let item = try await at.createItem(NewItem(campaignID: campaignID, kind: .roadmap, schoolID: try await schoolID(school)), by: actor)
            let measures = [
                MeasureInput(task: "Вовлечь родителей в жизнь школы", title: "Родительское собрание по итогам диагностики",
                             dueDate: today.adding(days: -10), responsible: "Классные руководители",
                             expectedResult: "Родители знают о рисках и мерах школы", indicator: "Доля родителей на собрании",
                             plannedValue: "70 %", riskFactorNumber: 3),
                MeasureInput(task: "Восполнить дефицит педагогических кадров", title: "Привлечение молодых специалистов по программе «Земский учитель»",
                             dueDate: today.adding(days: -5), responsible: "Директор школы",
                             expectedResult: "Укомплектованность штата", indicator: "Доля вакансий", plannedValue: "0 %", riskFactorNumber: 2),
                MeasureInput(task: "Повысить методическую компетентность", title: "Курсы повышения квалификации учителей математики",
                             dueDate: today.adding(days: 3), responsible: "Заместитель директора по УВР",
                             expectedResult: "Учителя прошли курсы", indicator: "Число обученных учителей", plannedValue: "4", riskFactorNumber: 3),
                MeasureInput(task: "Снизить долю обучающихся с рисками неуспешности", title: "Индивидуальные образовательные маршруты",
                             dueDate: today.adding(days: 45), responsible: "Классные руководители",
                             expectedResult: "Маршруты для всех обучающихся группы риска", indicator: "Доля обучающихся с маршрутами",
                             plannedValue: "100 %", riskFactorNumber: 8),
            ]
            for measure in measures { _ = try await at.addMeasure(roadmapID: item.item.id, measure, by: actor) }
            let current = try await at.item(item.item.id, for: actor)
            return try await at.transition(itemID: item.item.id, TransitionRequest(action: .submit, expectedState: .draft,
                                                                                   expectedRevision: current.item.revision), by: actor)
        }

        /// The roadmap's first measure reported with its evidence the day before it was due, and confirmed.
        func reportFirstMeasure(of roadmap: ItemDetail, by actor: Actor, daysAgo: Int, confirmedBy curator: Actor) async throws {
            let at = at(daysAgo, 14)
            guard let measure = try await at.item(roadmap.item.id, for: actor).measures?.first else { return }
            let report = try await at.reportMeasure(measure.id, actualValue: "74 %", by: actor)
            let sent = try await at.measureReports.file(
                reportID: report.item.id, MeasureReportInput(actualValue: "74 %", fileName: "протокол-собрания.pdf", submit: true),
                chunks: OneChunk(bytes: samplePDF("Protocol")), by: actor)
            try await decide(sent, .confirm, by: curator, daysAgo: daysAgo - 2, comment: "Протокол приложен, явка выше плана.")
        }

        func decide(_ item: ItemDetail, _ action: ReviewAction, by actor: Actor, daysAgo: Int, comment: String?) async throws {
            _ = try await at(daysAgo, 10).transition(
                itemID: item.item.id,
                TransitionRequest(action: action, expectedState: .submitted, expectedRevision: item.item.revision, comment: comment),
                by: actor)
        }
    }

    /// A minimal valid one-page PDF, so that demo downloads open in any viewer.
    public static func samplePDF(_ title: String) -> [UInt8] {
        let text = title.unicodeScalars.filter(\.isASCII).map(String.init).joined()
        let content = "BT /F1 18 Tf 72 720 Td (MEDK demo document \(text)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(pdf.utf8)
    }
}

extension MEDKService {
    /// The demonstration accounts that still open with the published demo password. `medk serve`
    /// outside demo mode refuses to start while there are any: anyone who read the README could
    /// sign in as the administrator. At most a handful of password checks, only for demo logins
    /// that exist.
    public func accountsWithDemoPassword() async throws -> [String] {
        let logins = DemoData.accounts.map(\.login)
        let hashes: [(String, String)] = try await read { store in
            try logins.compactMap { login in
                guard let user = try store.user(login: login), user.isActive, let hash = user.passwordHash else { return nil }
                return (login, hash)
            }
        }
        var open: [String] = []
        for (login, hash) in hashes {
            if try await passwords.verify(DemoData.password, against: hash) { open.append(login) }
        }
        return open
    }
}
