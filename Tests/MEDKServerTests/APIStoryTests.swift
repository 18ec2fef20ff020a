import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKAPI
import MEDKCore
import MEDKServer
import MEDKTestSupport
import NIOCore
import Testing

@Suite("The whole story through the HTTP API")
struct APIStoryTests {
    @Test("school submits, curator returns and confirms, measures are reported, the coordinator sees deadlines")
    func story() async throws {
        let world = try await TestWorld(start: TestWorld.instant("2026-02-20 10:00", zone: "Asia/Chita"))
        try await withAPI(world) { client in
            var school = try await APISession.login(client, "school-A")
            var curator = try await APISession.login(client, "curator1")
            let schoolID = try await world.schoolID("A")
            let campaign = world.campaignID

            // Risk profile.
            var profile: ItemDetail = try await school.send(.post, "/api/v1/items", NewItem(campaignID: campaign, kind: .riskProfile, schoolID: schoolID),
                                                            expect: .created)
            profile = try await school.send(.put, "/api/v1/items/\(profile.item.id)/risk-profile", RiskProfileBody(entries: (1...10).map {
                RiskProfileInput(number: $0, significance: [2, 3].contains($0) ? .high : .low, chosen: [2, 3].contains($0))
            }, expectedRevision: profile.item.revision))
            profile = try await school.send(.post, "/api/v1/items/\(profile.item.id)/transitions", profile.transition(.submit))
            profile = try await curator.send(.post, "/api/v1/items/\(profile.item.id)/transitions", profile.transition(.confirm))
            #expect(profile.item.state == .confirmed)

            // Concept: upload, submit, returned with a comment, fixed, confirmed.
            // Weeks pass: sessions expire after 12 hours, so people sign in again.
            world.clock.set(TestWorld.instant("2026-04-30 23:30", zone: "Asia/Chita"))
            #expect(try await school.refusal(.get, "/api/v1/me").0 == .unauthorized)
            school = try await APISession.login(client, "school-A")
            curator = try await APISession.login(client, "curator1")
            var concept: ItemDetail = try await school.send(.post, "/api/v1/items",
                                                            NewItem(campaignID: campaign, kind: .developmentConcept, schoolID: schoolID))
            let v1 = TestWorld.pdf("концепция v1")
            let uploaded = try await school.upload(concept.item.id, name: "Концепция развития.pdf", bytes: v1)
            #expect(uploaded.status == .created)
            concept = try APISession.decoder.decode(ItemDetail.self, from: Data(buffer: uploaded.body))
            #expect(concept.files.first?.mediaType == "application/pdf")
            concept = try await school.send(.post, "/api/v1/items/\(concept.item.id)/transitions", concept.transition(.submit))

            let queue: ListBody<QueueEntry> = try await curator.get("/api/v1/queue")
            #expect(queue.items.map(\.item.id) == [concept.item.id])
            let download = try await curator.raw(.get, "/api/v1/items/\(concept.item.id)/files/1")
            #expect(download.status == .ok)
            #expect(Array(buffer: download.body) == v1)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(download.headers[.contentDisposition]?.contains("filename*=UTF-8''%D0%9A") == true)
            #expect(download.headers[.contentType] == "application/pdf")

            world.clock.set(TestWorld.instant("2026-05-04 09:00", zone: "Asia/Chita"))
            school = try await APISession.login(client, "school-A")
            curator = try await APISession.login(client, "curator1")
            concept = try await curator.send(.post, "/api/v1/items/\(concept.item.id)/transitions",
                                             concept.transition(.return, comment: "Свяжите цели с фактором 3."))
            let seenBySchool: ItemDetail = try await school.get("/api/v1/items/\(concept.item.id)")
            #expect(seenBySchool.history.last?.comment == "Свяжите цели с фактором 3.")
            #expect(seenBySchool.item.stateName == "на доработке")
            let v2 = try await school.upload(concept.item.id, name: "Концепция развития v2.pdf", bytes: TestWorld.pdf("концепция v2"))
            concept = try APISession.decoder.decode(ItemDetail.self, from: Data(buffer: v2.body))
            // The return's comment is one remark; the school cannot send again before answering it.
            #expect(concept.remarks.map(\.text) == ["Свяжите цели с фактором 3."] && concept.remarks.first?.state == .open)
            let unanswered = try await school.refusal(.post, "/api/v1/items/\(concept.item.id)/transitions", concept.transition(.submit))
            #expect(unanswered.0 == .unprocessableContent && unanswered.1.details?.first?.hasPrefix("Нет ответа на замечание") == true)
            concept = try await school.send(.post, "/api/v1/items/\(concept.item.id)/remarks", RemarkAnswersRequest(answers: [
                RemarkAnswerInput(remarkID: concept.remarks[0].id, answer: .done, text: "Цели раздела 2 связаны с фактором 3."),
            ], expectedRevision: concept.item.revision))
            #expect(concept.remarks.first?.state == .answered)
            concept = try await school.send(.post, "/api/v1/items/\(concept.item.id)/transitions", concept.transition(.submit))
            concept = try await curator.send(.post, "/api/v1/items/\(concept.item.id)/transitions", concept.transition(.confirm))
            #expect(concept.item.state == .confirmed)
            #expect(concept.confirmedVersion == 2)

            // Roadmap with a measure, then the measure's report with evidence.
            var roadmap: ItemDetail = try await school.send(.post, "/api/v1/items", NewItem(campaignID: campaign, kind: .roadmap, schoolID: schoolID))
            let measure: Measure = try await school.send(.post, "/api/v1/items/\(roadmap.item.id)/measures", MeasureBody(measure: MeasureInput(
                task: "Повысить компетентность", title: "Курсы для учителей математики", dueDate: CalendarDate("2026-06-30")!,
                responsible: "Завуч", expectedResult: "Учителя обучены", indicator: "Число учителей", plannedValue: "4", riskFactorNumber: 3)),
                expect: .created)
            roadmap = try await school.get("/api/v1/items/\(roadmap.item.id)")
            roadmap = try await school.send(.post, "/api/v1/items/\(roadmap.item.id)/transitions", roadmap.transition(.submit))
            roadmap = try await curator.send(.post, "/api/v1/items/\(roadmap.item.id)/transitions", roadmap.transition(.confirm))
            var report: ItemDetail = try await school.send(.post, "/api/v1/measures/\(measure.id)/report", MeasureReportRequest(actualValue: "4"))
            let evidence = try await school.upload(report.item.id, name: "сертификаты.pdf", bytes: TestWorld.pdf("сертификаты"))
            report = try APISession.decoder.decode(ItemDetail.self, from: Data(buffer: evidence.body))
            report = try await school.send(.post, "/api/v1/items/\(report.item.id)/transitions", report.transition(.submit))
            report = try await curator.send(.post, "/api/v1/items/\(report.item.id)/transitions", report.transition(.confirm))
            #expect(report.measure?.reportState == .confirmed)

            // The municipal coordinator's view.
            let coordinator = try await APISession.login(client, "mun-M1")
            let compliance: ComplianceReport = try await coordinator.get("/api/v1/deadlines")
            let line = compliance.schools!.items.first { $0.schoolCode == "A" }!
            #expect(line.milestones.first { $0.kind == .riskProfile }?.status == .onTime)
            #expect(line.milestones.first { $0.kind == .developmentConcept }?.status == .onTime)
            #expect(line.measures.total == 1)
            #expect(line.measures.confirmed == 1)
            let csv = try await coordinator.raw(.get, "/api/v1/deadlines?format=csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let text = String(buffer: csv.body)
            #expect(text.hasPrefix("\u{FEFF}Регион;Муниципалитет;Код ОО;Школа"))
            #expect(text.contains("Школа А"))

            // Logout revokes the token.
            let _: OKBody = try await school.send(.post, "/api/v1/auth/logout", [String: String]())
            let (status, error) = try await school.refusal(.get, "/api/v1/me")
            #expect(status == .unauthorized)
            #expect(error.code == "unauthenticated")
        }
    }
}

struct RiskProfileBody: Encodable {
    var entries: [RiskProfileInput]
    var expectedRevision: Int?
}

struct MeasureBody: Encodable {
    var measure: MeasureInput
}

struct ListBody<T: Decodable>: Decodable {
    var items: [T]
}

struct OKBody: Decodable {
    var ok: Bool
}
