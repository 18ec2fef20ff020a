import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKCore
import MEDKServer
import MEDKTestSupport
import NIOCore
import Testing

@Suite("Forms under attack: bounded before they are read, parsed in linear time")
struct HostileFormsTests {
    @Test("an anonymous multipart post with a 500-character boundary is refused without being parsed")
    func longBoundary() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let boundary = String(repeating: "-", count: 500)
            let body = ByteBuffer(repeating: UInt8(ascii: "-"), count: 15_000)
            let response = try await client.execute(uri: "/login", method: .post,
                                                    headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
            // Refused as a damaged form (back to the page with the reason), never parsed or answered 500.
            #expect(response.status == .seeOther)
            #expect(response.headers[values: .setCookie].contains { $0.hasPrefix("medk_flash=") })
        }
    }

    @Test("an anonymous body larger than the login form's 16 KB is refused with 413, from its length, unread")
    func anonymousBodyTooLarge() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: 50_000)
            for contentType in ["application/x-www-form-urlencoded", "multipart/form-data; boundary=abc"] {
                let response = try await client.execute(uri: "/login", method: .post,
                                                        headers: [.contentType: contentType, .contentLength: "50000"], body: body)
                #expect(response.status == .contentTooLarge, "\(contentType)")
                #expect(String(buffer: response.body).contains("слишком велика"))
            }
        }
    }

    @Test("a form for signed-in users sent anonymously goes to the login page before its body is read")
    func anonymousFormOfSignedInPage() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: 40_000)
            let response = try await client.execute(uri: "/items/1/comments", method: .post,
                                                    headers: [.contentType: "application/x-www-form-urlencoded"], body: body)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location]?.hasPrefix("/login") == true)
        }
    }

    @Test("a form that says it comes from another site is refused even with a valid token, and nothing changes")
    func foreignOrigin() async throws {
        let world = try await TestWorld()
        let detail = try await world.submittedDocument(.developmentConcept, school: "A")
        try await withWeb(world) { client in
            let curator = try await Browser.signedIn(client, "curator1")
            _ = try await curator.get("/items/\(detail.item.id)")
            let form = "action=confirm&expectedState=submitted&_csrf=\(curator.csrf ?? "")"
            let cookie = curator.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let response = try await client.execute(uri: "/items/\(detail.item.id)/transitions", method: .post, headers: [
                .contentType: "application/x-www-form-urlencoded", .cookie: cookie, .origin: "https://evil.example",
            ], body: ByteBuffer(string: form))
            #expect(response.status == .forbidden)
        }
        #expect(try await world.service.item(detail.item.id, for: try await world.actor("curator1")).item.state == .submitted)
    }

    @Test("a web upload past the limit answers 413 with «файл больше допустимого», stores nothing and leaves no temporary file")
    func uploadTooLarge() async throws {
        let world = try await TestWorld(maxUploadBytes: 64 << 10)
        let owner = try await world.actor("school-A")
        let item = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .developmentConcept,
                                                              schoolID: try await world.schoolID("A")), by: owner)
        try await withWeb(world) { client in
            let school = try await Browser.signedIn(client, "school-A")
            _ = try await school.get("/items/\(item.item.id)")
            let page = try await school.upload("/items/\(item.item.id)/files", fileName: "большой.pdf",
                                               bytes: TestWorld.pdf("x") + Array(repeating: 0x20, count: 200 << 10))
            #expect(page.status == .contentTooLarge)
            #expect(page.html.contains("Файл больше допустимого размера"))
            let fitting = try await school.upload("/items/\(item.item.id)/files", fileName: "обычный.pdf", bytes: TestWorld.pdf("y"))
            #expect(fitting.status == .seeOther)
        }
        let files = try await world.service.item(item.item.id, for: owner).files
        #expect(files.map(\.fileName) == ["обычный.pdf"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: world.service.files.temporaryDirectory.path).isEmpty)
    }

    @Test("a reverse proxy's Basic authorization leaves the pages as pages; the API still answers it with 401")
    func basicAuthorizationOfAProxy() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let basic: HTTPFields = [.authorization: "Basic cHJveHk6c2VjcmV0"]
            let login = try await client.execute(uri: "/login", method: .get, headers: basic, body: nil)
            #expect(login.status == .ok)
            #expect(String(buffer: login.body).contains("Вход в МЭДК"))
            let api = try await client.execute(uri: "/api/v1/me", method: .get, headers: basic, body: nil)
            #expect(api.status == .unauthorized)
        }
    }
}
