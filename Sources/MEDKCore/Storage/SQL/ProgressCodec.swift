import Foundation

/// The stored form of a school's progress: a versioned run of LEB128 varints. Ids and times are
/// deltas, so a school's ~60 measures and ~50 items take about 2 KB and the country's 40,000
/// schools read in one pass. Hand-written because no mirrored library does a compact binary
/// encoding and JSON was several times larger and slower to read; the format is tested round
/// trip and against corruption (bad input throws, it never crashes).
/// A school's progress in its stored form (empty when the school has none yet).
struct EncodedProgress: Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func decoded() throws -> SchoolProgress {
        bytes.isEmpty ? .empty : try bytes.withUnsafeBytes { try ProgressCodec.decode($0) }
    }
}

enum ProgressCodec {
    static let version: UInt8 = 1
    /// Seconds are counted from 2000-01-01, days from 2000-01-01 too.
    private static let epoch: Int64 = 946_684_800
    private static let epochDay = 10_957

    static func encode(_ progress: SchoolProgress) -> [UInt8] {
        var out: [UInt8] = [version]
        out.reserveCapacity(16 + progress.items.count * 20 + progress.measures.count * 10)
        put(UInt64(progress.chosenRiskCount), &out)
        put(UInt64(progress.items.count), &out)
        var previousID: Int64 = 0
        for item in progress.items {
            putSigned(item.id - previousID, &out)
            previousID = item.id
            out.append(kindCode(item.kind))
            var previousTime = seconds(item.createdAt)
            putSigned(previousTime, &out)
            put(UInt64(item.changes.count), &out)
            for change in item.changes {
                out.append(actionCode(change.action))
                let time = seconds(change.at)
                putSigned(time - previousTime, &out)
                previousTime = time
            }
        }
        put(UInt64(progress.measures.count), &out)
        previousID = 0
        for measure in progress.measures {
            putSigned(measure.id - previousID, &out)
            previousID = measure.id
            putSigned(Int64(measure.dueDay - epochDay), &out)
            putSigned(seconds(measure.createdAt), &out)
            put(measure.reportItemID.map { UInt64($0) + 1 } ?? 0, &out)
        }
        return out
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> SchoolProgress {
        var reader = Reader(bytes: bytes)
        guard try reader.byte() == version else { throw corrupt }
        var progress = SchoolProgress()
        progress.chosenRiskCount = Int(try reader.count(limit: Int(Int32.max)))
        let itemCount = try reader.count(eachAtLeast: 4)
        progress.items.reserveCapacity(itemCount)
        var previousID: Int64 = 0
        for _ in 0..<itemCount {
            previousID += try reader.signed()
            let kind = try kind(try reader.byte())
            var time = try reader.signed()
            let created = date(time)
            let changeCount = try reader.count(eachAtLeast: 2)
            var changes: [StateChange] = []
            changes.reserveCapacity(changeCount)
            for _ in 0..<changeCount {
                let action = try action(try reader.byte())
                time += try reader.signed()
                changes.append(StateChange(at: date(time), action: action))
            }
            progress.items.append(ItemProgress(id: previousID, kind: kind, createdAt: created, changes: changes))
        }
        let measureCount = try reader.count(eachAtLeast: 4)
        progress.measures.reserveCapacity(measureCount)
        previousID = 0
        for _ in 0..<measureCount {
            previousID += try reader.signed()
            let day = try reader.signed()
            guard abs(day) < 1_000_000 else { throw corrupt }
            let created = date(try reader.signed())
            let report = try reader.unsigned()
            progress.measures.append(MeasureProgress(id: previousID, dueDay: Int(day) + epochDay, createdAt: created,
                                                     reportItemID: report == 0 ? nil : Int64(report - 1)))
        }
        guard reader.atEnd else { throw corrupt }
        return progress
    }

    static let corrupt = MEDKError(.internalFailure, code: "corrupt_progress",
                                   message: "Сводка школы в базе данных повреждена; администратор может пересобрать сводки командой medk repair-progress.")

    private static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) - epoch }
    private static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds + epoch)) }

    private static func put(_ value: UInt64, _ out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    private static func putSigned(_ value: Int64, _ out: inout [UInt8]) {
        put(UInt64(bitPattern: (value << 1) ^ (value >> 63)), &out)
    }

    /// Stable codes: they are stored, so cases may be added but never renumbered.
    private static let kinds: [ItemKind] = [.riskProfile, .developmentConcept, .midtermProgramme, .antiriskProgramme, .roadmap,
                                            .analyticalNote, .order, .meetingProtocol, .agreement, .interimReport, .finalReport,
                                            .measureReport]
    private static let actions: [ReviewAction] = [.submit, .confirm, .return, .withdraw, .reopen]

    private static func kindCode(_ kind: ItemKind) -> UInt8 { UInt8(kinds.firstIndex(of: kind)! + 1) }
    private static func actionCode(_ action: ReviewAction) -> UInt8 { UInt8(actions.firstIndex(of: action)! + 1) }

    private static func kind(_ code: UInt8) throws -> ItemKind {
        guard code >= 1, Int(code) <= kinds.count else { throw corrupt }
        return kinds[Int(code) - 1]
    }

    private static func action(_ code: UInt8) throws -> ReviewAction {
        guard code >= 1, Int(code) <= actions.count else { throw corrupt }
        return actions[Int(code) - 1]
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        var atEnd: Bool { position == bytes.count }

        mutating func byte() throws -> UInt8 {
            guard position < bytes.count else { throw ProgressCodec.corrupt }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func unsigned() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let next = try byte()
                guard shift < 64 else { throw ProgressCodec.corrupt }
                result |= UInt64(next & 0x7f) << shift
                if next & 0x80 == 0 { return result }
                shift += 7
            }
        }

        mutating func signed() throws -> Int64 {
            let raw = try unsigned()
            return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
        }

        mutating func count(limit: Int) throws -> Int {
            let value = try unsigned()
            guard value <= UInt64(limit) else { throw ProgressCodec.corrupt }
            return Int(value)
        }

        /// A count of entries that each take at least `bytes` bytes: bounded by what is left to read,
        /// so a corrupt count cannot make the decoder reserve more than the digest could hold, and
        /// no fixed ceiling can refuse a digest the encoder legitimately wrote (a school whose item
        /// went through review fifty thousand times must stay readable).
        mutating func count(eachAtLeast bytes: Int) throws -> Int {
            try count(limit: (self.bytes.count - position) / bytes)
        }
    }
}
