import MEDKCore

/// The top navigation: each role sees the places its work happens.
enum WebNavigation {
    static func links(for actor: Actor, currentPath: String) -> [NavLink] {
        var links: [(String, String)] = []
        if actor.holds(.school) { links.append(("Кабинет школы", "/school")) }
        // Whoever decides on documents: curators (schools'), regional coordinators (municipal packages), FIOCO (regional roadmaps).
        if [.curator, .regional, .federal].contains(where: actor.holds) { links.append(("Очередь проверки", "/queue")) }
        if [.municipal, .regional, .federal, .admin].contains(where: actor.holds) {
            links.append(("Обзор", "/dashboard"))
            links.append(("Мониторинг сроков", "/monitoring"))
            links.append(("Просрочено", "/monitoring/overdue"))
            links.append(("Сроки проверки", "/monitoring/reviewers"))
            links.append(("Результаты", "/results"))
        }
        // After monitoring: a coordinator's day starts with the schools' deadlines.
        if actor.holds(.municipal) { links.append(("Пакет муниципалитета", "/municipality")) }
        if actor.holds(.regional) {
            links.append(("Региональная дорожная карта", "/regional-roadmap"))
            links.append(("Оценка пакетов МО", "/evaluations"))
        }
        links.append(("Документы", "/items"))
        if actor.holds(.regional) || actor.holds(.admin) {
            links.append(("Кураторы", "/admin/assignments"))
            links.append(("Сроки кампании", "/admin/milestones"))
            links.append(("Напоминания", "/admin/reminders"))
        }
        if actor.holds(.admin) {
            links.append(("Пользователи", "/admin/users"))
            links.append(("Организации", "/admin/organisations"))
            links.append(("Импорт", "/admin/import"))
        }
        links.append(("Письма", "/settings/mail"))
        // The current section is the longest link that is the page's path or a folder above it.
        let current = links.map(\.1).filter { currentPath == $0 || currentPath.hasPrefix($0 + "/") }.max { $0.count < $1.count }
        return links.map { title, href in NavLink(title: title, href: href, current: href == current) }
    }

    /// Where a user lands after logging in: a coordinator on the dashboard, everyone else on the first section.
    static func home(for actor: Actor) -> String {
        if [.municipal, .regional, .federal].contains(where: actor.holds) { return "/dashboard" }
        return links(for: actor, currentPath: "").first?.href ?? "/items"
    }
}
