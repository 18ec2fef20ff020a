import Foundation
import Synchronization
@testable import MEDKCore

/// A small territory for tests, in a fresh temporary data directory, with a clock the test
/// controls and cheap password hashing:
///
/// - region "R1" (Asia/Chita): municipality "M1" with schools A, B, C; municipality "M2" with school D
/// - region "R2" (Europe/Moscow): municipality "M3" with school E
/// - curator1 curates A and B; curator2 curates C, D and E (E in another region only for the matrix)
/// - users school-A … school-E, curator1, curator2, mun-M1, mun-M2, reg-R1, reg-R2, federal, admin
/// - campaign "C2026" with the standard milestones and FIOCO's ten risk factors
public final class TestWorld: Sendable {
    public let service: MEDKService
    public let clock: ManualClock
    public let directory: URL
    /// The database this world's service uses: a second server may share it (PostgreSQL).
    public let database: DatabaseChoice
    public let campaignID: Int64
    public static let password = "пароль-для-тестов"

    public static let regions = """
        code;name;time_zone
        R1;Забайкальский край;Asia/Chita
        R2;Москва;Europe/Moscow
        """
    public static let municipalities = """
        code;name;region_code
        M1;Балейский округ;R1
        M2;Город Чита;R1
        M3;Район Москвы;R2
        """
    public static let schools = """
        code;name;municipality_code;low_results;hard_social;programme_years
        A;Школа А;M1;да;нет;2026
        B;Школа Б;M1;да;да;2026
        C;Школа В;M1;нет;да;2026
        D;Школа Г;M2;да;нет;2026
        E;Школа Д;M3;да;нет;2026
        """
    public static let users = """
        login;full_name;email;role;scope_code
        school-A;Команда А;;school;A
        school-B;Команда Б;;school;B
        school-C;Команда В;;school;C
        school-D;Команда Г;;school;D
        school-E;Команда Д;;school;E
        curator1;Куратор Первый;c1@example.org;curator;R1
        curator2;Куратор Второй;c2@example.org;curator;R1
        curator2;Куратор Второй;c2@example.org;curator;R2
        mun-M1;Координатор М1;;municipal;M1
        mun-M2;Координатор М2;;municipal;M2
        reg-R1;Координатор Р1;;regional;R1
        reg-R2;Координатор Р2;;regional;R2
        federal;ФИОКО;;federal;
        """
    public static let assignments = """
        campaign_code;school_code;curator_login
        C2026;A;curator1
        C2026;B;curator1
        C2026;C;curator2
        C2026;D;curator2
        C2026;E;curator2
        """

    /// The backend the tests run on: SQLite, or with MEDK_TEST_BACKEND=postgres a schema of its own
    /// in the cluster MEDK_TEST_POSTGRES_URL names (scripts/test.sh starts one and removes it after).
    public static var backend: String { ProcessInfo.processInfo.environment["MEDK_TEST_BACKEND"] ?? "sqlite" }
    /// Tests of the SQLite file itself (its plans, its WAL, tampering with it) run on SQLite only.
    public static var onSQLite: Bool { backend == "sqlite" }

    public static func database() throws -> DatabaseChoice {
        guard backend == "postgres" else { return .embedded }
        guard let url = try scratchPostgresURL() else {
            throw MEDKError.invalid("no_test_cluster", "MEDK_TEST_BACKEND=postgres needs MEDK_TEST_POSTGRES_URL (scripts/test.sh sets both).")
        }
        return .postgres(url: url, connections: 2)
    }

    /// A schema of its own in the test cluster, as a URL; nil when no cluster is running.
    public static func scratchPostgresURL() throws -> String? {
        guard let cluster = ProcessInfo.processInfo.environment["MEDK_TEST_POSTGRES_URL"] else { return nil }
        let schema = "world_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try PGConnection(url: cluster).execute("CREATE SCHEMA \(schema)")
        let separator = cluster.contains("?") ? "&" : "?"
        return cluster + separator + "options=-csearch_path%3D\(schema),public"
    }

    /// 15 March 2026, 12:00 UTC unless said otherwise.
    public static let defaultStart = Date(timeIntervalSince1970: 1_773_576_000)

    public init(start: Date = TestWorld.defaultStart, maxUploadBytes: Int64 = FileStore.defaultMaxBytes,
                database chosen: DatabaseChoice? = nil, metrics: OperationMetrics = .none) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("medk-test-\(UUID().uuidString)")
        clock = ManualClock(start)
        database = try chosen ?? Self.database()
        service = try MEDKService(dataDirectory: directory, database: database, clock: clock, hasher: .fastForTests,
                                  maxUploadBytes: maxUploadBytes, metrics: metrics)
        _ = try await service.initialize(adminLogin: "admin", fullName: "Администратор", password: Self.password)
        for (kind, text) in [(ImportKind.regions, Self.regions), (.municipalities, Self.municipalities),
                             (.schools, Self.schools), (.users, Self.users)] {
            _ = try await service.importCSV(kind, text: text, dryRun: false, by: .local)
        }
        for line in Self.users.split(separator: "\n").dropFirst() {
            let login = String(line.split(separator: ";")[0])
            try await service.setPassword(by: .local, login: login, password: Self.password)
        }
        campaignID = try await service.createCampaign(by: .local, code: "C2026", name: "500+ 2026", year: 2026).campaign.id
        _ = try await service.importCSV(.assignments, text: Self.assignments, dryRun: false, by: .local)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
        for server in otherServers.withLock({ $0 }) { try? FileManager.default.removeItem(at: server) }
    }

    private let otherServers = Mutex<[URL]>([])

    /// Another server on the same database with a data directory of its own — what a second
    /// `medk serve` behind the balancer is. Nil on SQLite: its database is a file of one machine.
    public func anotherServer() throws -> MEDKService? {
        guard case .postgres = database else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medk-test-\(UUID().uuidString)")
        otherServers.withLock { $0.append(directory) }
        // Servers share the audit key as they share the database (README: one key, kept apart).
        try PrivateFiles.makeDirectory(directory)
        try FileManager.default.copyItem(at: self.directory.appendingPathComponent("audit.key"),
                                         to: directory.appendingPathComponent("audit.key"))
        return try MEDKService(dataDirectory: directory, database: database, clock: clock, hasher: .fastForTests)
    }

    public func actor(_ login: String) async throws -> Actor {
        try await service.actor(login: login)
    }

    public func schoolID(_ code: String) async throws -> Int64 {
        try await service.school(code: code).id
    }

    public func municipalityID(_ code: String) async throws -> Int64 {
        try await service.municipality(code: code).id
    }

    /// The whole audit trail, oldest first.
    public func auditTrail() async throws -> [AuditEntry] {
        try await Self.auditTrail(of: service)
    }

    public static func auditTrail(of service: MEDKService) async throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        var page = PageRequest(limit: PageRequest.maximumLimit)
        while true {
            let chunk = try await service.auditLog(page: page, by: .local)
            entries += chunk.items
            guard let next = chunk.nextCursor else { break }
            page.after = next
        }
        return entries.reversed()
    }

    /// A document of `kind` with one PDF version, in draft.
    public func draftDocument(_ kind: ItemKind = .developmentConcept, school: String) async throws -> ItemDetail {
        let owner = try await actor("school-\(school)")
        let item = try await service.createItem(NewItem(campaignID: campaignID, kind: kind, schoolID: try await schoolID(school)), by: owner)
        return try await service.upload(itemID: item.item.id, fileName: "концепция.pdf",
                                        chunks: OneChunk(bytes: Self.pdf("v1")), by: owner)
    }

    /// A document of `kind` with one PDF version, submitted by its school.
    public func submittedDocument(_ kind: ItemKind = .developmentConcept, school: String) async throws -> ItemDetail {
        let draft = try await draftDocument(kind, school: school)
        return try await service.transition(
            itemID: draft.item.id, TransitionRequest(action: .submit, expectedState: .draft, expectedRevision: draft.item.revision),
            by: try await actor("school-\(school)"))
    }

    /// - Parameter acceptFindings: a roadmap is sent with the FIOCO findings its sender has seen.
    public func act(_ action: ReviewAction, on item: ItemDetail, by login: String, comment: String? = nil,
                    acceptFindings: Bool? = nil) async throws -> ItemDetail {
        try await service.transition(
            itemID: item.item.id,
            TransitionRequest(action: action, expectedState: item.item.state, expectedRevision: item.item.revision, comment: comment,
                              acceptFindings: acceptFindings),
            by: try await actor(login))
    }

    /// The owner answers every open remark of a returned item as fixed, as it must before sending it again.
    public func answerRemarks(_ item: ItemDetail, by login: String) async throws -> ItemDetail {
        let open = try await service.item(item.item.id, for: try await actor(login)).remarks.filter { $0.state == .open }
        guard !open.isEmpty else { return item }
        return try await service.remarkAnswers.answer(itemID: item.item.id, open.map {
            RemarkAnswerInput(remarkID: $0.id, answer: .done, text: "Исправлено.")
        }, by: try await actor(login))
    }

    /// A small distinct PDF.
    public static func pdf(_ marker: String) -> [UInt8] {
        DemoData.samplePDF("test \(marker)")
    }

    /// An instant given as local wall-clock time in a zone.
    public static func instant(_ text: String, zone: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).map { Int($0)! }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4]))!
    }
}
