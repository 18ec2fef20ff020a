import Crypto
import Foundation

/// What a table does to a roadmap that already has measures. Importing the same table twice never
/// doubles a roadmap silently: adding rows the roadmap already has (same title, same due date) is
/// refused unless the person chose to add only the new ones or to replace.
public enum MeasureImportMode: String, Codable, Sendable, CaseIterable {
    /// Every row is added; refused if any is already in the roadmap.
    case add
    /// Only the rows the roadmap does not have yet are added (a table extended since the last import).
    case addNew = "new"
    /// The table's measures replace the roadmap's (a corrected table imported again).
    case replace
}

/// What applying a roadmap table did.
public struct MeasureImportResult: Codable, Sendable, Hashable {
    public var roadmapID: Int64
    /// The roadmap's revision after the import, for the next edit.
    public var revision: Int
    public var fileName: String
    public var sha256: String
    /// Measures of the table (rows, with the rows continuing them).
    public var rows: Int
    /// Measures saved: one per due date of a row, so «Ежемесячно» in a year is twelve.
    public var measuresCreated: Int
    /// Saved without a due date, waiting for a person to date them before the roadmap goes to review.
    public var undated: Int
    /// Measures the roadmap had before and the import replaced (when asked to).
    public var replaced: Int
    /// Measures of the table the roadmap already had, left out (when asked to add only new ones).
    public var skipped: Int
    /// The saved measures, in the table's order.
    public var measures: [Measure]
    /// What concerned the whole file, as the preview said it.
    public var problems: [ImportNote]
}

/// A table read for a preview and kept until the person applies it.
public struct StagedMeasureImport: Sendable, Hashable {
    public var token: String
    public var fileName: String
    public var preview: RoadmapImportPreview
    /// The roadmap's revision the preview was made against: applying checks it has not moved.
    public var roadmapRevision: Int
    /// Measures the roadmap already has: importing adds to them, or replaces them when asked.
    public var existingMeasures: Int
    /// Measures the table would add that the roadmap already has (same title and due date).
    public var alreadyPresent: Int
}

extension MEDKService {
    /// Reads a roadmap table (DOCX, XLSX or CSV) the way importing it into `roadmapID` would and
    /// shows every measure as interpreted, changing nothing. Only who may edit the roadmap now may
    /// have a file read for it; that is checked before a byte of the file is looked at.
    ///
    /// - Parameter programmeYear: the year a deadline without one belongs to, and the period recurring
    ///   measures are scheduled over; the campaign's year unless given.
    /// - Parameter file: the file's bytes, asked for only once the actor may import.
    public func previewMeasureImport(roadmapID: Int64, fileName: String, programmeYear: Int? = nil, by actor: Actor,
                                     file: () async throws -> Data) async throws -> RoadmapImportPreview {
        try await readImport(roadmapID: roadmapID, fileName: fileName, programmeYear: programmeYear, expectedRevision: nil,
                             by: actor, file: file).preview
    }

    /// Imports a roadmap table into `roadmapID` as its owner's one edit: every measure the preview
    /// shows, or — if any row cannot be saved — none, with every such row named. A row with several
    /// due dates or a schedule becomes one measure per date, of one series, each reported and
    /// monitored on its own; a row whose deadline was not understood is saved without a date and
    /// keeps the roadmap from review until a person dates it. One audit record names the file by
    /// its hash and what was added.
    ///
    /// - Parameter mode: add every row (refused if any is already there), only the new ones, or
    ///   replace the roadmap's measures (refused if any of them is being reported on).
    public func importMeasures(roadmapID: Int64, fileName: String, programmeYear: Int? = nil, mode: MeasureImportMode = .add,
                               expectedRevision: Int? = nil, by actor: Actor,
                               file: () async throws -> Data) async throws -> MeasureImportResult {
        let read = try await readImport(roadmapID: roadmapID, fileName: fileName, programmeYear: programmeYear,
                                        expectedRevision: expectedRevision, by: actor, file: file)
        let preview = read.preview
        let now = now()
        let (ids, revision, replaced, skipped) = try await write { store in
            let roadmap = try Self.loadRoadmap(store, roadmapID)
            let auditActor = try Self.requireEditable(roadmap, by: actor, expectedRevision: expectedRevision)
            let replaced = mode == .replace ? try Self.removeAllMeasures(store, of: roadmap, at: now) : 0
            // Counted before the occurrences are made: a long table of monthly rows over years is refused
            // without building them. The roadmap's own limit bounds an import; a table is one change.
            let existing = try store.measureCount(roadmapID: roadmapID)
            guard existing + preview.occurrenceCount <= Self.maximumMeasuresPerRoadmap else {
                throw MEDKError.rejected("too_many", """
                    Таблица даёт \(preview.occurrenceCount) мероприятий с учётом повторяющихся сроков, в дорожной карте уже \
                    \(existing); всего может быть не более \(Self.maximumMeasuresPerRoadmap).
                    """)
            }
            let factorIDs = roadmap.owner == .school
                ? Dictionary(try store.riskFactors(campaignID: roadmap.campaignID).map { ($0.number, $0.id) }) { first, _ in first } : [:]
            var fields = try MeasureImportPlan.fields(preview.measures, owner: roadmap.owner, riskFactorIDs: factorIDs)
            var skipped = 0
            if mode != .replace, existing > 0 {
                let present = MeasureImportPlan.keys(try store.measures(roadmapID: roadmapID, calendar: try roadmap.calendar(), at: now))
                let new = fields.filter { !present.contains(MeasureImportPlan.key($0.title, $0.dueDate)) }
                skipped = fields.count - new.count
                if mode == .add && skipped > 0 {
                    throw MEDKError(.conflict, code: "import_duplicates", message: """
                        В дорожной карте уже есть \(skipped) из \(fields.count) мероприятий этой таблицы (то же название и тот же \
                        срок). Чтобы не задвоить дорожную карту, выберите: добавить только новые или заменить мероприятия таблицей.
                        """)
                }
                guard !new.isEmpty else {
                    throw MEDKError.rejected("nothing_new", "Все мероприятия таблицы уже есть в дорожной карте: добавлять нечего.")
                }
                fields = new
            }
            let ids = try store.insertMeasures(roadmap: roadmap, position: try store.nextMeasurePosition(roadmapID: roadmapID),
                                               fields, at: now)
            try store.touchItem(id: roadmapID, at: now)
            try store.appendAudit(auditActor, at: now, .item(.measureImport, roadmapID, state: roadmap.state, details: [
                "file_name": read.fileName, "sha256": read.sha256, "format": preview.format.rawValue,
                "rows": String(preview.measures.count), "measures": String(ids.count),
                "undated": String(fields.filter { $0.dueDate == nil }.count), "replaced": String(replaced),
                "mode": mode.rawValue, "skipped": String(skipped),
                "first_measure_id": String(ids.first ?? 0), "last_measure_id": String(ids.last ?? 0)]))
            return (ids, roadmap.revision + 1, replaced, skipped)
        }
        let saved = Set(ids)
        let measures = (try await item(roadmapID, for: actor).measures ?? []).filter { saved.contains($0.id) }
        return MeasureImportResult(roadmapID: roadmapID, revision: revision, fileName: read.fileName, sha256: read.sha256,
                                   rows: preview.measures.count, measuresCreated: ids.count,
                                   undated: measures.filter { $0.dueDate == nil }.count, replaced: replaced, skipped: skipped,
                                   measures: measures,
                                   problems: preview.problems)
    }

    /// Empties a roadmap for a corrected table; a measure already being reported on stays the
    /// person's to change by hand, so then nothing is removed.
    private static func removeAllMeasures(_ store: any StoreWriting, of roadmap: StoredItem, at now: Date) throws -> Int {
        let measures = try store.measures(roadmapID: roadmap.id, calendar: try roadmap.calendar(), at: now)
        let reported = measures.filter { $0.reportItemID != nil }
        guard reported.isEmpty else {
            throw MEDKError(.conflict, code: "measure_reported", message: """
                Заменить мероприятия нельзя: по некоторым уже начаты отчёты (\(reported.prefix(3).map { "«\($0.title)»" }
                    .joined(separator: ", "))\(reported.count > 3 ? " и ещё \(reported.count - 3)" : "")). Импортируйте таблицу \
                без замены или измените мероприятия вручную.
                """)
        }
        try refuseIfLinked(store, measures.map(\.id))
        for measure in measures { try store.deleteMeasure(id: measure.id, roadmap: roadmap) }
        return measures.count
    }

    /// Reads a table as `previewMeasureImport` does and keeps the file for the person who looked at
    /// it, so that applying it (`importStagedMeasures`) needs only the token, not the file again.
    public func stageMeasureImport(roadmapID: Int64, fileName: String, programmeYear: Int? = nil, by actor: Actor,
                                   file: () async throws -> Data) async throws -> StagedMeasureImport {
        let read = try await readImport(roadmapID: roadmapID, fileName: fileName, programmeYear: programmeYear,
                                        expectedRevision: nil, by: actor, file: file)
        let token = try await stageImport(read.data, owner: actor.userID)
        return try await staged(read, token: token, roadmapID: roadmapID)
    }

    /// A table staged by `stageMeasureImport` — only its own user's — read again from the kept file,
    /// against the roadmap as it is now: for the preview page a browser may reload or come back to.
    public func stagedMeasureImport(roadmapID: Int64, token: String, fileName: String, programmeYear: Int? = nil,
                                    by actor: Actor) async throws -> StagedMeasureImport {
        let data = try await stagedImport(token, owner: actor.userID)
        let read = try await readImport(roadmapID: roadmapID, fileName: fileName, programmeYear: programmeYear,
                                        expectedRevision: nil, by: actor) { data }
        return try await staged(read, token: token, roadmapID: roadmapID)
    }

    /// The staged table beside the roadmap: its revision, its measures, and which of the table's it already has.
    private func staged(_ read: ReadImport, token: String, roadmapID: Int64) async throws -> StagedMeasureImport {
        let now = now()
        let (revision, existing) = try await self.read { store in
            let roadmap = try Self.loadRoadmap(store, roadmapID)
            return (roadmap.revision, try store.measures(roadmapID: roadmapID, calendar: try roadmap.calendar(), at: now))
        }
        let present = MeasureImportPlan.keys(existing)
        let alreadyPresent = read.preview.measures.reduce(0) { count, measure in
            let dates: [CalendarDate?] = measure.dueDates.isEmpty ? [nil] : measure.dueDates
            return count + dates.filter { present.contains(MeasureImportPlan.key(measure.title, $0)) }.count
        }
        return StagedMeasureImport(token: token, fileName: read.fileName, preview: read.preview, roadmapRevision: revision,
                                   existingMeasures: existing.count, alreadyPresent: alreadyPresent)
    }

    /// Applies a table staged by `stageMeasureImport` — only its own user's — and forgets it.
    public func importStagedMeasures(roadmapID: Int64, token: String, fileName: String, programmeYear: Int? = nil,
                                     mode: MeasureImportMode = .add, expectedRevision: Int? = nil,
                                     by actor: Actor) async throws -> MeasureImportResult {
        let data = try await stagedImport(token, owner: actor.userID)
        let result = try await importMeasures(roadmapID: roadmapID, fileName: fileName, programmeYear: programmeYear,
                                              mode: mode, expectedRevision: expectedRevision, by: actor) { data }
        let owner = actor.userID
        try await write { store in try store.discardStagedImport(token: token, ownerID: owner) }
        return result
    }

    /// A staged table lives a day; a person keeps a few at most, so previews cannot fill the database.
    static let stagedImportLifetime: TimeInterval = 24 * 3600
    static let stagedImportsPerUser = 5

    private func stageImport(_ data: Data, owner: Int64) async throws -> String {
        let token = UUID().uuidString.lowercased(), now = now()
        try await write { store in
            try store.stageImport(token: token, ownerID: owner, data: data, at: now,
                                  expiredBefore: now.addingTimeInterval(-Self.stagedImportLifetime),
                                  keepingPerOwner: Self.stagedImportsPerUser)
        }
        return token
    }

    /// The table `owner` staged under `token`; gone (applied, expired or someone else's) is one answer.
    private func stagedImport(_ token: String, owner: Int64) async throws -> Data {
        let since = now().addingTimeInterval(-Self.stagedImportLifetime)
        let data = try await read { store in try store.stagedImport(token: token.lowercased(), ownerID: owner, stagedAfter: since) }
        guard let data else {
            throw MEDKError(.notFound, code: "staged_import_gone",
                            message: "Проверенная таблица больше не хранится (прошло больше суток или она уже импортирована). Загрузите файл снова.")
        }
        return data
    }

    private struct ReadImport: Sendable {
        var preview: RoadmapImportPreview
        var fileName: String
        var sha256: String
        var data: Data
    }

    /// Checks that the actor may edit the roadmap, then reads the file outside any transaction:
    /// parsing holds no database connection.
    private func readImport(roadmapID: Int64, fileName rawName: String, programmeYear: Int?, expectedRevision: Int?,
                            by actor: Actor, file: () async throws -> Data) async throws -> ReadImport {
        if let programmeYear, !(2000...2100).contains(programmeYear) {
            throw MEDKError.rejected("invalid_year", "Год программы — от 2000 до 2100, а указан \(programmeYear).")
        }
        let fileName = try Validation.fileName(rawName)
        let now = now()
        let (campaignYear, owner, riskFactors, today) = try await read { store in
            let roadmap = try Self.loadRoadmap(store, roadmapID)
            _ = try Self.requireEditable(roadmap, by: actor, expectedRevision: expectedRevision)
            guard let campaign = try store.campaign(id: roadmap.campaignID) else { throw MEDKError.notVisible }
            // Only a school's roadmap is filed by risk factor: elsewhere «Фактор …» is just a section.
            let factors = roadmap.owner == .school ? try store.riskFactors(campaignID: campaign.id) : []
            return (campaign.year, roadmap.owner, Dictionary(factors.map { ($0.number, $0.title) }) { first, _ in first },
                    try roadmap.calendar().date(of: now))
        }
        let data = try await file()
        let temporaryDirectory = files.temporaryDirectory
        let context = DeadlineContext(programmeYear: programmeYear ?? campaignYear, today: today)
        // Unpacking and parsing a workbook is CPU work of up to a second or two: off the request threads.
        return try await tableWork.run {
            let (format, tables) = try TableFileReader.tables(data, fileName: fileName, temporaryDirectory: temporaryDirectory)
            let preview = try RoadmapTableReader.preview(tables, format: format, context: context, owner: owner,
                                                         riskFactors: riskFactors)
            return ReadImport(preview: preview, fileName: fileName, sha256: SHA256.hash(data: data).hexString, data: data)
        }
    }
}

/// How the measures a table was read as become stored measures: one per due date, a series for
/// several, none dropped. Pure, so its rules are tested without a database.
enum MeasureImportPlan {
    /// Longest text a measure's field may hold, as for measures typed in.
    static let maximumFieldLength = 2_000

    /// - Parameter riskFactorIDs: a school's catalogue, number to stored factor, for the factors the table named.
    static func fields(_ measures: [ImportedMeasure], owner: OwnerLevel, riskFactorIDs: [Int: Int64] = [:]) throws -> [MeasureFields] {
        var fields: [MeasureFields] = []
        var problems: [String] = []
        for (index, measure) in measures.enumerated() {
            let rowProblems = Self.problems(measure)
            guard rowProblems.isEmpty else {
                problems += rowProblems.map { "Строка \(measure.line): \($0)" }
                continue
            }
            fields += occurrences(measure, seriesKey: index, owner: owner, riskFactorIDs: riskFactorIDs)
        }
        guard problems.isEmpty else {
            throw MEDKError.rejected("invalid_import", "Таблицу нельзя импортировать: исправьте строки и загрузите её снова.",
                                     details: problems)
        }
        guard !fields.isEmpty else { throw MEDKError.rejected("no_measures", "В таблице не найдено ни одного мероприятия.") }
        return fields
    }

    /// What makes two measures the same one: the title as a person reads it (case and spacing aside)
    /// and the due date.
    struct Key: Hashable {
        var title: String
        var dueDate: CalendarDate?
    }

    static func key(_ title: String, _ dueDate: CalendarDate?) -> Key {
        Key(title: title.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " "), dueDate: dueDate)
    }

    static func keys(_ measures: [Measure]) -> Set<Key> {
        Set(measures.map { key($0.title, $0.dueDate) })
    }

    static func problems(_ measure: ImportedMeasure) -> [String] {
        var problems: [String] = []
        if measure.isUntitled { problems.append("нет названия мероприятия.") }
        let texts = [(measure.title, "мероприятие"), (measure.task ?? "", "задача"), (measure.responsible, "ответственные"),
                     (measure.result, "результат"), (measure.indicator, "показатель"), (measure.plannedValue, "плановое значение"),
                     (measure.deadlineText, "срок"), (measure.normativeDocument, "нормативный документ"),
                     (measure.regionalMeasure, "региональное мероприятие"), (measure.stage ?? "", "этап"),
                     (measure.goal ?? "", "цель"), (measure.section ?? "", "раздел"), (measure.track ?? "", "трек"),
                     (measure.riskFactor ?? "", "фактор риска")]
        for (text, name) in texts where text.count > maximumFieldLength {
            problems.append("поле «\(name)» длиннее \(maximumFieldLength) символов.")
        }
        return problems
    }

    /// One stored measure per due date; a row with no understood date is kept, undated.
    static func occurrences(_ measure: ImportedMeasure, seriesKey: Int, owner: OwnerLevel,
                            riskFactorIDs: [Int: Int64] = [:]) -> [MeasureFields] {
        let isMunicipal = owner == .municipality
        let dates: [CalendarDate?] = measure.dueDates.isEmpty ? [nil] : measure.dueDates
        assert(dates.count == measure.occurrenceCount)
        let isSeries = dates.count > 1 || measure.recurrence != nil
        // Only a municipal roadmap has FIOCO's tracks: elsewhere a track heading above the rows is kept as their section.
        // A factor heading the catalogue does not know stays, as the section, for the person to match.
        let unfiledFactor = owner == .school && measure.riskFactorNumber != nil ? nil : measure.riskFactor
        let section = measure.section ?? (isMunicipal ? nil : measure.track) ?? unfiledFactor
        let imported = ImportedMeasureFields(
            deadlineText: measure.deadlineText, recurrence: measure.recurrence, seriesKey: isSeries ? seriesKey : nil,
            stage: measure.stage.nonBlank, goal: measure.goal.nonBlank, section: section.nonBlank,
            normativeDocument: Optional(measure.normativeDocument).nonBlank)
        return dates.map { date in
            MeasureFields(riskFactorID: owner == .school ? measure.riskFactorNumber.flatMap { riskFactorIDs[$0] } : nil, track: isMunicipal ? measure.trackNumber : nil, task: measure.task ?? "",
                          title: measure.title, dueDate: date, responsible: measure.responsible, expectedResult: measure.result,
                          indicator: measure.indicator, plannedValue: measure.plannedValue,
                          regionalMeasure: isMunicipal ? Optional(measure.regionalMeasure).nonBlank : nil, imported: imported)
        }
    }
}

private extension Optional where Wrapped == String {
    var nonBlank: String? {
        guard let self, !self.isBlank else { return nil }
        return self
    }
}
