import Foundation

/// What a CSV import file holds; see docs/import.md for the columns.
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
}

public struct ImportRowResult: Codable, Sendable, Hashable {
    public var line: Int
    public var key: String
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
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = kind.columns.filter { !names.contains($0) && !kind.optionalColumns.contains($0) }
        guard missing.isEmpty else {
            throw MEDKError.rejected("missing_columns", "В заголовке (строка \(header.line)) нет столбцов: \(missing.joined(separator: ", ")). Ожидается: \(kind.columns.joined(separator: ";")).")
        }
        let unknown = names.filter { !kind.columns.contains($0) && !$0.isEmpty }
        guard unknown.isEmpty else {
            throw MEDKError.rejected("unknown_columns", "Неизвестные столбцы в заголовке: \(unknown.joined(separator: ", ")). Ожидается: \(kind.columns.joined(separator: ";")).")
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
                    results.append(try importer.apply(row))
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
        return ImportRowResult(line: row.line, key: key, outcome: outcome)
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
