import Foundation
import Synchronization

/// Pure work over a long list spread across the machine's cores, a contiguous chunk per worker,
/// the results put back in the list's order. A country's compliance report judges 40,000
/// schools; read serially from one database transaction and judged on every core, it takes a
/// fraction of the time, and the answer is the one a single loop would give.
enum ChunkedWork {
    /// How many chunks a list is cut into: one per core the process may use.
    static var workers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `transform(chunk)` for consecutive chunks of `elements`, run concurrently; the chunks'
    /// results concatenated in order. Each chunk gets a call of its own, so a transform can keep
    /// per-chunk caches that are not shared between threads. The first error thrown is rethrown.
    static func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], workers: Int = ChunkedWork.workers,
        _ transform: @Sendable (ArraySlice<Element>) throws -> [Result]
    ) throws -> [Result] {
        guard workers > 1, elements.count > 1 else { return try transform(elements[...]) }
        let size = (elements.count + workers - 1) / workers
        // Fewer chunks than workers when the list is short (5 elements on 4 workers: 2, 2, 1).
        let chunks = (elements.count + size - 1) / size
        let outcomes = Mutex<[Int: Swift.Result<[Result], any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: chunks) { index in
            let start = index * size
            let outcome = Swift.Result { try transform(elements[start..<min(start + size, elements.count)]) }
            outcomes.withLock { $0[index] = outcome }
        }
        let finished = outcomes.withLock { $0 }
        var results: [Result] = []
        results.reserveCapacity(elements.count)
        for index in 0..<chunks {
            results += try finished[index]!.get()
        }
        return results
    }
}
