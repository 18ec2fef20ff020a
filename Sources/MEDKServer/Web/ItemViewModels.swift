import Foundation
import MEDKCore

/// What the item pages show, flattened into stored properties for the templates.
struct ItemRowView: Sendable {
    var id: Int64
    var href: String
    var title: String
    var kindName: String
    var stateName: String
    var stateClass: String
    var schoolName: String
    var schoolCode: String?
    var municipalityName: String
    var updatedAt: String?
    var submittedAt: String?
    var latestVersion: Int?

    /// - Parameter zoneOnPage: the page names the region's zone once (a school's page), so the
    ///   times here do not repeat it; lists that span regions keep it beside every time.
    init(_ item: ItemSummary) { self.init(item, zoneOnPage: false) }

    init(_ item: ItemSummary, zoneOnPage: Bool) {
        id = item.id
        href = "/items/\(item.id)"
        title = item.title
        kindName = item.kindName
        stateName = item.stateName
        stateClass = Presentation.stateClass(item.state)
        schoolName = item.ownerName
        schoolCode = item.schoolCode
        // Under the owner: its municipality, or for the region's own roadmap what it is.
        municipalityName = item.municipalityName ?? (item.schoolID == nil ? "региональный уровень" : "")
        let time = zoneOnPage ? Presentation.wallTime : Presentation.time
        updatedAt = time(item.updatedAt, item.timeZone)
        submittedAt = time(item.submittedAt, item.timeZone)
        latestVersion = item.latestVersion
    }
}

struct FileRowView: Sendable {
    var version: Int
    var fileName: String
    var size: String
    var uploadedBy: String
    var uploadedAt: String
    var downloadHref: String
    var previewHref: String?
    var previewPDF: Bool
    var previewImage: Bool
    var isConfirmed: Bool

    init(_ file: FileVersion, itemID: Int64, zone: String, confirmedVersion: Int?) {
        version = file.version
        fileName = file.fileName
        size = Presentation.size(file.size)
        uploadedBy = file.uploadedBy
        uploadedAt = Presentation.wallTime(file.uploadedAt, zone: zone) ?? ""
        downloadHref = "/items/\(itemID)/files/\(file.version)"
        let preview = Presentation.previewKind(file.mediaType)
        previewHref = preview.map { _ in "/items/\(itemID)/files/\(file.version)/preview" }
        previewPDF = preview == "pdf"
        previewImage = preview == "image"
        isConfirmed = confirmedVersion == file.version
    }
}

struct HistoryRowView: Sendable {
    var at: String
    var actor: String
    var role: String?
    var action: String
    var change: String?
    var comment: String?
    var isReturn: Bool
    /// For a measure's change: each field from what to what.
    var fieldChanges: [String] = []

    init(_ entry: HistoryEntry, zone: String) {
        at = Presentation.wallTime(entry.at, zone: zone) ?? ""
        actor = entry.actorName ?? entry.actor
        role = entry.role?.russianName
        action = entry.action.russianName
        if let from = entry.fromState, let to = entry.toState, from != to {
            change = "\(from.russianName) → \(to.russianName)"
        }
        comment = entry.comment
        isReturn = entry.action == .itemReturn
        if [.measureAdd, .measureUpdate, .measureRemove].contains(entry.action), let title = entry.details["title"] {
            action += " «\(title)»"
            fieldChanges = MeasureChanges.parse(entry.details).map(\.russian)
        }
        if entry.action == .remarkAnswer, let answer = entry.details["answer"].flatMap(RemarkAnswer.init(rawValue:)) {
            action += " — " + answer.russianName
            comment = entry.details["text"]
        }
        if let version = entry.details["version"], entry.action == .itemUpload {
            action += " (версия \(version)" + (entry.details["file_name"].map { ", «\($0)»" } ?? "") + ")"
        }
    }
}

/// What the owner changed since the reviewer's last decision, as the reviewer reads it.
struct ChangesView: Sendable {
    var heading: String
    var rows: [HistoryRowView]
    var note: String?
    /// The file as it was at the decision and as it is now, to open side by side.
    var versionThen: Int?
    var versionNow: Int?
    var itemID: Int64

    init?(_ changes: ChangesSinceDecision?, itemID: Int64, latestVersion: Int?, zone: String) {
        guard let changes else { return nil }
        let decision = changes.decision
        let what = switch decision.action {
        case .itemReturn: "возврата на доработку"
        case .itemReopen: "начала новой редакции"
        default: "подтверждения"
        }
        heading = "Что изменилось после \(what) \(Presentation.wallTime(decision.at, zone: zone) ?? "")"
            + " (\(decision.actorName ?? decision.actor))"
        // The answers to remarks are shown with their remarks, just above.
        rows = changes.changes.filter { $0.action != .remarkAnswer }.map { HistoryRowView($0, zone: zone) }
        note = changes.changes.isEmpty ? "Ничего не изменено: документ отправлен снова в том же виде."
            : rows.isEmpty ? "Сам документ не изменён — есть только ответы на замечания (выше)."
            : changes.truncated ? "Показаны первые \(changes.changes.count) изменений; все — в истории ниже." : nil
        if let then = changes.versionAtDecision, let now = latestVersion, then != now {
            versionThen = then
            versionNow = now
        }
        self.itemID = itemID
    }

    /// The measures added or changed since the decision, by id.
    static func marks(_ changes: ChangesSinceDecision?) -> [Int64: String] {
        var marks: [Int64: String] = [:]
        for entry in changes?.changes ?? [] {
            guard let id = entry.details["measure_id"].flatMap(Int64.init) else { continue }
            switch entry.action {
            case .measureAdd: marks[id] = "новое"
            case .measureUpdate: if marks[id] == nil { marks[id] = "изменено" }
            default: break
            }
        }
        return marks
    }
}

/// One remark of a return as its page shows it: to answer, with its answer, or closed.
struct RemarkRowView: Sendable {
    var id: Int64
    var text: String
    /// The remark's first words, for a checkbox that names it.
    var shortText: String
    var returned: String
    var stateName: String
    var stateClass: String
    var isOpen: Bool
    var isAnswered: Bool
    var answerName: String?
    var answerText: String?
    var answered: String?
    var done: Bool
    var declined: Bool

    init(_ remark: Remark, zone: String) {
        id = remark.id
        text = remark.text
        let line = remark.text.split(whereSeparator: \.isNewline).first.map(String.init) ?? remark.text
        shortText = line.count > 90 ? String(line.prefix(90)) + "…" : line
        returned = remark.returnedBy + ", " + (Presentation.wallTime(remark.returnedAt, zone: zone) ?? "")
        stateName = remark.state.russianName
        stateClass = switch remark.state {
        case .open: "state-returned"
        case .answered: "state-submitted"
        case .closed: "state-confirmed"
        }
        isOpen = remark.state == .open
        isAnswered = remark.state == .answered
        answerName = remark.answer?.russianName
        answerText = remark.answerText
        answered = remark.answeredAt.map { [remark.answeredBy, Presentation.wallTime($0, zone: zone)].compactMap { $0 }.joined(separator: ", ") }
        done = remark.answer == .done
        declined = remark.answer == .declined
    }
}

struct RiskRowView: Sendable {
    var number: Int
    var title: String
    var significanceName: String
    var options: [SelectOption]
    var chosen: Bool
}

struct MeasureRowView: Sendable {
    var id: Int64
    var position: Int
    var task: String
    var title: String
    var dueDate: String
    var dueDateISO: String
    /// Imported without an understood date: the person must set one before the roadmap goes to review.
    var undated: Bool
    /// The deadline as the imported table wrote it, when that says more than the date.
    var deadlineText: String?
    var series: String?
    var outline: [String]
    var normativeDocument: String?
    var stage: String?
    var responsible: String
    var expectedResult: String
    var indicator: String
    var plannedValue: String
    var actualValue: String?
    var riskFactor: String?
    var riskOptions: [SelectOption]
    var track: String?
    var trackOptions: [SelectOption]
    /// The regional measure it implements: the linked one by number and title, or the words it was named in.
    var regionalMeasure: String?
    var regionalMeasureText: String?
    var regionalOptions: [SelectOption]
    var overdue: Bool
    var reportHref: String?
    var reportState: String?
    var reportStateClass: String?
    /// As read on the card: an imported measure often lacks some fields, said as missing rather than blank.
    var taskShown: String
    var indicatorShown: String
    var responsibleShown: String
    var expectedResultShown: String
    /// For a reviewer of a roadmap sent again: «новое» or «изменено» since the last decision.
    var changeMark: String?

    init(_ measure: Measure, risks: [RiskFactor], regionalChoices: [RegionalMeasureChoice] = []) {
        id = measure.id
        position = measure.position
        task = measure.task
        title = measure.title
        dueDate = measure.russianDueDate
        dueDateISO = measure.dueDate?.description ?? ""
        undated = measure.dueDate == nil
        deadlineText = measure.deadlineText.flatMap { $0.isEmpty || $0 == measure.dueDate?.russian ? nil : $0 }
        series = measure.series?.russian
        outline = [("Этап", measure.stage), ("Цель", measure.goal), ("Раздел", measure.section)].compactMap { label, value in
            value.map { $0.lowercased().hasPrefix(label.lowercased()) ? $0 : "\(label): \($0)" }
        }
        normativeDocument = measure.normativeDocument
        stage = measure.stage
        responsible = measure.responsible
        expectedResult = measure.expectedResult
        indicator = measure.indicator
        plannedValue = measure.plannedValue
        actualValue = measure.actualValue
        let factor = risks.first { $0.id == measure.riskFactorID }
        riskFactor = factor.map { "\($0.number). \($0.title)" }
        riskOptions = [SelectOption(value: "", label: "— не указан —", selected: factor == nil)]
            + risks.map { SelectOption(value: String($0.number), label: "\($0.number). \($0.title)", selected: $0.id == measure.riskFactorID) }
        track = measure.track.map { "\($0.rawValue). \($0.russianName)" }
        trackOptions = Self.trackOptions(selected: measure.track)
        let linked = regionalChoices.first { $0.id == measure.regionalMeasureID }
        regionalMeasure = linked?.label ?? measure.regionalMeasureTitle.map { "«\($0)» (региональная дорожная карта)" } ?? measure.regionalMeasure
        regionalMeasureText = measure.regionalMeasure
        regionalOptions = Self.regionalOptions(regionalChoices, selected: measure.regionalMeasureID)
        overdue = measure.overdue
        taskShown = measure.task.isEmpty ? "не указана" : measure.task
        responsibleShown = measure.responsible.isEmpty ? "не указаны" : measure.responsible
        expectedResultShown = measure.expectedResult.isEmpty ? "не указан" : measure.expectedResult
        let planned = measure.plannedValue.isEmpty ? "план не указан" : "план \(measure.plannedValue)"
        let actual = measure.actualValue.map { ", факт \($0)" } ?? ""
        indicatorShown = (measure.indicator.isEmpty ? "не указан; " : "\(measure.indicator): ") + planned + actual
        reportHref = measure.reportItemID.map { "/items/\($0)" }
        reportState = measure.reportState?.russianName
        reportStateClass = measure.reportState.map(Presentation.stateClass)
    }

    static func regionalOptions(_ choices: [RegionalMeasureChoice], selected: Int64?) -> [SelectOption] {
        [SelectOption(value: "", label: "— не выбрано —", selected: selected == nil)]
            + choices.map { SelectOption(value: String($0.id), label: $0.label, selected: $0.id == selected) }
    }

    static func trackOptions(selected: MunicipalTrack?) -> [SelectOption] {
        [SelectOption(value: "", label: "— не указано —", selected: selected == nil)]
            + MunicipalTrack.allCases.map { SelectOption(value: String($0.rawValue), label: "\($0.rawValue). \($0.russianName)",
                                                         selected: $0 == selected) }
    }
}

/// A choice of the roadmap's «указать у отмеченных» form: «track:2», «factor:5», «regional:17», or
/// the same with nothing after the colon to clear it.
enum MeasureGroupOption {
    struct Group: Sendable {
        var label: String
        var options: [SelectOption]
    }

    static func change(_ value: String) -> MeasureGroupChange? {
        let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let argument = parts[1].isEmpty ? nil : String(parts[1])
        switch parts[0] {
        case "track":
            guard let argument else { return .track(nil) }
            return Int(argument).flatMap(MunicipalTrack.init(rawValue:)).map { .track($0) }
        case "factor":
            guard let argument else { return .riskFactor(number: nil) }
            return Int(argument).map { .riskFactor(number: $0) }
        case "regional":
            guard let argument else { return .regionalMeasure(id: nil) }
            return Int64(argument).map { .regionalMeasure(id: $0) }
        default:
            return nil
        }
    }

    /// The measure has nothing yet where the change writes.
    static func lacks(_ change: MeasureGroupChange, _ measure: Measure) -> Bool {
        switch change {
        case .track: measure.track == nil
        case .riskFactor: measure.riskFactorID == nil
        case .regionalMeasure: measure.regionalMeasureID == nil
        }
    }

    static func describe(_ change: MeasureGroupChange) -> String {
        switch change {
        case .track(let track): track.map { "трек \($0.rawValue) «\($0.russianName)»" } ?? "трек снят"
        case .riskFactor(let number): number.map { "фактор риска № \($0)" } ?? "фактор риска снят"
        case .regionalMeasure(let id): id.map { "региональное мероприятие № \($0)" } ?? "связь с региональным мероприятием снята"
        }
    }

    /// What a school's or a municipality's roadmap may set at once; nothing for a region's.
    static func groups(owner: OwnerLevel, risks: [RiskFactor], regionalChoices: [RegionalMeasureChoice]) -> [Group] {
        switch owner {
        case .school:
            return [Group(label: "Фактор риска", options: risks.sorted { $0.number < $1.number }.map {
                SelectOption(value: "factor:\($0.number)", label: "\($0.number). \($0.title)", selected: false)
            } + [SelectOption(value: "factor:", label: "— снять фактор риска —", selected: false)])]
        case .municipality:
            var groups = [Group(label: "Трек", options: MunicipalTrack.allCases.map {
                SelectOption(value: "track:\($0.rawValue)", label: "Трек \($0.rawValue). \($0.russianName)", selected: false)
            } + [SelectOption(value: "track:", label: "— снять трек —", selected: false)])]
            if !regionalChoices.isEmpty {
                groups.append(Group(label: "Мероприятие региональной дорожной карты", options: regionalChoices.map {
                    SelectOption(value: "regional:\($0.id)", label: $0.label, selected: false)
                } + [SelectOption(value: "regional:", label: "— снять связь —", selected: false)]))
            }
            return groups
        case .region:
            return []
        }
    }
}

/// The item page: the document, its versions, the decision buttons, the history.
struct ItemPageView: Sendable {
    var item: ItemRowView
    var revision: Int
    var state: String
    var zone: String
    var submittedBy: String?
    var files: [FileRowView]
    var latest: FileRowView?
    var previous: FileRowView?
    var confirmedNote: String?
    var canEdit: Bool
    var canSubmit: Bool
    var canWithdraw: Bool
    var canReopen: Bool
    var canConfirm: Bool
    var canReturn: Bool
    var canComment: Bool
    var hasActions: Bool
    var canReport: Bool
    var maxUpload: String
    var lastReturnComment: String?
    /// The reviewers' remarks still open or answered, oldest first; the owner answers them in one
    /// form while the document is theirs to change.
    var remarks: [RemarkRowView] = []
    var canAnswerRemarks: Bool = false
    /// Remarks the owner answered: the return form offers to keep each open.
    var answeredRemarks: [RemarkRowView] = []
    /// Remarks already settled, for the record.
    var closedRemarks: [RemarkRowView] = []
    /// A document sent again: what changed since the last decision.
    var changes: ChangesView?
    /// A roadmap read, not edited: one table row per measure rather than a card.
    var compactMeasures: Bool = false
    /// A roadmap's reviewer decides at the top of the page, above its measures.
    var decisionFirst: Bool = false
    /// «UTC+9, Asia/Chita»: every time on the page is the owner's wall time, the zone named once.
    var zoneName: String = ""
    var history: [HistoryRowView]
    /// The newest line of the history the page shows: its forms send it, so that a refusal for a
    /// change made meanwhile can show what changed since.
    var seenSeq: Int64
    /// What happened to the document while the person had the page open, when their action was
    /// refused for it (newest first).
    var changedWhileOpen: [HistoryRowView] = []
    /// Said when the page shows only the most recent part of a long history.
    var historyNote: String?
    var problems: [String]
    /// FIOCO's criteria the roadmap misses without being kept from review: the submitter sends
    /// with them only by saying so, the reviewer sees them beside the decision.
    var findings: [String] = []
    var isRiskProfile: Bool
    var risks: [RiskRowView]
    var isRoadmap: Bool
    /// A municipality's roadmap: measures by FIOCO's tracks and linked to the regional plan, not by risk factors.
    var isMunicipalRoadmap: Bool
    /// A school's roadmap: measures by the risk factors of its anti-risk programme.
    var isSchoolRoadmap: Bool
    /// A region's roadmap: measures by stages and tasks, each resting on a normative document.
    var isRegionalRoadmap: Bool
    /// The region's roadmap is confirmed: a municipal measure chooses its regional measure from a list.
    var hasRegionalChoices: Bool
    var measures: [MeasureRowView]
    /// Measures still without a due date, said above the list so they are fixed before submitting.
    var undatedNote: String?
    /// «Указать у отмеченных»: what many measures can be filed under at once (owner, while editable).
    var groupOptions: [MeasureGroupOption.Group] = []
    var newMeasureRiskOptions: [SelectOption]
    var newMeasureTrackOptions: [SelectOption]
    var newMeasureRegionalOptions: [SelectOption]
    var measure: MeasureRowView?
    var ownerHref: String?
    /// A measure's report its school may still change: value, evidence and sending are one form.
    var isReportForm: Bool = false
    /// The evidence already attached to the report, named in that form.
    var attachedFileName: String?
}
