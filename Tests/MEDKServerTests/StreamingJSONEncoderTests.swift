import Foundation
import MEDKCore
import MEDKServer
import MEDKTestSupport
import Testing

@Suite("The API's JSON writer")
struct StreamingJSONEncoderTests {
    /// What Foundation writes for the same value with the API's date form, parsed.
    static func foundation<T: Encodable>(_ value: T) throws -> NSObject {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.secondsString(date))
        }
        return try JSONSerialization.jsonObject(with: encoder.encode(value), options: [.fragmentsAllowed]) as! NSObject
    }

    static func streaming<T: Encodable>(_ value: T) throws -> NSObject {
        try JSONSerialization.jsonObject(with: Data(StreamingJSONEncoder().encode(value)), options: [.fragmentsAllowed]) as! NSObject
    }

    static func expectSame<T: Encodable>(_ value: T, _ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try streaming(value) == foundation(value), comment, sourceLocation: sourceLocation)
    }

    @Test("integers are written digit by digit as Foundation writes them, to both ends of their range")
    func integers() throws {
        let values: [Int64] = [0, 7, -1, 10, -10, 1_000_000, Int64(Int32.max) + 1, .max, .min]
        #expect(String(decoding: try StreamingJSONEncoder().encode(values), as: UTF8.self)
            == "[0,7,-1,10,-10,1000000,2147483648,9223372036854775807,-9223372036854775808]")
        try Self.expectSame(values, "64-bit integers")
        try Self.expectSame([Int.min, -5, 0, 42, Int.max], "platform integers")
    }

    @Test("every kind of response the API sends reads back the same as Foundation's JSON of it")
    func responsesMatchFoundation() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-05-10 10:00", zone: "Asia/Chita"))
        let owner = try await world.actor("school-A")
        let curator = try await world.actor("curator1")
        let roadmap = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .roadmap,
                                                                 schoolID: try await world.schoolID("A")), by: owner)
        _ = try await world.service.addMeasure(roadmapID: roadmap.item.id, MeasureInput(
            task: "Задача «1»\twith \"quotes\" \\ and\nnew line", title: "Мероприятие \u{1} 😀", dueDate: CalendarDate("2026-06-01")!,
            responsible: "Директор", expectedResult: "Результат", indicator: "Показатель", plannedValue: "1", riskFactorNumber: 1), by: owner)
        var concept = try await world.submittedDocument(school: "A")
        try await world.service.comment(itemID: concept.item.id, text: "Замечание </script> / слэш", by: curator)
        concept = try await world.act(.return, on: concept, by: "curator1", comment: "Доработайте раздел 2")
        world.clock.set(TestWorld.instant("2026-06-20 10:00", zone: "Asia/Chita"))

        // The comparison sees a difference in any value (NSDictionary equality is deep).
        #expect(try Self.streaming(["a": [1, 2]]) != Self.foundation(["a": [1, 3]]))
        try Self.expectSame(concept, "item detail with history, files and comments")
        try Self.expectSame(try await world.service.item(roadmap.item.id, for: owner), "roadmap with measures")
        try Self.expectSame(try await world.service.queue(for: curator), "curator's queue")
        try Self.expectSame(try await world.service.items(for: curator), "page of items")
        try Self.expectSame(try await world.service.itemHistory(concept.item.id, for: curator), "history page")
        try Self.expectSame(try await world.service.overdueMeasures(OverdueQuery(), for: try await world.actor("federal")), "overdue list")
        try Self.expectSame(try await world.service.schoolOverview(schoolCode: "A", for: curator), "school overview")
        try Self.expectSame(try await world.service.deadlines(DeadlinesQuery(), for: try await world.actor("federal")), "country compliance")
        try Self.expectSame(try await world.service.deadlines(DeadlinesQuery(regionCode: "R1"), for: try await world.actor("federal")),
                            "region compliance")
        try Self.expectSame(try await world.service.campaign(code: nil), "campaign with milestones")
        try Self.expectSame(try await world.service.userInfo(id: curator.userID), "user")
    }

    @Test("strings are escaped as JSON requires and nothing else is: Cyrillic, emoji and slashes go out as they are")
    func escaping() throws {
        let text = "«Кавычки» \"q\" \\ / \u{0} \u{1f} \t\r\n\u{8}\u{c} 😀"
        let written = String(decoding: try StreamingJSONEncoder().encode([text]), as: UTF8.self)
        #expect(written == #"["«Кавычки» \"q\" \\ / \u0000 \u001f \t\r\n\b\f 😀"]"#)
        #expect(try JSONDecoder().decode([String].self, from: Data(written.utf8)) == [text])
    }

    struct Nested: Encodable {
        var name = "n"
        var missing: Int? = nil
        var present: Int? = 3
        var list: [[Int]] = [[1, 2], [], [3]]
        var map: [String: Bool] = ["k": true]
        var when = Date(timeIntervalSince1970: 1_780_000_000.4)
        var ratio = 0.25
        var whole = 2.0
        var empty = Empty()

        struct Empty: Encodable {
            func encode(to encoder: any Encoder) throws {}
        }

        enum Keys: String, CodingKey { case name, missing, present, list, map, when, ratio, whole, empty, inner }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(name, forKey: .name)
            try container.encodeIfPresent(missing, forKey: .missing)
            try container.encodeIfPresent(present, forKey: .present)
            var inner = container.nestedContainer(keyedBy: Keys.self, forKey: .inner)
            try inner.encode(list, forKey: .list)
            // Asking the same encoder again continues the same object.
            var again = encoder.container(keyedBy: Keys.self)
            try again.encode(map, forKey: .map)
            try again.encode(when, forKey: .when)
            try again.encode(ratio, forKey: .ratio)
            try again.encode(whole, forKey: .whole)
            try again.encode(empty, forKey: .empty)
        }
    }

    @Test("nested containers close where their parent moves on; nil optionals are left out; an empty value is {}")
    func structure() throws {
        let written = String(decoding: try StreamingJSONEncoder().encode(Nested()), as: UTF8.self)
        #expect(written == #"{"name":"n","present":3,"inner":{"list":[[1,2],[],[3]]},"map":{"k":true},"#
            + #""when":"2026-05-28T20:26:40Z","ratio":0.25,"whole":2,"empty":{}}"#)
    }

    @Test("a number JSON cannot carry is an error, not a broken body")
    func nonFinite() {
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode(["x": Double.nan]) }
    }
}

@Suite("Rows that write their own JSON")
struct DirectJSONRowTests {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Decodes `fields` as `T`, checks that they are all of `T`'s stored properties (so a property
    /// added to the type fails here until the row writer and this list carry it), and that the
    /// streaming writer's JSON of it equals Foundation's.
    static func check<T: Codable>(_ type: T.Type, _ fields: [String: Any]) throws {
        let value = try decoder.decode(T.self, from: JSONSerialization.data(withJSONObject: fields))
        let properties = Set(Mirror(reflecting: value).children.compactMap(\.label))
        #expect(properties == Set(fields.keys), "every stored property of \(T.self) is in the fixture")
        let streamed = try JSONSerialization.jsonObject(with: Data(StreamingJSONEncoder().encode(value))) as! [String: Any]
        #expect(Set(streamed.keys) == properties, "\(T.self) writes every property")
        #expect(try StreamingJSONEncoderTests.streaming(value) == StreamingJSONEncoderTests.foundation(value))
    }

    static var summary: [String: Any] { [
        "id": 7, "campaignID": 1, "kind": "measure_report", "kindName": "Отчёт", "title": "Отчёт: «мера»\n", "state": "returned",
        "stateName": "на доработке", "revision": 3, "schoolID": 11, "schoolCode": "020390010", "schoolName": "МБОУ «ООШ № 10»",
        "municipalityID": 42, "municipalityName": "Полевой", "regionID": 2, "regionName": "Республика Башкортостан", "timeZone": "Asia/Yekaterinburg", "riskFactorID": 5,
        "measureID": 900, "submittedAt": "2026-10-22T09:12:12Z", "submittedBy": "school-1", "updatedAt": "2026-10-23T01:02:03Z",
        "latestVersion": 2,
    ] }

    @Test("an item summary, a queue entry and an overdue measure with every field set write what Foundation writes")
    func everyField() throws {
        try Self.check(ItemSummary.self, Self.summary)
        try Self.check(QueueEntry.self, ["item": Self.summary, "waitingSince": "2026-10-22T09:12:12Z", "waitingHours": 772])
        try Self.check(OverdueMeasure.self, [
            "measureID": 1, "roadmapID": 2, "campaignID": 3, "title": "Мера \"в кавычках\"", "task": "Задача", "responsible": "Директор",
            "dueDate": "2026-06-01", "daysOverdue": 175, "reportItemID": 4, "reportState": "submitted", "schoolCode": "020080013",
            "schoolName": "МОУ «СОШ № 13»", "municipalityCode": "02008", "municipalityName": "Горный", "regionCode": "02",
            "regionName": "Республика Башкортостан", "timeZone": "Asia/Yekaterinburg",
        ])
    }
}
