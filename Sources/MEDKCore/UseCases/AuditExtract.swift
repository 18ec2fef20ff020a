import Foundation

/// A whole period or object of the audit trail, oldest first, read batch by batch so that an extract
/// of millions of rows is streamed to a file or a client in flat memory (`medk audit log` and
/// `GET /api/v1/audit?format=…`). Each batch is its own read: a long download never holds a
/// transaction open, and the rows keep their hashes, so an extract can be checked against the chain.
public struct AuditExtract: Sendable {
    let service: MEDKService

    public static let batchSize = 2_000

    public func batch(_ query: AuditQuery, after seq: Int64, limit: Int = AuditExtract.batchSize,
                      by op: Operator) async throws -> [AuditEntry] {
        if let from = query.from, let to = query.to, to <= from {
            throw MEDKError.rejected("invalid_period", "Конец периода должен быть позже его начала.")
        }
        return try await service.read { store in
            _ = try op.authorize(.viewAudit)
            return try store.auditEntries(query, after: seq, limit: min(max(limit, 1), Self.batchSize))
        }
    }

    /// Calls `write` with each batch in order, until the extract ends; returns how many rows it had.
    /// - Parameter first: the first batch, when the caller read it already (a server answers a refusal
    ///   as an error only before it starts sending).
    @discardableResult
    public func forEachBatch(_ query: AuditQuery, first: [AuditEntry]? = nil, by op: Operator,
                             _ write: ([AuditEntry]) async throws -> Void) async throws -> Int {
        var entries = try await opening(query, first, by: op)
        var count = 0
        while let tail = entries.last {
            try await write(entries)
            count += entries.count
            entries = try await batch(query, after: tail.seq, by: op)
        }
        return count
    }

    private func opening(_ query: AuditQuery, _ first: [AuditEntry]?, by op: Operator) async throws -> [AuditEntry] {
        if let first { return first }
        return try await batch(query, after: 0, by: op)
    }

    /// The extract as a workbook written batch by batch to a file of its own in `directory`, at most
    /// `limit` rows (a sheet holds 1 048 576): past them the last line is `cutNote` and nothing more
    /// is read. Returns the file and how many rows it holds.
    public func workbook(_ query: AuditQuery, first: [AuditEntry]? = nil, limit: Int, cutNote: String, in directory: URL,
                         by op: Operator) async throws -> (file: URL, rows: Int) {
        let stream = try XLSXSheetStream(ExportTable(sheetName: "Журнал", title: AuditTable.title,
                                                     notes: AuditTable.notes(filter: Self.filter(query), count: nil),
                                                     header: AuditTable.header, rows: []), in: directory)
        do {
            var entries = try await opening(query, first, by: op)
            var written = 0
            while let tail = entries.last {
                let room = limit - written
                if entries.count > room {
                    try stream.append(entries.prefix(room).map(AuditTable.cells))
                    written += room
                    try stream.append([[.text(cutNote)]])
                    break
                }
                try stream.append(entries.map(AuditTable.cells))
                written += entries.count
                entries = try await batch(query, after: tail.seq, by: op)
            }
            return (try stream.finish(), written)
        } catch {
            stream.discard()
            throw error
        }
    }

    /// A query for whole days by UTC, the last day included (the trail's times are UTC).
    public static func query(item: Int64?, from: CalendarDate?, through: CalendarDate?) throws -> AuditQuery {
        if let from, let through, through < from {
            throw MEDKError.rejected("invalid_period", "Конец периода раньше его начала.")
        }
        let utc = try RegionCalendar.cached("UTC")
        return AuditQuery(entityType: item == nil ? nil : .item, entityID: item, from: from.map { utc.startOfDay($0) },
                          to: through.map { utc.startOfDay($0.adding(days: 1)) })
    }

    /// One row of the trail as a line of JSON Lines: the entry as stored, hashes included.
    public static func jsonLine(_ entry: AuditEntry) throws -> String {
        String(decoding: try encoder.encode(entry), as: UTF8.self) + "\n"
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// «Период: 01.11.2026–30.11.2026 (UTC); документ №7.» — what an extract is of.
    public static func filter(_ query: AuditQuery) -> [String] {
        var parts: [String] = []
        let day = { (date: Date) in ExportTable.wallClockText(date, zone: "UTC") }
        switch (query.from, query.to) {
        case let (from?, to?): parts.append("с \(day(from)) до \(day(to)) (UTC)")
        case let (from?, nil): parts.append("с \(day(from)) (UTC)")
        case let (nil, to?): parts.append("до \(day(to)) (UTC)")
        case (nil, nil): break
        }
        if query.entityType == .item, let id = query.entityID { parts.append("документ №\(id)") }
        return parts
    }
}

extension MEDKService {
    public var auditExtract: AuditExtract { AuditExtract(service: self) }
}
