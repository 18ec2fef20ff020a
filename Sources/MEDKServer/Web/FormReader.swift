import Foundation
import Hummingbird
import MEDKCore
import MultipartKit
import NIOCore

/// How much of a form a route reads, decided before a byte of the body is read.
struct FormLimits: Sendable {
    /// All fields together (names, values and part headers), kept in memory.
    var fieldBytes: Int
    /// Each file part, written to a temporary file as it arrives; zero when the form has no file.
    var fileBytes: Int64

    /// The login form, the only one an anonymous visitor may post: a login, a password, a token.
    static let anonymous = FormLimits(fieldBytes: 16 << 10, fileBytes: 0)
    /// An ordinary form of a signed-in user: comments, a measure, a risk profile.
    static let form = FormLimits(fieldBytes: 64 << 10, fileBytes: 0)

    /// A form with one file and a few fields.
    static func upload(fileBytes: Int64, fieldBytes: Int = 64 << 10) -> FormLimits {
        FormLimits(fieldBytes: fieldBytes, fileBytes: fileBytes)
    }

    /// The most a whole body may carry: the parts plus the framing around them.
    var bodyBytes: Int64 { Int64(fieldBytes) + fileBytes + (16 << 10) }
}

/// Reads a submitted HTML form (url-encoded or `multipart/form-data`) within its limits, in time
/// linear in the body and memory bounded by the limits, not by the body: files go to temporary
/// files in `temporaryDirectory` as they arrive. A body larger than the route allows is refused
/// from its `Content-Length` before it is read, or as soon as it passes the limit. Multipart bodies
/// are parsed off the request threads (`work`), a batch of arrived bytes at a time, so that a
/// body built to be slow to parse (millions of near-boundaries) holds no thread that serves others.
enum FormReader {
    /// Parsing of multipart bodies, a few at a time on threads of its own.
    static let work = BlockingWork(label: "medk.form-parsing", queueLimit: 64, refusal: MEDKError(
        .unavailable, code: "busy", message: "Сервер сейчас занят приёмом файлов. Повторите через минуту.", retryAfter: 60))
    /// Bytes gathered from the network before they are parsed in one go (one hop to `work`).
    static let batchBytes = 256 << 10
    /// RFC 2046 §5.1.1: 1–70 characters from this set, not ending in a space.
    static let boundaryCharacters = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ".utf8)
    /// Headers of one part, and bytes the parser may hold without handing anything over (a header
    /// line it is still reading, a preamble): a browser's are a few hundred bytes.
    static let partHeaderBytes = 8 << 10
    static let partsPerForm = 256

    static func read(_ request: Request, limits: FormLimits, temporaryDirectory: URL) async throws -> WebForm {
        if let length = request.headers[.contentLength].flatMap(Int64.init), length > limits.bodyBytes {
            throw tooLarge(limits)
        }
        let contentType = request.headers[.contentType] ?? ""
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = WebForm.boundary(ofContentType: contentType) else { throw WebForm.malformed }
            return try await multipart(request.body, boundary: boundary, limits: limits, temporaryDirectory: temporaryDirectory)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limits.fieldBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge(limits)
        }
        return WebForm.urlEncoded(String(buffer: body))
    }

    /// A `multipart/form-data` body (RFC 7578) as it arrives.
    static func multipart<Body: AsyncSequence>(_ body: Body, boundary: String, limits: FormLimits,
                                               temporaryDirectory: URL) async throws -> WebForm where Body.Element == ByteBuffer {
        guard isValidBoundary(boundary) else { throw WebForm.malformed }
        let reader = MultipartFormReader(boundary: boundary, limits: limits, temporaryDirectory: temporaryDirectory)
        do {
            var received: Int64 = 0
            var batch = ByteBuffer()
            for try await chunk in body {
                received += Int64(chunk.readableBytes)
                guard received <= limits.bodyBytes else { throw tooLarge(limits) }
                var chunk = chunk
                batch.writeBuffer(&chunk)
                if batch.readableBytes >= batchBytes {
                    let full = batch
                    batch = ByteBuffer()
                    try await work.run { try reader.feed(full) }
                }
            }
            let last = batch
            return try await work.run {
                if last.readableBytes > 0 { try reader.feed(last) }
                return try reader.finish()
            }
        } catch {
            reader.discard()
            throw error
        }
    }

    static func isValidBoundary(_ boundary: String) -> Bool {
        let bytes = Array(boundary.utf8)
        return (1...70).contains(bytes.count) && bytes.last != UInt8(ascii: " ") && bytes.allSatisfy(boundaryCharacters.contains)
    }

    static func tooLarge(_ limits: FormLimits) -> MEDKError {
        limits.fileBytes > 0 ? .fileTooLarge(limit: limits.fileBytes)
            : MEDKError(.tooLarge, code: "form_too_large", message: "Форма слишком велика: сократите текст и отправьте её ещё раз.")
    }
}

/// The multipart half of `FormReader`: vapor's streaming `MultipartParser` (linear in the body,
/// whatever the boundary) fed batch by batch, with each part's bytes sent to the field buffer or to
/// a temporary file (through a buffer: the parser hands over near-boundaries a few bytes at a
/// time, and a write each cost a system call each). Used by one task at a time, batch after batch,
/// on whichever thread `FormReader.work` gives it.
private final class MultipartFormReader: @unchecked Sendable {
    private final class State {
        let limits: FormLimits
        let temporaryDirectory: URL
        var form = WebForm()
        var fieldBytes = 0
        var parts = 0
        var headers: [(String, String)] = []
        var headerBytes = 0
        /// Bytes fed since the parser last handed something over.
        var pending = 0
        var part: Part?
        var failure: MEDKError?
        var temporaryFiles: [URL] = []
        /// The open file part's bytes not yet written.
        var fileBuffer: [UInt8] = []
        static let fileBufferBytes = 64 << 10

        enum Part {
            case field(name: String, bytes: [UInt8])
            case file(name: String, fileName: String, url: URL, handle: FileHandle, size: Int64)
            case ignored
        }

        init(limits: FormLimits, temporaryDirectory: URL) {
            self.limits = limits
            self.temporaryDirectory = temporaryDirectory
        }

        func fail(_ error: MEDKError) { if failure == nil { failure = error } }

        func header(_ name: String, _ value: String) {
            pending = 0
            headerBytes += name.utf8.count + value.utf8.count + 4
            guard headerBytes <= FormReader.partHeaderBytes else { return fail(WebForm.malformed) }
            headers.append((name, value))
        }

        func body(_ buffer: inout ByteBuffer) {
            pending = 0
            guard failure == nil else { return }
            if part == nil { begin() }
            switch part {
            case .field(let name, var bytes):
                fieldBytes += buffer.readableBytes
                guard fieldBytes <= limits.fieldBytes else { return fail(FormReader.tooLarge(limits)) }
                // Release the enum's copy first, so that appending does not copy the whole field each time.
                part = .ignored
                bytes.append(contentsOf: buffer.readableBytesView)
                part = .field(name: name, bytes: bytes)
            case .file(let name, let fileName, let url, let handle, var size):
                size += Int64(buffer.readableBytes)
                guard size <= limits.fileBytes else { return fail(.fileTooLarge(limit: limits.fileBytes)) }
                fileBuffer.append(contentsOf: buffer.readableBytesView)
                if fileBuffer.count >= Self.fileBufferBytes { flush(handle) }
                part = .file(name: name, fileName: fileName, url: url, handle: handle, size: size)
            case .ignored, nil:
                break
            }
        }

        /// The part's headers are complete: decide where its bytes go.
        func begin() {
            parts += 1
            guard parts <= FormReader.partsPerForm else { return fail(WebForm.malformed) }
            let disposition = headers.first { $0.0.lowercased() == "content-disposition" }.map { WebForm.contentDisposition("Content-Disposition: " + $0.1) } ?? [:]
            headers = []
            headerBytes = 0
            guard let name = disposition["name"] else { part = .ignored; return }
            fieldBytes += name.utf8.count
            guard fieldBytes <= limits.fieldBytes else { return fail(FormReader.tooLarge(limits)) }
            guard let fileName = disposition["filename"] else { part = .field(name: name, bytes: []); return }
            // Browsers send an empty part with an empty name when no file was chosen.
            guard !fileName.isEmpty else { part = .ignored; return }
            guard limits.fileBytes > 0 else {
                return fail(.invalid("unexpected_file", "Эта форма не принимает файлы."))
            }
            let url = temporaryDirectory.appendingPathComponent("form-" + UUID().uuidString)
            guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let handle = try? FileHandle(forWritingTo: url) else {
                return fail(MEDKError(.internalFailure, code: "storage_failed", message: "Не удалось принять файл."))
            }
            temporaryFiles.append(url)
            part = .file(name: name, fileName: fileName, url: url, handle: handle, size: 0)
        }

        func complete() {
            pending = 0
            guard failure == nil else { return }
            if part == nil { begin() }
            switch part {
            case .field(let name, let bytes):
                form.add(name, String(decoding: bytes, as: UTF8.self))
            case .file(let name, let fileName, let url, let handle, let size):
                flush(handle)
                try? handle.close()
                guard failure == nil else { return }
                form.addFile(name, UploadedFile(fileName: fileName, url: url, size: size))
            case .ignored, nil:
                break
            }
            part = nil
        }

        /// Writes what the buffer holds to the open file part.
        func flush(_ handle: FileHandle) {
            guard !fileBuffer.isEmpty else { return }
            do {
                try handle.write(contentsOf: fileBuffer)
                fileBuffer.removeAll(keepingCapacity: true)
            } catch {
                fail(MEDKError(.internalFailure, code: "storage_failed", message: "Не удалось принять файл."))
            }
        }

        func closeOpenFile() {
            if case .file(_, _, _, let handle, _) = part { try? handle.close() }
        }
    }

    private let parser: MultipartParser
    private let state: State
    /// The body's last bytes: a complete body ends with the closing delimiter (and a line break).
    private let closing: [UInt8]
    private var tail: [UInt8] = []

    init(boundary: String, limits: FormLimits, temporaryDirectory: URL) {
        parser = MultipartParser(boundary: boundary)
        closing = Array("--\(boundary)--".utf8)
        state = State(limits: limits, temporaryDirectory: temporaryDirectory)
        let state = state
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.complete() }
    }

    func feed(_ chunk: ByteBuffer) throws {
        state.pending += chunk.readableBytes
        tail.append(contentsOf: chunk.readableBytesView.suffix(closing.count + 4))
        if tail.count > closing.count + 4 { tail.removeFirst(tail.count - closing.count - 4) }
        do {
            try parser.execute(chunk)
        } catch {
            throw WebForm.malformed
        }
        if let failure = state.failure { throw failure }
        // A header line or preamble that never ends would otherwise be held by the parser whole.
        guard state.pending <= FormReader.partHeaderBytes else { throw WebForm.malformed }
    }

    /// The form, once the body has ended: only a body closed by its final boundary is complete
    /// (a dropped connection must not leave half a file looking like the whole one).
    func finish() throws -> WebForm {
        if let failure = state.failure { throw failure }
        var end = tail[...]
        while let last = end.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") { end = end.dropLast() }
        guard state.parts > 0, state.part == nil, end.suffix(closing.count).elementsEqual(closing)
        else { throw WebForm.malformed }
        return state.form
    }

    /// Removes what was written for a form that was refused.
    func discard() {
        state.closeOpenFile()
        for url in state.temporaryFiles { try? FileManager.default.removeItem(at: url) }
    }
}
