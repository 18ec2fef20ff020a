import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Guessing passwords is throttled, not turned into a lockout")
struct LoginThrottleTests {
    static let attacker = ClientAddress("203.0.113.7")!
    static let owner = ClientAddress("198.51.100.20")!
    static let wrong = "не тот пароль"

    static func details(_ entry: AuditEntry) -> [String: String]? {
        (try? JSONSerialization.jsonObject(with: Data(entry.details.utf8))) as? [String: String]
    }

    static func failures(_ world: TestWorld, _ action: AuditAction = .loginFailed) async throws -> Int {
        try await world.auditTrail().filter { $0.action == action }.count
    }

    @Test("forty guesses sent at once are counted one by one: five are checked, the rest refused unchecked")
    func parallelGuesses() async throws {
        let world = try await TestWorld()
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    do {
                        _ = try await world.service.login("curator1", password: Self.wrong, client: Self.attacker)
                        return "signed in"
                    } catch let error as MEDKError {
                        return error.code
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(outcomes["bad_credentials"] == LoginThrottle.standard.failuresPerPair)
        #expect(outcomes["login_throttled"] == 40 - LoginThrottle.standard.failuresPerPair)
        #expect(try await Self.failures(world) == LoginThrottle.standard.failuresPerPair)
        // The right password from the guessing address now waits too ...
        let waiting = await #expect(throws: MEDKError.self) {
            try await world.service.login("curator1", password: TestWorld.password, client: Self.attacker)
        }
        #expect(waiting?.code == "login_throttled")
        #expect(waiting?.retryAfter ?? 0 >= 1)
        // ... while its owner, elsewhere, is not locked out.
        #expect(try await world.service.login("curator1", password: TestWorld.password, client: Self.owner).user.login == "curator1")
    }

    @Test("thirty-six colleagues behind one school's address signing in at the same moment are all let in")
    func colleaguesBehindOneAddress() async throws {
        let world = try await TestWorld()
        let logins = ["school-A", "school-B", "school-C", "school-D", "school-E", "curator1", "curator2", "mun-M1", "mun-M2",
                      "reg-R1", "reg-R2", "federal"]
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for login in logins + logins + logins {
                group.addTask { (try? await world.service.login(login, password: TestWorld.password, client: Self.owner)) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.count == 36)
        #expect(outcomes.allSatisfy { $0 }, "\(outcomes.filter { !$0 }.count) of 36 were turned away")
    }

    @Test("one address guessing across many logins is stopped after thirty failures; other addresses are not")
    func perAddress() async throws {
        let world = try await TestWorld()
        let logins = ["school-A", "school-B", "school-C", "school-D", "school-E", "curator1", "curator2"]
        var refused = 0
        for round in 0..<6 {
            for login in logins {
                do {
                    _ = try await world.service.login(login, password: Self.wrong, client: Self.attacker)
                } catch let error as MEDKError where error.code == "login_throttled" {
                    refused += 1
                } catch let error as MEDKError where error.code == "bad_credentials" {
                }
                _ = round
            }
        }
        #expect(try await Self.failures(world) == LoginThrottle.standard.failuresPerAddress)
        #expect(refused == 6 * logins.count - LoginThrottle.standard.failuresPerAddress)
        #expect(try await world.service.login("school-A", password: TestWorld.password, client: Self.owner).user.login == "school-A")
        world.clock.advance(by: LoginThrottle.standard.addressWindow + 1)
        #expect(try await world.service.login("school-B", password: TestWorld.password, client: Self.attacker).user.login == "school-B")
    }

    @Test("an unknown login is throttled exactly like a real one, so throttling tells nothing about which exist")
    func unknownLoginsLookTheSame() async throws {
        let world = try await TestWorld()
        var answers: [String: MEDKError] = [:]
        for login in ["curator1", "no-such-user"] {
            for _ in 0..<LoginThrottle.standard.failuresPerPair {
                _ = try? await world.service.login(login, password: Self.wrong, client: Self.attacker)
            }
            answers[login] = await #expect(throws: MEDKError.self) {
                try await world.service.login(login, password: Self.wrong, client: Self.attacker)
            }
        }
        #expect(answers["curator1"]?.code == "login_throttled")
        #expect(answers["curator1"] == answers["no-such-user"])
        // The log keeps no trace of what was typed as an unknown login (people type passwords there).
        #expect(try await world.auditTrail().allSatisfy { $0.actorLogin != "no-such-user" })
    }

    @Test("a login guessed from many addresses slows down: each try waits longer, up to a minute, and the owner only waits")
    func accountSlowDown() async throws {
        let world = try await TestWorld()
        let throttle = LoginThrottle.standard
        for index in 0..<throttle.accountSlowDownAfter {
            _ = try? await world.service.login("school-C", password: Self.wrong, client: ClientAddress("192.0.2.\(index + 1)")!)
        }
        let slowed = await #expect(throws: MEDKError.self) {
            try await world.service.login("school-C", password: TestWorld.password, client: Self.owner)
        }
        #expect(slowed?.code == "login_throttled")
        world.clock.advance(by: TimeInterval(slowed?.retryAfter ?? 0))
        #expect(try await world.service.login("school-C", password: TestWorld.password, client: Self.owner).user.login == "school-C")
        // The wait doubles with every further failure and never passes the longest delay.
        var waits: [Int] = []
        for index in 0..<12 {
            _ = try? await world.service.login("school-C", password: Self.wrong, client: ClientAddress("192.0.2.\(100 + index)")!)
            let next = await #expect(throws: MEDKError.self) {
                try await world.service.login("school-C", password: Self.wrong, client: ClientAddress("192.0.2.\(200 + index)")!)
            }
            waits.append(next?.retryAfter ?? 0)
            world.clock.advance(by: TimeInterval(next?.retryAfter ?? 0))
        }
        #expect(waits.first == 2 && waits.last == Int(throttle.longestAccountDelay))
        #expect(zip(waits, waits.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test("refused attempts are audited once a minute per login and address, with the number left out")
    func refusalsAreAudited() async throws {
        let world = try await TestWorld()
        for _ in 0..<(LoginThrottle.standard.failuresPerPair + 20) {
            _ = try? await world.service.login("curator2", password: Self.wrong, client: Self.attacker)
        }
        #expect(try await Self.failures(world, .loginThrottled) == 1)
        world.clock.advance(by: 61)
        // The pair's wait is long over: one more guess is checked, the next is refused and recorded.
        _ = try? await world.service.login("curator2", password: Self.wrong, client: Self.attacker)
        _ = try? await world.service.login("curator2", password: Self.wrong, client: Self.attacker)
        let rows = try await world.auditTrail().filter { $0.action == .loginThrottled }
        #expect(rows.count == 2)
        let details = try #require(rows.last.flatMap { Self.details($0) })
        #expect(details["refused_unrecorded_before"] == "19")
        #expect(details["client"] == Self.attacker.description)
        #expect(details["reason"] == "pair")
        #expect(rows.last?.actorLogin == "curator2")
    }

    @Test("the client behind a proxy is believed only when the proxy is declared, read from the right past trusted hops")
    func forwardedFor() {
        let proxy = ClientAddress("10.0.0.1")!
        let peer = ClientAddress("10.0.0.1")
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: ["6.6.6.6"], trustedProxies: []) == proxy)
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: ["6.6.6.6, 203.0.113.7"], trustedProxies: [proxy]) == Self.attacker)
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: ["203.0.113.7, 10.0.0.2"],
                                      trustedProxies: [proxy, ClientAddress("10.0.0.2")!]) == Self.attacker)
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: ["not an address"], trustedProxies: [proxy]) == proxy)
        #expect(ClientAddress.resolve(peer: ClientAddress("198.51.100.20"), forwardedFor: ["6.6.6.6"], trustedProxies: [proxy]) == Self.owner)
    }
}
