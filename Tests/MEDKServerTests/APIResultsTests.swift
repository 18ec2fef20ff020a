import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKAPI
import MEDKCore
import MEDKTestSupport
import NIOCore
import Testing

/// Results and lists of ШНОР/ШНСУ over /api/v1, each answer held to its schema in docs/openapi.yaml.
@Suite("API: results data and lists of ШНОР/ШНСУ")
struct APIResultsTests {
    /// The answer's JSON against its schema (responses leave absent optionals out).
    static func conforms(_ response: TestResponse, to schema: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        let mismatches = APIDocumentTypesTests.compare(json, try #require(APIDocumentTypesTests.schemas[schema]), at: schema, complete: false,
                                                       isRequest: false)
        #expect(mismatches.isEmpty, "\(mismatches.map(\.description).joined(separator: "\n"))", sourceLocation: sourceLocation)
    }

    static func json(_ value: some Encodable) throws -> ByteBuffer { ByteBuffer(data: try APIJSONCoding.encoder().encode(value)) }

    @Test("a region loads its data as files, drafts a list; a municipality objects; the region accepts and approves; the list reproduces")
    func story() async throws {
        let world = try await TestWorld()
        try await withAPI(world) { client in
            let region = try await APISession.login(client, "reg-R1")
            let school = try await APISession.login(client, "school-A")
            let refused = try await school.raw(.post, "/api/v1/results/imports?kind=components&fileName=a.csv",
                                               body: ByteBuffer(string: ResultsFixtures.components), contentType: "application/octet-stream")
            #expect(refused.status == .forbidden, "a school may not load results, and its file is not read")
            for (kind, text) in [("components", ResultsFixtures.components), ("social", ResultsFixtures.social)] {
                let checked = try await region.raw(.post, "/api/v1/results/imports?kind=\(kind)&fileName=\(kind).csv&dryRun=true",
                                                   body: ByteBuffer(string: text), contentType: "application/octet-stream")
                #expect(checked.status == .ok)
                try Self.conforms(checked, to: "ResultsImportReport")
                let loaded = try await region.raw(.post, "/api/v1/results/imports?kind=\(kind)&fileName=\(kind).csv",
                                                  body: ByteBuffer(string: text), contentType: "application/octet-stream")
                #expect(loaded.status == .created)
            }
            var method = IdentificationMethod.seed000
            method.components = [ResultComponent(.oge, .mathematics)]
            method.social = [SocialComponent("Доля из неполных семей")]
            method.windowYears = 1
            method.resultsCut = .median
            method.socialCut = .median
            let drafted = try await region.raw(.post, "/api/v1/regions/R1/identification-lists", body: try Self.json(
                IdentificationDraftRequest(year: 2026, objectionsUntil: CalendarDate("2026-03-22")!, method: method)))
            #expect(drafted.status == .created)
            try Self.conforms(drafted, to: "IdentificationListSummary")
            let list = try APISession.decoder.decode(IdentificationListSummary.self, from: Data(buffer: drafted.body))
            #expect(list.method == method, "the method is stored as it was sent")
            let again = try await region.raw(.post, "/api/v1/regions/R1/identification-lists", body: try Self.json(
                IdentificationDraftRequest(year: 2026, objectionsUntil: CalendarDate("2026-03-22")!, method: method)))
            #expect(again.status == .conflict, "one open draft a region")

            let municipality = try await APISession.login(client, "mun-M1")
            let view = try await municipality.raw(.get, "/api/v1/identification-lists/\(list.id)?filter=all&limit=2")
            #expect(view.status == .ok)
            try Self.conforms(view, to: "IdentificationListView")
            let seen = try APISession.decoder.decode(IdentificationListView.self, from: Data(buffer: view.body))
            #expect(seen.entries.total == 3 && seen.canObject && !seen.canDecide, "M1's three schools, two a page")
            let objected = try await municipality.raw(.post, "/api/v1/identification-lists/\(list.id)/objections", body: try Self.json(
                ObjectionRequest(schoolCode: "A", wanted: ProgrammeFlags(lowResults: true, hardSocialConditions: false), reason: "Рост случаен")))
            #expect(objected.status == .created)
            try Self.conforms(objected, to: "PlacementObjection")
            let objection = try APISession.decoder.decode(PlacementObjection.self, from: Data(buffer: objected.body))

            let decided = try await region.raw(.post, "/api/v1/identification-objections/\(objection.id)/decision",
                                               body: try Self.json(ObjectionDecisionRequest(accept: true)))
            #expect(decided.status == .ok)
            try Self.conforms(decided, to: "PlacementObjection")
            let early = try await region.raw(.post, "/api/v1/identification-lists/\(list.id)/approval", body: try Self.json(ListApprovalRequest()))
            #expect(early.status == .unprocessableContent, "the period is still open")
            let approved = try await region.raw(.post, "/api/v1/identification-lists/\(list.id)/approval",
                                                body: try Self.json(ListApprovalRequest(closeObjectionsEarly: true)))
            #expect(approved.status == .ok)
            try Self.conforms(approved, to: "IdentificationListSummary")
            let reproduced = try await region.raw(.get, "/api/v1/identification-lists/\(list.id)/reproduction")
            try Self.conforms(reproduced, to: "ListReproduction")
            #expect(try APISession.decoder.decode(ListReproduction.self, from: Data(buffer: reproduced.body)).matches)
            let lists = try await municipality.raw(.get, "/api/v1/regions/R1/identification-lists")
            #expect(lists.status == .ok)
            let csv = try await region.raw(.get, "/api/v1/identification-lists/\(list.id)?format=csv")
            #expect(csv.status == .ok && String(buffer: csv.body).contains("Код школы;Школа"))
            #expect(try await world.service.school(code: "A").lowResults, "the accepted objection kept A in ШНОР")
            let dynamics = try await municipality.raw(.get, "/api/v1/regions/R1/results-dynamics?years=3")
            #expect(dynamics.status == .ok)
            try Self.conforms(dynamics, to: "TerritoryDynamics")
            let trajectory = try await school.raw(.get, "/api/v1/schools/A/results-trajectory")
            #expect(trajectory.status == .ok)
            try Self.conforms(trajectory, to: "SchoolTrajectory")
            #expect(try await school.raw(.get, "/api/v1/schools/B/results-trajectory").status == .forbidden)
            let adopted = try await region.raw(.post, "/api/v1/regions/R1/target-indicators/catalogue")
            #expect(adopted.status == .ok)
            let indicators = try APISession.decoder.decode(ListResponse<TargetIndicator>.self, from: Data(buffer: adopted.body)).items
            let entered = try #require(indicators.first { $0.source == .entered })
            let own = try await region.raw(.post, "/api/v1/regions/R1/target-indicators",
                                           body: try Self.json(IndicatorDefinitionRequest(code: "2.3", title: "Наставничество")))
            #expect(own.status == .created)
            try Self.conforms(own, to: "TargetIndicator")
            let planned = try await region.raw(.put, "/api/v1/target-indicators/\(entered.id)/plans/2026",
                                               body: try Self.json(IndicatorPlanRequest(wording: "не менее 80% педагогов")))
            #expect(planned.status == .ok)
            try Self.conforms(planned, to: "TargetIndicator")
            let reg = try await world.actor("reg-R1")
            let regionID = try #require(try await world.service.regions().first { $0.code == "R1" }).id
            let note = try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: .analyticalNote, regionID: regionID), by: reg)
            _ = try await world.service.upload(itemID: note.item.id, fileName: "справка.pdf", chunks: OneChunk(bytes: TestWorld.pdf("n")), by: reg)
            let withoutDocument = try await region.raw(.put, "/api/v1/target-indicators/\(entered.id)/facts/2026",
                                                       body: ByteBuffer(string: #"{"value": 81, "comment": "Мониторинг ЦНППМ"}"#))
            #expect(withoutDocument.status == .badRequest, "a fact without its document is refused")
            let fact = try await region.raw(.put, "/api/v1/target-indicators/\(entered.id)/facts/2026",
                                            body: try Self.json(IndicatorFactRequest(value: 81, comment: "Мониторинг ЦНППМ", evidenceItemID: note.item.id)))
            #expect(fact.status == .ok)
            func indicatorRow() async throws -> IndicatorRow? {
                let indicatorReport = try await municipality.raw(.get, "/api/v1/regions/R1/target-indicators?year=2026")
                #expect(indicatorReport.status == .ok)
                try Self.conforms(indicatorReport, to: "IndicatorReport")
                let report = try APISession.decoder.decode(IndicatorReport.self, from: Data(buffer: indicatorReport.body))
                #expect(!report.canEdit)
                return report.rows.first { $0.indicator.id == entered.id }
            }
            #expect(try await indicatorRow()?.status == .unconfirmed, "the note is still a draft")
            _ = try await world.service.transition(itemID: note.item.id, TransitionRequest(action: .submit, expectedState: .draft), by: reg)
            _ = try await world.service.transition(itemID: note.item.id, TransitionRequest(action: .confirm, expectedState: .submitted),
                                                   by: try await world.actor("federal"))
            #expect(try await indicatorRow()?.status == .met)
            let other = try await APISession.login(client, "reg-R2")
            #expect(try await other.raw(.get, "/api/v1/identification-lists/\(list.id)").status == .forbidden)
        }
    }
}
