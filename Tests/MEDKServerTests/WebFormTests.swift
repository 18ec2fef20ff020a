import Foundation
import MEDKCore
import NIOCore
@testable import MEDKServer
import Testing

@Suite("Web forms: parsing what browsers send")
struct WebFormParsingTests {
    static let body = Array("""
        --XyZ\r
        Content-Disposition: form-data; name="_csrf"\r
        \r
        token\r
        --XyZ\r
        Content-Disposition: form-data; name="file"; filename="Отчёт \\"итог\\".pdf"\r
        Content-Type: application/pdf\r
        \r
        %PDF-1.4 body\r
        with a line\r\r
        --Xy\r
        -\r
        --XyZ\r
        Content-Disposition: form-data; name="other"; filename=""\r
        Content-Type: application/octet-stream\r
        \r
        \r
        --XyZ--\r

        """.utf8)

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medk-form-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func read(_ body: [UInt8], chunk: Int, boundary: String = "XyZ", limits: FormLimits = .upload(fileBytes: 1 << 20),
                     in directory: URL) async throws -> WebForm {
        let chunks = stride(from: 0, to: body.count, by: chunk).map { ByteBuffer(bytes: body[$0..<min($0 + chunk, body.count)]) }
        return try await FormReader.multipart(Chunks(buffers: chunks), boundary: boundary, limits: limits, temporaryDirectory: directory)
    }

    @Test("a multipart body with a Cyrillic file name, a text field and an unchosen file reads the same in any chunking")
    func multipart() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for chunk in [1, 2, 7, 64, Self.body.count] {
            let form = try await Self.read(Self.body, chunk: chunk, in: directory)
            #expect(form["_csrf"] == "token")
            let file = try #require(form.files["file"])
            #expect(file.fileName == "Отчёт \"итог\".pdf")
            #expect(try file.contents() == Data("%PDF-1.4 body\r\nwith a line\r\r\n--Xy\r\n-".utf8))
            #expect(file.size == 36)
            #expect(form.files["other"] == nil)
            form.removeTemporaryFiles()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("a file of a megabyte of near-boundaries arrives byte for byte, across parsing batches and write buffers")
    func nearBoundaries() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let unit = Array("\r\n--XyX\r\n--Xy\r\r\n-".utf8)
        let content = Array(Array(repeating: unit, count: (1 << 20) / unit.count).joined()) + Array("end".utf8)
        let body = Array("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"near.pdf\"\r\n\r\n".utf8)
            + content + Array("\r\n--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntoken\r\n--XyZ--\r\n".utf8)
        for chunk in [9_999, 300_000] {
            let form = try await Self.read(body, chunk: chunk, limits: .upload(fileBytes: 2 << 20), in: directory)
            let file = try #require(form.files["file"])
            #expect(file.size == Int64(content.count))
            #expect(try file.contents() == Data(content))
            #expect(form["_csrf"] == "token")
            form.removeTemporaryFiles()
        }
    }

    @Test("a truncated multipart body is refused, not half-read, and leaves no file behind")
    func truncated() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for cut in [30, 150, Self.body.count - 10, Self.body.count - 4] {
            await #expect(throws: MEDKError.self) { try await Self.read(Array(Self.body.prefix(cut)), chunk: 16, in: directory) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("a boundary longer than RFC 2046's 70 characters is refused before a byte is parsed")
    func longBoundary() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let boundary = String(repeating: "-", count: 500)
        let body = Array(repeating: UInt8(ascii: "-"), count: 50_000)
        let error = await #expect(throws: MEDKError.self) {
            try await Self.read(body, chunk: 4096, boundary: boundary, limits: .anonymous, in: directory)
        }
        #expect(error?.code == "malformed_form")
        // Even a well-formed body is refused when its boundary is longer than the RFC allows.
        let long = String(repeating: "b", count: 71)
        let wellFormed = Array("--\(long)\r\nContent-Disposition: form-data; name=\"login\"\r\n\r\nadmin\r\n--\(long)--\r\n".utf8)
        await #expect(throws: MEDKError.self) { try await Self.read(wellFormed, chunk: 64, boundary: long, limits: .anonymous, in: directory) }
        let fine = String(repeating: "b", count: 70)
        let accepted = Array("--\(fine)\r\nContent-Disposition: form-data; name=\"login\"\r\n\r\nadmin\r\n--\(fine)--\r\n".utf8)
        #expect(try await Self.read(accepted, chunk: 64, boundary: fine, limits: .anonymous, in: directory)["login"] == "admin")
        #expect(FormReader.isValidBoundary(String(repeating: "a", count: 70)))
        #expect(!FormReader.isValidBoundary(String(repeating: "a", count: 71)))
        #expect(!FormReader.isValidBoundary("ends with space "))
        #expect(!FormReader.isValidBoundary("semi;colon"))
    }

    @Test("an ordinary form refuses a file part, and fields past the form's limit are refused, not buffered")
    func limits() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let unexpected = await #expect(throws: MEDKError.self) { try await Self.read(Self.body, chunk: 64, limits: .form, in: directory) }
        #expect(unexpected?.code == "unexpected_file")
        let long = Array("--XyZ\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\n".utf8)
            + Array(String(repeating: "я", count: 35_000).utf8) + Array("\r\n--XyZ--\r\n".utf8)
        let tooLarge = await #expect(throws: MEDKError.self) { try await Self.read(long, chunk: 4096, limits: .form, in: directory) }
        #expect(tooLarge?.code == "form_too_large")
        let file = Array("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n".utf8)
            + Array(repeating: 0x25, count: 3_000) + Array("\r\n--XyZ--\r\n".utf8)
        let big = await #expect(throws: MEDKError.self) {
            try await Self.read(file, chunk: 1000, limits: .upload(fileBytes: 2_000), in: directory)
        }
        #expect(big?.code == "file_too_large")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        // A header line that never ends is refused once it passes the part header limit.
        let endless = Array("--XyZ\r\nContent-Disposition: form-data; name=\"".utf8) + Array(repeating: UInt8(ascii: "a"), count: 40_000)
        await #expect(throws: MEDKError.self) { try await Self.read(endless, chunk: 4096, limits: .upload(fileBytes: 1 << 20), in: directory) }
    }

    @Test("url-encoded fields: plus is a space, repeated names keep every value")
    func urlEncoded() {
        let form = WebForm.urlEncoded("comment=%D0%9D%D0%B5+%D1%82%D0%BE&item=1%3A2&item=3%3A4&empty=")
        #expect(form["comment"] == "Не то")
        #expect(form.all("item") == ["1:2", "3:4"])
        #expect(form["empty"] == nil)
    }
}

/// Chunks of a body, as the server receives them.
struct Chunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let buffers: [ByteBuffer]

    struct AsyncIterator: AsyncIteratorProtocol {
        var rest: ArraySlice<ByteBuffer>
        mutating func next() async throws -> ByteBuffer? { rest.popFirst() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: buffers[...]) }
}

@Suite("Web presentation")
struct WebPresentationTests {
    @Test("Russian plurals of days and hours")
    func plurals() {
        #expect(Presentation.days(1) == "1 день")
        #expect(Presentation.days(3) == "3 дня")
        #expect(Presentation.days(11) == "11 дней")
        #expect(Presentation.days(21) == "21 день")
        #expect(Presentation.days(112) == "112 дней")
        #expect(Presentation.hours(2) == "2 часа")
        #expect(Presentation.hours(47) == "47 часов")
        #expect(Presentation.hours(72) == "3 дня")
    }

    @Test("how far a due date is, in words")
    func dueIn() {
        let today = CalendarDate(year: 2026, month: 4, day: 28)!
        #expect(Presentation.dueIn(CalendarDate(year: 2026, month: 4, day: 30)!, today: today) == "осталось 2 дня")
        #expect(Presentation.dueIn(today, today: today) == "срок сегодня")
        #expect(Presentation.dueIn(CalendarDate(year: 2026, month: 4, day: 27)!, today: today) == "срок прошёл 1 день назад")
    }

    @Test("only our own paths are accepted as the place to return to after login")
    func safeNext() {
        #expect(SessionPages.safeNext("/items?kind=roadmap") == "/items?kind=roadmap")
        #expect(SessionPages.safeNext("//evil.example") == "/")
        #expect(SessionPages.safeNext("https://evil.example") == "/")
        #expect(SessionPages.safeNext("/\\evil.example") == "/")
        #expect(SessionPages.safeNext("/\t/evil.example/") == "/", "browsers drop the tab and go to //evil.example")
        #expect(SessionPages.safeNext("/\n/evil.example") == "/")
        #expect(SessionPages.safeNext("/ /evil.example") == "/")
        #expect(SessionPages.safeNext(nil) == "/")
    }

    @Test("the CSRF token is bound to the session and compared in full")
    func csrfToken() {
        let token = CSRFToken.forSession("medk_session-one")
        #expect(token.count == 64)
        #expect(token != CSRFToken.forSession("medk_session-two"))
        #expect(CSRFToken.matches(token, token))
        #expect(!CSRFToken.matches(String(token.dropLast()) + "0", token) || token.last == "0")
        #expect(!CSRFToken.matches(nil, token))
        #expect(!CSRFToken.matches("", token))
    }
}
