import Dispatch
import Foundation

/// Password hashing off the threads that serve requests (`BlockingWork`). scrypt takes tens of
/// milliseconds and 32 MB per check; run on the request's task, forty logins at once stalled
/// `/health` for seconds. Past 64 waiting, a login is refused at once as «busy».
public final class PasswordWork: Sendable {
    public let hasher: PasswordHasher
    private let work: BlockingWork

    public init(hasher: PasswordHasher, width: Int = max(1, ProcessInfo.processInfo.activeProcessorCount - 1),
                queueLimit: Int = 64) {
        self.hasher = hasher
        work = BlockingWork(label: "medk.password-hashing", width: width, queueLimit: queueLimit, refusal: MEDKError(
            .unavailable, code: "busy", message: "Сервер сейчас занят проверкой входов. Повторите через минуту.", retryAfter: 60))
    }

    public func hash(_ password: String) async throws -> String {
        let hasher = hasher
        return try await work.run { try hasher.hash(password) }
    }

    public func verify(_ password: String, against stored: String) async throws -> Bool {
        let hasher = hasher
        return try await work.run { try hasher.verify(password, against: stored) }
    }

    /// Spends what a check costs, for logins that have no account: the answer takes as long.
    public func burn(_ password: String) async throws {
        let hasher = hasher
        _ = try await work.run { try hasher.hash(password) }
    }
}

/// At most `width` holders at once and `queueLimit` waiting, served in order of arrival; past
/// that, `refusal` at once.
actor WorkGate {
    let width: Int
    let queueLimit: Int
    let refusal: MEDKError
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var head = 0

    init(width: Int, queueLimit: Int, refusal: MEDKError) {
        self.width = max(1, width)
        self.queueLimit = queueLimit
        self.refusal = refusal
    }

    /// Runs `work` holding a place.
    func holding<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        try await enter()
        do {
            let result = try await work()
            leave()
            return result
        } catch {
            leave()
            throw error
        }
    }

    /// True while every place is taken (tests wait for it).
    var isFull: Bool { running == width }

    func enter() async throws {
        if running < width {
            running += 1
            return
        }
        guard waiting.count - head < queueLimit else { throw refusal }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the slot to the next in line (who then holds it) or frees it.
    func leave() {
        if head < waiting.count {
            let next = waiting[head]
            head += 1
            if head > 64, head * 2 > waiting.count {
                waiting.removeFirst(head)
                head = 0
            }
            next.resume()
        } else {
            running -= 1
        }
    }
}
