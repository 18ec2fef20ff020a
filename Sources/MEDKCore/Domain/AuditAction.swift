/// Everything the audit trail records, one case per kind of action. Stored as its raw text,
/// which is part of each row's hash and so never changes once written.
public enum AuditAction: String, Codable, Sendable, CaseIterable {
    case itemCreate = "item.create"
    case itemUpload = "item.upload"
    case itemComment = "item.comment"
    case itemSubmit = "item.submit"
    case itemConfirm = "item.confirm"
    case itemReturn = "item.return"
    case itemWithdraw = "item.withdraw"
    case itemReopen = "item.reopen"
    case riskProfileUpdate = "risk_profile.update"
    case measureAdd = "measure.add"
    case measureUpdate = "measure.update"
    case measureRemove = "measure.remove"
    case measureReportValue = "measure.report_value"
    /// A roadmap table's measures added at once; the details name the file and its hash.
    case measureImport = "measure.import"
    case resultsImport = "results.import"
    case login = "auth.login"
    case loginFailed = "auth.login_failed"
    /// Sign-in attempts refused unchecked because the login or address was throttled.
    case loginThrottled = "auth.login_throttled"
    case auditKeyRotated = "audit.key_rotated"
    case logout = "auth.logout"
    case userCreate = "user.create"
    case userUpdate = "user.update"
    case userGrantRole = "user.grant_role"
    case userRevokeRole = "user.revoke_role"
    case userDeactivate = "user.deactivate"
    case userActivate = "user.activate"
    case userSetPassword = "user.set_password"
    case regionCreate = "region.create"
    case regionUpdate = "region.update"
    case municipalityCreate = "municipality.create"
    case municipalityUpdate = "municipality.update"
    case schoolCreate = "school.create"
    case schoolUpdate = "school.update"
    case campaignCreate = "campaign.create"
    case campaignAddSchool = "campaign.add_school"
    case curatorAssign = "curator.assign"
    case milestoneShift = "milestone.shift"
    /// A new version of a municipal package's evaluation against FIOCO's positions.
    case packageEvaluate = "package.evaluate"
    /// A roadmap's late measures went up the chain (curator, municipal, regional); the comment says to whom.
    case itemEscalate = "item.escalate"
    /// A message handed to the SMTP server; the details name its kind and address.
    case mailSent = "mail.sent"
    /// A message given up: refused by the server or failing past the last retry.
    case mailFailed = "mail.failed"
    /// A message whose fate is unknown (the answer was lost, or the process stopped mid-send); never resent.
    case mailUncertain = "mail.uncertain"
    /// A user's choice of messages, or an unsubscription by link.
    case mailPreferences = "mail.preferences"
    /// A region's reminder days and review time.
    case reminderSettings = "region.reminder_settings"
    /// The owner's answer to a reviewer's remark (done, or why not).
    case remarkAnswer = "remark.answer"
    /// A draft list of ШНОР/ШНСУ made from the data by a method.
    case identificationDraft = "identification.draft"
    case identificationObject = "identification.object"
    case identificationDecideObjection = "identification.decide_objection"
    /// The list approved: it is frozen and the schools' flags follow it (one `school.programme_flags` each).
    case identificationApprove = "identification.approve"
    case identificationDiscard = "identification.discard"
    case schoolProgrammeFlags = "school.programme_flags"
    /// A region adopted a catalogue indicator, set a year's plan, entered a fact.
    case indicatorAdopt = "indicator.adopt"
    case indicatorPlan = "indicator.plan"
    case indicatorFact = "indicator.fact"

    /// The audit action of a step through the review state machine.
    public static func transition(_ action: ReviewAction) -> AuditAction {
        switch action {
        case .submit: .itemSubmit
        case .confirm: .itemConfirm
        case .return: .itemReturn
        case .withdraw: .itemWithdraw
        case .reopen: .itemReopen
        case .edit: .itemUpload
        }
    }

    /// The review step this action records, if it is one (an edit is not a state change).
    public var reviewAction: ReviewAction? {
        switch self {
        case .itemSubmit: .submit
        case .itemConfirm: .confirm
        case .itemReturn: .return
        case .itemWithdraw: .withdraw
        case .itemReopen: .reopen
        default: nil
        }
    }

    /// As histories show it to people.
    public var russianName: String {
        if let review = reviewAction { return review.russianName }
        switch self {
        case .itemCreate: return "создание"
        case .itemUpload: return "загрузка файла"
        case .itemComment: return "комментарий"
        case .riskProfileUpdate: return "изменение рискового профиля"
        case .measureAdd: return "добавление мероприятия"
        case .measureUpdate: return "изменение мероприятия"
        case .measureRemove: return "удаление мероприятия"
        case .measureReportValue: return "фактическое значение показателя"
        case .measureImport: return "импорт мероприятий из таблицы"
        case .resultsImport: return "импорт результатов школ"
        case .identificationDraft: return "проект списка ШНОР/ШНСУ"
        case .identificationObject: return "возражение к проекту списка"
        case .identificationDecideObjection: return "решение по возражению"
        case .identificationApprove: return "утверждение списка ШНОР/ШНСУ"
        case .identificationDiscard: return "отмена проекта списка"
        case .schoolProgrammeFlags: return "изменение статуса ШНОР/ШНСУ"
        case .indicatorAdopt: return "целевой показатель принят"
        case .indicatorPlan: return "план целевого показателя"
        case .indicatorFact: return "факт целевого показателя"
        case .login: return "вход"
        case .loginFailed: return "неудачный вход"
        case .loginThrottled: return "вход отклонён: слишком много попыток"
        case .auditKeyRotated: return "смена ключа журнала аудита"
        case .logout: return "выход"
        case .userCreate: return "создание пользователя"
        case .userUpdate: return "изменение пользователя"
        case .userGrantRole: return "назначение роли"
        case .userRevokeRole: return "снятие роли"
        case .userDeactivate: return "отключение пользователя"
        case .userActivate: return "включение пользователя"
        case .userSetPassword: return "смена пароля"
        case .regionCreate: return "создание региона"
        case .regionUpdate: return "изменение региона"
        case .municipalityCreate: return "создание муниципалитета"
        case .municipalityUpdate: return "изменение муниципалитета"
        case .schoolCreate: return "создание школы"
        case .schoolUpdate: return "изменение школы"
        case .campaignCreate: return "создание кампании"
        case .campaignAddSchool: return "включение школы в кампанию"
        case .curatorAssign: return "назначение куратора"
        case .milestoneShift: return "перенос срока"
        case .packageEvaluate: return "оценка пакета муниципалитета"
        case .itemEscalate: return "эскалация"
        case .mailSent: return "письмо отправлено"
        case .mailFailed: return "письмо не отправлено"
        case .mailUncertain: return "судьба письма неизвестна"
        case .mailPreferences: return "настройки писем"
        case .reminderSettings: return "настройки напоминаний региона"
        case .remarkAnswer: return "ответ на замечание"
        case .itemSubmit, .itemConfirm, .itemReturn, .itemWithdraw, .itemReopen: return rawValue
        }
    }
}

/// What an audit row is about.
public enum AuditEntity: String, Codable, Sendable, CaseIterable {
    case item, user, region, municipality, school, campaign, milestone
    /// The audit log itself (its keys).
    case audit
    /// A message of the outbox.
    case mail
    /// A list of ШНОР/ШНСУ made by identification.
    case identificationList = "identification_list"
    case targetIndicator = "target_indicator"

    public var russianName: String {
        switch self {
        case .item: "документ"
        case .user: "пользователь"
        case .region: "регион"
        case .municipality: "муниципалитет"
        case .school: "школа"
        case .campaign: "кампания"
        case .milestone: "контрольная точка"
        case .audit: "журнал аудита"
        case .mail: "письмо"
        case .identificationList: "список ШНОР/ШНСУ"
        case .targetIndicator: "целевой показатель"
        }
    }
}
