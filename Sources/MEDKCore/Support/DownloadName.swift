import Foundation

/// The name a download is saved under, in the words of the page it came from — «Сроки — C2026 —
/// Забайкальский край.xlsx» rather than «deadlines-C2026-75.xlsx» — so that a coordinator finds it
/// among their files. Sent with an ASCII fallback and the real name (RFC 6266 `filename*`).
public enum DownloadName {
    /// Characters no common file system takes in a name (Windows is the strictest).
    static let forbidden = CharacterSet(charactersIn: "/\\:*?\"<>|").union(.controlCharacters)
    /// Long enough for a document's title; file systems allow 255 bytes, Cyrillic takes two each.
    static let maximumStemLength = 120

    public static func make(_ parts: [String?], ext: String) -> String { stem(parts) + "." + ext }

    /// The name without its extension: the parts joined by dashes, with what file systems refuse left out.
    public static func stem(_ parts: [String?]) -> String {
        let words = parts.compactMap { $0 }.map { part in
            String(part.unicodeScalars.map { forbidden.contains($0) ? " " : Character($0) })
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }.filter { !$0.isEmpty }
        var stem = words.joined(separator: " — ")
        if stem.count > maximumStemLength { stem = String(stem.prefix(maximumStemLength)).trimmingCharacters(in: .whitespaces) + "…" }
        // A name may not end in a dot or a space on Windows.
        while let last = stem.last, last == "." || last == " " { stem.removeLast() }
        return stem.isEmpty ? "МЭДК" : stem
    }
}
