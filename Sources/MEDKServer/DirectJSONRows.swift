import Foundation
import MEDKCore

/// A value that writes its JSON object itself instead of going through `Encodable`.
///
/// Only for the rows of the lists people page through all day (the curator's queue, items,
/// overdue measures): even without Foundation's tree, `Encodable` costs a boxed container, a
/// generic dispatch and type metadata per field, and those rows are a thousand fields a page.
/// Each row writes the same keys in the same way as its synthesized `Encodable` conformance,
/// which stays the definition (the CLI and the tests decode with it); `StreamingJSONEncoderTests`
/// holds the two equal for every field, so a field added to the type and forgotten here fails.
protocol DirectJSONObject {
    func writeJSON(_ object: inout JSONObjectWriter) throws
}

/// Writes the members of one open JSON object.
///
/// It holds the sink's bytes while the row writes: appending to a local array skips the dynamic
/// exclusivity check and the indirection of the sink's stored property on every run of bytes (a
/// page of 100 overdue measures appends about 7,000 times), which was a third of writing the page.
struct JSONObjectWriter {
    private let sink: JSONSink
    private let level: Int
    private var bytes: [UInt8]
    private var hasMembers = false

    init(sink: JSONSink, level: Int) {
        self.sink = sink
        self.level = level
        bytes = sink.lendBytes()
    }

    /// Gives the bytes back to the sink; the row is done, or a nested value is about to write itself.
    mutating func finish() {
        sink.takeBack(bytes, level: level, hasMembers: hasMembers)
        bytes = []
    }

    private mutating func key(_ name: StaticString) {
        if hasMembers { bytes.append(UInt8(ascii: ",")) } else { hasMembers = true }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        JSONText.appendString(value, to: &bytes)
    }

    mutating func field(_ name: StaticString, _ value: Int64) {
        key(name)
        JSONText.appendInteger(value, to: &bytes)
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        JSONText.appendInteger(value, to: &bytes)
    }

    mutating func field(_ name: StaticString, _ value: Date) {
        field(name, sink.dateText(value))
    }

    mutating func field<Value: RawRepresentable<String>>(_ name: StaticString, _ value: Value) {
        field(name, value.rawValue)
    }

    mutating func field(_ name: StaticString, _ value: CalendarDate) {
        field(name, value.description)
    }

    /// A member that encodes itself (a nested row, or any `Encodable`) through the sink.
    mutating func encoded<Value: Encodable>(_ name: StaticString, _ value: Value) throws {
        key(name)
        finish()
        defer {
            // The nested value's containers stay open until their parent moves on: close them here.
            sink.closeDeeper(than: level)
            bytes = sink.lendBytes()
        }
        try sink.encodeValue(value, parentLevel: level)
    }

    // Absent optionals are left out, as `encodeIfPresent` does.
    mutating func field(_ name: StaticString, _ value: String?) { if let value { field(name, value) } }
    mutating func field(_ name: StaticString, _ value: Int64?) { if let value { field(name, value) } }
    mutating func field(_ name: StaticString, _ value: Int?) { if let value { field(name, value) } }
    mutating func field(_ name: StaticString, _ value: Date?) { if let value { field(name, value) } }
    mutating func field<Value: RawRepresentable<String>>(_ name: StaticString, _ value: Value?) {
        if let value { field(name, value.rawValue) }
    }
}

extension ItemSummary: DirectJSONObject {
    func writeJSON(_ object: inout JSONObjectWriter) {
        object.field("id", id)
        object.field("campaignID", campaignID)
        object.field("kind", kind)
        object.field("kindName", kindName)
        object.field("title", title)
        object.field("state", state)
        object.field("stateName", stateName)
        object.field("revision", revision)
        object.field("schoolID", schoolID)
        object.field("schoolCode", schoolCode)
        object.field("schoolName", schoolName)
        object.field("municipalityID", municipalityID)
        object.field("municipalityName", municipalityName)
        object.field("regionID", regionID)
        object.field("regionName", regionName)
        object.field("timeZone", timeZone)
        object.field("riskFactorID", riskFactorID)
        object.field("measureID", measureID)
        object.field("submittedAt", submittedAt)
        object.field("submittedBy", submittedBy)
        object.field("updatedAt", updatedAt)
        object.field("latestVersion", latestVersion)
    }
}

extension QueueEntry: DirectJSONObject {
    func writeJSON(_ object: inout JSONObjectWriter) throws {
        try object.encoded("item", item)
        object.field("waitingSince", waitingSince)
        object.field("waitingHours", waitingHours)
    }
}

extension OverdueMeasure: DirectJSONObject {
    func writeJSON(_ object: inout JSONObjectWriter) {
        object.field("measureID", measureID)
        object.field("roadmapID", roadmapID)
        object.field("campaignID", campaignID)
        object.field("title", title)
        object.field("task", task)
        object.field("responsible", responsible)
        object.field("dueDate", dueDate)
        object.field("daysOverdue", daysOverdue)
        object.field("reportItemID", reportItemID)
        object.field("reportState", reportState)
        object.field("schoolCode", schoolCode)
        object.field("schoolName", schoolName)
        object.field("municipalityCode", municipalityCode)
        object.field("municipalityName", municipalityName)
        object.field("regionCode", regionCode)
        object.field("regionName", regionName)
        object.field("timeZone", timeZone)
    }
}
