import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

/// Administrators manage people as they expect: edit, add and remove roles, deactivate — audited,
/// and never locking MEDK out of its own administration.
@Suite("User accounts edited by an administrator")
struct UserAccountsTests {
    @Test("a renamed user with a new address and a new role: each change audited, the old value kept beside the new")
    func edit() async throws {
        let world = try await TestWorld()
        let admin = Operator.user(try await world.actor("admin"))
        let user = try await world.service.userAccounts.edit(login: "mun-M1", UserEdit(
            fullName: "Кузнецов Олег Петрович", email: "kuznetsov@example.org", addRoles: [RoleChange(role: .curator, scope: "R1")]), by: admin)
        #expect(user.fullName == "Кузнецов Олег Петрович" && user.email == "kuznetsov@example.org")
        #expect(Set(user.grants.map(\.role)) == [.municipal, .curator])
        let trail = try await world.auditTrail().suffix(2)
        #expect(trail.map(\.action) == [.userUpdate, .userGrantRole])
        #expect(trail.first?.details.contains(#""full_name.new":"Кузнецов Олег Петрович""#) == true)
        let cleared = try await world.service.userAccounts.edit(login: "mun-M1", UserEdit(email: ""), by: admin)
        #expect(cleared.email == nil, "an empty address removes it")
        let bad = await #expect(throws: MEDKError.self) {
            try await world.service.userAccounts.edit(login: "mun-M1", UserEdit(fullName: "Новое имя", email: "не адрес"), by: admin)
        }
        #expect(bad?.code == "invalid_email")
        #expect(try await world.service.userAccounts.user(login: "mun-M1", by: admin).fullName == "Кузнецов Олег Петрович",
                "a refused edit changes nothing")
    }

    @Test("deactivating ends the person's sessions at once and keeps them from signing in; activating lets them back")
    func deactivation() async throws {
        let world = try await TestWorld()
        let admin = Operator.user(try await world.actor("admin"))
        let session = try await world.service.login("school-A", password: TestWorld.password)
        _ = try await world.service.userAccounts.edit(login: "school-A", UserEdit(active: false), by: admin)
        let ended = await #expect(throws: MEDKError.self) { try await world.service.authenticate(token: session.token) }
        #expect(ended?.code == "unauthenticated")
        await #expect(throws: MEDKError.self) { try await world.service.login("school-A", password: TestWorld.password) }
        #expect(try await world.auditTrail().contains { $0.action == .userDeactivate })
        _ = try await world.service.userAccounts.edit(login: "school-A", UserEdit(active: true), by: admin)
        #expect(try await world.service.login("school-A", password: TestWorld.password).token.hasPrefix("medk_"))
    }

    @Test("nobody deactivates themselves or drops their own administrator's role, and the last administrator stays one")
    func noLockout() async throws {
        let world = try await TestWorld()
        let admin = Operator.user(try await world.actor("admin"))
        let own = await #expect(throws: MEDKError.self) {
            try await world.service.userAccounts.edit(login: "admin", UserEdit(active: false), by: admin)
        }
        #expect(own?.code == "deactivate_self")
        let role = await #expect(throws: MEDKError.self) {
            try await world.service.userAccounts.edit(login: "admin", UserEdit(removeRoles: [RoleChange(role: .admin)]), by: admin)
        }
        #expect(role?.code == "own_admin_role")
        let last = await #expect(throws: MEDKError.self) {
            try await world.service.userAccounts.edit(login: "admin", UserEdit(removeRoles: [RoleChange(role: .admin)]), by: .local)
        }
        #expect(last?.code == "last_admin", "the operator's console may, but not the last one")
        #expect(try await world.service.userAccounts.user(login: "admin", by: .local).grants.map(\.role) == [.admin])
    }

    @Test("a curator keeps the role while schools are assigned to them; others may not edit users at all")
    func curatorsAndStrangers() async throws {
        let world = try await TestWorld()
        let admin = Operator.user(try await world.actor("admin"))
        let busy = await #expect(throws: MEDKError.self) {
            try await world.service.userAccounts.edit(login: "curator1", UserEdit(removeRoles: [RoleChange(role: .curator, scope: "R1")]),
                                                      by: admin)
        }
        #expect(busy?.code == "curator_has_schools" && busy?.message.contains("2 школы") == true)
        let stranger = await #expect(throws: MEDKError.self) {
            try await world.service.userAccounts.edit(login: "school-B", UserEdit(active: false), by: .user(try await world.actor("reg-R1")))
        }
        #expect(stranger?.code == "forbidden")
        let notHeld = await #expect(throws: MEDKError.self) {
            try await world.service.userAccounts.edit(login: "school-B", UserEdit(removeRoles: [RoleChange(role: .federal)]), by: admin)
        }
        #expect(notHeld?.code == "role_not_held")
    }
}
