import Foundation
import HTTPTypes
import Hummingbird
import MEDKCore
import NIOCore

/// Responses that hand a file to the client, shared by the API and the pages.
enum Downloads {
    /// A stored file version: as an attachment, or `inline` for the browser's preview.
    static func file(_ file: FileVersion, at url: URL, inline: Bool, context: MEDKRequestContext) async throws -> Response {
        let body = try await FileIO().loadFile(path: url.path, context: context)
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
}
