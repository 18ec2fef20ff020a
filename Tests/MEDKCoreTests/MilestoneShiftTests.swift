import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Moving a region's deadline")
struct MilestoneShiftTests {
    @Test("a deadline moved into the past needs a reason, and the reason is kept in the audit log")
    func pastNeedsReason() async throws {
        // 15 March 2026 in Chita.
        let world = try await TestWorld()
        let region = try await world.actor("reg-R1")
        let refused = await #expect(throws: MEDKError.self) {
            try await world.service.shiftMilestone(by: .user(region), campaignCode: "C2026", kind: .riskProfile, regionCode: "R1",
                                                   dueDate: CalendarDate("2026-03-10")!)
        }
        #expect(refused?.code == "past_due_date_needs_reason" && refused?.fields["reason"] != nil)
        #expect(try await world.auditTrail().allSatisfy { $0.action != .milestoneShift }, "nothing moved")
        try await world.service.shiftMilestone(by: .user(region), campaignCode: "C2026", kind: .riskProfile, regionCode: "R1",
                                               dueDate: CalendarDate("2026-03-10")!, reason: "Срок продлён приказом министерства № 12 задним числом")
        let shift = try #require(try await world.auditTrail().last { $0.action == .milestoneShift })
        #expect(shift.comment == "Срок продлён приказом министерства № 12 задним числом" && shift.toState == "2026-03-10")
        // A date ahead needs none.
        try await world.service.shiftMilestone(by: .user(region), campaignCode: "C2026", kind: .developmentConcept, regionCode: "R1",
                                               dueDate: CalendarDate("2026-05-20")!)
    }

    @Test("«не найден», «не найдена», «не найдено» agree with what was not found")
    func notFoundAgrees() {
        #expect(MEDKError.notFound("Регион «R9»").message == "Регион «R9» не найден.")
        #expect(MEDKError.notFound("Школа «Z»").message == "Школа «Z» не найдена.")
        #expect(MEDKError.notFound("Контрольная точка «Итоговый отчёт»").message == "Контрольная точка «Итоговый отчёт» не найдена.")
        #expect(MEDKError.notFound("Мероприятие №4").message == "Мероприятие №4 не найдено.")
        #expect(MEDKError.notFound("Пользователь «ivanov»").message == "Пользователь «ivanov» не найден.")
        #expect(!MEDKError.notFound("Ссылка для отписки").message.contains("(а)"))
    }
}
