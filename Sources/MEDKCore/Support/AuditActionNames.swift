/// Russian names of audit actions, for histories shown to people.
public enum AuditActionNames {
    public static func russian(_ action: String) -> String {
        if action.hasPrefix("item."), let review = ReviewAction(rawValue: String(action.dropFirst(5))) {
            return review.russianName
        }
        return names[action] ?? action
    }

    private static let names: [String: String] = [
        "item.create": "создание",
        "item.upload": "загрузка файла",
        "item.comment": "комментарий",
        "risk_profile.update": "изменение рискового профиля",
        "measure.add": "добавление мероприятия",
        "measure.update": "изменение мероприятия",
        "measure.remove": "удаление мероприятия",
        "measure.report_value": "фактическое значение показателя",
        "auth.login": "вход",
        "auth.login_failed": "неудачный вход",
        "auth.logout": "выход",
        "user.create": "создание пользователя",
        "user.update": "изменение пользователя",
        "user.grant_role": "назначение роли",
        "user.set_password": "смена пароля",
        "region.create": "создание региона",
        "region.update": "изменение региона",
        "municipality.create": "создание муниципалитета",
        "municipality.update": "изменение муниципалитета",
        "school.create": "создание школы",
        "school.update": "изменение школы",
        "campaign.create": "создание кампании",
        "campaign.add_school": "включение школы в кампанию",
        "curator.assign": "назначение куратора",
        "milestone.shift": "перенос срока",
    ]
}
