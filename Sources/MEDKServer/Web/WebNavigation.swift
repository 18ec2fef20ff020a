import MEDKCore

/// The top navigation: each role sees the places its work happens.
enum WebNavigation {
    static func links(for actor: Actor, currentPath: String) -> [NavLink] {
        var links: [(String, String)] = []
        if actor.holds(.school) { links.append(("Кабинет школы", "/school")) }
        if actor.holds(.curator) { links.append(("Очередь проверки", "/queue")) }
        if [.municipal, .regional, .federal, .admin].contains(where: actor.holds) {
            links.append(("Мониторинг сроков", "/monitoring"))
            links.append(("Просрочено", "/monitoring/overdue"))
        }
        links.append(("Документы", "/items"))
        if actor.holds(.regional) || actor.holds(.admin) {
            links.append(("Кураторы", "/admin/assignments"))
            links.append(("Сроки кампании", "/admin/milestones"))
        }
        if actor.holds(.admin) {
            links.append(("Пользователи", "/admin/users"))
            links.append(("Организации", "/admin/organisations"))
            links.append(("Импорт", "/admin/import"))
        }
        return links.map { title, href in
            NavLink(title: title, href: href, current: currentPath == href || (href != "/monitoring" && currentPath.hasPrefix(href + "/"))
                        || (href == "/monitoring" && currentPath.hasPrefix("/monitoring") && !currentPath.hasPrefix("/monitoring/overdue")))
        }
    }

    /// Where a user lands after logging in.
    static func home(for actor: Actor) -> String {
        links(for: actor, currentPath: "").first?.href ?? "/items"
    }
}
