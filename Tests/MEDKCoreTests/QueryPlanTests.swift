import Foundation
import GRDB
@testable import MEDKCore
import MEDKTestSupport
import Synchronization
import Testing

/// Indexes are deliberate: every statement the hot use cases run is planned by SQLite with the
/// statistics of the national dataset (40,000 schools, 2.4 million measures, 12 million audit rows,
/// captured by `ANALYZE` into Fixtures/national-stat1.tsv), and no plan may scan a large table whole.
@Suite("Query plans at national size", .enabled(if: TestWorld.onSQLite, "tampers with, reads or plans on the SQLite file itself"))
struct QueryPlanTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Tables whose full scan at national size would block a request for seconds.
    static let large: Set<String> = ["items", "measures", "audit_log", "item_files", "users", "user_roles", "schools", "sessions",
                                     "school_progress", "curator_assignments", "campaign_schools", "risk_profile_entries",
                                     "municipalities", "review_rounds", "school_results", "school_social", "identification_entries",
                                     "identification_objections"]

    /// Statements allowed to scan, and why.
    static let allowed: [(fragment: String, reason: String)] = [
        ("medk_fold(", "a substring search in names (administration's user and organisation search) reads the list it searches"),
        ("SELECT (SELECT count(*) FROM regions), (SELECT count(*) FROM municipalities), (SELECT count(*) FROM schools)",
         "the organisation page's three totals count whole tables, from their smallest index"),
        ("WHERE TRUE AND rr.closed_at IS NULL",
         "the country's documents on review now walk the partial index of open rounds: as long as what waits, not the table"),
        ("coalesce(sum(cr.revision), 0)",
         "the country's report reads every municipality's compliance counter once (2,500 rows of a covering index) to reuse the regions that stood still"),
    ]

    final class Recorder: Sendable {
        let statements = Mutex<[String]>([])
        func record(_ sql: String) { statements.withLock { $0.append(sql) } }
        func take() -> [String] { statements.withLock { let all = $0; $0 = []; return all } }
    }

    /// A page read in the list's own order (rowid or an index) with a LIMIT and no sort stops as soon
    /// as the page is full: the newest audit rows, users by login, the newest items of the country.
    /// It shows as a scan of the listed table, first in the plan, with only key lookups after it.
    static func stopsWhenPageIsFull(_ sql: String, plan: [String]) -> Bool {
        guard sql.firstMatch(of: #/ORDER BY [^;]+ LIMIT \d+$/#) != nil, !plan.contains(where: { $0.contains("TEMP B-TREE") }),
              let first = plan.first, first.hasPrefix("SCAN ") else { return false }
        return plan.dropFirst().allSatisfy { line in
            line.hasPrefix("SEARCH ") && (line.contains("PRIMARY KEY") || line.contains("(rowid=?)") || line.contains("=?)"))
                || line.hasPrefix("CORRELATED SCALAR SUBQUERY") || line.hasPrefix("SCALAR SUBQUERY")
        }
    }

    /// The total of a whole, unfiltered list (the federal operator's items, the administrator's users)
    /// counts at most `Page.countLimit` index entries and stops: a scan, bounded by its LIMIT.
    static func countsWholeList(_ sql: String) -> Bool {
        sql.firstMatch(of: #/^SELECT count\(\*\) FROM \(SELECT 1 FROM \w+ \w+ WHERE TRUE LIMIT \d+\) AS counted$/#) != nil
    }

    /// One row inserted with its new id returned. With RETURNING, SQLite's plan also lists the
    /// foreign-key programs that scan the tables referring to the new row; they run only while
    /// deferred violations are outstanding, which MEDK's immediate constraints never leave.
    static func insertsOneRow(_ sql: String) -> Bool {
        sql.trimmingCharacters(in: .whitespacesAndNewlines)
            .firstMatch(of: #/^INSERT INTO \w+ \([^)]*\)\s+VALUES \([?, \d']*\) RETURNING id$/#) != nil
    }

    /// `SCAN x` lines naming a large table (directly or by its alias in the statement).
    static func fullScans(_ plan: [String], sql: String) -> [String] {
        var aliases: [String: String] = [:]
        for match in sql.matches(of: #/(?i:FROM|JOIN)\s+(\w+)(?:\s+(?i:AS\s+)?(\w+))?/#) {
            let table = String(match.1)
            aliases[table] = table
            if let alias = match.2, !["WHERE", "JOIN", "LEFT", "ON", "ORDER", "GROUP", "LIMIT"].contains(alias.uppercased()) {
                aliases[String(alias)] = table
            }
        }
        return plan.filter { line in
            guard let match = line.firstMatch(of: #/^SCAN (\w+)/#) else { return false }
            return large.contains(aliases[String(match.1)] ?? String(match.1))
        }
    }

    /// The statements the hot use cases run on `database`, in a fresh world in `directory`.
    static func hotPathStatements(database: DatabaseChoice, directory: URL) async throws -> Set<String> {
        let recorder = Recorder()
        let clock = ManualClock(TestWorld.instant("2026-05-10 10:00", zone: "Asia/Chita"))
        let service = try MEDKService(dataDirectory: directory, database: database, clock: clock, hasher: .fastForTests,
                                      statementTrace: { recorder.record($0) })
        let world = try await HotPaths(service: service, clock: clock)
        try await world.populate()
        _ = recorder.take()
        try await world.exercise()
        return Set(recorder.take())
    }

    @Test("no statement of the hot use cases scans a whole large table under national statistics")
    func noFullScans() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medk-plans-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let statements = try await Self.hotPathStatements(database: .embedded, directory: directory)
        #expect(statements.count > 60, "the hot paths ran")

        // Plan each with the national statistics, on a connection of its own.
        let stats = try String(contentsOf: Self.fixtures.appendingPathComponent("national-stat1.tsv"), encoding: .utf8)
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("medk.sqlite").path)
        defer { try? queue.close() }
        let problems: [String] = try await queue.write { db in
            db.add(function: SearchFolding.makeFunction())
            try db.execute(sql: "ANALYZE; DELETE FROM sqlite_stat1")
            for line in stats.split(separator: "\n") where !line.hasPrefix("#") {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard fields.count == 3 else { continue }
                try db.execute(sql: "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                               arguments: [fields[0], fields[1].isEmpty ? nil : fields[1], fields[2]])
            }
            try db.execute(sql: "ANALYZE sqlite_schema")
            var problems: [String] = []
            for sql in statements.sorted() {
                let verb = sql.trimmingCharacters(in: .whitespacesAndNewlines).prefix(6).uppercased()
                guard ["SELECT", "UPDATE", "DELETE", "INSERT"].contains(verb) else { continue }
                // Planned with every parameter NULL: plans do not depend on values without stat4.
                let statement = try db.makeStatement(sql: "EXPLAIN QUERY PLAN " + sql)
                let count = (0...200).first { count in
                    (try? statement.validateArguments(StatementArguments(Array(repeating: nil as String?, count: count)))) != nil
                } ?? 0
                statement.setUncheckedArguments(StatementArguments(Array(repeating: nil as String?, count: count)))
                let plan = try Row.fetchAll(statement).map { $0["detail"] as String }
                let scans = Self.fullScans(plan, sql: sql)
                if !scans.isEmpty && !Self.allowed.contains(where: { sql.contains($0.fragment) })
                    && !Self.stopsWhenPageIsFull(sql, plan: plan) && !Self.countsWholeList(sql) && !Self.insertsOneRow(sql) {
                    problems.append("\(scans.joined(separator: "; ")) ← \(sql.replacingOccurrences(of: "\n", with: " "))")
                }
            }
            return problems
        }
        #expect(problems == [], "\(problems.joined(separator: "\n"))")
    }

    @Test("the check sees a full scan when there is one")
    func checkSeesScans() {
        #expect(Self.fullScans(["SCAN i", "SEARCH s USING INTEGER PRIMARY KEY (rowid=?)"],
                               sql: "SELECT i.id FROM items i JOIN schools s ON s.id = i.school_id WHERE i.title = ?") == ["SCAN i"])
        #expect(Self.fullScans(["SCAN regions"], sql: "SELECT * FROM regions") == [])
        #expect(Self.fullScans(["SEARCH i USING INDEX items_school (school_id=?)"], sql: "SELECT * FROM items i WHERE school_id = ?") == [])
        #expect(Self.stopsWhenPageIsFull("SELECT a.seq FROM audit_log a WHERE TRUE ORDER BY a.seq DESC LIMIT 51", plan: ["SCAN a"]))
        #expect(!Self.stopsWhenPageIsFull("SELECT u.id FROM users u WHERE TRUE ORDER BY u.full_name LIMIT 51",
                                          plan: ["SCAN u", "USE TEMP B-TREE FOR ORDER BY"]))
        #expect(!Self.stopsWhenPageIsFull("SELECT i.id FROM items i JOIN schools s ON s.id = i.school_id ORDER BY i.id DESC LIMIT 51",
                                          plan: ["SCAN s", "SEARCH i USING INDEX items_school (school_id=?)", "USE TEMP B-TREE FOR ORDER BY"]))
        #expect(!Self.stopsWhenPageIsFull("SELECT count(*) FROM items i WHERE i.title = ?", plan: ["SCAN i"]))
        #expect(Self.countsWholeList("SELECT count(*) FROM (SELECT 1 FROM items i WHERE TRUE LIMIT 10001) AS counted"))
        #expect(!Self.countsWholeList("SELECT count(*) FROM (SELECT 1 FROM items i WHERE i.title = ? LIMIT 10001) AS counted"))
    }
}

/// A small world and the calls people make all day, for tracing what SQL they run.
struct HotPaths {
    let service: MEDKService
    let clock: ManualClock
    var campaignID: Int64 = 0

    init(service: MEDKService, clock: ManualClock) async throws {
        self.service = service
        self.clock = clock
        _ = try await service.initialize(adminLogin: "admin", fullName: "Администратор", password: TestWorld.password)
        for (kind, text) in [(ImportKind.regions, TestWorld.regions), (.municipalities, TestWorld.municipalities),
                             (.schools, TestWorld.schools), (.users, TestWorld.users)] {
            _ = try await service.importCSV(kind, text: text, dryRun: false, by: .local)
        }
        try await service.setPassword(by: .local, login: "curator1", password: TestWorld.password)
        campaignID = try await service.createCampaign(by: .local, code: "C2026", name: "500+ 2026", year: 2026).campaign.id
        _ = try await service.importCSV(.assignments, text: TestWorld.assignments, dryRun: false, by: .local)
    }

    func actor(_ login: String) async throws -> Actor { try await service.actor(login: login) }

    /// A roadmap with measures, confirmed, one measure reported and confirmed, a document returned.
    func populate() async throws {
        let school = try await actor("school-A")
        let schoolID = try await service.school(code: "A").id
        let profile = try await service.createItem(NewItem(campaignID: campaignID, kind: .riskProfile, schoolID: schoolID), by: school)
        _ = try await service.setRiskProfile(itemID: profile.item.id, entries: [RiskProfileInput(number: 3, significance: .high, chosen: true)],
                                             by: school)
        var roadmap = try await service.createItem(NewItem(campaignID: campaignID, kind: .roadmap, schoolID: schoolID), by: school)
        for due in ["2026-06-01", "2026-09-01"] {
            _ = try await service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
                task: "Задача", title: "Мероприятие", dueDate: CalendarDate(due)!, responsible: "Директор", expectedResult: "Результат",
                indicator: "Показатель", plannedValue: "1", riskFactorNumber: 3), by: school)
        }
        roadmap = try await service.item(roadmap.item.id, for: school)
        roadmap = try await service.transition(itemID: roadmap.item.id, TransitionRequest(action: .submit, expectedState: .draft), by: school)
        _ = try await service.transition(itemID: roadmap.item.id, TransitionRequest(action: .confirm, expectedState: .submitted),
                                         by: try await actor("curator1"))
        clock.advance(by: 40 * 86_400)
    }

    /// The calls of a day: signing in, lists, items, decisions, reports, monitoring, administration.
    func exercise() async throws {
        let login = try await service.login("curator1", password: TestWorld.password)
        let curator = try await service.authenticate(token: login.token)
        let school = try await actor("school-A")
        let schoolID = try await service.school(code: "A").id
        let roadmapID = try #require(try await service.items(for: school, filter: ItemFilter(kind: .roadmap)).items.first?.id)
        // The documents list in each of its orders, for the country, a region and a school.
        for login in ["federal", "reg-R1", "school-A"] {
            for sort in ItemSort.allCases {
                _ = try await service.items(for: try await actor(login), filter: ItemFilter(sort: sort))
            }
        }
        let measures = try #require(try await service.item(roadmapID, for: school).measures)

        // A school's document through review.
        var concept = try await service.createItem(NewItem(campaignID: campaignID, kind: .developmentConcept, schoolID: schoolID), by: school)
        concept = try await service.upload(itemID: concept.item.id, fileName: "к.pdf", chunks: OneChunk(bytes: TestWorld.pdf("к")), by: school)
        concept = try await service.transition(itemID: concept.item.id, TransitionRequest(action: .submit, expectedState: .draft), by: school)
        concept = try await service.transition(itemID: concept.item.id, TransitionRequest(action: .return, expectedState: .submitted,
                                                                                          comment: "Исправьте"), by: curator)
        _ = try await service.comment(itemID: concept.item.id, text: "Исправим", by: school)
        _ = try await service.itemHistory(concept.item.id, for: school)

        // A measure reported, edited, another removed and added again.
        var report = try await service.reportMeasure(measures[0].id, actualValue: "1", by: school)
        report = try await service.upload(itemID: report.item.id, fileName: "о.pdf", chunks: OneChunk(bytes: TestWorld.pdf("о")), by: school)
        report = try await service.transition(itemID: report.item.id, TransitionRequest(action: .submit, expectedState: .draft), by: school)
        _ = try await service.transitionAll([(report.item.id, TransitionRequest(action: .confirm, expectedState: .submitted))], by: curator)
        _ = try await service.transition(itemID: roadmapID, TransitionRequest(action: .reopen, expectedState: .confirmed, comment: "Правка"),
                                         by: school)
        _ = try await service.updateMeasure(measures[1].id, MeasureInput(
            task: "Задача", title: "Мероприятие", dueDate: CalendarDate("2026-10-01")!, responsible: "Директор", expectedResult: "Результат",
            indicator: "Показатель", plannedValue: "2", riskFactorNumber: 3), by: school)
        try await service.removeMeasure(measures[1].id, by: school)

        // Lists and monitoring, for everyone who opens them.
        for login in ["curator1", "school-A", "mun-M1", "reg-R1", "federal"] {
            let actor = try await actor(login)
            let page = try await service.items(for: actor, page: PageRequest(limit: 2))
            _ = try await service.items(for: actor, filter: ItemFilter(campaignID: campaignID, state: .submitted), page: PageRequest(limit: 2,
                                                                                                                                   after: page.nextCursor))
            _ = try await service.items(for: actor, filter: ItemFilter(schoolCode: "A", kind: .developmentConcept))
            let queue = try await service.queue(for: actor, page: PageRequest(limit: 1))
            _ = try await service.queue(for: actor, page: PageRequest(limit: 1, after: queue.nextCursor))
            for sort in OverdueSort.allCases {
                let overdue = try await service.overdueMeasures(OverdueQuery(sort: sort, page: PageRequest(limit: 1)), for: actor)
                _ = try await service.overdueMeasures(OverdueQuery(sort: sort, page: PageRequest(limit: 1, after: overdue.measures.nextCursor)),
                                                      for: actor)
            }
            _ = try await service.overdueMeasures(OverdueQuery(schoolCode: "A"), for: actor)
            _ = try await service.schoolOverview(schoolCode: "A", for: actor)
            _ = try? await service.schoolChoices(for: actor)
        }
        let regional = try await actor("reg-R1"), federal = try await actor("federal"), municipal = try await actor("mun-M1")
        _ = try await service.overdueMeasures(OverdueQuery(regionCode: "R1", curatorLogin: "curator1"), for: regional)
        _ = try await service.overdueMeasures(OverdueQuery(municipalityCode: "M1"), for: regional)
        for asOf in [nil, CalendarDate("2026-05-01")] {
            _ = try await service.deadlines(DeadlinesQuery(asOf: asOf), for: municipal)
            _ = try await service.deadlines(DeadlinesQuery(regionCode: "R1", asOf: asOf, onlyLagging: true), for: regional)
            _ = try await service.deadlines(DeadlinesQuery(asOf: asOf), for: federal)
        }
        for (actor, query) in [(municipal, ReviewTimesQuery()), (regional, ReviewTimesQuery(regionCode: "R1")),
                               (regional, ReviewTimesQuery(municipalityCode: "M1")), (federal, ReviewTimesQuery())] {
            _ = try await service.reviewTimes(query, for: actor)
        }
        _ = try await service.curatorAssignments(campaignCode: nil, for: regional)
        _ = try await service.users(UserQuery(role: .curator, regionID: try await service.region(code: "R1").id), by: .user(regional))
        _ = try await service.users(UserQuery(), by: .local)
        _ = try await service.schools(OrganisationQuery(regionID: try await service.region(code: "R1").id))
        _ = try await service.auditLog(by: .user(federal))
        _ = try await service.auditLog(AuditQuery(entityType: .item, entityID: roadmapID), by: .user(federal))

        // A region's results: loaded, a list drawn up, read by the region and a municipality, objected to, decided, approved.
        let data = service.resultsData, lists = service.identificationLists
        _ = try await data.importFile(.components, text: "Код школы;Год;Экзамен;Предмет;Средний балл;Участников\nA;2025;ОГЭ;математика;3,5;40\n"
                                      + "B;2025;ОГЭ;математика;4,1;40\nA;2026;ОГЭ;математика;3,4;40\nB;2026;ОГЭ;математика;4,2;40",
                                      fileName: "c.csv", dryRun: false, by: .user(regional))
        _ = try await data.importFile(.social, text: "Код школы;Год;Показатель;Значение\nA;2025;x;0,4\nB;2025;x;0,1", fileName: "s.csv",
                                      dryRun: false, by: .user(regional))
        var method = IdentificationMethod.seed000
        method.social = [SocialComponent("x")]
        let list = try await lists.prepare(regionCode: "R1", year: 2026, method: method, objectionsUntil: CalendarDate("2026-12-31")!,
                                           by: .user(regional))
        _ = try await service.resultsOverviews.overview(regionCode: nil, by: .user(regional))
        _ = try await service.resultsOverviews.overview(regionCode: nil, by: .user(municipal))
        for filter in ListEntryFilter.allCases {
            _ = try await lists.view(listID: list.id, filter: filter, page: PageRequest(limit: 1), by: .user(regional))
        }
        let page = try await lists.view(listID: list.id, filter: .all, page: PageRequest(limit: 1), by: .user(municipal))
        _ = try await lists.view(listID: list.id, filter: .all, page: PageRequest(limit: 1, after: page.entries.nextCursor), by: .user(municipal))
        let entry = try #require(page.entries.items.first)
        let objection = try await lists.object(listID: list.id, schoolCode: entry.schoolCode,
                                               wanted: ProgrammeFlags(lowResults: !entry.proposed.lowResults, hardSocialConditions: false),
                                               reason: "Причина", by: municipal)
        _ = try await lists.decide(objectionID: objection.id, accept: true, comment: nil, by: .user(regional))
        _ = try await lists.approve(listID: list.id, closingObjectionsEarly: true, by: .user(regional))
        _ = try await lists.verify(listID: list.id, by: .user(regional))
        try await service.logout(token: login.token)
    }
}
