import Foundation

/// The file formats schools may upload, recognised by their own bytes, never by the name
/// or the Content-Type a client claims.
public enum AllowedMediaType: String, Codable, Sendable, CaseIterable {
    case pdf = "application/pdf"
    case docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    case xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    case odt = "application/vnd.oasis.opendocument.text"
    case ods = "application/vnd.oasis.opendocument.spreadsheet"
    case doc = "application/msword"
    case xls = "application/vnd.ms-excel"
    case jpeg = "image/jpeg"
    case png = "image/png"

    public var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .docx: "docx"
        case .xlsx: "xlsx"
        case .odt: "odt"
        case .ods: "ods"
        case .doc: "doc"
        case .xls: "xls"
        case .jpeg: "jpg"
        case .png: "png"
        }
    }

    public static let russianList = "PDF, DOCX, XLSX, ODT, ODS, DOC, XLS, JPEG, PNG"

    /// For the formats that are zip archives: what to call them in a refusal.
    public var zipKind: String? {
        switch self {
        case .docx: "документ Word (DOCX)"
        case .xlsx: "книга Excel (XLSX)"
        case .odt: "документ OpenDocument (ODT)"
        case .ods: "таблица OpenDocument (ODS)"
        default: nil
        }
    }
}

public enum MediaTypeSniffer {
    /// Recognises a file from its head (first bytes) and, for ZIP and OLE containers,
    /// the names of the parts inside, which `contains` looks up in the whole file.
    public static func detect(head: [UInt8], fileName: String, contains: (String) -> Bool) -> AllowedMediaType? {
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return detectZip(head: head, contains: contains) }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return detectOLE(fileName: fileName, contains: contains)
        }
        return nil
    }

    private static func detectZip(head: [UInt8], contains: (String) -> Bool) -> AllowedMediaType? {
        // OpenDocument stores an uncompressed "mimetype" entry first.
        let headText = String(decoding: head.prefix(200), as: UTF8.self)
        if headText.contains("mimetypeapplication/vnd.oasis.opendocument.text") { return .odt }
        if headText.contains("mimetypeapplication/vnd.oasis.opendocument.spreadsheet") { return .ods }
        guard contains("[Content_Types].xml") else { return nil }
        if contains("word/document.xml") { return .docx }
        if contains("xl/workbook.xml") { return .xlsx }
        return nil
    }

    private static func detectOLE(fileName: String, contains: (String) -> Bool) -> AllowedMediaType? {
        // Stream names in an OLE directory are UTF-16LE.
        func utf16(_ name: String) -> String { String(name.flatMap { [$0, "\u{0}"] }) }
        if contains(utf16("WordDocument")) { return .doc }
        if contains(utf16("Workbook")) || contains(utf16("Book")) { return .xls }
        return nil
    }
}
