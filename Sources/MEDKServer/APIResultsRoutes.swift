import Foundation
import HTTPTypes
import Hummingbird
import MEDKAPI
import MEDKCore

/// `/api/v1` for results and lists of ШНОР/ШНСУ (issue 23): the same use cases as the pages and the console.
extension APIRoutes {
    /// The `{year}` of a path: four digits, 2000–2100.
    static func yearParameter(_ context: MEDKRequestContext) throws -> Int {
        guard let text = context.parameters.get("year"), let year = Int(text), (2000...2100).contains(year) else {
            throw MEDKError.invalid("invalid_parameter", "Год в адресе — от 2000 до 2100.")
        }
        return year
    }

    static func registerResults(_ table: RouteTable, _ service: MEDKService) {
        table.on(.post, "\(prefix)/results/imports") { request, context -> EditedResponse<ResultsImportReport> in
            let actor = try context.requireActor()
            let kind = try parseEnum(ResultsFileKind.self, try request.typedQuery("kind") ?? "", "kind")
            guard let fileName = request.query("fileName"), !fileName.isEmpty else {
                throw MEDKError.invalid("file_name_required", "Укажите имя файла в параметре fileName.")
            }
            let dryRun = try request.typedQuery("dryRun").map { try parseBool($0, "dryRun") } ?? false
            // Identity before the body: only those who load some region's results have it read at all.
            guard Policy.mayLoadResults(actor) else {
                throw MEDKError.forbidden("Данные о результатах школ загружает региональный координатор своего региона, ФИОКО или администратор.")
            }
            let buffer = try await request.body.collect(upTo: ResultsData.limits.maximumFileBytes)
            let report = try await service.resultsData.importFile(kind, data: Data(buffer.readableBytesView), fileName: fileName,
                                                                  dryRun: dryRun, by: .user(actor))
            return EditedResponse(status: dryRun ? .ok : .created, response: report)
        }
        table.on(.get, "\(prefix)/regions/{code}/identification-lists") { _, context -> ListResponse<IdentificationListSummary> in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Регион") }
            return ListResponse(items: try await service.identificationLists.lists(regionCode: code, by: .user(actor)))
        }
        table.on(.post, "\(prefix)/regions/{code}/identification-lists") { request, context -> EditedResponse<IdentificationListSummary> in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Регион") }
            let body = try await request.decodeJSON(as: IdentificationDraftRequest.self, context: context)
            let list = try await service.identificationLists.prepare(
                regionCode: code, year: body.year, method: body.method ?? .seed000, rules: body.rules ?? .standard,
                objectionsUntil: body.objectionsUntil, replacingDraft: body.replaceDraft ?? false, by: .user(actor))
            return EditedResponse(status: .created, response: list)
        }
        table.on(.get, "\(prefix)/identification-lists/{id}") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.parameters.id()
            let format = try request.typedQuery("format").map { try parseEnum(TableFormat.self, $0, "format") } ?? .json
            let filter = try request.typedQuery("filter").map { try parseEnum(ListEntryFilter.self, $0, "filter") } ?? .all
            let page = try pageRequest(request)
            let municipality = try await request.query("municipality").asyncMap { try await service.municipality(code: $0).id }
            let lists = service.identificationLists
            if format == .json {
                let view = try await lists.view(listID: id, filter: filter, municipalityID: municipality, page: page, by: .user(actor))
                return try context.responseEncoder.encode(view, from: request, context: context)
            }
            let (summary, entries) = try await lists.allEntries(listID: id, municipalityID: municipality, by: .user(actor))
            let table = IdentificationListTable.table(summary, entries.filter(filter.matches))
            return format == .csv ? Downloads.csv(CSV.write(table.textRows), name: IdentificationListTable.fileName(summary, ext: "csv"))
                : try Downloads.xlsx(table, name: IdentificationListTable.fileName(summary, ext: "xlsx"))
        }
        table.on(.post, "\(prefix)/identification-lists/{id}/objections") { request, context -> EditedResponse<PlacementObjection> in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: ObjectionRequest.self, context: context)
            let objection = try await service.identificationLists.object(listID: try context.parameters.id(), schoolCode: body.schoolCode,
                                                                         wanted: body.wanted, reason: body.reason, by: actor)
            return EditedResponse(status: .created, response: objection)
        }
        table.on(.post, "\(prefix)/identification-objections/{id}/decision") { request, context -> PlacementObjection in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: ObjectionDecisionRequest.self, context: context)
            return try await service.identificationLists.decide(objectionID: try context.parameters.id(), accept: body.accept,
                                                                comment: body.comment, by: .user(actor))
        }
        table.on(.post, "\(prefix)/identification-lists/{id}/approval") { request, context -> IdentificationListSummary in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: ListApprovalRequest.self, context: context)
            return try await service.identificationLists.approve(listID: try context.parameters.id(),
                                                                 closingObjectionsEarly: body.closeObjectionsEarly ?? false, by: .user(actor))
        }
        table.on(.post, "\(prefix)/identification-lists/{id}/discard") { _, context -> IdentificationListSummary in
            let actor = try context.requireActor()
            return try await service.identificationLists.discard(listID: try context.parameters.id(), by: .user(actor))
        }
        table.on(.get, "\(prefix)/regions/{code}/results-dynamics") { request, context -> Response in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Регион") }
            let format = try request.typedQuery("format").map { try parseEnum(TableFormat.self, $0, "format") } ?? .json
            let years = try request.typedQuery("years").map { try parseInt($0, "years") } ?? 4
            guard (2...10).contains(years) else { throw MEDKError.invalid("invalid_parameter", "Параметр years — от 2 до 10 лет.") }
            let municipality = try await request.query("municipality").asyncMap { try await service.municipality(code: $0).id }
            let report = try await service.resultsDynamics.territory(regionCode: code, municipalityID: municipality, years: years, by: .user(actor))
            return try reportResponse(report, format: format, name: ResultsDynamicsTable.fileStem(report),
                                      request: request, context: context) { ResultsDynamicsTable.table(report) }
        }
        table.on(.get, "\(prefix)/schools/{code}/results-trajectory") { _, context -> SchoolTrajectory in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Школа") }
            return try await service.resultsDynamics.school(code: code, by: .user(actor))
        }
        table.on(.get, "\(prefix)/regions/{code}/target-indicators") { request, context -> Response in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Регион") }
            let format = try request.typedQuery("format").map { try parseEnum(TableFormat.self, $0, "format") } ?? .json
            guard let yearText = try request.typedQuery("year") else {
                throw MEDKError.invalid("year_required", "Укажите год в параметре year.")
            }
            let year = try parseInt(yearText, "year")
            guard (2000...2100).contains(year) else { throw MEDKError.invalid("invalid_parameter", "Параметр year — от 2000 до 2100.") }
            let report = try await service.targetIndicators.report(regionCode: code, year: year, by: .user(actor))
            return try reportResponse(report, format: format, name: IndicatorReportTable.fileStem(report), request: request, context: context) {
                IndicatorReportTable.table(report)
            }
        }
        table.on(.post, "\(prefix)/regions/{code}/target-indicators") { request, context -> EditedResponse<TargetIndicator> in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Регион") }
            let body = try await request.decodeJSON(as: IndicatorDefinitionRequest.self, context: context)
            return EditedResponse(status: .created, response: try await service.targetIndicators.define(regionCode: code, code: body.code,
                                                                                                      title: body.title, by: .user(actor)))
        }
        table.on(.post, "\(prefix)/regions/{code}/target-indicators/catalogue") { _, context -> ListResponse<TargetIndicator> in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Регион") }
            return ListResponse(items: try await service.targetIndicators.adoptCatalogue(regionCode: code, by: .user(actor)))
        }
        table.on(.put, "\(prefix)/target-indicators/{id}/plans/{year}") { request, context -> TargetIndicator in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: IndicatorPlanRequest.self, context: context)
            return try await service.targetIndicators.setPlan(indicatorID: try context.parameters.id(), year: try yearParameter(context),
                                                              wording: body.wording, confirmed: body.confirmed, by: .user(actor))
        }
        table.on(.put, "\(prefix)/target-indicators/{id}/facts/{year}") { request, context -> EmptyResponse in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: IndicatorFactRequest.self, context: context)
            try await service.targetIndicators.enterFact(indicatorID: try context.parameters.id(), year: try yearParameter(context),
                                                         value: body.value, comment: body.comment, evidenceItemID: body.evidenceItemID,
                                                         by: .user(actor))
            return EmptyResponse()
        }
        table.on(.get, "\(prefix)/identification-lists/{id}/reproduction") { _, context -> ListReproduction in
            let actor = try context.requireActor()
            return try await service.identificationLists.verify(listID: try context.parameters.id(), by: .user(actor))
        }
    }
}
