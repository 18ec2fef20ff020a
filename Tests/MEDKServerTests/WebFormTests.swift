import Foundation
import MEDKCore
@testable import MEDKServer
import Testing

@Suite("Web forms: parsing what browsers send")
struct WebFormParsingTests {
    @Test("a multipart body with a Cyrillic file name, a text field and an unchosen file")
    func multipart() throws {
        let body = Array("""
            --XyZ\r
            Content-Disposition: form-data; name="_csrf"\r
            \r
            token\r
            --XyZ\r
            Content-Disposition: form-data; name="file"; filename="Отчёт \\"итог\\".pdf"\r
            Content-Type: application/pdf\r
            \r
            %PDF-1.4 body\r
            with a line\r
            --XyZ\r
            Content-Disposition: form-data; name="other"; filename=""\r
            Content-Type: application/octet-stream\r
            \r
            \r
            --XyZ--\r

            """.utf8)
        let form = try WebForm.multipart(body, boundary: WebForm.boundary(ofContentType: "multipart/form-data; boundary=XyZ")!)
        #expect(form["_csrf"] == "token")
        #expect(form.files["file"]?.fileName == "Отчёт \"итог\".pdf")
        #expect(form.files["file"]?.bytes == Array("%PDF-1.4 body\r\nwith a line".utf8))
        #expect(form.files["other"]?.fileName == nil)
    }

    @Test("a truncated multipart body is refused, not half-read")
    func truncated() {
        let body = Array("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue without end".utf8)
        #expect(throws: MEDKError.self) { try WebForm.multipart(body, boundary: WebForm.boundary(ofContentType: "multipart/form-data; boundary=XyZ")!) }
    }

    @Test("url-encoded fields: plus is a space, repeated names keep every value")
    func urlEncoded() {
        let form = WebForm.urlEncoded("comment=%D0%9D%D0%B5+%D1%82%D0%BE&item=1%3A2&item=3%3A4&empty=")
        #expect(form["comment"] == "Не то")
        #expect(form.all("item") == ["1:2", "3:4"])
        #expect(form["empty"] == nil)
    }
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
