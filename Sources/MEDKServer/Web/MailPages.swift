import Foundation
import Hummingbird
import MEDKCore

/// A user's choice of messages (signed in), and the unsubscribe link from a message (no login:
/// the link's token is the only credential, and all it can do is turn one kind of message off).
enum MailPages {
    struct KindChoice: Sendable {
        var value: String
        var name: String
        var enabled: Bool
    }

    struct WeekdayChoice: Sendable {
        var value: Int
        var name: String
        var selected: Bool
    }

    struct SettingsPage: Sendable {
        var email: String
        var kinds: [KindChoice]
        var weekdays: [WeekdayChoice]
    }

    static let weekdayNames = ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"]

    struct UnsubscribePage: Sendable {
        var name: String
        var kindName: String
        var action: String
        var done: Bool
    }

    static func register(_ web: WebRoutes) {
        web.get("/settings/mail") { request in
            let preferences = try await request.service.mailPreferences(for: try request.actor())
            return await request.page("mail_settings", title: "Письма", SettingsPage(
                email: preferences.email ?? "",
                kinds: MailKind.allCases.map { KindChoice(value: $0.rawValue, name: $0.russianName, enabled: preferences.enabled.contains($0)) },
                weekdays: weekdayNames.enumerated().map { WeekdayChoice(value: $0.offset + 1, name: $0.element, selected: $0.offset + 1 == preferences.digestWeekday) }))
        }

        web.post("/settings/mail") { request, form in
            let enabled = Set((form.fields["kind"] ?? []).compactMap(MailKind.init(rawValue:)))
            _ = try await request.service.setMailPreferences(email: form["email"], enabled: enabled,
                                                             digestWeekday: Int(form["weekday"] ?? "1") ?? 1, by: try request.actor())
            return request.redirect("/settings/mail", success: "Настройки писем сохранены.")
        }

        web.get("/mail/unsubscribe") { request in
            let target = try await request.service.unsubscribeTarget(token: request.query("token") ?? "")
            return await request.page("mail_unsubscribe", title: "Отписка от писем", UnsubscribePage(
                name: target.name, kindName: target.kind.russianName, action: request.request.uri.description, done: false))
        }

        // A mail client's one-click unsubscription (RFC 8058) posts here with no cookies and no
        // form token, as does the page's button: the link's token is the credential, and it turns
        // off only the kind of message it came in (a `kind` in the address is not listened to).
        web.postWithLinkToken("/mail/unsubscribe") { request in
            let target = try await request.service.unsubscribe(token: request.query("token") ?? "")
            return await request.page("mail_unsubscribe", title: "Отписка от писем", UnsubscribePage(
                name: target.name, kindName: target.kind.russianName, action: "", done: true))
        }
    }
}
