import Foundation
import Hummingbird
import MEDKCore

/// A file sent with a multipart form.
struct UploadedFile: Sendable {
    var fileName: String
    var bytes: [UInt8]
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

    /// `multipart/form-data` (RFC 7578) held in memory: bodies are already capped by size.
    static func multipart(_ body: [UInt8], boundary: String) throws -> WebForm {
        let delimiter = Array("--\(boundary)".utf8)
        var form = WebForm()
        var cursor = 0
        guard let first = body.firstRange(of: delimiter, from: 0) else { throw malformed }
        cursor = first.upperBound
        while true {
            // After a delimiter: "--" closes the body, otherwise CRLF and the part's headers.
            if body[cursor...].starts(with: Array("--".utf8)) { return form }
            guard body[cursor...].starts(with: Array("\r\n".utf8)) else { throw malformed }
            cursor += 2
            guard let headerEnd = body.firstRange(of: Array("\r\n\r\n".utf8), from: cursor) else { throw malformed }
            let headers = String(decoding: body[cursor..<headerEnd.lowerBound], as: UTF8.self)
            guard let next = body.firstRange(of: Array("\r\n".utf8) + delimiter, from: headerEnd.upperBound) else { throw malformed }
            let content = Array(body[headerEnd.upperBound..<next.lowerBound])
            let disposition = Self.contentDisposition(headers)
            if let name = disposition["name"] {
                if let fileName = disposition["filename"] {
                    // Browsers send an empty part with an empty name when no file was chosen.
                    if !fileName.isEmpty { form.files[name] = UploadedFile(fileName: fileName, bytes: content) }
                } else {
                    form.add(name, String(decoding: content, as: UTF8.self))
                }
            }
            cursor = next.upperBound
        }
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

extension Array where Element == UInt8 {
    func firstRange(of needle: [UInt8], from start: Int) -> Range<Int>? {
        guard !needle.isEmpty, count >= needle.count else { return nil }
        var index = start
        let last = count - needle.count
        let head = needle[0]
        while index <= last {
            if self[index] == head && self[index..<(index + needle.count)].elementsEqual(needle) {
                return index..<(index + needle.count)
            }
            index += 1
        }
        return nil
    }
}
