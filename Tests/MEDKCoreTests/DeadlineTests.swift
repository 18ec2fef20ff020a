import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Deadlines are calendar dates in the owner's region")
struct DeadlineTests {
    static let due = CalendarDate(year: 2026, month: 4, day: 30)!

    struct Case: Sendable, CustomTestStringConvertible {
        var zone: String
        var utcOffsetHours: Int
        var testDescription: String { "\(zone) (UTC+\(utcOffsetHours))" }
    }

    static let zones = [
        Case(zone: "Europe/Kaliningrad", utcOffsetHours: 2),
        Case(zone: "Europe/Moscow", utcOffsetHours: 3),
        Case(zone: "Asia/Chita", utcOffsetHours: 9),
        Case(zone: "Asia/Kamchatka", utcOffsetHours: 12),
    ]

    @Test("23:30 local on the due date is on time, 00:30 local the next day is late", arguments: zones)
    func aroundMidnight(_ zone: Case) throws {
        let calendar = try RegionCalendar(timeZoneIdentifier: zone.zone)
        let lastMinute = TestWorld.instant("2026-04-30 23:30", zone: zone.zone)
        let nextDay = TestWorld.instant("2026-05-01 00:30", zone: zone.zone)
        #expect(calendar.isOnTime(lastMinute, dueDate: Self.due))
        #expect(!calendar.isOnTime(nextDay, dueDate: Self.due))
        #expect(calendar.isOnTime(TestWorld.instant("2026-04-30 23:59", zone: zone.zone).addingTimeInterval(59.999), dueDate: Self.due))
        #expect(!calendar.isOnTime(TestWorld.instant("2026-05-01 00:00", zone: zone.zone), dueDate: Self.due))
        // The deadline instant is local midnight, i.e. UTC midnight minus the offset.
        let utcMidnight = TestWorld.instant("2026-05-01 00:00", zone: "UTC")
        #expect(calendar.endOfDay(Self.due) == utcMidnight.addingTimeInterval(TimeInterval(-zone.utcOffsetHours * 3600)))
    }

    @Test("in Chita an upload at 23:30 local is on time although UTC already shows the afternoon; in Kamchatka UTC shows the previous day")
    func utcDisagrees() throws {
        let chita = try RegionCalendar(timeZoneIdentifier: "Asia/Chita")
        let upload = TestWorld.instant("2026-04-30 23:30", zone: "Asia/Chita")
        #expect(chita.isOnTime(upload, dueDate: Self.due))
        // The same instant is late for a school in Kamchatka? No: there it is already 02:30 on 1 May.
        let kamchatka = try RegionCalendar(timeZoneIdentifier: "Asia/Kamchatka")
        #expect(!kamchatka.isOnTime(upload, dueDate: Self.due))
        // And on time for Kaliningrad, where it is 16:30 on 30 April.
        let kaliningrad = try RegionCalendar(timeZoneIdentifier: "Europe/Kaliningrad")
        #expect(kaliningrad.isOnTime(upload, dueDate: Self.due))
        #expect(kaliningrad.date(of: upload) == Self.due)
        #expect(kamchatka.date(of: upload) == CalendarDate(year: 2026, month: 5, day: 1))
    }

    @Test("dates are shown in the region's own time with the zone named")
    func formatting() throws {
        let chita = try RegionCalendar(timeZoneIdentifier: "Asia/Chita")
        #expect(chita.format(TestWorld.instant("2026-04-30 23:30", zone: "Asia/Chita")) == "30.04.2026 23:30 (Asia/Chita)")
    }

    @Test("calendar dates parse in ISO and Russian forms and refuse impossible days")
    func parsing() {
        #expect(CalendarDate("2026-04-30") == Self.due)
        #expect(CalendarDate("30.04.2026") == Self.due)
        #expect(CalendarDate("2026-04-31") == nil)
        #expect(CalendarDate("2026-02-29") == nil)
        #expect(CalendarDate("2028-02-29") != nil)
        #expect(CalendarDate("30/04/2026") == nil)
        #expect(CalendarDate("") == nil)
        #expect(Self.due.adding(days: 1) == CalendarDate(year: 2026, month: 5, day: 1))
        #expect(CalendarDate(year: 2026, month: 12, day: 31)!.adding(days: 1) == CalendarDate(year: 2027, month: 1, day: 1))
    }

    @Test("an unknown zone is refused with a Russian message")
    func unknownZone() {
        let error = #expect(throws: MEDKError.self) { try RegionCalendar(timeZoneIdentifier: "Mars/Olympus") }
        #expect(error?.code == "unknown_time_zone")
    }
}

@Suite("Milestone status rules")
struct ComplianceRulesTests {
    let deadline = Date(timeIntervalSince1970: 1_000_000)

    func snapshot(_ state: ReviewState, firstSubmitted: TimeInterval?, confirmedBefore: Bool = false) -> ItemSnapshot {
        ItemSnapshot(state: state, firstSubmittedAt: firstSubmitted.map { deadline.addingTimeInterval($0) },
                     lastSubmittedAt: firstSubmitted.map { deadline.addingTimeInterval($0) }, everConfirmed: confirmedBefore)
    }

    @Test("nothing submitted is «not due» before the deadline and «missing» after it")
    func nothing() {
        #expect(ComplianceRules.status(of: nil, deadline: deadline, asOf: deadline.addingTimeInterval(-1)) == .notDue)
        #expect(ComplianceRules.status(of: nil, deadline: deadline, asOf: deadline) == .missing)
        #expect(ComplianceRules.status(of: snapshot(.draft, firstSubmitted: nil), deadline: deadline, asOf: deadline) == .missing)
    }

    @Test("submitted in time: on time once confirmed, awaiting review or returned meanwhile")
    func inTime() {
        let after = deadline.addingTimeInterval(86_400)
        #expect(ComplianceRules.status(of: snapshot(.confirmed, firstSubmitted: -60), deadline: deadline, asOf: after) == .onTime)
        #expect(ComplianceRules.status(of: snapshot(.submitted, firstSubmitted: -60), deadline: deadline, asOf: after) == .awaitingReview)
        #expect(ComplianceRules.status(of: snapshot(.returned, firstSubmitted: -60), deadline: deadline, asOf: after) == .returned)
        #expect(ComplianceRules.status(of: snapshot(.draft, firstSubmitted: -60, confirmedBefore: true), deadline: deadline, asOf: after) == .onTime)
    }

    @Test("first submitted at or after the deadline is late whatever the review said")
    func late() {
        let after = deadline.addingTimeInterval(86_400)
        #expect(ComplianceRules.status(of: snapshot(.confirmed, firstSubmitted: 0), deadline: deadline, asOf: after) == .late)
        #expect(ComplianceRules.status(of: snapshot(.submitted, firstSubmitted: 60), deadline: deadline, asOf: after) == .late)
    }

    @Test("a withdrawn item counts as not submitted")
    func withdrawn() {
        #expect(ComplianceRules.status(of: snapshot(.draft, firstSubmitted: -60), deadline: deadline,
                                       asOf: deadline.addingTimeInterval(10)) == .missing)
    }

    @Test("several items show the worst; an expected item that does not exist counts as missing")
    func several() {
        let after = deadline.addingTimeInterval(10)
        let good = snapshot(.confirmed, firstSubmitted: -60)
        #expect(ComplianceRules.status(of: [good, good], expectedCount: 2, deadline: deadline, asOf: after) == .onTime)
        #expect(ComplianceRules.status(of: [good], expectedCount: 3, deadline: deadline, asOf: after) == .missing)
        #expect(ComplianceRules.status(of: [good, snapshot(.submitted, firstSubmitted: -1)], expectedCount: 2,
                                       deadline: deadline, asOf: after) == .awaitingReview)
    }

    @Test("replaying an item's steps up to a moment rebuilds its state at that moment")
    func replay() {
        let t0 = deadline
        let item = ItemProgress(id: 1, kind: .developmentConcept, createdAt: t0.addingTimeInterval(-60), changes: [
            StateChange(at: t0, action: .submit), StateChange(at: t0.addingTimeInterval(10), action: .return),
            StateChange(at: t0.addingTimeInterval(20), action: .submit), StateChange(at: t0.addingTimeInterval(30), action: .confirm),
        ])
        #expect(item.snapshot(before: t0).state == .draft)
        let returned = item.snapshot(before: t0.addingTimeInterval(15))
        #expect(returned.state == .returned)
        #expect(returned.firstSubmittedAt == t0)
        let confirmed = item.snapshot(before: t0.addingTimeInterval(31))
        #expect(confirmed.state == .confirmed)
        #expect(confirmed.lastSubmittedAt == t0.addingTimeInterval(20))
        #expect(confirmed.everConfirmed)
    }
}
