import Foundation
import Hummingbird
import MEDKCore
import NIOCore

/// A whole period or object of the audit trail as JSON Lines, CSV or a workbook, read batch by batch
/// while it is sent (`AuditExtract`): memory stays flat however long the trail is. The first batch
/// is read before answering, so that a refusal is an error, not a broken download.
enum AuditDownloads {
    enum Format: String, CaseIterable {
        case json, jsonl, csv, xlsx
    }

    static func extract(_ service: MEDKService, _ query: AuditQuery, format: Format, temporaryDirectory: URL,
                        for actor: Actor) async throws -> Response {
        let extract = service.auditExtract
        let first = try await extract.batch(query, after: 0, by: .user(actor))
        let stem = DownloadName.stem(["Журнал аудита"] + AuditExtract.filter(query))
        /// The batches after the first, in order.
        @Sendable func rest(_ write: ([AuditEntry]) async throws -> Void) async throws {
            var batch = first
            while let last = batch.last {
                try await write(batch)
                batch = try await extract.batch(query, after: last.seq, by: .user(actor))
            }
        }
        switch format {
        case .json:
            throw MEDKError.invalid("invalid_parameter", "Постранично журнал отдаётся без format; целиком — format=jsonl, csv или xlsx.")
        case .jsonl:
            return stream(contentType: "application/jsonl; charset=utf-8", name: stem + ".jsonl") { writer in
                try await rest { entries in try await writer.write(ByteBuffer(string: try entries.map(AuditExtract.jsonLine).joined())) }
            }
        case .csv:
            return stream(contentType: "text/csv; charset=utf-8", name: stem + ".csv") { writer in
                try await writer.write(ByteBuffer(string: CSV.write([AuditTable.header], bom: true)))
                try await rest { entries in try await writer.write(ByteBuffer(string: CSV.write(entries.map(AuditTable.textCells), bom: false))) }
            }
        case .xlsx:
            // Built in a temporary file first (a workbook cannot be sent before it is finished), within the
            // bound every download keeps; the rest is for jsonl or csv.
            let stream = try XLSXSheetStream(ExportTable(sheetName: "Журнал", title: AuditTable.title,
                                                         notes: AuditTable.notes(filter: AuditExtract.filter(query), count: nil),
                                                         header: AuditTable.header, rows: []), in: temporaryDirectory)
            let file: URL
            do {
                var written = 0
                var batch = first
                while let last = batch.last, written < Downloads.exportRowLimit {
                    let rows = batch.prefix(Downloads.exportRowLimit - written)
                    try stream.append(rows.map(AuditTable.cells))
                    written += rows.count
                    batch = try await extract.batch(query, after: last.seq, by: .user(actor))
                }
                if !batch.isEmpty {
                    try stream.append([[.text("Выгрузка ограничена \(Downloads.exportRowLimit) записями: остальное — format=jsonl или csv, "
                                              + "или сузьте период.")]])
                }
                file = try stream.finish()
            } catch {
                stream.discard()
                throw error
            }
            return Downloads.sendFile(file, contentType: XLSXWriter.mediaType, name: stem + ".xlsx")
        }
    }

    private static func stream(contentType: String, name: String,
                               _ body: @escaping @Sendable (inout any ResponseBodyWriter) async throws -> Void) -> Response {
        Response(status: .ok, headers: [
            .contentType: contentType,
            .contentDisposition: ContentDisposition.attachment(name),
            .cacheControl: "no-store",
        ], body: ResponseBody { writer in
            try await body(&writer)
            try await writer.finish(nil)
        })
    }
}
