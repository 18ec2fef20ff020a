import Foundation
import HTTPTypes
import Hummingbird
import MEDKAPI
import MEDKCore

/// The JSON API, `/api/v1`. Each handler decodes, calls one use case and encodes: no rules here.
enum APIRoutes {
    static let prefix = "/api/v1"

    static func register(_ table: RouteTable, service: MEDKService) {
        registerSession(table, service)
        registerItems(table, service)
        registerRoadmaps(table, service)
        registerMonitoring(table, service)
        registerAdministration(table, service)
        registerResults(table, service)
    }

    private static func registerSession(_ table: RouteTable, _ service: MEDKService) {
        table.on(.post, "\(prefix)/auth/login") { request, context -> LoginResult in
            let body = try await request.decodeJSON(as: LoginRequest.self, context: context)
            return try await service.login(body.login, password: body.password, client: context.client,
                                           deviceTokens: body.deviceToken.map { [$0] } ?? [])
        }
        table.on(.post, "\(prefix)/auth/logout") { _, context -> EmptyResponse in
            _ = try context.requireActor()
            try await service.logout(token: context.token!)
            return EmptyResponse()
        }
        table.on(.get, "\(prefix)/me") { _, context -> UserInfo in
            try await service.userInfo(id: try context.requireActor().userID)
        }
        table.on(.get, "\(prefix)/me/mail") { _, context -> MailSettingsBody in
            MailSettingsBody(try await service.mailPreferences(for: try context.requireActor()))
        }
        table.on(.put, "\(prefix)/me/mail") { request, context -> MailSettingsBody in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: MailSettingsBody.self, context: context)
            return MailSettingsBody(try await service.setMailPreferences(email: body.email, enabled: Set(body.enabledKinds),
                                                                         digestWeekday: body.digestWeekday, by: actor))
        }
        table.on(.get, "\(prefix)/regions/{code}/reminder-settings") { _, context -> ReminderSettingsBody in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Регион") }
            return ReminderSettingsBody(try await service.reminderSettings(regionCode: code, by: .user(actor)))
        }
        table.on(.put, "\(prefix)/regions/{code}/reminder-settings") { request, context -> ReminderSettingsBody in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Регион") }
            let body = try await request.decodeJSON(as: ReminderSettingsRequest.self, context: context)
            return ReminderSettingsBody(try await service.setReminderSettings(
                by: .user(actor), regionCode: code, daysBefore: body.daysBefore, reviewWorkingDays: body.reviewWorkingDays,
                escalationDays: body.escalationDays))
        }
    }

    private static func registerItems(_ table: RouteTable, _ service: MEDKService) {
        table.on(.get, "\(prefix)/campaigns") { _, context -> ListResponse<Campaign> in
            _ = try context.requireActor()
            return ListResponse(items: try await service.campaigns())
        }
        table.on(.get, "\(prefix)/campaigns/{id}") { _, context -> CampaignDetail in
            _ = try context.requireActor()
            return try await service.campaign(id: try context.parameters.id())
        }
        table.on(.get, "\(prefix)/regions") { request, context -> Page<Region> in
            _ = try context.requireActor()
            return try await service.regions(OrganisationQuery(search: request.query("q")), page: try pageRequest(request))
        }
        table.on(.get, "\(prefix)/municipalities") { request, context -> Page<Municipality> in
            _ = try context.requireActor()
            let region = try await request.query("region").asyncMap { try await service.region(code: $0).id }
            return try await service.municipalities(OrganisationQuery(search: request.query("q"), regionID: region),
                                                    page: try pageRequest(request))
        }
        table.on(.get, "\(prefix)/schools") { request, context -> Page<School> in
            _ = try context.requireActor()
            let region = try await request.query("region").asyncMap { try await service.region(code: $0).id }
            let municipality = try await request.query("municipality").asyncMap { try await service.municipality(code: $0).id }
            return try await service.schools(OrganisationQuery(search: request.query("q"), regionID: region, municipalityID: municipality),
                                             page: try pageRequest(request))
        }
        table.on(.get, "\(prefix)/schools/{code}/overview") { request, context -> SchoolOverview in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Школа") }
            return try await service.schoolOverview(schoolCode: code, campaignCode: request.query("campaign"), for: actor)
        }
        table.on(.get, "\(prefix)/municipalities/{code}/package") { request, context -> MunicipalPackage in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Муниципалитет") }
            return try await service.municipalPackage(municipalityCode: code, campaignCode: request.query("campaign"), for: actor)
        }
        table.on(.get, "\(prefix)/municipalities/{code}/evaluation") { request, context -> PackageEvaluationView in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Муниципалитет") }
            return try await service.packageEvaluation(municipalityCode: code, campaignCode: request.query("campaign"), for: actor)
        }
        table.on(.post, "\(prefix)/municipalities/{code}/evaluation") { request, context -> EditedResponse<PackageEvaluationView> in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Муниципалитет") }
            let body = try await request.decodeJSON(as: PackageEvaluationRequest.self, context: context)
            return EditedResponse(status: .created, response: try await service.evaluatePackage(
                municipalityCode: code, campaignCode: request.query("campaign"), scores: body.scores,
                expectedVersion: body.expectedVersion, by: actor))
        }
        table.on(.get, "\(prefix)/regions/{code}/roadmap") { request, context -> RegionalRoadmap in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Регион") }
            return try await service.regionalRoadmap(regionCode: code, campaignCode: request.query("campaign"), for: actor)
        }
        table.on(.get, "\(prefix)/regions/{code}/evaluations") { request, context -> Response in
            let actor = try context.requireActor()
            guard let code = context.parameters.get("code") else { throw MEDKError.notFound("Регион") }
            let format = try request.typedQuery("format").map { try parseEnum(TableFormat.self, $0, "format") } ?? .json
            let report = try await service.regionEvaluations(regionCode: code, campaignCode: request.query("campaign"), for: actor)
            return try reportResponse(report, format: format, name: EvaluationPages.fileStem(report), request: request, context: context) {
                EvaluationTable.table(report)
            }
        }
        table.on(.get, "\(prefix)/items") { request, context -> Response in
            let actor = try context.requireActor()
            let format = try request.typedQuery("format").map { try parseEnum(ItemListFormat.self, $0, "format") } ?? .json
            // Checked for both forms, so that a malformed page is refused even where the download ignores it.
            let pageRequest = try pageRequest(request)
            switch format {
            case .json:
                let page = try await service.items(for: actor, filter: try itemFilter(request), page: pageRequest)
                return try context.responseEncoder.encode(page, from: request, context: context)
            case .xlsx:
                return try await Downloads.itemsXLSX(service, try itemFilter(request), temporaryDirectory: service.files.temporaryDirectory,
                                                     for: actor)
            }
        }
        table.on(.post, "\(prefix)/items") { request, context -> EditedResponse<ItemDetail> in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: NewItem.self, context: context)
            return EditedResponse(status: .created, response: try await service.createItem(body, by: actor))
        }
        table.on(.get, "\(prefix)/items/{id}") { _, context -> ItemDetail in
            try await service.item(try context.parameters.id(), for: try context.requireActor())
        }
        table.on(.get, "\(prefix)/items/{id}/history") { request, context -> Page<HistoryEntry> in
            try await service.itemHistory(try context.parameters.id(), page: try pageRequest(request), for: try context.requireActor())
        }
        table.on(.post, "\(prefix)/items/{id}/transitions") { request, context -> Response in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: TransitionRequest.self, context: context)
            // RFC 7240: a client that only needs the new state asks for the item's summary, which is
            // read in the same transaction instead of the whole card with its files and history.
            if request.headers[values: .init("Prefer")!].contains(where: { $0.lowercased().contains("return=minimal") }) {
                let summary = try await service.transitionSummary(itemID: try context.parameters.id(), body, by: actor)
                var response = try context.responseEncoder.encode(summary, from: request, context: context)
                response.headers[.init("Preference-Applied")!] = "return=minimal"
                return response
            }
            let detail = try await service.transition(itemID: try context.parameters.id(), body, by: actor)
            return try context.responseEncoder.encode(detail, from: request, context: context)
        }
        table.on(.post, "\(prefix)/items/{id}/comments") { request, context -> EditedResponse<HistoryEntry> in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: CommentRequest.self, context: context)
            return EditedResponse(status: .created, response: try await service.comment(itemID: try context.parameters.id(),
                                                                                         text: body.text, by: actor))
        }
        table.on(.post, "\(prefix)/items/{id}/remarks") { request, context -> ItemDetail in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: RemarkAnswersRequest.self, context: context)
            return try await service.remarkAnswers.answer(itemID: try context.parameters.id(), body.answers,
                                                          expectedRevision: body.expectedRevision, by: actor)
        }
        table.on(.put, "\(prefix)/items/{id}/risk-profile") { request, context -> ItemDetail in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: RiskProfileRequest.self, context: context)
            return try await service.setRiskProfile(itemID: try context.parameters.id(), entries: body.entries,
                                                    expectedRevision: body.expectedRevision, by: actor)
        }
        table.on(.post, "\(prefix)/items/{id}/files") { request, context -> EditedResponse<ItemDetail> in
            let actor = try context.requireActor()
            guard let fileName = request.query("fileName") else {
                throw MEDKError.invalid("file_name_required", "Укажите имя файла в параметре fileName.")
            }
            let expected = try request.typedQuery("expectedRevision").map { try parseInt($0, "expectedRevision") }
            let chunks = request.body.map { Array(buffer: $0) }
            let detail = try await service.upload(itemID: try context.parameters.id(), fileName: fileName, chunks: chunks,
                                                  expectedRevision: expected, by: actor)
            return EditedResponse(status: .created, response: detail)
        }
        table.on(.get, "\(prefix)/items/{id}/files/{version}") { _, context -> Response in
            let actor = try context.requireActor()
            let version = Int(try context.parameters.id("version"))
            let (file, content) = try await service.fileVersion(itemID: try context.parameters.id(), version: version, for: actor)
            return try await Downloads.file(file, content: content, inline: false, context: context)
        }
        table.on(.get, "\(prefix)/queue") { request, context -> Page<QueueEntry> in
            let actor = try context.requireActor()
            return try await service.queue(for: actor, filter: try itemFilter(request), page: try pageRequest(request))
        }
    }

    private static func registerRoadmaps(_ table: RouteTable, _ service: MEDKService) {
        table.on(.get, "\(prefix)/items/{id}/regional-measures") { _, context -> ListResponse<RegionalMeasureChoice> in
            let actor = try context.requireActor()
            return ListResponse(items: try await service.regionalMeasureChoices(roadmapID: try context.parameters.id(), for: actor))
        }
        table.on(.post, "\(prefix)/items/{id}/measures") { request, context -> EditedResponse<Measure> in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: MeasureRequest.self, context: context)
            let measure = try await service.addMeasure(roadmapID: try context.parameters.id(), body.measure,
                                                       expectedRevision: body.expectedRevision, by: actor)
            return EditedResponse(status: .created, response: measure)
        }
        table.on(.post, "\(prefix)/items/{id}/measures/import-preview") { request, context -> RoadmapImportPreview in
            let actor = try context.requireActor()
            guard let fileName = request.query("fileName") else {
                throw MEDKError.invalid("file_name_required", "Укажите имя файла в параметре fileName.")
            }
            let year = try request.typedQuery("year").map { try parseInt($0, "year") }
            return try await service.previewMeasureImport(roadmapID: try context.parameters.id(), fileName: fileName,
                                                          programmeYear: year, by: actor) {
                // Read only once the actor may import into this roadmap; bounded like the import itself.
                let buffer = try await request.body.collect(upTo: TableImportLimits().maximumFileBytes)
                return Data(buffer.readableBytesView)
            }
        }
        table.on(.post, "\(prefix)/items/{id}/measures/import") { request, context -> EditedResponse<MeasureImportResult> in
            let actor = try context.requireActor()
            guard let fileName = request.query("fileName") else {
                throw MEDKError.invalid("file_name_required", "Укажите имя файла в параметре fileName.")
            }
            let year = try request.typedQuery("year").map { try parseInt($0, "year") }
            let expected = try request.typedQuery("expectedRevision").map { try parseInt($0, "expectedRevision") }
            // `replace=true` is the older spelling of `mode=replace`.
            let replace = try request.typedQuery("replace").map { try parseBool($0, "replace") } ?? false
            let mode = try request.typedQuery("mode").map { text in
                guard let mode = MeasureImportMode(rawValue: text) else {
                    throw MEDKError.invalid("invalid_parameter", "Параметр mode — add, new или replace, а не «\(text)».")
                }
                return mode
            } ?? (replace ? .replace : .add)
            let result = try await service.importMeasures(roadmapID: try context.parameters.id(), fileName: fileName,
                                                          programmeYear: year, mode: mode, expectedRevision: expected,
                                                          by: actor) {
                let buffer = try await request.body.collect(upTo: TableImportLimits().maximumFileBytes)
                return Data(buffer.readableBytesView)
            }
            return EditedResponse(status: .created, response: result)
        }
        table.on(.put, "\(prefix)/measures/{id}") { request, context -> Measure in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: MeasureRequest.self, context: context)
            return try await service.updateMeasure(try context.parameters.id(), body.measure,
                                                   expectedRevision: body.expectedRevision, by: actor)
        }
        table.on(.delete, "\(prefix)/measures/{id}") { request, context -> EmptyResponse in
            let actor = try context.requireActor()
            let expected = try request.typedQuery("expectedRevision").map { try parseInt($0, "expectedRevision") }
            try await service.removeMeasure(try context.parameters.id(), expectedRevision: expected, by: actor)
            return EmptyResponse()
        }
        table.on(.post, "\(prefix)/measures/{id}/report") { request, context -> ItemDetail in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: MeasureReportRequest.self, context: context)
            return try await service.reportMeasure(try context.parameters.id(), actualValue: body.actualValue,
                                                   expectedRevision: body.expectedRevision, by: actor)
        }
    }

    private static func registerMonitoring(_ table: RouteTable, _ service: MEDKService) {
        table.on(.get, "\(prefix)/deadlines") { request, context -> Response in
            let actor = try context.requireActor()
            let format = try request.typedQuery("format").map { try parseEnum(TableFormat.self, $0, "format") } ?? .json
            let lagging = try request.typedQuery("lagging").map { try parseBool($0, "lagging") } ?? false
            let report = try await service.deadlines(
                DeadlinesQuery(regionCode: request.query("region"), municipalityCode: request.query("municipality"),
                               campaignCode: request.query("campaign"), asOf: try request.typedQuery("asOf").map(parseDate),
                               page: try pageRequest(request), allSchools: format != .json, onlyLagging: lagging),
                for: actor)
            let name = ComplianceTable.fileStem(report)
            return try reportResponse(report, format: format, name: name, request: request, context: context) {
                report.level == .country ? ComplianceTable.territoryTable(report) : ComplianceTable.schoolsTable(report, onlyLagging: lagging)
            }
        }
        table.on(.get, "\(prefix)/review-times") { request, context -> Response in
            let actor = try context.requireActor()
            let format = try request.typedQuery("format").map { try parseEnum(TableFormat.self, $0, "format") } ?? .json
            let report = try await service.reviewTimes(
                ReviewTimesQuery(regionCode: request.query("region"), municipalityCode: request.query("municipality"),
                                 campaignCode: request.query("campaign"), from: try request.typedQuery("from").map(parseDate),
                                 to: try request.typedQuery("to").map(parseDate)),
                for: actor)
            return try reportResponse(report, format: format, name: ReviewTimesTable.fileName(report), request: request, context: context) {
                ReviewTimesTable.table(report)
            }
        }
        table.on(.get, "\(prefix)/overdue-measures") { request, context -> Response in
            let actor = try context.requireActor()
            let format = try request.typedQuery("format").map { try parseEnum(TableFormat.self, $0, "format") } ?? .json
            let query = OverdueQuery(
                campaignCode: request.query("campaign"), regionCode: request.query("region"),
                municipalityCode: request.query("municipality"), schoolCode: request.query("school"),
                curatorLogin: request.query("curator"),
                sort: try request.typedQuery("sort").map { try parseEnum(OverdueSort.self, $0, "sort") } ?? .dueDate,
                page: try pageRequest(request))
            switch format {
            case .json:
                return try context.responseEncoder.encode(try await service.overdueMeasures(query, for: actor), from: request, context: context)
            case .csv:
                return try await Downloads.overdueCSV(service, query, for: actor)
            case .xlsx:
                return try await Downloads.overdueXLSX(service, query, temporaryDirectory: service.files.temporaryDirectory, for: actor)
            }
        }
    }

    private static func registerAdministration(_ table: RouteTable, _ service: MEDKService) {
        table.on(.post, "\(prefix)/curator-assignments") { request, context -> EditedResponse<EmptyResponse> in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: CuratorAssignmentRequest.self, context: context)
            try await service.assignCurator(by: .user(actor), campaignCode: body.campaignCode, schoolCode: body.schoolCode,
                                            curatorLogin: body.curatorLogin)
            return EditedResponse(status: .created, response: EmptyResponse())
        }
        table.on(.put, "\(prefix)/milestone-overrides") { request, context -> EmptyResponse in
            let actor = try context.requireActor()
            let body = try await request.decodeJSON(as: MilestoneShiftRequest.self, context: context)
            try await service.shiftMilestone(by: .user(actor), campaignCode: body.campaignCode, kind: body.kind,
                                             regionCode: body.regionCode, dueDate: body.dueDate, reason: body.reason)
            return EmptyResponse()
        }
        table.on(.get, "\(prefix)/audit") { request, context -> Response in
            let actor = try context.requireActor()
            let item = try request.typedQuery("item").map { try parseID($0, "item") }
            let query = try AuditExtract.query(item: item, from: try request.typedQuery("from").map(parseDate),
                                               through: try request.typedQuery("to").map(parseDate))
            if let format = try request.typedQuery("format").map({ try parseEnum(AuditDownloads.Format.self, $0, "format") }), format != .json {
                return try await AuditDownloads.extract(service, query, format: format, temporaryDirectory: service.files.temporaryDirectory,
                                                        for: actor)
            }
            let page = try await service.auditLog(query, page: try pageRequest(request), by: .user(actor))
            return try context.responseEncoder.encode(page, from: request, context: context)
        }
        table.on(.get, "\(prefix)/users") { request, context -> Page<UserInfo> in
            let actor = try context.requireActor()
            let region = try await request.query("region").asyncMap { try await service.region(code: $0).id }
            let query = UserQuery(search: request.query("q"), role: try request.typedQuery("role").map { try parseEnum(Role.self, $0, "role") },
                                  regionID: region)
            return try await service.users(query, page: try pageRequest(request), by: .user(actor))
        }
        table.on(.get, "\(prefix)/users/{login}") { _, context -> UserInfo in
            let login = try context.parameters.require("login")
            return try await service.userAccounts.user(login: login.removingPercentEncoding ?? login, by: .user(try context.requireActor()))
        }
        table.on(.patch, "\(prefix)/users/{login}") { request, context -> UserInfo in
            let actor = try context.requireActor()
            let login = try context.parameters.require("login")
            let body = try await request.decodeJSON(as: UserEdit.self, context: context)
            return try await service.userAccounts.edit(login: login.removingPercentEncoding ?? login, body, by: .user(actor))
        }
        table.on(.get, "\(prefix)/curator-assignments") { request, context -> Page<CuratorAssignment> in
            let actor = try context.requireActor()
            return try await service.curatorAssignments(campaignCode: request.query("campaign"), page: try pageRequest(request), for: actor)
        }
    }

    /// `limit` and `cursor` of a paged list.
    static func pageRequest(_ request: Request) throws -> PageRequest {
        try PageRequest.validated(limit: try request.typedQuery("limit").map { try parseInt($0, "limit") },
                                  after: try request.typedQuery("cursor").map { text in
                                      guard !text.isEmpty else { throw MEDKError.invalid("invalid_parameter", "Параметр «cursor» пуст.") }
                                      return text
                                  })
    }

    static func itemFilter(_ request: Request) throws -> ItemFilter {
        ItemFilter(campaignID: try request.typedQuery("campaign").map { try parseID($0, "campaign") },
                   schoolCode: request.query("school"),
                   state: try request.typedQuery("state").map { try parseEnum(ReviewState.self, $0, "state") },
                   kind: try request.typedQuery("kind").map { try parseEnum(ItemKind.self, $0, "kind") },
                   sort: try request.typedQuery("sort").map { try parseEnum(ItemSort.self, $0, "sort") } ?? .newest)
    }

    /// A report as JSON, or its table as CSV or a workbook named `name`; the table is built only for a download.
    static func reportResponse<Report: Encodable & Sendable>(_ report: Report, format: TableFormat, name: String, request: Request,
                                                             context: MEDKRequestContext, table: () -> ExportTable) throws -> Response {
        switch format {
        case .json: try context.responseEncoder.encode(report, from: request, context: context)
        case .csv: Downloads.csv(CSV.write(table().textRows), name: "\(name).csv")
        case .xlsx: try Downloads.xlsx(table(), name: "\(name).xlsx")
        }
    }

    static func parseDate(_ text: String) throws -> CalendarDate {
        guard let date = CalendarDate(iso: text) else {
            throw MEDKError.invalid("invalid_date", "Дата «\(text)» не распознана: нужен формат ГГГГ-ММ-ДД.")
        }
        return date
    }

    static func parseBool(_ text: String, _ name: String) throws -> Bool {
        switch text.lowercased() {
        case "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: throw MEDKError.invalid("invalid_parameter", "Параметр «\(name)»: допустимы true или false.")
        }
    }

    static func parseID(_ text: String, _ name: String) throws -> Int64 {
        guard let value = Int64(text), value > 0 else {
            throw MEDKError.invalid("invalid_parameter", "Параметр «\(name)» должен быть положительным числом.")
        }
        return value
    }

    static func parseInt(_ text: String, _ name: String) throws -> Int {
        guard let value = Int(text), value >= 0 else {
            throw MEDKError.invalid("invalid_parameter", "Параметр «\(name)» должен быть неотрицательным числом.")
        }
        return value
    }

    static func parseEnum<T: RawRepresentable<String> & CaseIterable>(_ type: T.Type, _ text: String, _ name: String) throws -> T {
        guard let value = T(rawValue: text) else {
            throw MEDKError.invalid("invalid_parameter",
                                    "Параметр «\(name)»: допустимы \(T.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return value
    }
}


/// What a report route returns: JSON for programs, CSV for Excel.
enum ExportFormat: String, CaseIterable {
    case json, csv
}

/// Item lists: a page as JSON, or the whole filtered list as Excel.
enum ItemListFormat: String, CaseIterable {
    case json, xlsx
}

/// Reports that already download as Excel too; the others follow (issue: exports people open in Excel).
enum TableFormat: String, CaseIterable {
    case json, csv, xlsx
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

enum ContentDisposition {
    /// `attachment` with an ASCII fallback and the real (Cyrillic) name per RFC 6266/5987.
    static func attachment(_ fileName: String) -> String { header("attachment", fileName) }

    /// Shown in the browser (previews of PDF and images).
    static func inline(_ fileName: String) -> String { header("inline", fileName) }

    private static func header(_ type: String, _ fileName: String) -> String {
        // Clients without RFC 5987 get an ASCII name: the real one if it is ASCII, else a neutral one
        // with the same extension (a row of underscores tells nobody anything).
        let plain = fileName.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 && $0.value < 0x7F }
        let fallback = plain ? fileName : "medk" + (fileName.split(separator: ".").count > 1 ? "." + fileName.split(separator: ".").last!.filter(\.isASCII) : "")
        let allowed = CharacterSet.alphanumerics.subtracting(CharacterSet(charactersIn: "\u{80}"..."\u{10FFFF}"))
            .union(CharacterSet(charactersIn: "-._~"))
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: allowed) ?? fallback
        return "\(type); filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }
}
