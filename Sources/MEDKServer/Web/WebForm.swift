import Foundation
import Hummingbird
import MEDKCore

/// A file sent with a multipart form, as `FormReader` wrote it to a temporary file; the file is
/// removed once the request has been answered.
struct UploadedFile: Sendable {
    var fileName: String
    var url: URL
    var size: Int64

    /// The bytes in chunks, for the file store, which streams them again.
    var chunks: FileChunks { FileChunks(url: url) }

    /// The whole file, for small files read as text (CSV imports).
    func contents() throws -> Data { try Data(contentsOf: url) }
}

/// The fields of a submitted HTML form, url-encoded or multipart.
struct WebForm: Sendable {
    private(set) var fields: [String: [String]] = [:]
    private(set) var files: [String: UploadedFile] = [:]

    subscript(_ name: String) -> String? {
        fields[name]?.first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    func all(_ name: String) -> [String] { fields[name] ?? [] }

    mutating func add(_ name: String, _ value: String) { fields[name, default: []].append(value) }

    mutating func addFile(_ name: String, _ file: UploadedFile) {
        if let previous = files[name] { try? FileManager.default.removeItem(at: previous.url) }
        files[name] = file
    }

    /// Removes the files the form arrived with.
    func removeTemporaryFiles() {
        for file in files.values { try? FileManager.default.removeItem(at: file.url) }
    }

    /// `a=1&b=%D0%B0+b`: `+` is a space, everything else percent-decoded as UTF-8.
    static func urlEncoded(_ text: String) -> WebForm {
        var form = WebForm()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            form.add(decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
        return form
    }

    /// A date as people enter it: `2026-12-31` from a date picker or `31.12.2026` typed by hand.
    static func date(_ text: String) throws -> CalendarDate {
        if let date = CalendarDate(text) { return date }
        let parts = text.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 3, let date = CalendarDate(year: parts[2], month: parts[1], day: parts[0]) else {
            throw MEDKError.invalid("invalid_date", "Дата «\(text)» не распознана: нужна дата вида 31.12.2026.")
        }
        return date
    }

    static let malformed = MEDKError.invalid("malformed_form", "Форма пришла повреждённой. Обновите страницу и отправьте её ещё раз.")

    /// Parameters of `Content-Disposition: form-data; name="x"; filename="y"` (quoted, as browsers send them).
    static func contentDisposition(_ headers: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            var rest = Substring(line.dropFirst("content-disposition:".count))
            while let semicolon = rest.firstIndex(of: ";") {
                rest = rest[rest.index(after: semicolon)...].drop(while: { $0 == " " })
                guard let equals = rest.firstIndex(of: "=") else { break }
                let key = rest[..<equals].lowercased()
                var value = rest[rest.index(after: equals)...]
                if value.first == "\"" {
                    value = value.dropFirst()
                    var text = ""
                    var escaped = false
                    var end = value.endIndex
                    for index in value.indices {
                        let character = value[index]
                        if escaped { text.append(character); escaped = false }
                        else if character == "\\" { escaped = true }
                        else if character == "\"" { end = index; break }
                        else { text.append(character) }
                    }
                    result[key] = text
                    rest = end < value.endIndex ? value[value.index(after: end)...] : ""
                } else {
                    let end = value.firstIndex(of: ";") ?? value.endIndex
                    result[key] = String(value[..<end]).trimmingCharacters(in: .whitespaces)
                    rest = value[end...]
                }
            }
        }
        return result
    }

    static func boundary(ofContentType contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
