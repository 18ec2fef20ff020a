import Foundation
@testable import MEDKCore
import Synchronization
import Testing

/// The gate that keeps password checks off the cores the requests need (`PasswordWork`).
@Suite("Work gate")
struct WorkGateTests {
    static let busy = MEDKError(.unavailable, code: "busy", message: "Занято.", retryAfter: 60)

    /// Counts holders and remembers the most there ever were at once.
    final class Occupancy: Sendable {
        private let state = Mutex((now: 0, most: 0))
        func enter() { state.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func leave() { state.withLock { $0.now -= 1 } }
        var most: Int { state.withLock { $0.most } }
    }

    @Test("never more holders than its width, however many ask at once, and every one is served")
    func width() async throws {
        let gate = WorkGate(width: 2, queueLimit: 100, refusal: Self.busy)
        let occupancy = Occupancy()
        let served = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await gate.holding {
                        occupancy.enter()
                        try await Task.sleep(for: .milliseconds(2))
                        occupancy.leave()
                        return index
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(served.sorted() == Array(0..<20))
        #expect(occupancy.most == 2)
    }

    @Test("a full queue refuses at once with the gate's own error, and a failed holder frees its place")
    func refusesWhenFull() async throws {
        let gate = WorkGate(width: 1, queueLimit: 0, refusal: Self.busy)
        let release = AsyncStream<Void>.makeStream()
        let holder = Task { try await gate.holding { for await _ in release.stream { break } } }
        while await gate.isFull == false { await Task.yield() }
        await #expect(throws: Self.busy) { try await gate.holding { } }
        release.continuation.yield()
        try await holder.value
        await #expect(throws: CancellationError.self) { try await gate.holding { throw CancellationError() } }
        #expect(try await gate.holding { 7 } == 7, "the place the failed holder took is free again")
    }
}
