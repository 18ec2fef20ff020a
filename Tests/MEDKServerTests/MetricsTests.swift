import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MEDKAPI
import MEDKCore
import MEDKServer
import MEDKTestSupport
import NIOCore
import Testing

@Suite("Metrics and request ids")
struct MetricsTests {
    /// The exposition's samples by series (`name{labels}`), values as numbers.
    static func samples(_ metrics: ServerMetrics, _ service: MEDKService) async -> [String: Double] {
        let text = String(decoding: await metrics.exposition(service: service), as: UTF8.self)
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    static func withMetricsAPI<T: Sendable>(_ world: TestWorld, _ metrics: ServerMetrics,
                                            _ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let (router, _) = MEDKServerApp.buildRouter(service: world.service, metrics: metrics)
        return try await Application(router: router).test(.router, body)
    }

    @Test("requests are counted and timed by route template and status, next to the core's transactions and group commits")
    func requestsByRouteTemplate() async throws {
        let metrics = ServerMetrics()
        let world = try await TestWorld(metrics: metrics.operations)
        let first = try await world.submittedDocument(school: "A"), second = try await world.submittedDocument(school: "B")
        try await Self.withMetricsAPI(world, metrics) { client in
            let curator = try await APISession.login(client, "curator1")
            for id in [first.item.id, second.item.id] {
                #expect(try await curator.raw(.get, "/api/v1/items/\(id)").status == .ok)
            }
            #expect(try await curator.raw(.get, "/api/v1/items/999999").status == .notFound)
            #expect(try await curator.raw(.get, "/no/such/page").status == .notFound)
        }
        let samples = await Self.samples(metrics, world.service)
        #expect(samples[#"medk_http_requests_total{route="/api/v1/items/{id}",method="GET",status="200"}"#] == 2)
        #expect(samples[#"medk_http_requests_total{route="/api/v1/items/{id}",method="GET",status="404"}"#] == 1)
        #expect(samples[#"medk_http_requests_total{route="/api/v1/auth/login",method="POST",status="200"}"#] == 1)
        #expect(samples[#"medk_http_requests_total{route="unmatched",method="GET",status="404"}"#] == 1)
        #expect(samples[#"medk_http_request_duration_seconds_count{route="/api/v1/items/{id}",method="GET",status="200"}"#] == 2)
        #expect(!samples.keys.contains { $0.contains("/api/v1/items/\(first.item.id)") }, "no series per document")
        #expect(samples[#"medk_http_requests_in_flight"#] == 0)
        #expect((samples[#"medk_db_transaction_seconds_count{kind="write"}"#] ?? 0) > 10, "the world's set-up wrote through the same store")
        #expect((samples[#"medk_db_transaction_seconds_count{kind="read"}"#] ?? 0) > 0)
        if TestWorld.onSQLite {
            #expect((samples["medk_db_group_commit_writes_count"] ?? 0) > 0)
        }
        #expect(samples[#"medk_mail_outbox_messages{state="uncertain"}"#] == 0)
        #expect((samples["process_resident_memory_bytes"] ?? 0) > 1_000_000)
        #expect((samples["process_open_fds"] ?? 0) > 2)
        #expect(samples["medk_uploads_in_progress"] == 0, "uploads counted up and down again")
    }

    @Test("sign-ins refused by the throttle are counted by the reason")
    func refusedSignIns() async throws {
        let metrics = ServerMetrics()
        let world = try await TestWorld(metrics: metrics.operations)
        for _ in 0..<8 {
            _ = try? await world.service.login("curator1", password: "wrong-password", client: ClientAddress("203.0.113.7")!)
        }
        let samples = await Self.samples(metrics, world.service)
        #expect((samples[#"medk_logins_refused_total{reason="pair"}"#] ?? 0) >= 1)
    }

    @Test("every response carries a request id: a client's plain one is kept, anything else is replaced")
    func requestIDs() async throws {
        let world = try await TestWorld()
        try await withAPI(world) { client in
            let header = HTTPField.Name("X-Request-Id")!
            let fresh = try await client.execute(uri: "/health", method: .get)
            let generated = try #require(fresh.headers[header])
            #expect(generated.count == 32 && generated.allSatisfy(\.isHexDigit))
            let other = try await client.execute(uri: "/health", method: .get)
            #expect(other.headers[header] != generated)
            let kept = try await client.execute(uri: "/api/v1/items/1", method: .get, headers: [header: "lb-7f3a.42"])
            #expect(kept.status == .unauthorized)
            #expect(kept.headers[header] == "lb-7f3a.42", "refusals carry it too")
            for hostile in ["", "two words", String(repeating: "a", count: 65), "ид-запроса", "a\"b"] {
                let response = try await client.execute(uri: "/health", method: .get, headers: [header: hostile])
                #expect(response.headers[header] != hostile)
                #expect(response.headers[header]?.count == 32)
            }
        }
    }
}
