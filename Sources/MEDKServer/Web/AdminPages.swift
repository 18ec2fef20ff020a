import Foundation
import MEDKCore

/// Administration: users and roles, organisations, curator assignments, milestones, imports.
/// Each action is a core use case that checks the actor itself.
enum AdminPages {
    struct UserRow: Sendable {
        var login: String
        var href: String
        var fullName: String
        var email: String?
        var roles: String
        var active: Bool
    }

    /// One account, to edit: name, address, roles, whether it may sign in, its password.
    struct UserEditPage: Sendable {
        struct Grant: Sendable {
            var value: String
            var label: String
            var id: String
        }
        var login: String
        var fullName: String
        var email: String?
        var active: Bool
        var grants: [Grant]
        var roleOptions: [SelectOption]
        var passwordMinimum = PasswordHasher.minimumLength
        var actionPath: String
        var isSelf: Bool
    }

    struct UsersPage: Sendable {
        var rows: [UserRow]
        var pagination: Pagination
        var search: String?
        var roleOptions: [SelectOption]
        /// The rule the password is checked by, said where it is typed.
        var passwordMinimum = PasswordHasher.minimumLength
    }

    struct OrganisationRow: Sendable {
        var kind: String
        var code: String
        var name: String
        var parent: String
        var note: String
    }

    struct OrganisationsPage: Sendable {
        var rows: [OrganisationRow]
        var pagination: Pagination
        var search: String?
        var counts: String
        var kindOptions: [SelectOption]
    }

    struct AssignmentsPage: Sendable {
        var rows: [CuratorAssignment]
        var pagination: Pagination
        var campaignCode: String
        var campaignOptions: [SelectOption]
        /// Curators to pick from when the actor assigns in one region; a login is typed otherwise.
        var chooseCurator: Bool
        var curatorOptions: [SelectOption]
    }

    struct MilestoneRow: Sendable {
        var title: String
        var dueDate: String
        var overrides: [String]
    }

    struct MilestonesPage: Sendable {
        var campaignName: String
        var campaignCode: String
        var rows: [MilestoneRow]
        var campaignOptions: [SelectOption]
        var kindOptions: [SelectOption]
        var regionOptions: [SelectOption]
    }

    struct ImportRow: Sendable {
        var line: Int
        var key: String
        var name: String?
        var outcome: String
        var outcomeClass: String
    }

    /// What each kind of file holds, with its template.
    struct ImportFormat: Sendable {
        var name: String
        var columns: String
        var templateHref: String
    }

    /// A refused file: its rows and what is wrong with each, as a table to fix it by.
    struct ImportRefusal: Sendable {
        struct Problem: Sendable {
            var line: String
            var message: String
        }
        var kind: String
        var kindName: String
        var fileName: String
        var csv: String
        var message: String
        var problems: [Problem]
    }

    struct ImportPage: Sendable {
        var kindOptions: [SelectOption]
        var formats: [ImportFormat]
        var preview: ImportPreview?
        var refusal: ImportRefusal? = nil
    }

    struct ImportPreview: Sendable {
        var kind: String
        var kindName: String
        var fileName: String
        var csv: String
        var rows: [ImportRow]
        var summary: String
        var changes: Bool
    }

    static func register(_ web: WebRoutes) {
        registerUsers(web)
        registerOrganisations(web)
        registerAssignments(web)
        registerMilestones(web)
        registerImport(web)
        registerReminders(web)
    }

    static func userPath(_ login: String) -> String {
        "/admin/users/" + (login.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? login)
    }

    private static func login(_ request: WebRequest) throws -> String {
        guard let raw = request.context.parameters.get("login") else { throw MEDKError.notFound("Пользователь") }
        return raw.removingPercentEncoding ?? raw
    }

    private static func requireAdmin(_ request: WebRequest) throws -> Actor {
        let actor = try request.actor()
        _ = try Policy.authorize(actor, .administer)
        return actor
    }

    private static func registerUsers(_ web: WebRoutes) {
        web.get("/admin/users") { request in
            let actor = try requireAdmin(request)
            let page = try await request.service.users(UserQuery(search: request.query("q")), page: try Pagination.request(request),
                                                       by: .user(actor))
            return await request.page("admin_users", title: "Пользователи", UsersPage(
                rows: page.items.map { user in
                    UserRow(login: user.login, href: userPath(user.login), fullName: user.fullName, email: user.email,
                            roles: user.grants.map { grant in
                                grant.organisationName.map { "\(grant.role.russianName) — \($0)" } ?? grant.role.russianName
                            }.joined(separator: "; "), active: user.isActive)
                },
                pagination: Pagination.of(page, request: request), search: request.query("q"),
                roleOptions: Role.allCases.map { SelectOption(value: $0.rawValue, label: $0.russianName, selected: false) }))
        }

        web.post("/admin/users") { request, form in
            let actor = try requireAdmin(request)
            guard let login = form["login"], let fullName = form["fullName"],
                  let role = form["role"].flatMap(Role.init(rawValue:)) else {
                throw MEDKError.invalid("invalid_form", "Заполните логин, ФИО и роль.")
            }
            let grant = try await request.service.roleGrant(role, scopeCode: form["scope"])
            _ = try await request.service.createUser(by: .user(actor), login: login, fullName: fullName, email: form["email"],
                                                     grants: [grant], password: form.fields["password"]?.first.flatMap { $0.isEmpty ? nil : $0 })
            return request.redirect("/admin/users?q=\(login.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                                    success: "Пользователь «\(login)» создан.")
        }

        web.get("/admin/users/{login}") { request in
            let actor = try requireAdmin(request)
            let user = try await request.service.userAccounts.user(login: try login(request), by: .user(actor))
            return await request.page("admin_user", title: "Пользователь \(user.login)", UserEditPage(
                login: user.login, fullName: user.fullName, email: user.email, active: user.isActive,
                grants: user.grants.enumerated().map { index, grant in
                    UserEditPage.Grant(value: grant.role.rawValue + (grant.organisationCode.map { ":" + $0 } ?? ""),
                                       label: grant.organisationName.map { "\(grant.role.russianName) — \($0) (\(grant.organisationCode ?? ""))" }
                                           ?? grant.role.russianName,
                                       id: "grant-\(index)")
                },
                roleOptions: [SelectOption(value: "", label: "— не добавлять —", selected: true)]
                    + Role.allCases.map { SelectOption(value: $0.rawValue, label: $0.russianName, selected: false) },
                actionPath: userPath(user.login), isSelf: user.id == actor.userID))
        }

        web.post("/admin/users/{login}") { request, form in
            let actor = try requireAdmin(request)
            let login = try login(request)
            var add: [RoleChange] = []
            if let role = form["addRole"], !role.isEmpty {
                guard let parsed = Role(rawValue: role) else { throw MEDKError.rejected("invalid_role", "Неизвестная роль.") }
                // Named «scope» as the core names the field, so that a refusal is shown beside it.
                add.append(RoleChange(role: parsed, scope: form["scope"]))
            }
            let remove = form.all("removeRole").compactMap { value -> RoleChange? in
                let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
                return parts.first.flatMap(Role.init(rawValue:)).map { RoleChange(role: $0, scope: parts.count > 1 ? parts[1] : nil) }
            }
            let edit = UserEdit(fullName: form["fullName"], email: form["email"] ?? "", active: form["active"] == "1",
                                addRoles: add, removeRoles: remove)
            let user = try await request.service.userAccounts.edit(login: login, edit, by: .user(actor))
            return request.redirect(userPath(user.login), success: "Изменения пользователя «\(user.fullName)» сохранены"
                + (user.isActive ? "." : "; учётная запись отключена, его сеансы закрыты."))
        }

        web.post("/admin/users/password") { request, form in
            let actor = try requireAdmin(request)
            guard let login = form["login"], let password = form.fields["password"]?.first, !password.isEmpty else {
                throw MEDKError.invalid("invalid_form", "Укажите логин и новый пароль.")
            }
            try await request.service.setPassword(by: .user(actor), login: login, password: password)
            return request.redirect(userPath(login), success: "Пароль пользователя «\(login)» изменён; его сеансы закрыты.")
        }
    }

    private static func registerOrganisations(_ web: WebRoutes) {
        web.get("/admin/organisations") { request in
            _ = try requireAdmin(request)
            let kind = request.query("kind").flatMap(OrganisationKind.init(rawValue:)) ?? .school
            let query = OrganisationQuery(search: request.query("q"))
            let pageRequest = try Pagination.request(request)
            let regions = Dictionary(uniqueKeysWithValues: try await request.service.regions().map { ($0.id, $0) })
            let rows: [OrganisationRow]
            let pagination: Pagination
            switch kind {
            case .region:
                let page = try await request.service.regions(query, page: pageRequest)
                rows = page.items.map { OrganisationRow(kind: "регион", code: $0.code, name: $0.name, parent: "—", note: "время: \($0.timeZone)") }
                pagination = Pagination.of(page, request: request)
            case .municipality:
                let page = try await request.service.municipalities(query, page: pageRequest)
                rows = page.items.map { OrganisationRow(kind: "муниципалитет", code: $0.code, name: $0.name,
                                                        parent: regions[$0.regionID]?.name ?? "", note: "") }
                pagination = Pagination.of(page, request: request)
            case .school:
                let page = try await request.service.schools(query, page: pageRequest)
                let names = try await request.service.municipalityNames(ids: Set(page.items.map(\.municipalityID)))
                rows = page.items.map { school in
                    OrganisationRow(kind: "школа", code: school.code, name: school.name, parent: names[school.municipalityID] ?? "",
                                    note: [school.lowResults ? "ШНОР" : nil, school.hardSocialConditions ? "ШНСУ" : nil, school.programmeYears]
                                        .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", "))
                }
                pagination = Pagination.of(page, request: request)
            }
            let counts = try await request.service.organisationCounts()
            return await request.page("admin_organisations", title: "Организации", OrganisationsPage(
                rows: rows, pagination: pagination, search: request.query("q"),
                counts: "Регионов: \(counts.regions), муниципалитетов: \(counts.municipalities), школ: \(counts.schools).",
                kindOptions: [OrganisationKind.school, .municipality, .region].map {
                    SelectOption(value: $0.rawValue, label: $0.russianName, selected: $0 == kind)
                }))
        }
    }

    private static func registerAssignments(_ web: WebRoutes) {
        web.get("/admin/assignments") { request in
            let actor = try request.actor()
            let campaign = try await request.service.campaign(code: request.query("campaign"))
            let regions = try await request.service.regions().filter { Policy.allows(actor, .assignCurators(regionID: $0.id)) }
            let page = try await request.service.curatorAssignments(campaignCode: campaign.campaign.code, page: try Pagination.request(request),
                                                                    for: actor)
            guard !regions.isEmpty || page.total > 0 else {
                throw MEDKError.forbidden("Кураторов назначает региональный координатор своего региона или администратор.")
            }
            var curators: [UserInfo] = []
            if regions.count == 1, !Policy.allows(actor, .administer) {
                curators = try await request.service.users(UserQuery(role: .curator, regionID: regions[0].id),
                                                           page: PageRequest(limit: PageRequest.maximumLimit), by: .user(actor)).items
            }
            return await request.page("admin_assignments", title: "Кураторы школ", AssignmentsPage(
                rows: page.items, pagination: Pagination.of(page, request: request), campaignCode: campaign.campaign.code,
                campaignOptions: try await MonitoringPages.campaignOptions(request, selected: campaign.campaign.code),
                chooseCurator: !curators.isEmpty,
                curatorOptions: curators.map { SelectOption(value: $0.login, label: "\($0.fullName) (\($0.login))", selected: false) }))
        }

        web.post("/admin/assignments") { request, form in
            let actor = try request.actor()
            guard let campaign = form["campaign"], let school = form["school"], let curator = form["curator"] else {
                throw MEDKError.invalid("invalid_form", "Укажите кампанию, код школы и куратора.")
            }
            try await request.service.assignCurator(by: .user(actor), campaignCode: campaign, schoolCode: school, curatorLogin: curator)
            return request.redirect("/admin/assignments?campaign=\(campaign)", success: "Куратор «\(curator)» назначен школе \(school).")
        }
    }

    private static func registerMilestones(_ web: WebRoutes) {
        web.get("/admin/milestones") { request in
            let actor = try request.actor()
            let campaign = try await request.service.campaign(code: request.query("campaign"))
            let overrides = try await request.service.milestoneOverrides(campaignCode: campaign.campaign.code, for: actor)
            let regions = try await request.service.regions().filter { Policy.allows(actor, .shiftMilestones(regionID: $0.id)) }
            guard !regions.isEmpty else {
                throw MEDKError.forbidden("Сроки кампании меняет региональный координатор своего региона или администратор.")
            }
            return await request.page("admin_milestones", title: "Сроки кампании", MilestonesPage(
                campaignName: campaign.campaign.name, campaignCode: campaign.campaign.code,
                rows: campaign.milestones.map { milestone in
                    MilestoneRow(title: milestone.title, dueDate: milestone.dueDate.russian,
                                 overrides: overrides.filter { $0.kind == milestone.kind }
                                     .map { "\($0.regionName): \($0.dueDate.russian)" })
                },
                campaignOptions: try await MonitoringPages.campaignOptions(request, selected: campaign.campaign.code),
                kindOptions: campaign.milestones.map { SelectOption(value: $0.kind.rawValue, label: $0.title, selected: false) },
                regionOptions: regions.map { SelectOption(value: $0.code, label: $0.name, selected: regions.count == 1) }))
        }

        web.post("/admin/milestones") { request, form in
            let actor = try request.actor()
            guard let campaign = form["campaign"], let kind = form["kind"].flatMap(ItemKind.init(rawValue:)), let region = form["region"],
                  let dueText = form["dueDate"] else {
                throw MEDKError.invalid("invalid_form", "Выберите контрольную точку, регион и новый срок.")
            }
            let due = try WebForm.date(dueText)
            try await request.service.shiftMilestone(by: .user(actor), campaignCode: campaign, kind: kind, regionCode: region, dueDate: due,
                                                     reason: form["reason"])
            return request.redirect("/admin/milestones?campaign=\(campaign)", success: "Срок «\(kind.russianName)» для региона \(region): \(due.russian).")
        }
    }

    struct RemindersPage: Sendable {
        var regionOptions: [SelectOption]
        var regionCode: String
        var regionName: String
        var isDefault: Bool
        var daysBefore: String
        var reviewWorkingDays: Int
        var escalationDays: String
    }

    /// A region's reminder days, review time and escalation days, for its coordinator.
    private static func registerReminders(_ web: WebRoutes) {
        web.get("/admin/reminders") { request in
            let actor = try request.actor()
            let regions = try await request.service.regions().filter { Policy.allows(actor, .manageReminders(regionID: $0.id)) }
            guard let first = regions.first else {
                throw MEDKError.forbidden("Напоминания региона настраивают его региональный координатор, ФИОКО и администратор.")
            }
            let code = request.query("region") ?? first.code
            let current = try await request.service.reminderSettings(regionCode: code, by: .user(actor))
            return await request.page("admin_reminders", title: "Напоминания и эскалация", RemindersPage(
                regionOptions: regions.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == code) },
                regionCode: current.regionCode, regionName: current.regionName, isDefault: current.isDefault,
                daysBefore: current.settings.daysBefore.map(String.init).joined(separator: ", "),
                reviewWorkingDays: current.settings.reviewWorkingDays,
                escalationDays: current.settings.escalationDays.map(String.init).joined(separator: ", ")))
        }

        web.post("/admin/reminders") { request, form in
            let actor = try request.actor()
            guard let region = form["region"] else { throw MEDKError.invalid("invalid_form", "Выберите регион.") }
            func numbers(_ name: String) throws -> [Int] {
                try (form[name] ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map { part in
                    guard let value = Int(part) else {
                        throw MEDKError.rejected("invalid_number", "«\(part.prefix(20))» — не число. Пишите числа через запятую.")
                    }
                    return value
                }
            }
            let review = Int(form["reviewWorkingDays"] ?? "") ?? 0
            _ = try await request.service.setReminderSettings(by: .user(actor), regionCode: region, daysBefore: try numbers("daysBefore"),
                                                              reviewWorkingDays: review, escalationDays: try numbers("escalationDays"))
            return request.redirect("/admin/reminders?region=\(region)", success: "Настройки напоминаний сохранены.")
        }
    }

    private static func registerImport(_ web: WebRoutes) {
        web.get("/admin/import") { request in
            _ = try requireAdmin(request)
            return await request.page("admin_import", title: "Импорт CSV", ImportPage(kindOptions: importKindOptions(nil), formats: formats, preview: nil))
        }

        // A file to fill in: Russian headings and an example row.
        web.get("/admin/import/template/{kind}") { request in
            _ = try requireAdmin(request)
            guard let kind = request.context.parameters.get("kind").flatMap(ImportKind.init(rawValue:)) else {
                throw MEDKError.notFound("Шаблон")
            }
            return Downloads.csv(kind.template, name: DownloadName.make(["Шаблон импорта", kind.russianName], ext: "csv"))
        }

        // A whole country's schools travel as a file and back as the preview's text: up to 32 MB each.
        web.post("/admin/import", limits: .upload(fileBytes: 32 << 20, fieldBytes: 32 << 20)) { request, form in
            let actor = try requireAdmin(request)
            guard let kind = form["kind"].flatMap(ImportKind.init(rawValue:)) else {
                throw MEDKError.invalid("invalid_form", "Выберите, что импортировать.")
            }
            let text: String
            var fileName = form["fileName"] ?? "CSV"
            if let file = form.files["file"] {
                // UTF-8 or Windows-1251, as Russian Excel saves «CSV (разделители — точки с запятой)».
                text = TableFileReader.decodeText(try file.contents())
                fileName = file.fileName
            } else if let csv = form.fields["csv"]?.first, !csv.isEmpty {
                text = csv
            } else {
                throw MEDKError.invalid("file_required", "Выберите CSV-файл.")
            }
            let apply = form["apply"] == "1"
            let report: ImportReport
            do {
                report = try await request.service.importCSV(kind, text: text, dryRun: !apply, by: .user(actor))
            } catch let error as MEDKError where error.code == "import_rejected" {
                // Every refused row in a table on the page (and as a workbook), the kind still chosen.
                let problems = ImportProblem.parse(error.details)
                if form["format"] == "problems" {
                    return try Downloads.xlsx(ImportReportTable.problems(problems, kind: kind, fileName: fileName),
                                              name: DownloadName.make(["Ошибки импорта", kind.russianName, fileName], ext: "xlsx"))
                }
                let refusal = ImportRefusal(kind: kind.rawValue, kindName: kind.russianName, fileName: fileName, csv: text, message: error.message,
                                            problems: problems.map { .init(line: $0.line > 0 ? String($0.line) : "—", message: $0.message) })
                return await request.page("admin_import", title: "Импорт CSV: ошибки", ImportPage(
                    kindOptions: importKindOptions(kind), formats: formats, preview: nil, refusal: refusal))
            }
            // The check, as a workbook to read or pass on before applying (the import is checked again, nothing changes).
            if form["format"] == "xlsx", !apply {
                return try Downloads.xlsx(ImportReportTable.table(report, fileName: fileName),
                                          name: DownloadName.make(["Проверка импорта", kind.russianName, fileName], ext: "xlsx"))
            }
            let summary = "Новых: \(report.count(.created)), изменённых: \(report.count(.updated)), без изменений: \(report.count(.unchanged))."
            if apply {
                return request.redirect("/admin/import", success: "Импорт выполнен. " + summary)
            }
            let preview = ImportPreview(
                kind: kind.rawValue, kindName: kind.russianName, fileName: fileName, csv: text,
                rows: report.rows.map {
                    ImportRow(line: $0.line, key: $0.key, name: $0.name, outcome: outcomeName($0.outcome), outcomeClass: "outcome-\($0.outcome.rawValue)")
                },
                summary: summary, changes: report.count(.created) + report.count(.updated) > 0)
            return await request.page("admin_import", title: "Импорт CSV: проверка", ImportPage(
                kindOptions: importKindOptions(kind), formats: formats, preview: preview))
        }
    }

    static func outcomeName(_ outcome: UpsertOutcome) -> String {
        switch outcome {
        case .created: "будет создано"
        case .updated: "будет изменено"
        case .unchanged: "без изменений"
        }
    }

    static func importKindOptions(_ selected: ImportKind?) -> [SelectOption] {
        ImportKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.russianName, selected: $0 == selected) }
    }

    static let formats: [ImportFormat] = ImportKind.allCases.map {
        ImportFormat(name: $0.russianName, columns: $0.russianColumns.joined(separator: "; "), templateHref: "/admin/import/template/\($0.rawValue)")
    }
}
