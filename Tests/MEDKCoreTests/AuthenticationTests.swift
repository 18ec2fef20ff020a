import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Passwords and sessions")
struct AuthenticationTests {
    @Test("long Cyrillic pass-phrases count in full: nothing past bcrypt's 72 bytes is dropped")
    func longCyrillicPassword() throws {
        let hasher = PasswordHasher.fastForTests
        let common = String(repeating: "длинный-пароль-", count: 6)  // 90 characters, 168 bytes
        #expect(common.utf8.count > 72)
        let stored = try hasher.hash(common + "один")
        #expect(try hasher.verify(common + "один", against: stored))
        #expect(try !hasher.verify(common + "два", against: stored))
        #expect(try !hasher.verify(common, against: stored))
    }

    @Test("hashes are salted and carry their own parameters")
    func salted() throws {
        let first = try PasswordHasher.fastForTests.hash("одинаковый пароль")
        let second = try PasswordHasher.fastForTests.hash("одинаковый пароль")
        #expect(first != second)
        #expect(first.hasPrefix("scrypt$4$8$1$"))
        #expect(try PasswordHasher.standard.verify("одинаковый пароль", against: first))
        #expect(try !PasswordHasher.standard.verify("одинаковый пароль", against: "bcrypt$garbage"))
    }

    @Test("login gives a token that works until logout revokes it")
    func sessionLifecycle() async throws {
        let world = try await TestWorld()
        let result = try await world.service.login("curator1", password: TestWorld.password)
        #expect(result.token.hasPrefix("medk_"))
        #expect(try await world.service.authenticate(token: result.token).login == "curator1")
        try await world.service.logout(token: result.token)
        let error = await #expect(throws: MEDKError.self) { try await world.service.authenticate(token: result.token) }
        #expect(error?.code == "unauthenticated")
        let actions = try await world.auditTrail().suffix(2).map(\.action)
        #expect(actions == [.login, .logout])
    }

    @Test("sessions expire on the clock")
    func expiry() async throws {
        let world = try await TestWorld()
        let result = try await world.service.login("school-A", password: TestWorld.password)
        world.clock.advance(by: 12 * 3600 + 1)
        await #expect(throws: MEDKError.self) { try await world.service.authenticate(token: result.token) }
    }

    @Test("a session left unused for half an hour ends; one in use lives on until its lifetime")
    func idleTimeout() async throws {
        let world = try await TestWorld()
        let used = try await world.service.login("curator1", password: TestWorld.password)
        let idle = try await world.service.login("school-A", password: TestWorld.password)
        for _ in 0..<4 {
            world.clock.advance(by: 25 * 60)
            #expect(try await world.service.authenticate(token: used.token).login == "curator1")
        }
        let error = await #expect(throws: MEDKError.self) { try await world.service.authenticate(token: idle.token) }
        #expect(error?.code == "unauthenticated")
        world.clock.advance(by: 12 * 3600)
        await #expect(throws: MEDKError.self) { try await world.service.authenticate(token: used.token) }
    }

    @Test("a wrong password and an unknown login get the same answer")
    func badCredentials() async throws {
        let world = try await TestWorld()
        let wrong = await #expect(throws: MEDKError.self) { try await world.service.login("curator1", password: "не тот пароль") }
        let unknown = await #expect(throws: MEDKError.self) { try await world.service.login("nobody", password: "не тот пароль") }
        #expect(wrong == unknown)
        #expect(wrong?.code == "bad_credentials")
    }

    @Test("a new password ends the account's open sessions")
    func passwordChangeRevokes() async throws {
        let world = try await TestWorld()
        let result = try await world.service.login("school-A", password: TestWorld.password)
        try await world.service.setPassword(by: .local, login: "school-A", password: "новый-длинный-пароль")
        await #expect(throws: MEDKError.self) { try await world.service.authenticate(token: result.token) }
        let weak = await #expect(throws: MEDKError.self) { try await world.service.setPassword(by: .local, login: "school-A", password: "123") }
        #expect(weak?.code == "weak_password")
    }
}
