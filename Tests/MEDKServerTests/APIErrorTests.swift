import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKAPI
import MEDKCore
import MEDKServer
import MEDKTestSupport
import NIOCore
import Testing

@Suite("API refusals: stable codes, Russian messages, nothing changed")
struct APIErrorTests {
    @Test("anonymous calls get 401 with a JSON body and WWW-Authenticate")
    func anonymous() async throws {
        let world = try await TestWorld()
        try await withAPI(world) { client in
            let anonymous = APISession(client: client, token: nil)
            let (status, error) = try await anonymous.refusal(.get, "/api/v1/items")
            #expect(status == .unauthorized)
            #expect(error.code == "unauthenticated")
            #expect(error.message.contains("вход"))
            let forged = APISession(client: client, token: "medk_forged")
            #expect(try await forged.refusal(.get, "/api/v1/me").0 == .unauthorized)
            let wrong = try await anonymous.refusal(.post, "/api/v1/auth/login", LoginRequest(login: "curator1", password: "не тот"))
            #expect(wrong.0 == .unauthorized)
            #expect(wrong.1.code == "bad_credentials")
        }
    }

    @Test("a curator of another school gets 404, the same answer as for an id that does not exist, and the item stays as it was")
    func foreignIsNotFound() async throws {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        try await withAPI(world) { client in
            let other = try await APISession.login(client, "curator2")
            let (status, error) = try await other.refusal(.post, "/api/v1/items/\(item.item.id)/transitions", item.transition(.confirm))
            #expect(status == .notFound)
            #expect(error.code == "not_found")
            let foreign = try await other.refusal(.get, "/api/v1/items/\(item.item.id)")
            let missing = try await other.refusal(.get, "/api/v1/items/99999999")
            #expect(foreign.0 == .notFound)
            #expect(foreign.1.code == missing.1.code && foreign.1.message == missing.1.message)
            #expect(try await other.refusal(.get, "/api/v1/items/\(item.item.id)/files/1").0 == .notFound)
            // Something the curator can see but may not do is still a 403.
            let school = try await APISession.login(client, "school-A")
            #expect(try await school.refusal(.post, "/api/v1/items/\(item.item.id)/transitions", item.transition(.confirm)).0 == .forbidden)
        }
        #expect(try await world.service.item(item.item.id, for: try await world.actor("curator1")).item == item.item)
    }

    @Test("an address asked with a method it does not have answers 405 with Allow; an unknown address stays 404")
    func methodNotAllowed() async throws {
        let world = try await TestWorld()
        try await withAPI(world) { client in
            let trace = try await client.execute(uri: "/api/v1/items", method: .init("TRACE")!, headers: [:], body: nil)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "GET, POST")
            let delete = try await client.execute(uri: "/api/v1/items/7/transitions", method: .delete, headers: [:], body: nil)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "POST")
            let health = try await client.execute(uri: "/health", method: .init("TRACE")!, headers: [:], body: nil)
            #expect(health.status == .methodNotAllowed, "the documented addresses outside /api/v1 answer the same way")
            #expect(health.headers[.allow] == "GET")
            let unknown = try await client.execute(uri: "/api/v1/no-such-thing", method: .get, headers: [:], body: nil)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("an empty typed parameter (state=, asOf=, limit=) is refused, not read as «no filter»")
    func emptyTypedParameters() async throws {
        let world = try await TestWorld()
        try await withAPI(world) { client in
            let curator = try await APISession.login(client, "curator1")
            for uri in ["/api/v1/items?state=", "/api/v1/items?kind=", "/api/v1/items?limit=", "/api/v1/deadlines?asOf=",
                        "/api/v1/overdue-measures?sort=", "/api/v1/items?cursor="] {
                let (status, error) = try await curator.refusal(.get, uri)
                #expect(status == .badRequest, "\(uri)")
                #expect(error.code.hasPrefix("invalid"), "\(uri): \(error.code)")
            }
        }
    }

    @Test("400 is for what breaks the document, 422 for what a rule refuses: a schema-valid request is never a 400")
    func malformedAndRefusedAreTold() async throws {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        try await withAPI(world) { client in
            let curator = try await APISession.login(client, "curator1")
            let blank = try await curator.refusal(.post, "/api/v1/items/\(item.item.id)/comments", CommentRequest(text: "   "))
            #expect(blank.0 == .unprocessableContent)
            #expect(blank.1.code == "empty_comment")
            let foreignCursor = try await curator.refusal(.get, "/api/v1/items?cursor=YQ")
            #expect(foreignCursor.0 == .unprocessableContent, "a cursor the server never issued is well formed but names no place")
            #expect(foreignCursor.1.code == "invalid_cursor")
            // The document's dates are YYYY-MM-DD; the Russian form is for people (pages, the CLI), not the wire.
            #expect(try await curator.refusal(.get, "/api/v1/deadlines?asOf=31.12.2026").0 == .badRequest)
            #expect(try await curator.refusal(.get, "/api/v1/deadlines?asOf=%202026-12-31").0 == .badRequest)
            let editing = try await curator.refusal(.post, "/api/v1/items/\(item.item.id)/transitions", nil as String?,
                                                    rawBody: ByteBuffer(string: "{\"action\": \"confirm\", \"expectedState\": \"submitted\", \"expectedRevision\": 1e30}"))
            #expect(editing.0 == .badRequest, "a revision beyond any integer is not a revision")
        }
    }

    @Test("bad input: missing comment, stale revision, malformed JSON, unknown item, bad parameters")
    func badInput() async throws {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        try await withAPI(world) { client in
            let curator = try await APISession.login(client, "curator1")
            let noComment = try await curator.refusal(.post, "/api/v1/items/\(item.item.id)/transitions", item.transition(.return))
            #expect(noComment.0 == .unprocessableContent, "the request is well formed; a rule of the domain refuses it")
            #expect(noComment.1.code == "comment_required")
            var stale = item.transition(.confirm)
            stale.expectedRevision = item.item.revision - 1
            let conflict = try await curator.refusal(.post, "/api/v1/items/\(item.item.id)/transitions", stale)
            #expect(conflict.0 == .conflict)
            #expect(conflict.1.code == "stale_revision")
            let malformed = try await curator.refusal(.post, "/api/v1/items/\(item.item.id)/transitions", nil as String?,
                                                      rawBody: ByteBuffer(string: "{\"action\": \"approve\"}"))
            #expect(malformed.0 == .badRequest)
            #expect(malformed.1.code == "invalid_json")
            #expect(try await curator.refusal(.get, "/api/v1/items/999999").0 == .notFound)
            #expect(try await curator.refusal(.get, "/api/v1/items/abc").0 == .notFound)
            #expect(try await curator.refusal(.get, "/api/v1/items?state=approved").1.code == "invalid_parameter")
            #expect(try await curator.refusal(.get, "/api/v1/no-such-route").0 == .notFound)
        }
        #expect(try await world.service.item(item.item.id, for: try await world.actor("curator1")).item == item.item)
    }

    @Test("uploads: too large is 413, a disguised executable is 415, and neither leaves a version")
    func uploads() async throws {
        let world = try await TestWorld(maxUploadBytes: 64 * 1024)
        let draft = try await world.draftDocument(school: "A")
        try await withAPI(world) { client in
            let school = try await APISession.login(client, "school-A")
            let big = Array("%PDF-".utf8) + [UInt8](repeating: 0x41, count: 128 * 1024)
            let tooLarge = try await school.upload(draft.item.id, name: "скан.pdf", bytes: big)
            #expect(tooLarge.status == .contentTooLarge)
            let exe = try await school.upload(draft.item.id, name: "приказ.pdf", bytes: Array("MZ\u{90}\u{0}binary".utf8))
            #expect(exe.status == .unsupportedMediaType)
            #expect(String(buffer: exe.body).contains("unsupported_media_type"))
            let missingName = try await school.raw(.post, "/api/v1/items/\(draft.item.id)/files", body: ByteBuffer(bytes: TestWorld.pdf("x")),
                                                   contentType: "application/octet-stream")
            #expect(missingName.status == .badRequest)
            let detail: ItemDetail = try await school.get("/api/v1/items/\(draft.item.id)")
            #expect(detail.files.count == 1)
        }
    }

    @Test("error responses never leak internals and always carry code and message", arguments: [
        "/api/v1/campaigns/0", "/api/v1/items/-1", "/api/v1/deadlines?asOf=31.02.2026", "/api/v1/deadlines?format=xml",
    ])
    func shape(uri: String) async throws {
        let world = try await TestWorld()
        try await withAPI(world) { client in
            let federal = try await APISession.login(client, "federal")
            let (status, error) = try await federal.refusal(.get, uri)
            #expect([.badRequest, .notFound].contains(status))
            #expect(!error.code.isEmpty)
            #expect(error.message.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "message is Russian")
            #expect(!error.message.contains("GRDB") && !error.message.contains("SQLite"))
        }
    }
}
