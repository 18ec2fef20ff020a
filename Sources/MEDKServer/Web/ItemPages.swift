import Foundation
import Hummingbird
import MEDKCore
import NIOCore

/// Documents: the list, the item page, uploads, decisions, comments, risk profile and roadmap.
enum ItemPages {
    struct ListPage: Sendable {
        var rows: [ItemRowView]
        var pagination: Pagination
        var school: SchoolFilterView
        var kindOptions: [SelectOption]
        var stateOptions: [SelectOption]
        var filtered: Bool
        /// The whole filtered list as Excel.
        var xlsxHref: String
        /// Column headings that order the list: by title, by the last change, or newest first.
        var byTitle: MonitoringPages.SortLink? = nil
        var byUpdated: MonitoringPages.SortLink? = nil
    }

    static func register(_ web: WebRoutes) {
        web.get("/items") { request in
            let actor = try request.actor()
            let filter = listFilter(request)
            let page = try await request.service.items(for: actor, filter: filter, page: try Pagination.request(request))
            var view = ListPage(
                rows: page.items.map(ItemRowView.init), pagination: Pagination.of(page, request: request),
                school: try await SchoolFilterView.make(request, actor: actor, selected: filter.schoolCode),
                kindOptions: kindOptions(selected: filter.kind), stateOptions: stateOptions(selected: filter.state),
                filtered: filter.schoolCode != nil || filter.kind != nil || filter.state != nil,
                xlsxHref: MonitoringPages.link(request, path: "/items.xlsx", dropping: ["cursor", "from"]))
            func sortLink(_ sort: ItemSort, _ direction: String) -> MonitoringPages.SortLink {
                // Choosing the order in force again goes back to newest first.
                let next = filter.sort == sort ? ItemSort.newest : sort
                return MonitoringPages.SortLink(href: MonitoringPages.link(request, path: "/items", dropping: ["cursor", "from", "sort"],
                                                                           adding: next == .newest ? [:] : ["sort": next.rawValue]),
                                                ariaSort: filter.sort == sort ? direction : "none")
            }
            view.byTitle = sortLink(.title, "ascending")
            view.byUpdated = sortLink(.updated, "descending")
            return await request.page("items", title: "Документы", view)
        }

        web.get("/items.xlsx") { request in
            try await Downloads.itemsXLSX(request.service, listFilter(request), temporaryDirectory: request.service.files.temporaryDirectory,
                                          for: try request.actor())
        }

        web.post("/items") { request, form in
            let actor = try request.actor()
            guard let campaign = form["campaign"].flatMap(Int64.init), let kind = form["kind"].flatMap(ItemKind.init(rawValue:)) else {
                throw MEDKError.invalid("invalid_form", "Выберите вид документа.")
            }
            let detail = try await request.service.createItem(NewItem(
                campaignID: campaign, kind: kind, schoolID: form["school"].flatMap(Int64.init),
                municipalityID: form["municipality"].flatMap(Int64.init), regionID: form["region"].flatMap(Int64.init),
                riskFactorID: form["riskFactor"].flatMap(Int64.init), title: form["title"]), by: actor)
            return request.redirect("/items/\(detail.item.id)", success: "Создано: «\(detail.item.title)». Загрузите файл и отправьте на проверку.")
        }

        web.get("/items/{id}") { request in
            let actor = try request.actor()
            let detail = try await request.service.item(try request.context.parameters.id(), for: actor)
            let risks = try await request.service.campaign(id: detail.item.campaignID).riskFactors
            // A municipal roadmap's measures choose the regional measure they implement from the region's confirmed roadmap.
            let choices = detail.item.kind == .roadmap && detail.item.owner == .municipality && detail.allowedActions.contains(.edit)
                ? try await request.service.regionalMeasureChoices(roadmapID: detail.item.id, for: actor) : []
            var view = itemPage(detail, risks: risks, regionalChoices: choices, maxUpload: request.service.files.maxBytes)
            // An action refused because the document changed meanwhile: what changed since the page was opened.
            if let draft = await request.draft(), ["stale_revision", "stale_state"].contains(draft.code),
               let seen = draft.values("seenSeq").first.flatMap(Int64.init) {
                view.changedWhileOpen = detail.history.filter { $0.seq > seen }.reversed().map { HistoryRowView($0, zone: detail.item.timeZone) }
            }
            return await request.page("item", title: detail.item.title, view)
        }

        web.get("/items/{id}/history.xlsx") { request in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            let item = try await request.service.item(id, for: actor).item
            var entries: [HistoryEntry] = []
            var page = PageRequest(limit: PageRequest.maximumLimit)
            // Oldest first, whole, within the bound every download keeps.
            while entries.count < Downloads.exportRowLimit {
                let next = try await request.service.itemHistory(id, page: page, for: actor)
                entries += next.items
                guard let cursor = next.nextCursor else { break }
                page = PageRequest(limit: PageRequest.maximumLimit, after: cursor)
            }
            return try Downloads.xlsx(HistoryTable.table(entries.sorted { $0.seq < $1.seq }, item: item), name: DownloadName.make(["История", "\(item.title) (№\(id))"], ext: "xlsx"))
        }

        web.post("/items/{id}/files", limits: .upload(fileBytes: web.service.files.maxBytes)) { request, form in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            guard let file = form.files["file"] else {
                throw MEDKError.invalid("file_required", "Выберите файл для загрузки.")
            }
            let detail = try await request.service.upload(
                itemID: id, fileName: file.fileName, chunks: file.chunks,
                expectedRevision: form["expectedRevision"].flatMap(Int.init), by: actor)
            let version = detail.files.last?.version ?? 1
            return request.redirect("/items/\(id)", success: "Файл «\(file.fileName)» загружен как версия \(version).")
        }

        web.get("/items/{id}/files/{version}") { request in
            try await fileResponse(request, inline: false)
        }
        web.get("/items/{id}/files/{version}/preview") { request in
            try await fileResponse(request, inline: true)
        }

        web.post("/items/{id}/transitions") { request, form in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            guard let action = form["action"].flatMap(ReviewAction.init(rawValue:)),
                  let expected = form["expectedState"].flatMap(ReviewState.init(rawValue:)) else {
                throw MEDKError.invalid("invalid_form", "Не выбрано действие.")
            }
            let item = try await request.service.transitionSummary(itemID: id, TransitionRequest(
                action: action, expectedState: expected, expectedRevision: form["expectedRevision"].flatMap(Int.init),
                comment: form["comment"], acceptFindings: form["acceptFindings"] == "1",
                keepOpen: action == .return ? form.all("keepOpen").compactMap { Int64($0) } : nil), by: actor)
            let done = "«\(item.title)»: \(action.russianName) — теперь «\(item.stateName)»."
            // A reviewer's decision leads on to what waits next, oldest first, as the queue orders it.
            if action == .confirm || action == .return {
                let next = try await request.service.queue(for: actor, page: PageRequest(limit: 2, countsTotal: true))
                if let following = next.items.first(where: { $0.item.id != id }) {
                    let left = max(next.total - 1, 1)
                    return request.redirect("/items/\(following.item.id)", success: done
                        + " Следующий в очереди — «\(following.item.title)» (\(following.item.ownerName)); "
                        + "в очереди \(RussianPlural.count(left, "документ", "документа", "документов")).")
                }
                return request.redirect("/queue", success: done + " Очередь проверки пуста.")
            }
            return request.redirect("/items/\(id)", success: done)
        }

        // The owner's answers to the reviewer's remarks, all in one form: a remark without a choice is
        // left for later, unless something was written for it (that would otherwise be lost).
        web.post("/items/{id}/remarks") { request, form in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            var answers: [RemarkAnswerInput] = []
            var fields: [String: String] = [:]
            let listed = form.all("remark").compactMap { Int64($0) }
            for remarkID in listed {
                let text = form["text_\(remarkID)"]
                guard let answer = form["answer_\(remarkID)"].flatMap(RemarkAnswer.init(rawValue:)) else {
                    if let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                        fields["answer_\(remarkID)"] = "Отметьте, исправлено ли это замечание."
                    }
                    continue
                }
                answers.append(RemarkAnswerInput(remarkID: remarkID, answer: answer, text: text))
            }
            guard fields.isEmpty else {
                throw MEDKError.rejected("invalid_answer", "Ответы не сохранены: у замечания с текстом ответа не отмечено, исправлено ли оно.",
                                         fields: fields)
            }
            let detail = try await request.service.remarkAnswers.answer(itemID: id, answers,
                                                                        expectedRevision: form["expectedRevision"].flatMap(Int.init), by: actor)
            let waiting = detail.remarks.filter { $0.state == .open }.count
            let next = waiting == 0
                ? "На все замечания есть ответ: загрузите исправленный файл, если он нужен, и отправьте документ на проверку."
                : "Ещё без ответа: \(waiting)."
            return request.redirect("/items/\(id)#remarks", success: "Ответы сохранены (\(answers.count)). " + next)
        }

        web.post("/items/{id}/comments") { request, form in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            _ = try await request.service.comment(itemID: id, text: form["text"] ?? "", by: actor)
            return request.redirect("/items/\(id)#history", success: "Комментарий добавлен.")
        }

        web.post("/items/{id}/risk-profile") { request, form in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            let numbers = form.all("factor").compactMap(Int.init)
            let chosen = Set(form.all("chosen").compactMap(Int.init))
            // Factors not yet assessed are left so (the profile is saved as far as it goes); one chosen
            // for work must be assessed.
            var entries: [RiskProfileInput] = []
            var fields: [String: String] = [:]
            for number in numbers {
                guard let significance = form["significance_\(number)"].flatMap(Significance.init(rawValue:)) else {
                    if chosen.contains(number) { fields["significance_\(number)"] = "Укажите значимость фактора № \(number): он выбран для работы." }
                    continue
                }
                entries.append(RiskProfileInput(number: number, significance: significance, chosen: chosen.contains(number)))
            }
            guard fields.isEmpty else {
                throw MEDKError.rejected("significance_required", "У выбранных для работы факторов должна быть указана значимость.",
                                         fields: fields)
            }
            guard !entries.isEmpty else {
                throw MEDKError.rejected("empty_risk_profile", "Укажите значимость хотя бы одного фактора риска.")
            }
            _ = try await request.service.setRiskProfile(itemID: id, entries: entries,
                                                         expectedRevision: form["expectedRevision"].flatMap(Int.init), by: actor)
            return request.redirect("/items/\(id)", success: "Рисковый профиль сохранён.")
        }

        web.post("/items/{id}/measures") { request, form in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            _ = try await request.service.addMeasure(roadmapID: id, try measureInput(form),
                                                     expectedRevision: form["expectedRevision"].flatMap(Int.init), by: actor)
            return request.redirect("/items/\(id)#measures", success: "Мероприятие добавлено.")
        }

        // Several measures filed at once under a track, a risk factor or a regional measure.
        web.post("/items/{id}/measures/group") { request, form in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            guard let change = form["set"].flatMap(MeasureGroupOption.change) else {
                throw MEDKError.rejected("invalid_form", "Выберите, что указать у отмеченных мероприятий.",
                                         fields: ["set": "Выберите, что указать."])
            }
            var ids = form.all("measure").compactMap { Int64($0) }
            if form["missing"] == "1" {
                // «And every measure that has none yet»: read from the roadmap as it is now.
                let measures = try await request.service.item(id, for: actor).measures ?? []
                ids += measures.filter { MeasureGroupOption.lacks(change, $0) }.map(\.id)
            }
            let count = try await request.service.measureGrouping.apply(change, to: ids, roadmapID: id,
                                                                        expectedRevision: form["expectedRevision"].flatMap(Int.init),
                                                                        by: actor)
            return request.redirect("/items/\(id)#measures", success: "Изменено мероприятий: \(count) — "
                + "\(MeasureGroupOption.describe(change)).")
        }

        // A roadmap table read the way importing it would, shown row by row; nothing is saved.
        web.post("/items/{id}/measures/import", limits: .upload(fileBytes: Int64(TableImportLimits().maximumFileBytes))) { request, form in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            guard let file = form.files["file"] else { throw MEDKError.invalid("file_required", "Выберите файл таблицы.") }
            var year: Int?
            if let text = form["year"], !text.isEmpty {
                guard let number = Int(text) else { throw MEDKError.rejected("invalid_year", "Год программы — число, например 2023.") }
                year = number
            }
            let staged = try await request.service.stageMeasureImport(roadmapID: id, fileName: file.fileName,
                                                                      programmeYear: year, by: actor) { try file.contents() }
            // Post, redirect, get: reloading the preview or coming Back to it never sends the file again.
            return request.redirect(MeasureImportPage.href(roadmapID: id, token: staged.token, fileName: staged.fileName,
                                                           year: year, suffix: ""))
        }

        // The preview of a staged table, read again against the roadmap as it is now.
        web.get("/items/{id}/measures/import/preview") { request in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            let (token, fileName, year) = try stagedTable(request.query)
            do {
                let staged = try await request.service.stagedMeasureImport(roadmapID: id, token: token, fileName: fileName,
                                                                           programmeYear: year, by: actor)
                return await request.page("measure_import", title: "Импорт мероприятий: проверка",
                                          MeasureImportPage(roadmapID: id, staged, year: year))
            } catch let error as MEDKError where error.code == "staged_import_gone" {
                // Back after applying: the table is in the roadmap, and the preview is gone with it.
                return request.redirect("/items/\(id)#measures", error: """
                    Эта проверка таблицы больше не действует: таблица уже импортирована или прошло слишком много времени. \
                    Чтобы импортировать снова, загрузите файл ещё раз.
                    """)
            }
        }

        // What the preview page showed, as a workbook to keep or send on; read again from the staged file.
        web.get("/items/{id}/measures/import/preview.xlsx") { request in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            let (token, fileName, year) = try stagedTable(request.query)
            let staged = try await request.service.stagedMeasureImport(roadmapID: id, token: token, fileName: fileName,
                                                                       programmeYear: year, by: actor)
            return try Downloads.xlsx(ImportPreviewTable.table(staged.preview, fileName: fileName), name: "import-preview-\(id).xlsx")
        }

        // The table the person just checked, saved into the roadmap as they saw it.
        web.post("/items/{id}/measures/import/apply") { request, form in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            let (token, fileName, year) = try stagedTable { form[$0] }
            guard let mode = form["mode"].map({ MeasureImportMode(rawValue: $0) }) ?? .add else {
                throw MEDKError.invalid("invalid_form", "Не выбрано, что делать с мероприятиями, которые уже есть в дорожной карте.")
            }
            let result = try await request.service.importStagedMeasures(
                roadmapID: id, token: token, fileName: fileName, programmeYear: year, mode: mode,
                expectedRevision: form["expectedRevision"].flatMap(Int.init), by: actor)
            var message = "Импортировано мероприятий: \(result.measuresCreated) (строк таблицы: \(result.rows))."
            if result.replaced > 0 { message += " Прежние заменены: \(result.replaced)." }
            if result.skipped > 0 { message += " Уже были в дорожной карте и не добавлены: \(result.skipped)." }
            if result.undated > 0 { message += " Без срока: \(result.undated) — укажите срок у отмеченных мероприятий." }
            return request.redirect("/items/\(id)#measures", success: message)
        }

        web.post("/measures/{id}") { request, form in
            let actor = try request.actor()
            let measure = try await request.service.updateMeasure(try request.context.parameters.id(), try measureInput(form),
                                                                  expectedRevision: form["expectedRevision"].flatMap(Int.init), by: actor)
            return request.redirect("/items/\(measure.roadmapID)#measure-\(measure.id)", success: "Мероприятие изменено.")
        }

        web.post("/measures/{id}/delete") { request, form in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            let measure = try await request.service.measure(id, for: actor)
            try await request.service.removeMeasure(id, expectedRevision: form["expectedRevision"].flatMap(Int.init), by: actor)
            return request.redirect("/items/\(measure.roadmapID)#measures", success: "Мероприятие «\(measure.title)» удалено.")
        }

        // A measure's report in one form: value, evidence, a word for the curator, and the step to
        // review — all or nothing; «Сохранить, не отправляя» keeps what was entered.
        web.post("/items/{id}/report", limits: .upload(fileBytes: web.service.files.maxBytes)) { request, form in
            let actor = try request.actor()
            let id = try request.context.parameters.id()
            let file = form.files["file"]
            let submit = form["intent"] != "save"
            let detail = try await request.service.measureReports.file(
                reportID: id, MeasureReportInput(actualValue: form.fields["actualValue"]?.first ?? "", fileName: file?.fileName,
                                                 comment: form.fields["comment"]?.first, submit: submit,
                                                 expectedRevision: form["expectedRevision"].flatMap(Int.init)),
                chunks: file?.chunks, by: actor)
            return request.redirect("/items/\(id)", success: submit
                ? "Отчёт отправлен на проверку куратору — теперь «\(detail.item.stateName)»."
                : "Отчёт сохранён, но ещё не отправлен: когда всё будет готово, нажмите «Отправить на проверку».")
        }

        web.post("/measures/{id}/report") { request, form in
            let actor = try request.actor()
            let report = try await request.service.reportMeasure(try request.context.parameters.id(), actualValue: form["actualValue"],
                                                                 expectedRevision: form["expectedRevision"].flatMap(Int.init), by: actor)
            return request.redirect("/items/\(report.item.id)",
                                    success: "Отчёт о мероприятии открыт: укажите фактическое значение, приложите подтверждающий документ и отправьте на проверку.")
        }
    }

    /// The documents list's filter as the page's form sends it (what it does not know is ignored).
    static func listFilter(_ request: WebRequest) -> ItemFilter {
        ItemFilter(schoolCode: request.query("school"), state: request.query("state").flatMap(ReviewState.init(rawValue:)),
                   kind: request.query("kind").flatMap(ItemKind.init(rawValue:)),
                   sort: request.query("sort").flatMap(ItemSort.init(rawValue:)) ?? .newest)
    }

    static func measureInput(_ form: WebForm) throws -> MeasureInput {
        guard let dueText = form["dueDate"], !dueText.isEmpty else {
            throw MEDKError.invalid("due_date_required", "Укажите срок мероприятия.")
        }
        var track: MunicipalTrack?
        if let text = form["track"], !text.isEmpty {
            guard let value = Int(text).flatMap(MunicipalTrack.init(rawValue:)) else {
                throw MEDKError.invalid("invalid_track", "Направление — 1, 2 или 3.")
            }
            track = value
        }
        let regional = form["regionalMeasure"].flatMap { $0.isEmpty ? nil : $0 }
        var linked: Int64?
        if let text = form["regionalMeasureID"], !text.isEmpty {
            guard let id = Int64(text) else { throw MEDKError.invalid("invalid_regional_measure", "Выберите мероприятие региональной дорожной карты из списка.") }
            linked = id
        }
        return MeasureInput(task: form["task"] ?? "", title: form["title"] ?? "", dueDate: try WebForm.date(dueText), responsible: form["responsible"] ?? "",
                            expectedResult: form["expectedResult"] ?? "", indicator: form["indicator"] ?? "",
                            plannedValue: form["plannedValue"] ?? "", riskFactorNumber: form["riskFactor"].flatMap(Int.init),
                            track: track, regionalMeasure: regional, regionalMeasureID: linked,
                            // Only a regional roadmap's forms have these fields; elsewhere they stay nil.
                            stage: form["stage"], normativeDocument: form["normativeDocument"])
    }

    static func undatedNote(_ count: Int) -> String? {
        guard count > 0 else { return nil }
        return "Мероприятий без срока: \(count). "
            + "Срок в таблице не удалось понять; укажите его, иначе дорожную карту нельзя отправить на проверку."
    }

    static func fileResponse(_ request: WebRequest, inline: Bool) async throws -> Response {
        let actor = try request.actor()
        let version = Int(try request.context.parameters.id("version"))
        let (file, content) = try await request.service.fileVersion(itemID: try request.context.parameters.id(), version: version, for: actor)
        let previewable = Presentation.previewKind(file.mediaType) != nil
        if inline && !previewable {
            throw MEDKError.invalid("no_preview", "Для этого типа файла просмотр в браузере недоступен; скачайте файл.")
        }
        return try await Downloads.file(file, content: content, inline: inline, context: request.context)
    }

    static func itemPage(_ detail: ItemDetail, risks: [RiskFactor], regionalChoices: [RegionalMeasureChoice] = [],
                         maxUpload: Int64) -> ItemPageView {
        let item = detail.item
        let zone = item.timeZone
        let files = detail.files.reversed().map { FileRowView($0, itemID: item.id, zone: zone, confirmedVersion: detail.confirmedVersion) }
        let actions = Set(detail.allowedActions)
        let history = detail.history.reversed().map { HistoryRowView($0, zone: zone) }
        let editable = actions.contains(.edit)
        var riskRows: [RiskRowView] = []
        if let profile = detail.riskProfile {
            let byNumber = Dictionary(profile.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
            riskRows = risks.sorted { $0.number < $1.number }.map { factor in
                let entry = byNumber[factor.number]
                return RiskRowView(number: factor.number, title: factor.title,
                                   significanceName: entry?.significance.russianName ?? "не указана",
                                   options: [SelectOption(value: "", label: "— выберите —", selected: entry == nil)]
                                       + Significance.allCases.map { SelectOption(value: $0.rawValue, label: $0.russianName,
                                                                                  selected: entry?.significance == $0) },
                                   chosen: entry?.chosen ?? false)
            }
        }
        let confirmedNote: String? = detail.confirmedVersion.flatMap { version in
            item.state == .confirmed ? nil : "Действует подтверждённая версия \(version); новая версия готовится."
        }
        var view = ItemPageView(
            item: ItemRowView(item, zoneOnPage: true), revision: item.revision, state: item.state.rawValue, zone: zone,
            submittedBy: item.submittedBy, files: files, latest: files.first, previous: files.dropFirst().first,
            confirmedNote: confirmedNote, canEdit: editable,
            canSubmit: actions.contains(.submit), canWithdraw: actions.contains(.withdraw),
            canReopen: actions.contains(.reopen), canConfirm: actions.contains(.confirm), canReturn: actions.contains(.return),
            canComment: detail.mayComment,
            hasActions: !actions.subtracting([.edit]).isEmpty,
            canReport: detail.mayReportMeasures, maxUpload: Presentation.size(maxUpload),
            lastReturnComment: item.state == .returned ? detail.history.last(where: { $0.action == .itemReturn })?.comment : nil,
            history: history,
            seenSeq: detail.history.last?.seq ?? 0,
            historyNote: detail.historyTotal > detail.history.count
                ? "Показаны последние \(detail.history.count) записей из \(detail.historyTotal)." : nil,
            problems: detail.completenessProblems ?? [], findings: detail.completenessFindings ?? [],
            isRiskProfile: item.kind == .riskProfile, risks: riskRows,
            isRoadmap: item.kind == .roadmap,
            isMunicipalRoadmap: item.kind == .roadmap && item.owner == .municipality,
            isSchoolRoadmap: item.kind == .roadmap && item.owner == .school,
            isRegionalRoadmap: item.kind == .roadmap && item.owner == .region,
            hasRegionalChoices: !regionalChoices.isEmpty,
            measures: (detail.measures ?? []).map { MeasureRowView($0, risks: risks, regionalChoices: regionalChoices) },
            undatedNote: Self.undatedNote((detail.measures ?? []).filter { $0.dueDate == nil }.count),
            newMeasureRiskOptions: [SelectOption(value: "", label: "— не указан —", selected: true)]
                + risks.sorted { $0.number < $1.number }.map { SelectOption(value: String($0.number), label: "\($0.number). \($0.title)", selected: false) },
            newMeasureTrackOptions: MeasureRowView.trackOptions(selected: nil),
            newMeasureRegionalOptions: MeasureRowView.regionalOptions(regionalChoices, selected: nil),
            measure: detail.measure.map { MeasureRowView($0, risks: risks) },
            ownerHref: item.schoolCode.map { "/schools/\($0)" })
        let remarks = detail.remarks.map { RemarkRowView($0, zone: zone) }
        view.remarks = remarks.filter { $0.isOpen || $0.isAnswered }
        view.closedRemarks = remarks.filter { !$0.isOpen && !$0.isAnswered }
        view.canAnswerRemarks = editable && !view.remarks.isEmpty
        view.answeredRemarks = actions.contains(.return) ? remarks.filter(\.isAnswered) : []
        view.zoneName = (try? RegionCalendar.cached(zone))?.zoneName(at: item.updatedAt) ?? zone
        view.changes = ChangesView(detail.changesSinceDecision, itemID: item.id, latestVersion: detail.files.last?.version, zone: zone)
        let marks = ChangesView.marks(detail.changesSinceDecision)
        for index in view.measures.indices { view.measures[index].changeMark = marks[view.measures[index].id] }
        view.compactMeasures = item.kind == .roadmap && !editable
        view.decisionFirst = item.kind == .roadmap && actions.contains(.confirm)
        // Documents returned before remarks were tracked show the return's comment as before.
        if !view.remarks.isEmpty { view.lastReturnComment = nil }
        if item.kind == .roadmap && editable && (detail.measures?.count ?? 0) > 1 {
            view.groupOptions = MeasureGroupOption.groups(owner: item.owner, risks: risks, regionalChoices: regionalChoices)
        }
        view.isReportForm = item.kind == .measureReport && editable
        view.attachedFileName = detail.files.last?.fileName
        // The report's own form sends it: the actions card is left for what else may be done.
        if view.isReportForm { view.hasActions = !actions.subtracting([.edit, .submit]).isEmpty }
        return view
    }

    /// Which staged table a preview link or the apply form names: its token, file name and programme year.
    static func stagedTable(_ value: (String) -> String?) throws -> (token: String, fileName: String, year: Int?) {
        guard let token = value("token"), let fileName = value("fileName") else {
            throw MEDKError.invalid("token_required", "Не указана проверенная таблица. Загрузите файл снова.")
        }
        let year = try value("year").flatMap { $0.isEmpty ? nil : $0 }.map { text in
            guard let number = Int(text) else { throw MEDKError.rejected("invalid_year", "Год программы — число, например 2023.") }
            return number
        }
        return (token, fileName, year)
    }

    static func kindOptions(selected: ItemKind?) -> [SelectOption] {
        [SelectOption(value: "", label: "Все виды", selected: selected == nil)]
            + ItemKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.russianName, selected: $0 == selected) }
    }

    static func stateOptions(selected: ReviewState?) -> [SelectOption] {
        [SelectOption(value: "", label: "Все состояния", selected: selected == nil)]
            + ReviewState.allCases.map { SelectOption(value: $0.rawValue, label: $0.russianName, selected: $0 == selected) }
    }
}
