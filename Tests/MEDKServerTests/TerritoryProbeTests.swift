import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKAPI
import MEDKCore
import MEDKServer
import MEDKTestSupport
import NIOCore
import Testing

/// Every route that names a territory by its code answers a territory the caller has nothing to do
/// with exactly as it answers one that does not exist, so that nobody learns by trying which codes
/// exist, what they are called, or what is in them.
@Suite("Foreign and missing territories look the same")
struct TerritoryProbeTests {
    struct Probe: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        /// The path with «{}» where the territory's code goes.
        var path: String
        var foreign: String
        var missing: String
        var body: (@Sendable (String) -> ByteBuffer)?

        var description: String { "\(method) \(path)" }

        func uri(_ code: String) -> String { path.replacingOccurrences(of: "{}", with: code) }
    }

    static func json(_ value: some Encodable & Sendable) -> ByteBuffer { ByteBuffer(data: try! JSONEncoder().encode(value)) }

    static let fullMarks = PackageEvaluationRequest(scores: EvaluationPosition.allCases.map { PositionScore(position: $0, score: 2, comment: "") })

    /// As reg-R2, whose region is R2: R1, its municipality M1 and its school A are foreign; R9, M9, Z do not exist.
    static let probes: [Probe] = [
        Probe(method: .get, path: "/api/v1/regions/{}/reminder-settings", foreign: "R1", missing: "R9"),
        Probe(method: .put, path: "/api/v1/regions/{}/reminder-settings", foreign: "R1", missing: "R9",
              body: { _ in json(ReminderSettingsRequest(daysBefore: [3], reviewWorkingDays: 5, escalationDays: [3, 10, 20])) }),
        Probe(method: .get, path: "/api/v1/regions/{}/roadmap", foreign: "R1", missing: "R9"),
        Probe(method: .get, path: "/api/v1/regions/{}/evaluations", foreign: "R1", missing: "R9"),
        Probe(method: .get, path: "/api/v1/review-times?region={}", foreign: "R1", missing: "R9"),
        Probe(method: .get, path: "/api/v1/deadlines?region={}", foreign: "R1", missing: "R9"),
        Probe(method: .get, path: "/api/v1/overdue-measures?region={}", foreign: "R1", missing: "R9"),
        Probe(method: .get, path: "/api/v1/users?role=curator&region={}", foreign: "R1", missing: "R9"),
        Probe(method: .put, path: "/api/v1/milestone-overrides", foreign: "R1", missing: "R9", body: { code in
            json(MilestoneShiftRequest(campaignCode: "C2026", kind: .developmentConcept, regionCode: code, dueDate: CalendarDate("2026-05-31")!))
        }),
        Probe(method: .get, path: "/api/v1/municipalities/{}/package", foreign: "M1", missing: "M9"),
        Probe(method: .get, path: "/api/v1/municipalities/{}/evaluation", foreign: "M1", missing: "M9"),
        Probe(method: .post, path: "/api/v1/municipalities/{}/evaluation", foreign: "M1", missing: "M9", body: { _ in json(fullMarks) }),
        Probe(method: .get, path: "/api/v1/review-times?municipality={}", foreign: "M1", missing: "M9"),
        Probe(method: .get, path: "/api/v1/deadlines?municipality={}", foreign: "M1", missing: "M9"),
        Probe(method: .get, path: "/api/v1/overdue-measures?municipality={}", foreign: "M1", missing: "M9"),
        Probe(method: .get, path: "/api/v1/schools/{}/overview", foreign: "A", missing: "Z"),
        Probe(method: .get, path: "/api/v1/overdue-measures?school={}", foreign: "A", missing: "Z"),
        Probe(method: .post, path: "/api/v1/curator-assignments", foreign: "A", missing: "Z", body: { code in
            json(CuratorAssignmentRequest(campaignCode: "C2026", schoolCode: code, curatorLogin: "curator1"))
        }),
    ]

    @Test("another region's coordinator gets 404 with the very words a missing code gets", arguments: probes)
    func foreignIsMissing(_ probe: Probe) async throws {
        let world = try await TestWorld()
        try await withAPI(world) { client in
            let coordinator = try await APISession.login(client, "reg-R2")
            let foreign = try await coordinator.refusal(probe.method, probe.uri(probe.foreign), rawBody: probe.body?(probe.foreign))
            let missing = try await coordinator.refusal(probe.method, probe.uri(probe.missing), rawBody: probe.body?(probe.missing))
            #expect(foreign.0 == .notFound, "\(probe): \(foreign.0) \(foreign.1.message)")
            #expect(missing.0 == .notFound)
            #expect(foreign.1.code == missing.1.code)
            #expect(foreign.1.message.replacingOccurrences(of: "«\(probe.foreign)»", with: "«\(probe.missing)»") == missing.1.message)
        }
    }

    @Test("inside the territory one works in, a refusal says why: a municipal coordinator and the region's review times")
    func insideIsExplained() async throws {
        let world = try await TestWorld()
        try await withAPI(world) { client in
            let municipal = try await APISession.login(client, "mun-M1")
            let (status, error) = try await municipal.refusal(.get, "/api/v1/review-times?region=R1")
            #expect(status == .forbidden && error.message.contains("мониторинг"))
            // Its own municipality answers.
            let own = try await municipal.raw(.get, "/api/v1/review-times?municipality=M1")
            #expect(own.status == .ok)
        }
    }
}
