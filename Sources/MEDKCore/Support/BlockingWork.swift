import Dispatch
import Foundation

/// CPU-bound work off the threads that serve requests. Swift's cooperative pool has one thread per
/// core: two requests parsing files on it leave nothing for `/health` or anyone else. Work given
/// here runs on threads of its own, at most `width` at a time (a core is left for everything
/// else), and at most `queueLimit` more wait; past that the caller is refused at once (`refusal`)
/// instead of queueing without bound. Password hashing, reading uploaded tables and parsing
/// uploaded forms each have a pool of their own, so none can starve the others.
public final class BlockingWork: Sendable {
    private let gate: WorkGate
    private let queue: DispatchQueue

    public init(label: String, width: Int = max(1, ProcessInfo.processInfo.activeProcessorCount - 1), queueLimit: Int,
                refusal: MEDKError) {
        gate = WorkGate(width: width, queueLimit: queueLimit, refusal: refusal)
        queue = DispatchQueue(label: label, qos: .userInitiated, attributes: .concurrent)
    }

    /// Runs `work` on the pool's threads once a place is free, and returns what it returned.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let queue = queue
        return try await gate.holding {
            try await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>, Never>) in
                queue.async { continuation.resume(returning: Result { try work() }) }
            }.get()
        }
    }

    /// True while every place is taken (tests wait for it).
    var isFull: Bool { get async { await gate.isFull } }
}
