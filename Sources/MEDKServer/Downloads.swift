import Foundation
import HTTPTypes
import Hummingbird
import MEDKCore
import NIOCore

/// Responses that hand a file to the client, shared by the API and the pages.
enum Downloads {
    /// A stored file version: as an attachment, or `inline` for the browser's preview.
    static func file(_ file: FileVersion, content: FileContent, inline: Bool, context: MEDKRequestContext) async throws -> Response {
        let body: ResponseBody
        switch content {
        case .localFile(let url):
            body = try await FileIO().loadFile(path: url.path, context: context)
        case .chunks(let chunks):
            // The first chunk is read before the status goes out, so a file the database lacks is an
            // error answer rather than a 200 cut short; each next one when the previous is written.
            var pending = chunks.makeAsyncIterator()
            let first = try await pending.next()
            body = ResponseBody(contentLength: Int(file.size)) { [pending] writer in
                var rest = pending
                if let first { try await writer.write(ByteBuffer(bytes: first)) }
                while let chunk = try await rest.next() { try await writer.write(ByteBuffer(bytes: chunk)) }
                try await writer.finish(nil)
            }
        }
        var headers: HTTPFields = [
            .contentType: file.mediaType,
            .contentDisposition: inline ? ContentDisposition.inline(file.fileName) : ContentDisposition.attachment(file.fileName),
            .contentLength: String(file.size),
            .cacheControl: "private, no-store",
            .xContentTypeOptions: "nosniff",
            .init("X-Content-SHA256")!: file.sha256,
        ]
        // Files are shown, never run. Images get a sandbox; Chromium's PDF viewer refuses to
        // work inside one, and PDFs are already checked by their bytes to be PDFs.
        if file.mediaType != "application/pdf" {
            headers[.init("Content-Security-Policy")!] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// A CSV text (already with its BOM) as a download named `name`.
    static func csv(_ text: String, name: String) -> Response {
        Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8",
            .contentDisposition: ContentDisposition.attachment(name),
            .cacheControl: "no-store",
        ], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A table as an Excel workbook named `name`.
    static func xlsx(_ table: ExportTable, name: String) throws -> Response {
        Response(status: .ok, headers: [
            .contentType: XLSXWriter.mediaType,
            .contentDisposition: ContentDisposition.attachment(name),
            .cacheControl: "no-store",
        ], body: .init(byteBuffer: ByteBuffer(data: try XLSXWriter.workbook(table))))
    }

    /// Rows a download of a long list (overdue measures, items) holds at most: a region's whole list
    /// fits many times over; past this the download says so in its last line instead of growing without bound.
    static let exportRowLimit = 200_000

    /// The whole overdue list as an Excel workbook (see `pagedWorkbook`).
    static func overdueXLSX(_ service: MEDKService, _ query: OverdueQuery, temporaryDirectory: URL,
                            for actor: Actor) async throws -> Response {
        var page = OverdueQuery(campaignCode: query.campaignCode, regionCode: query.regionCode, municipalityCode: query.municipalityCode,
                                schoolCode: query.schoolCode, curatorLogin: query.curatorLogin, sort: query.sort,
                                page: PageRequest(limit: PageRequest.maximumLimit))
        let list = try await service.overdueMeasures(page, for: actor)
        let total = list.measures.totalIsLowerBound ? "более \(list.measures.total)" : "\(list.measures.total)"
        var notes = ["Кампания: \(list.campaignName) (\(list.campaignCode)); территория: \(list.scope).",
                     "Просрочено мероприятий: \(total); срок — по времени школы."]
        if query.schoolCode != nil || query.curatorLogin != nil {
            notes.append("Отбор: " + [query.schoolCode.map { "школа \($0)" }, query.curatorLogin.map { "куратор \($0)" }]
                .compactMap { $0 }.joined(separator: ", ") + ".")
        }
        return try await pagedWorkbook(
            ExportTable(sheetName: "Просрочено", title: "Просроченные мероприятия", notes: notes, header: ComplianceTable.overdueHeader, rows: []),
            name: DownloadName.make(["Просроченные мероприятия", list.campaignCode], ext: "xlsx"), temporaryDirectory: temporaryDirectory, first: list.measures,
            cells: ComplianceTable.overdueCells) { cursor in
                page.page = PageRequest(limit: PageRequest.maximumLimit, after: cursor, countsTotal: false)
                return try await service.overdueMeasures(page, for: actor).measures
            }
    }

    /// Every item the actor may see that matches `filter`, as an Excel workbook (see `pagedWorkbook`).
    static func itemsXLSX(_ service: MEDKService, _ filter: ItemFilter, temporaryDirectory: URL, for actor: Actor) async throws -> Response {
        let first = try await service.items(for: actor, filter: filter, page: PageRequest(limit: PageRequest.maximumLimit))
        return try await pagedWorkbook(
            ExportTable(sheetName: "Документы", title: "Документы", notes: ItemTable.notes(filter, total: first.total,
                                                                                          totalIsLowerBound: first.totalIsLowerBound),
                        header: ItemTable.header, rows: []),
            name: DownloadName.make(["Документы"], ext: "xlsx"), temporaryDirectory: temporaryDirectory, first: first, cells: ItemTable.cells) { cursor in
                try await service.items(for: actor, filter: filter,
                                        page: PageRequest(limit: PageRequest.maximumLimit, after: cursor, countsTotal: false))
            }
    }

    /// A long list as an Excel workbook: read page by page into a temporary file (memory stays at
    /// one page), up to `exportLimit` rows (then the last line says so), then sent from the file and
    /// removed. The first page is read by the caller, so a refusal is an error, not a broken download.
    static func pagedWorkbook<Row: Sendable>(_ table: ExportTable, name: String, temporaryDirectory: URL, first: Page<Row>,
                                             cells: (Row) -> [ExportTable.Cell],
                                             next: (PageCursor) async throws -> Page<Row>) async throws -> Response {
        let stream = try XLSXSheetStream(table, in: temporaryDirectory)
        let file: URL
        do {
            let cut = try await exportPages(first: first, next: next) { rows in try stream.append(rows.map(cells)) }
            if let cut { try stream.append([[.text(cut)]]) }
            file = try stream.finish()
        } catch {
            stream.discard()
            throw error
        }
        return sendFile(file, contentType: XLSXWriter.mediaType, name: name)
    }

    /// Sends a finished temporary file; it lives in its own directory, removed once it is sent (or the sending fails).
    static func sendFile(_ file: URL, contentType: String, name: String) -> Response {
        let directory = file.deletingLastPathComponent()
        let body = ResponseBody { writer in
            defer { try? FileManager.default.removeItem(at: directory) }
            let handle = try FileHandle(forReadingFrom: file)
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 64 * 1024), !chunk.isEmpty {
                try await writer.write(ByteBuffer(data: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: contentType,
            .contentDisposition: ContentDisposition.attachment(name),
            .cacheControl: "no-store",
        ], body: body)
    }

    /// Reads a list for a download page after page from `first`, handing each page to `write`, up
    /// to `exportRowLimit` rows. Returns the line that says the list was cut there, if it was.
    static func exportPages<Row>(first: Page<Row>, next: (PageCursor) async throws -> Page<Row>,
                                 _ write: ([Row]) async throws -> Void) async throws -> String? {
        var page = first
        var written = 0
        while true {
            try await write(page.items)
            written += page.items.count
            guard let cursor = page.nextCursor else { return nil }
            if written >= exportRowLimit {
                let total = first.totalIsLowerBound ? "более чем \(first.total)" : "\(first.total)"
                return "Выгрузка ограничена \(exportRowLimit) строками из \(total); сузьте отбор."
            }
            page = try await next(cursor)
        }
    }

    /// The whole overdue list as CSV, read page by page while it is sent, so that memory stays
    /// flat however long the list is.
    static func overdueCSV(_ service: MEDKService, _ query: OverdueQuery, for actor: Actor) async throws -> Response {
        let first = OverdueQuery(campaignCode: query.campaignCode, regionCode: query.regionCode, municipalityCode: query.municipalityCode,
                                 schoolCode: query.schoolCode, curatorLogin: query.curatorLogin, sort: query.sort,
                                 page: PageRequest(limit: PageRequest.maximumLimit))
        // The first page is read before answering, so that a refusal is an error, not a broken download.
        let opening = try await service.overdueMeasures(first, for: actor)
        let name = DownloadName.make(["Просроченные мероприятия", opening.campaignCode], ext: "csv")
        let body = ResponseBody { writer in
            var header = true
            let cut = try await exportPages(first: opening.measures, next: { cursor in
                // Later pages are not counted again: the first page's count is all the download says.
                var query = first
                query.page = PageRequest(limit: PageRequest.maximumLimit, after: cursor, countsTotal: false)
                return try await service.overdueMeasures(query, for: actor).measures
            }) { measures in
                var rows = ComplianceTable.overdueRows(measures)
                if !header { rows.removeFirst() }
                try await writer.write(ByteBuffer(string: CSV.write(rows, bom: header)))
                header = false
            }
            if let cut { try await writer.write(ByteBuffer(string: CSV.write([[cut]], bom: false))) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8",
            .contentDisposition: ContentDisposition.attachment(name),
            .cacheControl: "no-store",
        ], body: body)
    }
}
