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
        switch format {
        case .json:
            throw MEDKError.invalid("invalid_parameter", "Постранично журнал отдаётся без format; целиком — format=jsonl, csv или xlsx.")
        case .jsonl:
            return stream(contentType: "application/jsonl; charset=utf-8", name: stem + ".jsonl") { writer in
                try await extract.forEachBatch(query, first: first, by: .user(actor)) { entries in
                    try await writer.write(ByteBuffer(string: try entries.map(AuditExtract.jsonLine).joined()))
                }
            }
        case .csv:
            return stream(contentType: "text/csv; charset=utf-8", name: stem + ".csv") { writer in
                try await writer.write(ByteBuffer(string: CSV.write([AuditTable.header], bom: true)))
                try await extract.forEachBatch(query, first: first, by: .user(actor)) { entries in
                    try await writer.write(ByteBuffer(string: CSV.write(entries.map(AuditTable.textCells), bom: false)))
                }
            }
        case .xlsx:
            // Built in a temporary file first (a workbook cannot be sent before it is finished), within the
            // bound every download keeps; the rest is for jsonl or csv.
            let (file, _) = try await extract.workbook(
                query, first: first, limit: Downloads.exportRowLimit,
                cutNote: "Выгрузка ограничена \(Downloads.exportRowLimit) записями: остальное — format=jsonl или csv, или сузьте период.",
                in: temporaryDirectory, by: .user(actor))
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
