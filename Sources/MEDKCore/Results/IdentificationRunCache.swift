import Crypto
import Foundation
import Synchronization

/// Identification runs kept in memory by everything that determines them: the region, the data
/// batch (values at a batch never change), the method's hash, the region's schools (a school moved
/// to another region changes the inputs without a new batch) and the year. Dynamics, trajectories
/// and indicators rerun the same five years of a region on every page otherwise (~250 ms for 1,700
/// schools). Bounded: a region's run is ~170 KB; past the limit the cache starts over.
final class IdentificationRunCache: Sendable {
    struct Key: Hashable {
        var regionID: Int64
        var batch: Int64
        var method: String
        var schools: String
        var year: Int
    }

    static let limit = 128
    private let entries = Mutex<[Key: IdentificationRun]>([:])

    func runs(_ keys: [Key]) -> [IdentificationRun]? {
        entries.withLock { cached in
            let found = keys.compactMap { cached[$0] }
            return found.count == keys.count ? found : nil
        }
    }

    func keep(_ runs: [(Key, IdentificationRun)]) {
        entries.withLock { cached in
            if cached.count + runs.count > Self.limit { cached.removeAll(keepingCapacity: true) }
            for (key, run) in runs { cached[key] = run }
        }
    }

    /// The parts of a key that do not depend on the year.
    static func keys(regionID: Int64, batch: Int64, method: IdentificationMethod, schoolCodes: [String], years: ClosedRange<Int>) throws -> [Key] {
        let methodHash = SHA256.hash(data: Data(try method.canonicalJSON().utf8)).hexString
        let schoolsHash = SHA256.hash(data: Data(schoolCodes.sorted().joined(separator: "\n").utf8)).hexString
        return years.map { Key(regionID: regionID, batch: batch, method: methodHash, schools: schoolsHash, year: $0) }
    }
}
