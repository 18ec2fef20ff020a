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
        let outcomes = await Self.burst(world, from: Self.attacker, Array(repeating: ("curator1", Self.wrong, []), count: 40))
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

    /// How many of `attempts` (login, password, device tokens) sent at once were answered which way.
    static func burst(_ world: TestWorld, from client: ClientAddress,
                      _ attempts: [(login: String, password: String, devices: [String])]) async -> [String: Int] {
        await withTaskGroup(of: String.self) { group in
            for attempt in attempts {
                group.addTask {
                    do {
                        _ = try await world.service.login(attempt.login, password: attempt.password, client: client,
                                                          deviceTokens: attempt.devices)
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
    }

    static let colleagues = ["school-A", "school-B", "school-C", "school-D", "school-E", "curator1", "curator2", "mun-M1", "mun-M2",
                             "reg-R1", "reg-R2", "federal"]

    @Test("a burst from one address is reserved one by one: thirty-six colleagues at once get thirty checks and a second's wait for the rest")
    func burstFromOneAddress() async throws {
        let world = try await TestWorld()
        let logins = Self.colleagues + Self.colleagues + Self.colleagues
        let outcomes = await Self.burst(world, from: Self.owner, logins.map { ($0, TestWorld.password, []) })
        let checked = (outcomes["signed in"] ?? 0) + (outcomes["bad_credentials"] ?? 0)
        #expect(checked >= LoginThrottle.standard.failuresPerAddress && checked <= 36, "\(outcomes)")
        // Those turned away were told to come back in a moment, and then get in.
        let refused = outcomes["login_throttled"] ?? 0
        #expect(refused == 36 - checked)
        world.clock.advance(by: 1)
        for login in Self.colleagues.prefix(refused) {
            #expect(try await world.service.login(login, password: TestWorld.password, client: Self.owner).user.login == login)
        }
    }

    @Test("a hundred and twenty unknown logins sent at once from one address get at most thirty password checks")
    func burstOfUnknownLogins() async throws {
        let world = try await TestWorld()
        let outcomes = await Self.burst(world, from: Self.attacker, (0..<120).map { ("nobody-\($0)", Self.wrong, []) })
        #expect(outcomes["bad_credentials"] ?? 0 <= LoginThrottle.standard.failuresPerAddress, "\(outcomes)")
        #expect((outcomes["bad_credentials"] ?? 0) + (outcomes["login_throttled"] ?? 0) == 120)
    }

    @Test("thirty-six colleagues who signed in on their computers before are all let in at once behind one address")
    func knownColleaguesBehindOneAddress() async throws {
        let world = try await TestWorld()
        var devices: [String: String] = [:]
        for login in Self.colleagues {
            devices[login] = try await world.service.login(login, password: TestWorld.password, client: Self.owner).deviceToken
        }
        world.clock.advance(by: 3600)
        let attempts = (Self.colleagues + Self.colleagues + Self.colleagues).map { ($0, TestWorld.password, [devices[$0]!]) }
        let outcomes = await Self.burst(world, from: Self.owner, attempts)
        #expect(outcomes == ["signed in": 36])
    }

    @Test("after a neighbour's thirty failures from the school's address, a colleague on a computer she signed in on before gets in at once")
    func neighboursFailuresDoNotLockOutKnownDevices() async throws {
        let world = try await TestWorld()
        let device = try #require(try await world.service.login("school-B", password: TestWorld.password, client: Self.owner).deviceToken)
        for index in 0..<LoginThrottle.standard.failuresPerAddress {
            _ = try? await world.service.login("guess-\(index)", password: Self.wrong, client: Self.owner)
        }
        // A stranger's computer behind the same address waits, as before ...
        let stranger = await #expect(throws: MEDKError.self) {
            try await world.service.login("school-C", password: TestWorld.password, client: Self.owner)
        }
        #expect(stranger?.code == "login_throttled" && (stranger?.retryAfter ?? 0) > 60)
        // ... the colleague's own computer does not.
        let result = try await world.service.login("school-B", password: TestWorld.password, client: Self.owner, deviceTokens: [device])
        #expect(result.user.login == "school-B")
        #expect(result.deviceToken != nil && result.deviceToken != device, "each sign-in gives the device a new token")
        // The token it replaced is spent: shown again, it is a stranger's and waits with the strangers.
        let spent = await #expect(throws: MEDKError.self) {
            try await world.service.login("school-B", password: TestWorld.password, client: Self.owner, deviceTokens: [device])
        }
        #expect(spent?.code == "login_throttled")
    }

    @Test("a guesser spread over many addresses past the account's ceiling does not keep its owner out on the owner's own computer")
    func distributedGuesserDoesNotLockOutTheOwner() async throws {
        let world = try await TestWorld()
        var device = try #require(try await world.service.login("curator1", password: TestWorld.password, client: Self.owner).deviceToken)
        var owner = 0
        for round in 0..<15 {
            for index in 0..<10 {
                let address = ClientAddress("203.0.113.\((round * 10 + index) % 250 + 1)")!
                _ = try? await world.service.login("curator1", password: Self.wrong, client: address)
                world.clock.advance(by: 1)
            }
            if let result = try? await world.service.login("curator1", password: TestWorld.password, client: Self.owner, deviceTokens: [device]) {
                owner += 1
                device = try #require(result.deviceToken)
            }
        }
        #expect(owner == 15, "the owner signed in \(owner) times of 15")
        // The account as a whole is still slowed for unknown devices.
        let unknown = await #expect(throws: MEDKError.self) {
            try await world.service.login("curator1", password: TestWorld.password, client: ClientAddress("198.51.100.99")!)
        }
        #expect(unknown?.code == "login_throttled")
    }

    @Test("a known device has ten failures of its own, then waits; a device token of another account is a stranger's")
    func knownDeviceBudget() async throws {
        let world = try await TestWorld()
        let device = try #require(try await world.service.login("school-D", password: TestWorld.password, client: Self.owner).deviceToken)
        let throttle = LoginThrottle.standard
        var checked = 0
        for index in 0..<(throttle.failuresPerDevice + 5) {
            do {
                _ = try await world.service.login("school-D", password: Self.wrong, client: ClientAddress("192.0.2.\(index + 1)")!,
                                                  deviceTokens: [device])
            } catch let error as MEDKError where error.code == "bad_credentials" {
                checked += 1
            } catch let error as MEDKError where error.code == "login_throttled" {
                #expect(error.retryAfter ?? 0 > 0)
            }
        }
        #expect(checked == throttle.failuresPerDevice)
        let refusal = try #require(try await world.auditTrail().last { $0.action == .loginThrottled })
        #expect(Self.details(refusal)?["reason"] == "device")
        // Shown for another account, the token buys nothing: the pair limit of unknown devices applies.
        var strangerChecks = 0
        for _ in 0..<(throttle.failuresPerPair + 3) {
            do {
                _ = try await world.service.login("school-E", password: Self.wrong, client: Self.attacker, deviceTokens: [device])
            } catch let error as MEDKError where error.code == "bad_credentials" {
                strangerChecks += 1
            } catch {}
        }
        #expect(strangerChecks == throttle.failuresPerPair)
        world.clock.advance(by: throttle.deviceWindow + 1)
        #expect(try await world.service.login("school-D", password: TestWorld.password, client: Self.owner, deviceTokens: [device])
            .user.login == "school-D")
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
