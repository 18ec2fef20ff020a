import Crypto
import Foundation

/// What a results file holds: exam means per school and year, or social indicators per school and year.
public enum ResultsFileKind: String, Codable, Sendable, CaseIterable {
    case components
    case social

    /// Each column with its Russian heading (and the English name, also accepted).
    var columns: [(name: String, russian: String)] {
        switch self {
        case .components: [("school_code", "Код школы"), ("year", "Год"), ("exam", "Экзамен"), ("subject", "Предмет"),
                           ("mean", "Средний балл"), ("participants", "Участников")]
        case .social: [("school_code", "Код школы"), ("year", "Год"), ("indicator", "Показатель"), ("value", "Значение")]
        }
    }

    public var russianName: String {
        switch self {
        case .components: "Средние баллы (ЕГЭ, ОГЭ, ВПР-4)"
        case .social: "Показатели социального контекста"
        }
    }

    /// A file to fill in: the Russian headings and an example row.
    public var template: String {
        let example = switch self {
        case .components: "000001;2026;ОГЭ;математика;3,85;64"
        case .social: "000001;2026;\(IdentificationMethod.seed000.social[0].name);0,42"
        }
        // A BOM, so that Excel opens the Cyrillic headings as UTF-8.
        return "\u{FEFF}" + columns.map(\.russian).joined(separator: ";") + "\r\n" + example + "\r\n"
    }

    public var russianColumns: [String] { columns.map(\.russian) }

    /// The same template as a workbook: a title and a hint above the header (the import finds the
    /// header below them), the example row with its number as a number.
    public var templateTable: ExportTable {
        let example: [ExportTable.Cell] = switch self {
        case .components: [.text("000001"), .number(2026), .text("ОГЭ"), .text("математика"), .hundredths(3.85), .number(64)]
        case .social: [.text("000001"), .number(2026), .text(IdentificationMethod.seed000.social[0].name), .hundredths(0.42)]
        }
        return ExportTable(sheetName: "Шаблон", title: "Шаблон: \(russianName)",
                           notes: ["Одна строка — одна школа, год и " + (self == .components ? "экзамен по предмету." : "показатель (доля от 0 до 1).")],
                           header: russianColumns, rows: [example])
    }

    func column(_ heading: String) -> String? {
        let name = ImportKind.normalizedHeading(heading)
        return columns.first { $0.name == name || ImportKind.normalizedHeading($0.russian) == name }?.name
            ?? (["число участников": "participants", "количество участников": "participants", "балл": "mean", "код оо": "school_code"][name]
                .flatMap { alias in columns.contains { $0.name == alias } ? alias : nil })
    }
}

public struct ResultsImportReport: Codable, Sendable, Hashable {
    public var kind: ResultsFileKind
    public var dryRun: Bool
    public var created: Int
    public var updated: Int
    public var unchanged: Int
}

/// Loads the data identification rests on and identifies a region's schools by a method (issue 23).
/// A file is applied whole or not at all, every bad row named with its line; the import is one audit
/// record with the file's hash and counts, and its values are versions numbered by the import, so a
/// correction keeps what it corrects for the lists made before it. A region's coordinator loads and
/// identifies their region's schools; FIOCO, administrators and the operator's console, any region's.
public struct ResultsData: Sendable {
    let service: MEDKService

    /// A region's file holds up to three years of six components for ~1,700 schools: 30,000 rows.
    public static var limits: TableImportLimits {
        var limits = TableImportLimits()
        limits.maximumFileBytes = 16 << 20
        limits.maximumRows = 100_000
        limits.maximumColumns = 30
        return limits
    }

    /// A CSV text (the console's and the API's way).
    public func importFile(_ kind: ResultsFileKind, text: String, fileName: String, dryRun: Bool, by op: Operator) async throws -> ResultsImportReport {
        let rows = try CSV.parse(text).map { SourceTable.Row(line: $0.line, cells: $0.fields) }
        return try await importRows(kind, rows, fileName: fileName, hash: SHA256.hash(data: Data(text.utf8)).hexString, dryRun: dryRun, by: op)
    }

    /// A file as uploaded: CSV (UTF-8 or Windows-1251) or an Excel workbook's first sheet; a title
    /// above the header is skipped.
    public func importFile(_ kind: ResultsFileKind, data: Data, fileName: String, dryRun: Bool, by op: Operator) async throws -> ResultsImportReport {
        let (format, tables) = try TableFileReader.tables(data, fileName: fileName, limits: Self.limits)
        guard format != .docx, let table = tables.first else {
            throw MEDKError.rejected("unsupported_file", "Результаты загружаются таблицей CSV или XLSX, не документом Word.")
        }
        return try await importRows(kind, table.rows, fileName: fileName, hash: SHA256.hash(data: data).hexString, dryRun: dryRun, by: op)
    }

    func importRows(_ kind: ResultsFileKind, _ allRows: [SourceTable.Row], fileName: String, hash: String, dryRun: Bool,
                    by op: Operator) async throws -> ResultsImportReport {
        if case .user(let actor) = op, !Policy.mayLoadResults(actor) {
            throw MEDKError.forbidden("Данные о результатах школ загружает региональный координатор своего региона, ФИОКО или администратор.")
        }
        // The header is the first row that names the school code column (a workbook may have a title above it).
        guard let headerIndex = allRows.prefix(20).firstIndex(where: { row in row.cells.contains { kind.column($0) == "school_code" } }) else {
            throw MEDKError.rejected("missing_columns", "Не найдена строка заголовка со столбцом «Код школы». "
                                     + "Ожидается: \(kind.columns.map(\.russian).joined(separator: ";")).")
        }
        let names = allRows[headerIndex].cells.map { kind.column($0.trimmingCharacters(in: .whitespaces)) }
        let missing = kind.columns.filter { column in !names.contains(column.name) }.map { "«\($0.russian)»" }
        guard missing.isEmpty else {
            throw MEDKError.rejected("missing_columns", "В заголовке нет столбцов: \(missing.joined(separator: ", ")). "
                                     + "Ожидается: \(kind.columns.map(\.russian).joined(separator: ";")).")
        }
        let records = allRows[(headerIndex + 1)...].filter { row in row.cells.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
        let now = service.now()
        return try await service.write(dryRun: dryRun) { store in
            var auditActor: AuditActor?
            if case .local = op { auditActor = try op.authorize(.administer) }
            let userID: Int64? = if case .user(let actor) = op { actor.userID } else { nil }
            let batch = try store.insertResultsImport(kind: kind, fileName: fileName, sha256: hash, at: now, by: userID)
            var report = ResultsImportReport(kind: kind, dryRun: dryRun, created: 0, updated: 0, unchanged: 0)
            var problems: [String] = []
            var schools: [String: Int64] = [:]
            var allowedRegions: Set<Int64> = []
            for record in records {
                var values: [String: String] = [:]
                for (name, field) in zip(names, record.cells) { if let name { values[name] = field.trimmingCharacters(in: .whitespaces) } }
                do {
                    guard let code = values["school_code"], !code.isEmpty else { throw MEDKError.rejected("missing_value", "не указан код школы.") }
                    let schoolID: Int64
                    if let known = schools[code] { schoolID = known } else {
                        guard let place = try store.school(code: code).flatMap({ try store.schoolPlace(schoolID: $0.id) }) else {
                            throw MEDKError.rejected("unknown_school", "нет школы с кодом «\(code)».")
                        }
                        // A regional coordinator loads their own region's schools only.
                        if !allowedRegions.contains(place.path.regionID) {
                            do {
                                let allowed = try op.authorize(.identifySchools(regionID: place.path.regionID))
                                auditActor = auditActor ?? allowed
                                allowedRegions.insert(place.path.regionID)
                            } catch {
                                throw MEDKError.rejected("foreign_school", "школа «\(code)» в другом регионе (\(place.regionName)): её данные загружает тот регион.")
                            }
                        }
                        schools[code] = place.school.id
                        schoolID = place.school.id
                    }
                    guard let year = values["year"].flatMap(Self.whole), (2000...2100).contains(year) else {
                        throw MEDKError.rejected("invalid_year", "год «\(values["year"] ?? "")» — нужен четырёхзначный год.")
                    }
                    let outcome: UpsertOutcome
                    switch kind {
                    case .components:
                        let exam = try Self.exam(values["exam"] ?? ""), subject = try Self.subject(values["subject"] ?? "")
                        let mean = try Self.number(values["mean"], "средний балл")
                        guard let participants = values["participants"].flatMap(Self.whole), participants >= 0 else {
                            throw MEDKError.rejected("invalid_participants", "число участников «\(values["participants"] ?? "")» — целое неотрицательное число.")
                        }
                        outcome = try store.upsertResult(schoolID: schoolID, ComponentResult(ComponentKey(exam: exam, subject: subject), year: year,
                                                                                             mean: mean, participants: participants), batch: batch)
                    case .social:
                        guard let indicator = values["indicator"], !indicator.isEmpty else {
                            throw MEDKError.rejected("missing_value", "не указан показатель.")
                        }
                        outcome = try store.upsertSocial(schoolID: schoolID, year: year, indicator: indicator,
                                                         value: try Self.number(values["value"], "значение"), batch: batch)
                    }
                    switch outcome {
                    case .created: report.created += 1
                    case .updated: report.updated += 1
                    case .unchanged: report.unchanged += 1
                    }
                } catch let error as MEDKError {
                    problems.append("строка \(record.line): \(error.message)")
                }
            }
            guard problems.isEmpty else {
                throw MEDKError.rejected("import_rejected", "Импорт отклонён: ошибок в строках — \(problems.count). Ничего не изменено.",
                                         details: problems)
            }
            guard let auditActor else {
                throw MEDKError.rejected("empty_file", "В файле нет ни одной строки с данными — только заголовок.")
            }
            try store.appendAudit(auditActor, at: now, AuditRecord(action: .resultsImport, entityType: .school, details: [
                "kind": kind.rawValue, "file_name": fileName, "sha256": hash, "batch": String(batch), "created": String(report.created),
                "updated": String(report.updated), "unchanged": String(report.unchanged)]))
            return report
        }
    }

    /// A region's schools placed for `year` by `method`, from the data loaded.
    public func identify(regionCode: String, year: Int, method: IdentificationMethod = .seed000, by op: Operator) async throws -> IdentificationRun {
        try method.validate()
        let histories = try await service.read { store in
            guard let region = try store.region(code: regionCode) else { throw MEDKError.notFound("Регион «\(regionCode)»") }
            _ = try op.authorize(.identifySchools(regionID: region.id))
            return try store.resultsHistories(regionID: region.id, years: (year - method.windowYears + 1)...year, asOf: try store.latestResultsBatch())
        }
        return Identification.run(method, year: year, schools: histories.map { $0.input(for: year, windowYears: method.windowYears) })
    }

    static func exam(_ text: String) throws -> ExamKind {
        switch ImportKind.normalizedHeading(text).replacingOccurrences(of: "-", with: " ") {
        case "ege", "егэ": return .ege
        case "oge", "огэ": return .oge
        case "vpr4", "впр", "впр 4", "впр 4 класс", "впр, 4 класс": return .vpr4
        default: throw MEDKError.rejected("unknown_exam", "экзамен «\(text)» — нужен ЕГЭ, ОГЭ или ВПР-4.")
        }
    }

    static func subject(_ text: String) throws -> ExamSubject {
        let name = ImportKind.normalizedHeading(text)
        if name.hasPrefix("рус") || name == "russian" { return .russian }
        if name.hasPrefix("мат") || name == "mathematics" { return .mathematics }
        throw MEDKError.rejected("unknown_subject", "предмет «\(text)» — нужен русский язык или математика.")
    }

    /// A whole number as a person or a workbook writes it: «2026», «2026.0», «1 200».
    static func whole(_ text: String) -> Int? {
        let cleaned = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "").replacingOccurrences(of: ",", with: ".")
        if let value = Int(cleaned) { return value }
        guard let value = Double(cleaned), value.rounded() == value, abs(value) < 1e9 else { return nil }
        return Int(value)
    }

    /// «4,25» as Russian tables write it, or «4.25».
    static func number(_ text: String?, _ what: String) throws -> Double {
        guard let text, let value = Double(text.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: "")),
              value.isFinite else {
            throw MEDKError.rejected("invalid_number", "\(what) «\(text ?? "")» — нужно число.")
        }
        return value
    }
}

extension MEDKService {
    public var resultsData: ResultsData { ResultsData(service: self) }
}
