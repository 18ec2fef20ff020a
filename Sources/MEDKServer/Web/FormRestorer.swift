import Foundation
import MEDKCore

/// Puts a refused form back into its page as the person left it — in one place for every form,
/// rather than in each page and template: the page is rendered as usual, then the form the draft
/// came from is found in its HTML (the one posting to the draft's path whose hidden fields agree
/// with the draft's) and its fields are given the draft's values. Text fields and areas get what
/// was typed, boxes and choices what was chosen; hidden fields keep the page's fresh values (a
/// revision, say); file fields ask for their file again. The refusal goes at the top of the form
/// (`#draft`, where the redirect lands), each field's own problem beside it, and a `<details>`
/// around the form is opened. Works on the HTML our templates write: attributes quoted, no `>`
/// inside them (Mustache escapes it).
enum FormRestorer {
    /// One tag of the page, by its byte range.
    struct Tag {
        var name: String
        var closing: Bool
        var range: Range<Int>
        var attributes: [(name: String, value: String?)]

        func attribute(_ name: String) -> String? {
            attributes.first { $0.name == name }.flatMap { $0.value }
        }

        func has(_ name: String) -> Bool { attributes.contains { $0.name == name } }

        /// The tag written again, with `changes` applied (nil removes an attribute) and `extra` added.
        func written(setting changes: [String: String?]) -> String {
            var out = "<" + name
            var seen = Set<String>()
            for attribute in attributes {
                if let change = changes[attribute.name] {
                    seen.insert(attribute.name)
                    guard let value = change else { continue }
                    out += " \(attribute.name)=\"\(FormRestorer.escape(value))\""
                } else if let value = attribute.value {
                    out += " \(attribute.name)=\"\(FormRestorer.escape(value))\""
                } else {
                    out += " " + attribute.name
                }
            }
            for (name, value) in changes.sorted(by: { $0.key < $1.key }) where !seen.contains(name) {
                guard let value else { continue }
                out += value.isEmpty && ["checked", "selected", "open"].contains(name) ? " \(name)" : " \(name)=\"\(FormRestorer.escape(value))\""
            }
            return out + ">"
        }
    }

    static let interesting: Set<String> = ["form", "input", "textarea", "select", "option", "details"]

    /// The tags of interest, in order.
    static func tags(_ bytes: [UInt8]) -> [Tag] {
        var tags: [Tag] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else { index += 1; continue }
            var cursor = index + 1
            let closing = cursor < bytes.count && bytes[cursor] == UInt8(ascii: "/")
            if closing { cursor += 1 }
            let nameStart = cursor
            while cursor < bytes.count, isNameByte(bytes[cursor]) { cursor += 1 }
            guard cursor > nameStart, let end = bytes[cursor...].firstIndex(of: UInt8(ascii: ">")) else { index += 1; continue }
            let name = String(decoding: bytes[nameStart..<cursor], as: UTF8.self).lowercased()
            if interesting.contains(name) {
                tags.append(Tag(name: name, closing: closing, range: index..<(end + 1),
                                attributes: closing ? [] : attributes(bytes[cursor..<end])))
            }
            index = end + 1
        }
        return tags
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func attributes(_ bytes: ArraySlice<UInt8>) -> [(name: String, value: String?)] {
        var result: [(name: String, value: String?)] = []
        var index = bytes.startIndex
        func skipSpace() { while index < bytes.endIndex, [9, 10, 13, 32, 47].contains(bytes[index]) { index += 1 } }
        while true {
            skipSpace()
            guard index < bytes.endIndex else { break }
            let start = index
            while index < bytes.endIndex, ![9, 10, 13, 32, 61, 62, 47].contains(bytes[index]) { index += 1 }
            let name = String(decoding: bytes[start..<index], as: UTF8.self).lowercased()
            guard !name.isEmpty else { index += 1; continue }
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "=") {
                index += 1
                var value: ArraySlice<UInt8>
                if index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                    let quote = bytes[index]
                    let valueStart = index + 1
                    let valueEnd = bytes[valueStart...].firstIndex(of: quote) ?? bytes.endIndex
                    value = bytes[valueStart..<valueEnd]
                    index = min(valueEnd + 1, bytes.endIndex)
                } else {
                    let valueStart = index
                    while index < bytes.endIndex, ![9, 10, 13, 32].contains(bytes[index]) { index += 1 }
                    value = bytes[valueStart..<index]
                }
                result.append((name, unescape(String(decoding: value, as: UTF8.self))))
            } else {
                result.append((name, nil))
            }
        }
        return result
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&#x27;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The path of a form's action, as the draft records where it was posted.
    static func path(_ action: String) -> String {
        String(action.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// Hidden fields that are the page's state, not a choice: they never pick a form.
    static let stateFields: Set<String> = ["_csrf", "expectedRevision", "expectedState", "expectedVersion", "seenSeq"]

    /// The page's HTML with the draft's form restored, or with its refusal at the top when the page
    /// has no such form any more (the person still reads why, and nothing is silently dropped).
    static func restore(_ draft: FormDraft, in html: String) -> String {
        let bytes = Array(html.utf8)
        let tags = tags(bytes)
        var forms: [(open: Int, close: Int)] = []
        var openForm: Int?
        for (index, tag) in tags.enumerated() where tag.name == "form" {
            if !tag.closing { openForm = index } else if let start = openForm { forms.append((start, index)); openForm = nil }
        }
        let candidates = forms.filter { form in
            let tag = tags[form.open]
            return (tag.attribute("method") ?? "get").lowercased() == "post" && path(tag.attribute("action") ?? "") == draft.action
        }
        // Among forms posting to the same place (confirm and return), the one whose choices agree.
        let scored = candidates.map { form -> (form: (open: Int, close: Int), score: Int) in
            var score = 0
            for tag in tags[(form.open + 1)..<form.close] where tag.name == "input" && !tag.closing
                && (tag.attribute("type") ?? "").lowercased() == "hidden" {
                guard let name = tag.attribute("name"), !stateFields.contains(name) else { continue }
                let values = draft.values(name)
                if values.isEmpty { continue }
                score += values.contains(tag.attribute("value") ?? "") ? 1 : -1
            }
            return (form, score)
        }
        guard let chosen = scored.max(by: { $0.score < $1.score })?.form else {
            return insertAtTop(errorBox(draft), of: html)
        }
        var edits: [(range: Range<Int>, text: String)] = []
        var used: [String: Int] = [:]
        func next(_ name: String) -> String? {
            let values = draft.values(name)
            let index = used[name, default: 0]
            used[name] = index + 1
            return index < values.count ? values[index] : nil
        }
        let errors = draft.fieldErrors
        var errorShown = Set<String>()
        func errorNote(_ name: String?) -> String {
            guard let name, let message = errors[name], errorShown.insert(name).inserted else { return "" }
            return "<p class=\"field-error\" id=\"draft-error-\(escape(name))\">\(escape(message))</p>"
        }
        func invalid(_ name: String?) -> [String: String?] {
            guard let name, errors[name] != nil else { return [:] }
            return ["aria-invalid": "true", "aria-describedby": "draft-error-\(name)"]
        }
        var index = chosen.open + 1
        while index < chosen.close {
            let tag = tags[index]
            defer { index += 1 }
            guard !tag.closing else { continue }
            let name = tag.attribute("name")
            switch tag.name {
            case "input":
                let type = (tag.attribute("type") ?? "text").lowercased()
                guard let name else { continue }
                switch type {
                case "hidden", "password", "submit", "button", "image", "reset":
                    continue
                case "file":
                    let note = draft.files.first { $0.name == name }.map {
                        "<p class=\"field-note\">Файл «\(escape($0.value))» не сохранён: выберите его снова.</p>"
                    } ?? ""
                    edits.append((tag.range, tag.written(setting: invalid(name)) + note + errorNote(name)))
                case "checkbox", "radio":
                    let chosenValues = draft.values(name)
                    let value = tag.attribute("value") ?? "on"
                    var changes = invalid(name)
                    changes["checked"] = chosenValues.contains(value) ? "" : String?.none
                    // A group's problem goes before its first box: after it would split a box from its label.
                    edits.append((tag.range, errorNote(name) + tag.written(setting: changes)))
                default:
                    guard let value = next(name) else { continue }
                    var changes = invalid(name)
                    changes["value"] = value
                    edits.append((tag.range, tag.written(setting: changes) + errorNote(name)))
                }
            case "textarea":
                guard let name, let close = tags[index...].firstIndex(where: { $0.name == "textarea" && $0.closing }) else { continue }
                let value = next(name) ?? ""
                edits.append((tag.range.lowerBound..<tags[close].range.upperBound,
                              tag.written(setting: invalid(name)) + escape(value) + "</textarea>" + errorNote(name)))
                index = close
            case "select":
                guard let name, let close = tags[index...].firstIndex(where: { $0.name == "select" && $0.closing }) else { continue }
                let chosenValues = draft.values(name)
                edits.append((tag.range, tag.written(setting: invalid(name))))
                if !chosenValues.isEmpty {
                    for option in tags[(index + 1)..<close] where option.name == "option" && !option.closing {
                        let selected = chosenValues.contains(option.attribute("value") ?? "")
                        edits.append((option.range, option.written(setting: ["selected": selected ? "" : String?.none])))
                    }
                }
                edits.append((tags[close].range, "</select>" + errorNote(name)))
                index = close
            default:
                continue
            }
        }
        // The refusal at the top of the form, with what could not be placed beside a field.
        let formTag = tags[chosen.open]
        edits.append((formTag.range, formTag.written(setting: [:]) + errorBox(draft, except: errorShown.union(placeable(tags, chosen)))))
        // Any <details> still open around the form is opened.
        var around: [Int] = []
        for tag in tags[..<chosen.open] where tag.name == "details" {
            if tag.closing { _ = around.popLast() } else { around.append(tags.firstIndex { $0.range == tag.range }!) }
        }
        for detailsIndex in around where !tags[detailsIndex].has("open") {
            edits.append((tags[detailsIndex].range, tags[detailsIndex].written(setting: ["open": ""])))
        }
        return apply(edits, to: bytes)
    }

    /// The names of the form's fields a problem can be shown beside.
    private static func placeable(_ tags: [Tag], _ form: (open: Int, close: Int)) -> Set<String> {
        Set(tags[(form.open + 1)..<form.close].compactMap { tag in
            guard !tag.closing, ["input", "textarea", "select"].contains(tag.name),
                  (tag.attribute("type") ?? "").lowercased() != "hidden" else { return nil }
            return tag.attribute("name")
        })
    }

    /// The refusal as a box: its message, its lines and the problems of fields not in `except`.
    static func errorBox(_ draft: FormDraft, except shown: Set<String> = []) -> String {
        var lines = draft.details
        // A field's problem is one of the lines already; it is left out when it is shown beside its field.
        let besideFields = draft.fieldErrors.filter { shown.contains($0.key) }.map(\.value)
        lines.removeAll { besideFields.contains($0) }
        for (name, message) in draft.fieldErrors.sorted(by: { $0.key < $1.key }) where !shown.contains(name) && !lines.contains(message) {
            lines.append(message)
        }
        var box = "<div class=\"flash flash-error form-error\" id=\"draft\" role=\"alert\" tabindex=\"-1\"><strong>Не выполнено.</strong> "
            + escape(draft.message)
        if !lines.isEmpty { box += "<ul>" + lines.map { "<li>\(escape($0))</li>" }.joined() + "</ul>" }
        if !draft.files.isEmpty {
            box += "<p>Файлы не сохраняются между попытками: выберите их снова.</p>"
        }
        return box + "</div>"
    }

    private static func insertAtTop(_ box: String, of html: String) -> String { box + html }

    private static func apply(_ edits: [(range: Range<Int>, text: String)], to bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4096)
        var position = 0
        for edit in edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) where edit.range.lowerBound >= position {
            out += bytes[position..<edit.range.lowerBound]
            out += Array(edit.text.utf8)
            position = edit.range.upperBound
        }
        out += bytes[position...]
        return String(decoding: out, as: UTF8.self)
    }
}
