import Foundation
import MEDKCore

/// «Результаты»: a region's data for identification, its lists of ШНОР/ШНСУ from draft to
/// approval, and the quadrant chart (issue 23). Regional coordinators (FIOCO and administrators
/// for any region) load data, draw up and approve; municipal coordinators see their schools and
/// object; every form posts to the core and a refused one comes back as it was typed.
enum ResultsPages {
    struct CoverageRow: Sendable {
        var year: Int
        var results: Int
        var social: Int
    }

    struct ListRow: Sendable {
        var id: Int64
        var href: String
        var year: Int
        var state: String
        var stateClass: String
        var methodVersion: Int
        var created: String
        var decided: String?
        var changes: Int
        var shown: Bool
    }

    struct MunicipalityRow: Sendable {
        var name: String
        var schools: Int
        var effective: Int
        var struggling: Int
        var deprived: Int
        var resilient: Int
        var insufficient: Int
        var lowShare: String
        var before: Int
        var proposed: Int
    }

    struct Indicator: Sendable {
        var index: Int
        var name: String
        var checked: Bool
    }

    struct Overview: Sendable {
        var regionName: String
        var regionCode: String
        var municipalityName: String?
        var regionOptions: [SelectOption]
        var nextStep: String
        var coverage: [CoverageRow]
        var shown: ListHeading?
        var chart: QuadrantChart?
        var municipalities: [MunicipalityRow]
        var lists: [ListRow]
        var canIdentify: Bool
        var kinds: [KindOption]
        var defaultYear: Int
        var objectionsUntil: String
        var indicators: [Indicator]
        var minimumParticipants: Int
        var draftExists: Bool
    }

    struct KindOption: Sendable {
        var value: String
        var label: String
        var columns: String
        var templateHref: String
        var workbookHref: String
        var checked: Bool
    }

    /// What a list is, above its chart or table.
    struct ListHeading: Sendable {
        var id: Int64
        var href: String
        var title: String
        var state: String
        var stateClass: String
        var isDraft: Bool
        var objectionsUntil: String
        var methodLines: [String]
        var rules: String
        var provenance: String
        var counts: String
        /// Nil when none wait (the template shows the sentence only then).
        var pendingObjections: Int?
    }

    static func heading(_ summary: IdentificationListSummary, counts: ListCounts) -> ListHeading {
        ListHeading(
            id: summary.id, href: "/results/lists/\(summary.id)", title: "Список \(summary.year) года №\(summary.id)",
            state: summary.state.russianName, stateClass: stateClass(summary.state), isDraft: summary.state == .draft,
            objectionsUntil: summary.objectionsUntil.russian,
            methodLines: ["Методика — версия \(summary.methodVersion)."] + summary.method.russianLines, rules: summary.rules.russian,
            provenance: "Составлен \(ExportTable.Cell.dateTime(summary.createdAt, zone: summary.timeZone).text) (\(summary.timeZone))"
                + (summary.createdBy.map { ", \($0)" } ?? "") + ". Данные — на момент загрузки №\(summary.dataBatch); SHA-256 данных "
                + String(summary.inputsHash.prefix(16)) + "…, расчёта " + String(summary.runHash.prefix(16)) + "…"
                + (summary.decidedBy.map { ". \(summary.state == .approved ? "Утвердил" : "Отменил"): \($0)" } ?? "") + ".",
            counts: [
                "Школ: \(counts.schools)", "входят в ШНОР: \(counts.entering)", "выходят: \(counts.leaving)", "остаются: \(counts.staying)",
                "меняется статус: \(counts.changes)", "без уверенности: \(counts.uncertain)", "недостаточно данных: \(counts.insufficientData)",
            ].joined(separator: " · "),
            pendingObjections: counts.pendingObjections > 0 ? counts.pendingObjections : nil)
    }

    static func stateClass(_ state: IdentificationListState) -> String {
        switch state {
        case .draft: "status-waiting"
        case .approved: "status-ok"
        case .discarded: "status-notdue"
        }
    }

    static func register(_ web: WebRoutes) {
        web.get("/results") { request in
            let actor = try request.actor()
            let overview = try await request.service.resultsOverviews.overview(
                regionCode: request.query("region"), listID: request.query("list").flatMap { Int64($0) }, by: .user(actor))
            return await request.page("results", title: "Результаты: \(overview.region.name)", page(overview))
        }

        web.get("/results/template/{kind}") { request in
            _ = try request.actor()
            guard let name = request.context.parameters.get("kind") else { throw MEDKError.notFound("Шаблон") }
            let workbook = name.hasSuffix(".xlsx")
            guard let kind = ResultsFileKind(rawValue: workbook ? String(name.dropLast(5)) : name) else { throw MEDKError.notFound("Шаблон") }
            return workbook ? try Downloads.xlsx(kind.templateTable, name: DownloadName.make(["Шаблон", kind.russianName], ext: "xlsx"))
                : Downloads.csv(kind.template, name: DownloadName.make(["Шаблон", kind.russianName], ext: "csv"))
        }

        // A region's file is a few megabytes; the check's preview carries it back as text.
        web.post("/results/import", limits: .upload(fileBytes: 16 << 20, fieldBytes: 24 << 20)) { request, form in
            let actor = try request.actor()
            guard let kind = form["kind"].flatMap(ResultsFileKind.init(rawValue:)) else {
                throw MEDKError.rejected("invalid_form", "Выберите, что в файле.", fields: ["kind": "Выберите, что в файле."])
            }
            let region = (form["region"] ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let apply = form["apply"] == "1"
            var fileName = form["fileName"] ?? "файл"
            let data: Data
            if let file = form.files["file"] {
                data = Data(try file.contents())
                fileName = file.fileName
            } else if let saved = form.fields["content"]?.first, let decoded = Data(base64Encoded: saved) {
                data = decoded
            } else {
                throw MEDKError.rejected("file_required", "Выберите файл CSV или XLSX.", fields: ["file": "Выберите файл."])
            }
            let report = try await request.service.resultsData.importFile(kind, data: data, fileName: fileName, dryRun: !apply, by: .user(actor))
            let counts = "новых значений \(report.created), исправленных \(report.updated), без изменений \(report.unchanged)"
            if apply {
                return request.redirect("/results?region=\(region)", success: "Загружено из «\(fileName)»: \(counts).")
            }
            return await request.page("results_import", title: "Проверка файла", ImportCheck(
                regionCode: region, kind: kind.rawValue, kindName: kind.russianName, fileName: fileName, content: data.base64EncodedString(),
                summary: "Файл «\(fileName)» проверен, ничего ещё не записано: \(counts).",
                changes: report.created + report.updated > 0))
        }

        web.post("/results/lists") { request, form in
            let actor = try request.actor()
            guard let region = form["region"], !region.isEmpty else { throw MEDKError.rejected("invalid_form", "Не выбран регион.") }
            var fields: [String: String] = [:]
            let year = Int(form["year"] ?? "")
            if year == nil { fields["year"] = "Укажите год — четыре цифры." }
            let until = try? WebForm.date(form["objectionsUntil"] ?? "")
            if until == nil { fields["objectionsUntil"] = "Укажите дату окончания приёма возражений." }
            func percent(_ name: String) -> Double? {
                guard let value = Double((form[name] ?? "").replacingOccurrences(of: ",", with: ".")), (1...99).contains(value) else {
                    fields[name] = "Процентиль — число от 1 до 99."
                    return nil
                }
                return value / 100
            }
            let resultsCut = percent("resultsCut"), socialCut = percent("socialCut")
            let minimum = Int(form["minimumParticipants"] ?? "")
            if minimum == nil || !(0...10_000).contains(minimum!) { fields["minimumParticipants"] = "Число от 0 до 10 000." }
            let names = form.fields["indicator"] ?? []
            if names.isEmpty { fields["indicator"] = "Отметьте хотя бы один показатель социального контекста." }
            guard fields.isEmpty, let year, let until, let resultsCut, let socialCut, let minimum else {
                throw MEDKError.rejected("invalid_form", "Проект списка не составлен: не всё заполнено верно.",
                                         details: fields.sorted { $0.key < $1.key }.map(\.value), fields: fields)
            }
            var method = IdentificationMethod.seed000
            method.resultsCut = .percentile(resultsCut)
            method.socialCut = .percentile(socialCut)
            method.minimumParticipants = minimum
            method.social = names.map { name in
                SocialComponent(name, higherIsFavourable: form["favourable.\(name)"] == "1")
            }
            let list = try await request.service.identificationLists.prepare(
                regionCode: region, year: year, method: method, objectionsUntil: until, replacingDraft: form["replace"] == "1", by: .user(actor))
            return request.redirect("/results/lists/\(list.id)", success: "Проект списка составлен: входят в ШНОР — \(list.counts.entering), "
                                    + "выходят — \(list.counts.leaving). Муниципалитеты могут возразить до \(list.objectionsUntil.russian).")
        }

        web.get("/results/lists/{id}") { request in
            let actor = try request.actor()
            let id = try listID(request)
            let asked = request.query("filter").flatMap(ListEntryFilter.init(rawValue:))
            let municipality = request.query("municipality").flatMap { Int64($0) }
            let lists = request.service.identificationLists
            var filter = asked ?? .changes
            var view = try await lists.view(listID: id, filter: filter, municipalityID: municipality, page: try Pagination.request(request),
                                            by: .user(actor))
            // Opened without a choice and nothing changes here: every school rather than an empty table.
            if asked == nil && view.counts.changes == 0 {
                filter = .all
                view = try await lists.view(listID: id, filter: filter, municipalityID: municipality, page: try Pagination.request(request),
                                            by: .user(actor))
            }
            var objectable: [ListEntry] = []
            if view.canObject {
                objectable = try await lists.allEntries(listID: id, municipalityID: municipality, by: .user(actor)).1
            }
            return await request.page("results_list", title: "Список ШНОР/ШНСУ \(view.summary.year) года",
                                      ResultsListPage(view, filter: filter, objectable: objectable, objectCode: request.query("object"), request: request))
        }

        web.get("/results/lists/{id}.csv") { request in
            let (summary, entries) = try await request.service.identificationLists.allEntries(listID: try listID(request, suffix: ".csv"),
                                                                                              by: .user(try request.actor()))
            return Downloads.csv(CSV.write(IdentificationListTable.table(summary, entries).textRows),
                                 name: IdentificationListTable.fileName(summary, ext: "csv"))
        }

        web.get("/results/lists/{id}.xlsx") { request in
            let (summary, entries) = try await request.service.identificationLists.allEntries(listID: try listID(request, suffix: ".xlsx"),
                                                                                              by: .user(try request.actor()))
            return try Downloads.xlsx(IdentificationListTable.table(summary, entries), name: IdentificationListTable.fileName(summary, ext: "xlsx"))
        }

        web.post("/results/lists/{id}/objections") { request, form in
            let actor = try request.actor()
            let id = try listID(request)
            guard let code = form["school"], !code.isEmpty else {
                throw MEDKError.rejected("invalid_form", "Выберите школу.", fields: ["school": "Выберите школу."])
            }
            let wanted = ProgrammeFlags(lowResults: form["wantLowResults"] == "1", hardSocialConditions: form["wantHardSocial"] == "1")
            let objection = try await request.service.identificationLists.object(listID: id, schoolCode: code, wanted: wanted,
                                                                                 reason: form["reason"] ?? "", by: actor)
            return request.redirect("/results/lists/\(id)?filter=objected", success: "Возражение по школе «\(objection.schoolName)» отправлено региону.")
        }

        web.post("/results/objections/{id}") { request, form in
            let actor = try request.actor()
            guard let id = request.context.parameters.get("id").flatMap({ Int64($0) }) else { throw MEDKError.notFound("Возражение") }
            let accept = form["decision"] == "accept"
            guard accept || form["decision"] == "reject" else {
                throw MEDKError.rejected("invalid_form", "Выберите: принять или отклонить.", fields: ["decision": "Выберите решение."])
            }
            let objection = try await request.service.identificationLists.decide(objectionID: id, accept: accept, comment: form["comment"],
                                                                                 by: .user(actor))
            return request.redirect("/results/lists/\(objection.listID)?filter=objected",
                                    success: "Возражение по школе «\(objection.schoolName)» \(objection.state.russianName).")
        }

        web.post("/results/lists/{id}/approve") { request, form in
            let actor = try request.actor()
            let list = try await request.service.identificationLists.approve(listID: try listID(request), closingObjectionsEarly: form["closeEarly"] == "1",
                                                                             by: .user(actor))
            return request.redirect("/results?region=\(list.regionCode)&list=\(list.id)",
                                    success: "Список \(list.year) года утверждён: статусы школ изменены по нему.")
        }

        web.post("/results/lists/{id}/discard") { request, _ in
            let actor = try request.actor()
            let list = try await request.service.identificationLists.discard(listID: try listID(request), by: .user(actor))
            return request.redirect("/results?region=\(list.regionCode)", success: "Проект списка №\(list.id) отменён; он сохранён в истории.")
        }
    }

    static func listID(_ request: WebRequest, suffix: String = "") throws -> Int64 {
        guard let text = request.context.parameters.get("id"), let id = Int64(text.hasSuffix(suffix) ? String(text.dropLast(suffix.count)) : text) else {
            throw MEDKError.notFound("Список")
        }
        return id
    }

    static func page(_ overview: ResultsOverview) -> Overview {
        let shown = overview.shown
        let counts = ListCounts(overview.entries, pendingObjections: shown?.counts.pendingObjections ?? 0)
        let known = Set(IdentificationMethod.seed000.social.map(\.name))
        let latestYear = overview.coverage.last(where: { $0.schoolsWithResults > 0 })?.year
        return Overview(
            regionName: overview.region.name, regionCode: overview.region.code, municipalityName: overview.municipalityName,
            regionOptions: overview.regionChoices.map { SelectOption(value: $0.code, label: $0.name, selected: $0.id == overview.region.id) },
            nextStep: nextStep(overview),
            coverage: overview.coverage.map { CoverageRow(year: $0.year, results: $0.schoolsWithResults, social: $0.schoolsWithSocial) },
            shown: shown.map { heading($0, counts: overview.municipalityID == nil ? $0.counts : counts) },
            chart: shown.flatMap { QuadrantChart(entries: overview.entries, resultsCut: $0.resultsCut, socialCut: $0.socialCut) },
            municipalities: overview.municipalities.map { row in
                MunicipalityRow(name: row.name, schools: row.schools, effective: row.effective, struggling: row.struggling, deprived: row.deprived,
                                resilient: row.resilient, insufficient: row.insufficientData,
                                lowShare: row.schools > 0 ? "\(Int((Double(row.struggling + row.deprived) / Double(row.schools) * 100).rounded())) %" : "—",
                                before: row.lowResultsBefore, proposed: row.lowResultsProposed)
            },
            lists: overview.lists.map { list in
                ListRow(id: list.id, href: "/results/lists/\(list.id)", year: list.year, state: list.state.russianName, stateClass: stateClass(list.state),
                        methodVersion: list.methodVersion, created: list.createdBy ?? "—", decided: list.decidedBy, changes: list.counts.changes,
                        shown: list.id == shown?.id)
            },
            canIdentify: overview.canIdentify,
            kinds: ResultsFileKind.allCases.map {
                KindOption(value: $0.rawValue, label: $0.russianName, columns: $0.russianColumns.joined(separator: "; "),
                           templateHref: "/results/template/\($0.rawValue)", workbookHref: "/results/template/\($0.rawValue).xlsx",
                           checked: $0 == .components)
            },
            defaultYear: latestYear ?? overview.today.year, objectionsUntil: overview.today.adding(days: 7).description,
            // Seed 000's indicators are proposed when the region loaded them; otherwise every indicator it has.
            indicators: overview.indicators.enumerated().map { index, name in
                Indicator(index: index, name: name, checked: !overview.indicators.contains(where: known.contains) || known.contains(name))
            },
            minimumParticipants: IdentificationMethod.seed000.minimumParticipants,
            draftExists: overview.lists.contains { $0.state == .draft })
    }

    /// What the reader should do next here, in one sentence.
    static func nextStep(_ overview: ResultsOverview) -> String {
        let hasResults = overview.coverage.contains { $0.schoolsWithResults > 0 }
        let hasSocial = overview.coverage.contains { $0.schoolsWithSocial > 0 }
        guard let shown = overview.shown else {
            if !overview.canIdentify { return "Регион ещё не составил список ШНОР/ШНСУ: когда проект появится, здесь будут ваши школы и форма возражения." }
            if !hasResults { return "Начните с данных: загрузите средние баллы ЕГЭ, ОГЭ и ВПР-4 школ региона за три последних года (шаблон — ниже)." }
            if !hasSocial { return "Загрузите показатели социального контекста школ — без них школы не разделить на группы." }
            return "Данные загружены. Составьте проект списка: он ничего не изменит, пока вы его не утвердите."
        }
        switch shown.state {
        case .draft:
            if overview.canIdentify {
                return shown.counts.pendingObjections > 0
                    ? "Ждут решения возражений: \(shown.counts.pendingObjections). Откройте проект, примите или отклоните каждое, затем утвердите."
                    : "Проект открыт для возражений муниципалитетов до \(shown.objectionsUntil.russian). После этого утвердите его."
            }
            return "Проверьте строки своих школ в проекте. Не согласны — возразите до \(shown.objectionsUntil.russian) включительно."
        case .approved:
            return overview.canIdentify ? "Список утверждён. Когда появятся данные нового года, загрузите их и составьте новый проект."
                : "Список утверждён: статусы школ изменены по нему."
        case .discarded:
            return "Показан отменённый проект."
        }
    }

    struct ImportCheck: Sendable {
        var regionCode: String
        var kind: String
        var kindName: String
        var fileName: String
        var content: String
        var summary: String
        var changes: Bool
    }
}
