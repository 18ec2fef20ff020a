import Foundation

/// What a CSV import file holds; see docs/import.md for the columns. Headings may be the English
/// names or the Russian ones a template writes (and a few others people use); files may be UTF-8 or
/// Windows-1251, as Russian Excel saves them.
public enum ImportKind: String, Codable, Sendable, CaseIterable {
    case regions, municipalities, schools, users, assignments

    public var columns: [String] {
        switch self {
        case .regions: ["code", "name", "time_zone"]
        case .municipalities: ["code", "name", "region_code"]
        case .schools: ["code", "name", "municipality_code", "low_results", "hard_social", "programme_years"]
        case .users: ["login", "full_name", "email", "role", "scope_code"]
        case .assignments: ["campaign_code", "school_code", "curator_login"]
        }
    }

    /// Columns that may be absent from the header or empty in a row.
    var optionalColumns: Set<String> {
        switch self {
        case .schools: ["low_results", "hard_social", "programme_years"]
        case .users: ["email", "scope_code"]
        default: []
        }
    }

    public var russianName: String {
        switch self {
        case .regions: "Регионы"
        case .municipalities: "Муниципалитеты"
        case .schools: "Школы"
        case .users: "Пользователи"
        case .assignments: "Назначения кураторов"
        }
    }

    /// Each column's heading in Russian, as a template writes it and as people name it in their tables.
    public var russianColumns: [String] {
        columns.map { Self.russianHeading[$0] ?? $0 }
    }

    static let russianHeading: [String: String] = [
        "code": "Код", "name": "Название", "time_zone": "Часовой пояс", "region_code": "Код региона",
        "municipality_code": "Код муниципалитета", "low_results": "ШНОР", "hard_social": "ШНСУ", "programme_years": "Годы программы",
        "login": "Логин", "full_name": "ФИО", "email": "Эл. почта", "role": "Роль", "scope_code": "Код организации",
        "campaign_code": "Код кампании", "school_code": "Код школы", "curator_login": "Логин куратора",
    ]

    /// Other headings people write for a column (compared after `normalizedHeading`).
    static let aliases: [String: String] = [
        "наименование": "name", "полное наименование": "name", "краткое наименование": "name", "пояс": "time_zone",
        "код субъекта": "region_code", "регион": "region_code", "код мо": "municipality_code", "мо": "municipality_code",
        "муниципалитет": "municipality_code", "школа с низкими результатами": "low_results",
        "школа в сложных социальных условиях": "hard_social", "годы": "programme_years",
        "фамилия имя отчество": "full_name", "почта": "email", "электронная почта": "email", "e-mail": "email", "email": "email",
        "организация": "scope_code", "код оо": "school_code", "кампания": "campaign_code", "школа": "school_code",
        "куратор": "curator_login",
    ]

    /// The column a heading names, in English or Russian; nil for one this kind does not know.
    func column(forHeading heading: String) -> String? {
        let name = Self.normalizedHeading(heading)
        if columns.contains(name) { return name }
        let byRussian = Dictionary(uniqueKeysWithValues: columns.map { (Self.normalizedHeading(Self.russianHeading[$0] ?? $0), $0) })
        if let column = byRussian[name] ?? Self.aliases[name], columns.contains(column) { return column }
        return nil
    }

    /// Lower case, «ё» as «е», one space between words, no trailing colon or asterisk («Код школы*:»).
    static func normalizedHeading(_ heading: String) -> String {
        var text = heading.lowercased().replacingOccurrences(of: "ё", with: "е")
        while let last = text.last, last == ":" || last == "*" || last.isWhitespace { text.removeLast() }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A file to fill in: the Russian headings and one example row, UTF-8 with a BOM and «;», as Excel opens it.
    public var template: String {
        let example: [String] = switch self {
        case .regions: ["75", "Забайкальский край", "Asia/Chita"]
        case .municipalities: ["75001", "Балейский муниципальный округ", "75"]
        case .schools: ["750010001", "МОУ «Балейская СОШ № 1»", "75001", "да", "нет", "2025-2026"]
        case .users: ["ivanova", "Иванова Елена Николаевна", "ivanova@example.ru", "curator", "75"]
        case .assignments: ["500plus-2026", "750010001", "ivanova"]
        }
        return CSV.write([russianColumns, example])
    }
}

/// A row an import refused, and why.
public struct ImportProblem: Sendable, Hashable {
    public var line: Int
    public var message: String

    /// The problems a refused import names in its details («строка 5: …»), back as rows of a table.
    public static func parse(_ details: [String]) -> [ImportProblem] {
        details.map { text in
            guard text.hasPrefix("строка "), let colon = text.firstIndex(of: ":"),
                  let line = Int(text[text.index(text.startIndex, offsetBy: 7)..<colon]) else {
                return ImportProblem(line: 0, message: text)
            }
            return ImportProblem(line: line, message: text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }
}

public struct ImportRowResult: Codable, Sendable, Hashable {
    public var line: Int
    public var key: String
    /// What the key names, for reading the check: a school's or a person's name, a curator's school.
    public var name: String?
    public var outcome: UpsertOutcome
}

public struct ImportReport: Codable, Sendable, Hashable {
    public var kind: ImportKind
    public var dryRun: Bool
    public var rows: [ImportRowResult]

    public func count(_ outcome: UpsertOutcome) -> Int { rows.filter { $0.outcome == outcome }.count }
}

extension MEDKService {
    /// Imports a whole file or nothing: every row is checked, every bad row is reported with
    /// its line number, and a dry run goes through the very same steps before rolling back.
    public func importCSV(_ kind: ImportKind, text: String, dryRun: Bool, by op: Operator) async throws -> ImportReport {
        let records = try CSV.parse(text)
        guard let header = records.first else {
            throw MEDKError.rejected("empty_file", "Файл пуст: нужна строка заголовка (\(kind.columns.joined(separator: ";"))).")
        }
        // Headings in English or Russian, in any order; an empty heading is a column nobody filled.
        let headings = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        let unknown = headings.filter { !$0.isEmpty && kind.column(forHeading: $0) == nil }
        guard unknown.isEmpty else {
            throw MEDKError.rejected("unknown_columns", "Неизвестные столбцы в заголовке: \(unknown.map { "«\($0)»" }.joined(separator: ", ")). "
                                     + "Ожидается: \(kind.russianColumns.joined(separator: ";")) (или \(kind.columns.joined(separator: ";"))).")
        }
        let names = headings.map { kind.column(forHeading: $0) ?? "" }
        let missing = kind.columns.filter { !names.contains($0) && !kind.optionalColumns.contains($0) }
        guard missing.isEmpty else {
            let shown = missing.map { "«\(ImportKind.russianHeading[$0] ?? $0)»" }
            throw MEDKError.rejected("missing_columns", "В заголовке (строка \(header.line)) нет столбцов: \(shown.joined(separator: ", ")). "
                                     + "Ожидается: \(kind.russianColumns.joined(separator: ";")).")
        }
        let rows = records.dropFirst().map { record in
            ImportRow(line: record.line, fieldCount: record.fields.count, headerCount: names.count,
                      values: Dictionary(zip(names, record.fields.map { $0.trimmingCharacters(in: .whitespaces) }),
                                         uniquingKeysWith: { first, _ in first }))
        }
        guard !rows.isEmpty else { throw MEDKError.rejected("no_rows", "В файле нет строк данных, только заголовок.") }
        let now = now()
        return try await write(dryRun: dryRun) { store in
            let actor = try op.authorize(.administer)
            var importer = Importer(store: store, actor: actor, at: now, kind: kind)
            var results: [ImportRowResult] = []
            var problems: [String] = []
            for row in rows {
                do {
                    results.append(try store.attempt { try importer.apply(row) })
                } catch let error as MEDKError {
                    problems.append("строка \(row.line): \(error.message)" + (error.details.isEmpty ? "" : " " + error.details.joined(separator: " ")))
                }
            }
            guard problems.isEmpty else {
                throw MEDKError.rejected("import_rejected",
                                        "Импорт отклонён: ошибок в строках — \(problems.count). Ничего не изменено.",
                                        details: problems)
            }
            return ImportReport(kind: kind, dryRun: dryRun, rows: results)
        }
    }
}

struct ImportRow {
    var line: Int
    var fieldCount: Int
    var headerCount: Int
    var values: [String: String]

    func required(_ column: String) throws -> String {
        guard let value = values[column], !value.isEmpty else {
            throw MEDKError.rejected("missing_value", "не заполнен столбец «\(column)».")
        }
        return value
    }

    func optional(_ column: String) -> String? {
        values[column].flatMap { $0.isEmpty ? nil : $0 }
    }

    func flag(_ column: String) throws -> Bool {
        guard let value = optional(column)?.lowercased() else { return false }
        switch value {
        case "1", "да", "true", "yes", "д", "+": return true
        case "0", "нет", "false", "no", "н", "-": return false
        default: throw MEDKError.rejected("invalid_flag", "в столбце «\(column)» ожидается да/нет или 1/0, а не «\(value)».")
        }
    }
}

private struct Importer {
    let store: any StoreWriting
    let actor: AuditActor
    let at: Date
    let kind: ImportKind
    /// First line of each key in this file, to name duplicates.
    var seen: [String: Int] = [:]

    init(store: any StoreWriting, actor: AuditActor, at: Date, kind: ImportKind) {
        self.store = store
        self.actor = actor
        self.at = at
        self.kind = kind
    }

    mutating func apply(_ row: ImportRow) throws -> ImportRowResult {
        guard row.fieldCount == row.headerCount else {
            throw MEDKError.rejected("field_count", "полей \(row.fieldCount), а в заголовке \(row.headerCount) (проверьте разделитель и кавычки).")
        }
        let (key, outcome) = try applyValues(row)
        if let first = seen[key] {
            throw MEDKError.rejected("duplicate_row", "«\(key)» уже встречается в строке \(first).")
        }
        seen[key] = row.line
        return ImportRowResult(line: row.line, key: key, name: try name(row), outcome: outcome)
    }

    /// What a row is about in words, beside its key.
    private func name(_ row: ImportRow) throws -> String? {
        switch kind {
        case .regions, .municipalities, .schools: return row.optional("name")
        case .users: return row.optional("full_name")
        case .assignments:
            let school = try row.optional("school_code").flatMap { try store.school(code: $0) }?.name
            let curator = try row.optional("curator_login").flatMap { try store.user(login: $0) }?.fullName
            return [school, curator].compactMap { $0 }.joined(separator: " — ")
        }
    }

    private func applyValues(_ row: ImportRow) throws -> (String, UpsertOutcome) {
        switch kind {
        case .regions:
            let code = try row.required("code")
            let zone = try row.required("time_zone")
            guard RegionCalendar.isKnownZone(zone) else {
                throw MEDKError.rejected("unknown_time_zone", "неизвестный часовой пояс «\(zone)» (нужен идентификатор IANA, например Asia/Chita).")
            }
            return (code, try OrganisationWrites.upsertRegion(store, actor, at: at, code: code, name: try row.required("name"), timeZone: zone).1)
        case .municipalities:
            let code = try row.required("code")
            let regionCode = try row.required("region_code")
            guard let region = try store.region(code: regionCode) else {
                throw MEDKError.rejected("unknown_region", "нет региона с кодом «\(regionCode)».")
            }
            return (code, try OrganisationWrites.upsertMunicipality(store, actor, at: at, code: code, name: try row.required("name"),
                                                                    regionID: region.id).1)
        case .schools:
            let code = try row.required("code")
            let municipalityCode = try row.required("municipality_code")
            guard let municipality = try store.municipality(code: municipalityCode) else {
                throw MEDKError.rejected("unknown_municipality", "нет муниципалитета с кодом «\(municipalityCode)».")
            }
            return (code, try OrganisationWrites.upsertSchool(
                store, actor, at: at, code: code, name: try row.required("name"), municipalityID: municipality.id,
                lowResults: try row.flag("low_results"), hardSocial: try row.flag("hard_social"),
                programmeYears: row.optional("programme_years") ?? "").1)
        case .users:
            let login = try row.required("login")
            try Validation.login(login)
            let roleText = try row.required("role")
            guard let role = Role(rawValue: roleText.lowercased()) ?? Role.allCases.first(where: { $0.russianName.hasPrefix(roleText.lowercased()) }) else {
                throw MEDKError.rejected("unknown_role", "неизвестная роль «\(roleText)»; допустимы: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let grant = try Lookup.grant(store, role: role, scopeCode: row.optional("scope_code"))
            let email = try Validation.email(row.optional("email"))
            let outcome = try OrganisationWrites.upsertUser(store, actor, at: at, login: login, fullName: try row.required("full_name"),
                                                            email: email, grant: grant).1
            return ("\(login)/\(role.rawValue)/\(row.optional("scope_code") ?? "")", outcome)
        case .assignments:
            let campaignCode = try row.required("campaign_code")
            let schoolCode = try row.required("school_code")
            let curatorLogin = try row.required("curator_login")
            let (campaign, school) = try Lookup.campaignAndSchool(store, campaignCode: campaignCode, schoolCode: schoolCode)
            guard let curator = try store.user(login: curatorLogin) else {
                throw MEDKError.rejected("unknown_user", "нет пользователя «\(curatorLogin)».")
            }
            return ("\(campaignCode)/\(schoolCode)/\(curatorLogin)",
                    try OrganisationWrites.assignCurator(store, actor, at: at, campaignID: campaign.id, school: school, curatorID: curator.id))
        }
    }
}
