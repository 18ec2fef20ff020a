import Foundation
import HTTPTypes
import HummingbirdTesting
import MEDKAPI
import MEDKCore
import MEDKServer
import MEDKTestSupport
import Testing

/// What a person receives by mail, changed by themselves (page and API), and a region's reminder
/// settings, changed by its coordinator and no one else's.
@Suite("Mail settings on the pages and in the API")
struct MailSettingsTests {
    @Test("a school's team sets its address and turns one kind of message off on the «Письма» page")
    func page() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let team = try await Browser.signedIn(client, "school-A")
            let page = try await team.get("/settings/mail")
            #expect(page.status == .ok && page.html.contains(#"href="/settings/mail""#))
            #expect(page.html.contains(#"value="item_returned" checked"#))
            let saved = try await team.post("/settings/mail", ["email": "team-a@school.example.ru", "kind": "measure_due", "weekday": "3"])
            #expect(saved.status == .seeOther || saved.status == .found)
            let preferences = try await world.service.mailPreferences(for: try await world.actor("school-A"))
            #expect(preferences.email == "team-a@school.example.ru" && preferences.enabled == [.measureDue] && preferences.digestWeekday == 3)
            let refused = try await team.post("/settings/mail", ["email": "a@b.ru>\r\nBcc: x@y.ru", "kind": "measure_due"])
            #expect(refused.status == .seeOther || refused.status == .found)
            #expect(try await world.service.mailPreferences(for: try await world.actor("school-A")).email == "team-a@school.example.ru",
                    "an address that could inject a header changes nothing")
        }
    }

    @Test("a regional coordinator changes the region's reminder days on the «Напоминания» page; a mistake is explained and changes nothing")
    func regionPage() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let region = try await Browser.signedIn(client, "reg-R1")
            let page = try await region.get("/admin/reminders")
            #expect(page.status == .ok && page.html.contains("настройки по умолчанию") && page.html.contains(#"value="14, 3, 1""#))
            _ = try await region.post("/admin/reminders", ["region": "R1", "daysBefore": "10, 2", "reviewWorkingDays": "4", "escalationDays": "5, 10, 15"])
            let saved = try await world.service.reminderSettings(regionCode: "R1")
            #expect(saved.settings == ReminderSettings(daysBefore: [10, 2], reviewWorkingDays: 4, escalationDays: [5, 10, 15]))
            let refused = try await region.post("/admin/reminders", ["region": "R1", "daysBefore": "десять", "reviewWorkingDays": "4", "escalationDays": "5, 10, 15"])
            let back = try await region.follow(refused)
            #expect(back.html.contains("«десять» — не число") && back.html.contains(#"value="десять""#), "explained, and what was typed is kept")
            #expect(try await world.service.reminderSettings(regionCode: "R1").settings.daysBefore == [10, 2])
            let school = try await Browser.signedIn(client, "school-A")
            #expect(try await school.get("/admin/reminders").status == .forbidden)
        }
    }

    @Test("an unsubscribe link that is not one gets «not found», and changes nothing")
    func badLink() async throws {
        let world = try await TestWorld()
        try await withWeb(world) { client in
            let anonymous = Browser(client)
            let page = try await anonymous.get("/mail/unsubscribe?token=\(String(repeating: "a", count: 43))&kind=measure_due")
            #expect(page.status == .notFound)
            let junk = try await anonymous.get("/mail/unsubscribe?token=%27%20OR%201=1&kind=nothing")
            #expect(junk.status == .notFound)
        }
    }

    @Test("the API reads and changes one's own mail settings; a region's reminder settings only its coordinator changes, audited")
    func api() async throws {
        let world = try await TestWorld()
        try await withAPI(world) { client in
            let team = try await APISession.login(client, "school-A")
            let saved: MailSettingsBody = try await team.send(.put, "/api/v1/me/mail",
                MailSettingsBody(email: "team-a@school.example.ru", enabledKinds: [.itemReturned, .measureMissed], digestWeekday: 2))
            #expect(saved.enabledKinds == [.measureMissed, .itemReturned])
            let read: MailSettingsBody = try await team.get("/api/v1/me/mail")
            #expect(read == saved)
            let (badDay, dayError) = try await team.refusal(.put, "/api/v1/me/mail", MailSettingsBody(email: nil, enabledKinds: [], digestWeekday: 8))
            #expect(badDay == .unprocessableContent && dayError.code == "invalid_weekday")

            let region = try await APISession.login(client, "reg-R1")
            let standard: ReminderSettingsBody = try await region.get("/api/v1/regions/R1/reminder-settings")
            #expect(standard.isDefault && standard.daysBefore == [14, 3, 1] && standard.escalationDays == [3, 10, 20])
            let changed: ReminderSettingsBody = try await region.send(.put, "/api/v1/regions/R1/reminder-settings",
                ReminderSettingsRequest(daysBefore: [1, 7], reviewWorkingDays: 3, escalationDays: [2, 5, 9]))
            #expect(!changed.isDefault && changed.daysBefore == [7, 1] && changed.reviewWorkingDays == 3)
            let (invalid, error) = try await region.refusal(.put, "/api/v1/regions/R1/reminder-settings",
                ReminderSettingsRequest(daysBefore: [3], reviewWorkingDays: 5, escalationDays: [9, 5, 2]))
            #expect(invalid == .unprocessableContent && error.code == "invalid_escalation_days")
            // Another region's coordinator is told what a missing region would tell: nothing about R1.
            let other = try await APISession.login(client, "reg-R2")
            let (foreign, foreignError) = try await other.refusal(.put, "/api/v1/regions/R1/reminder-settings",
                ReminderSettingsRequest(daysBefore: [3], reviewWorkingDays: 5, escalationDays: [3, 10, 20]))
            let (missing, missingError) = try await other.refusal(.put, "/api/v1/regions/R9/reminder-settings",
                ReminderSettingsRequest(daysBefore: [3], reviewWorkingDays: 5, escalationDays: [3, 10, 20]))
            #expect(foreign == .notFound && missing == .notFound)
            #expect(foreignError.message.replacingOccurrences(of: "R1", with: "R9") == missingError.message)
            // A curator working in the region is told why not.
            let (curator, _) = try await APISession.login(client, "curator1").refusal(.get, "/api/v1/regions/R1/reminder-settings")
            #expect(curator == .forbidden)
            // FIOCO may, as the API document says.
            let fioco = try await APISession.login(client, "federal")
            let seen: ReminderSettingsBody = try await fioco.get("/api/v1/regions/R1/reminder-settings")
            #expect(seen.daysBefore == [7, 1])
        }
        let audit = try await world.auditTrail().filter { $0.action == .reminderSettings }
        #expect(audit.count == 1 && audit.first?.actorLogin == "reg-R1")
    }
}
