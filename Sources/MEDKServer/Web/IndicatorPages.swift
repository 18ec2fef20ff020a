import Foundation
import MEDKCore

/// «Целевые показатели»: a region's indicators for a year with plan and fact side by side, how each
/// fact was obtained, and — for the region — the forms to adopt the catalogue, state a plan as the
/// programme words it (read back for confirmation before it is kept) and enter a fact.
enum IndicatorPages {
    struct Row: Sendable {
        var id: Int64
        var code: String
        var title: String
        var source: String
        var entered: Bool
        var planWording: String?
        var planReading: String?
        var fact: String?
        var status: String
        var statusClass: String
        var trace: [String]
        var trend: String?
        var factBy: String?
        /// An entered fact's document, a link to it and its review state.
        var evidence: Evidence?
    }

    struct Evidence: Sendable {
        var href: String
        var title: String
        var state: String
        var stateClass: String
    }

    struct Check: Sendable {
        var indicatorID: Int64
        var title: String
        var wording: String
        var reading: String?
    }

    struct Page: Sendable {
        var regionName: String
        var regionCode: String
        var year: Int
        var yearOptions: [SelectOption]
        var rows: [Row]
        var canEdit: Bool
        var adoptable: Bool
        var check: Check?
        var csvHref: String
        var xlsxHref: String
        /// The region's documents a fact may rest on, for the fact form.
        var documents: [SelectOption]
    }

    static func register(_ web: WebRoutes) {
        web.get("/results/indicators") { request in
            let (report, page) = try await load(request)
            return await request.page("results_indicators", title: "Целевые показатели: \(report.region.name)", page)
        }
        web.get("/results/indicators.csv") { request in
            let (report, _) = try await load(request)
            return Downloads.csv(CSV.write(IndicatorReportTable.table(report).textRows), name: IndicatorReportTable.fileStem(report) + ".csv")
        }
        web.get("/results/indicators.xlsx") { request in
            let (report, _) = try await load(request)
            return try Downloads.xlsx(IndicatorReportTable.table(report), name: IndicatorReportTable.fileStem(report) + ".xlsx")
        }
        web.post("/results/indicators/adopt") { request, form in
            let region = form["region"] ?? ""
            _ = try await request.service.targetIndicators.adoptCatalogue(regionCode: region, by: .user(try request.actor()))
            return request.redirect("/results/indicators?region=\(escaped(region))", success: "Показатели концепции приняты: задайте план каждого.")
        }
        web.post("/results/indicators/define") { request, form in
            let region = form["region"] ?? ""
            let indicator = try await request.service.targetIndicators.define(regionCode: region, code: form["code"] ?? "", title: form["title"] ?? "",
                                                                              by: .user(try request.actor()))
            return request.redirect("/results/indicators?region=\(escaped(region))#ind-\(indicator.id)",
                                    success: "Показатель «\(indicator.title)» добавлен: задайте его план.")
        }
        // A plan is kept only once its reading was shown and confirmed: the first post comes back with it.
        web.post("/results/indicators/{id}/plan") { request, form in
            let actor = try request.actor()
            guard let id = request.context.parameters.get("id").flatMap({ Int64($0) }) else { throw MEDKError.notFound("Показатель") }
            let region = escaped(form["region"] ?? ""), wording = form["wording"] ?? ""
            guard let year = Int(form["year"] ?? "") else { throw MEDKError.rejected("invalid_year", "Укажите год.", fields: ["year": "Укажите год."]) }
            if form["confirm"] != "1" {
                _ = try TargetIndicators.reading(wording)
                return request.redirect("/results/indicators?region=\(region)&year=\(year)&check=\(id)&wording=\(escaped(wording))#check")
            }
            let indicator = try await request.service.targetIndicators.setPlan(indicatorID: id, year: year, wording: wording, by: .user(actor))
            let reading = indicator.plans.first { $0.year == year }?.target.russian ?? ""
            return request.redirect("/results/indicators?region=\(region)&year=\(year)", success: "План «\(indicator.title)» на \(year): \(reading).")
        }
        // A fact with its evidence: a document the region keeps, or a new file that becomes its
        // analytical note and goes to review with the fact, all in one step.
        web.post("/results/indicators/{id}/fact", limits: .upload(fileBytes: web.service.files.maxBytes)) { request, form in
            let actor = try request.actor()
            guard let id = request.context.parameters.get("id").flatMap({ Int64($0) }) else { throw MEDKError.notFound("Показатель") }
            let region = escaped(form["region"] ?? "")
            guard let year = Int(form["year"] ?? "") else { throw MEDKError.rejected("invalid_year", "Укажите год.", fields: ["year": "Укажите год."]) }
            guard let value = Double((form["value"] ?? "").replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: "")) else {
                throw MEDKError.rejected("invalid_fact", "Факт — число (доля — в процентах).", fields: ["value": "Укажите число."])
            }
            let comment = form["comment"] ?? ""
            if let file = form.files["file"] {
                try await request.service.targetIndicators.enterFact(indicatorID: id, year: year, value: value, comment: comment,
                                                                     fileName: file.fileName, chunks: file.chunks, by: actor)
                return request.redirect("/results/indicators?region=\(region)&year=\(year)#ind-\(id)",
                                        success: "Факт \(year) года сохранён, файл «\(file.fileName)» отправлен на проверку ФИОКО: "
                                            + "факт будет учтён, когда документ подтвердят.")
            }
            guard let document = form["document"].flatMap({ Int64($0) }) else {
                throw MEDKError.rejected("evidence_required", "Факт не сохранён: приложите файл или выберите документ региона.",
                                         fields: ["evidence": "Приложите файл или выберите документ."])
            }
            try await request.service.targetIndicators.enterFact(indicatorID: id, year: year, value: value, comment: comment,
                                                                 evidenceItemID: document, by: .user(actor))
            return request.redirect("/results/indicators?region=\(region)&year=\(year)#ind-\(id)",
                                    success: "Факт \(year) года сохранён: он будет учтён, когда ФИОКО подтвердит документ.")
        }
    }

    static func statusClass(_ status: IndicatorStatus) -> String {
        switch status {
        case .met: "status-ok"
        case .notMet: "status-late"
        case .notYet: "status-waiting"
        case .noPlan: "status-notdue"
        case .unconfirmed: "status-waiting"
        }
    }

    static func escaped(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    static func load(_ request: WebRequest) async throws -> (IndicatorReport, Page) {
        let actor = try request.actor()
        let (region, latest) = try await request.service.resultsOverviews.region(code: request.query("region"), by: .user(actor))
        let year = request.query("year").flatMap { Int($0) }.flatMap { (2000...2100).contains($0) ? $0 : nil } ?? latest
        let report = try await request.service.targetIndicators.report(regionCode: region.code, year: year, by: .user(actor))
        var check: Check?
        if let id = request.query("check").flatMap({ Int64($0) }), let wording = request.query("wording"),
           let row = report.rows.first(where: { $0.indicator.id == id }) {
            check = Check(indicatorID: id, title: row.indicator.title, wording: wording, reading: PlanWording.read(wording)?.russian)
        }
        let documents = report.canEdit && report.rows.contains(where: { !$0.indicator.source.isComputed })
            ? try await request.service.targetIndicators.evidenceDocuments(regionCode: report.region.code, by: .user(actor)) : []
        let query = "region=\(escaped(report.region.code))&year=\(year)"
        let page = Page(
            regionName: report.region.name, regionCode: report.region.code, year: year,
            yearOptions: (max(2000, latest - 4)...(latest + 3)).map { SelectOption(value: String($0), label: String($0), selected: $0 == year) },
            rows: report.rows.map { row in
                Row(id: row.indicator.id, code: row.indicator.code, title: row.indicator.title, source: row.indicator.source.russianName,
                    entered: !row.indicator.source.isComputed, planWording: row.plan?.wording, planReading: row.plan?.russian,
                    fact: row.fact.map { fact in
                        row.indicator.source == .leftLowResults || row.plan.map({ $0.kind != .share }) == true
                            ? PlanFormat.number(fact.value) : PlanFormat.percent(fact.value)
                    },
                    status: row.status.russianName,
                    statusClass: statusClass(row.status),
                    trace: row.fact?.trace ?? [],
                    trend: row.trend.isEmpty ? nil : row.trend.map { "\($0.year): \(PlanFormat.number($0.value))" }.joined(separator: "; "),
                    factBy: row.fact?.enteredBy,
                    evidence: row.fact?.evidence.map { evidence in
                        Evidence(href: "/items/\(evidence.itemID)", title: evidence.title, state: evidence.state.russianName,
                                 stateClass: evidence.state == .confirmed ? "status-ok" : evidence.state == .returned ? "status-late" : "status-waiting")
                    })
            },
            canEdit: report.canEdit, adoptable: report.canEdit && report.rows.count < IndicatorCatalogue.seed000.count, check: check,
            csvHref: "/results/indicators.csv?\(query)", xlsxHref: "/results/indicators.xlsx?\(query)",
            documents: documents.map { document in
                SelectOption(value: String(document.itemID),
                             label: "\(document.title) (№\(document.itemID), \(document.campaignYear), \(document.state.russianName))", selected: false)
            })
        return (report, page)
    }
}
