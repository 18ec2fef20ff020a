import Foundation

/// Which refused sign-in attempts are written to the audit log: the first refusal of a login
/// from an address in each minute, carrying how many were refused since the previous row. A
/// flood of refused guesses then costs the database one row a minute per pair, not one per
/// request; the count of what was left out is kept in memory until the next row says it.
actor ThrottleNotes {
    static let interval: TimeInterval = 60
    static let capacity = 10_000
    private var notes: [String: (at: Date, suppressed: Int)] = [:]

    /// The number of refusals left out since the last row, when this one is to be written; nil
    /// when it is only counted.
    func shouldAudit(_ key: String, at now: Date) -> Int? {
        if let note = notes[key], now.timeIntervalSince(note.at) < Self.interval {
            notes[key] = (note.at, note.suppressed + 1)
            return nil
        }
        let suppressed = notes[key]?.suppressed ?? 0
        if notes.count >= Self.capacity {
            notes = notes.filter { now.timeIntervalSince($0.value.at) < Self.interval }
            if notes.count >= Self.capacity { notes.removeAll(keepingCapacity: true) }
        }
        notes[key] = (now, 0)
        return suppressed
    }
}
