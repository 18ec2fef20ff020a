import Foundation
import SWXMLHash
import ZIPFoundation

/// The parts of a DOCX or XLSX — a zip of XML files — read with every limit checked before
/// anything is unpacked: how many entries, what they claim to unpack to and in what ratio, and
/// whether their names stay inside the package. What is unpacked is counted again as it comes,
/// since a zip bomb's headers lie.
struct OOXMLPackage {
    private let archive: Archive
    private let format: TableFileFormat
    private let limits: TableImportLimits
    private var unpacked = 0

    init(_ data: Data, format: TableFileFormat, limits: TableImportLimits) throws(MEDKError) {
        self.format = format
        self.limits = limits
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw Self.broken(format)
        }
        var entries = 0
        var claimed: UInt64 = 0
        for entry in archive {
            entries += 1
            guard entries <= limits.maximumArchiveEntries else {
                throw MEDKError.rejected("archive_too_many_entries",
                                         "В файле больше \(limits.maximumArchiveEntries) частей: это не обычный \(format.russianName).")
            }
            guard Self.isInsidePackage(entry.path) else {
                throw MEDKError.rejected("archive_unsafe_path", "В файле есть часть с недопустимым именем «\(entry.path.prefix(80))».")
            }
            claimed += entry.uncompressedSize
            let ratio = entry.uncompressedSize / max(entry.compressedSize, 1)
            guard claimed <= UInt64(limits.maximumUnpackedBytes),
                  entry.uncompressedSize < 1 << 20 || ratio <= UInt64(limits.maximumCompressionRatio) else {
                throw Self.bomb(limits)
            }
        }
    }

    static func broken(_ format: TableFileFormat) -> MEDKError {
        MEDKError.rejected("file_unreadable", "Файл не читается как \(format.russianName): он повреждён или это файл другого вида.")
    }

    static func bomb(_ limits: TableImportLimits) -> MEDKError {
        MEDKError.rejected("archive_too_large", """
            Файл распаковывается больше чем в \(limits.maximumUnpackedBytes >> 20) МБ или сжат неправдоподобно сильно: \
            такой файл не импортируется.
            """)
    }

    /// A part's name as the package writes it («xl/worksheets/sheet1.xml»): relative, with no «..»,
    /// no backslashes, drive letters or control characters.
    static func isInsidePackage(_ path: String) -> Bool {
        guard !path.isEmpty, path.utf8.count <= 512, !path.hasPrefix("/"), !path.contains("\\"), !path.contains(":") else { return false }
        guard !path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }

    /// The part's bytes, or nil when the package has no such part.
    mutating func part(_ path: String) throws(MEDKError) -> Data? {
        guard let entry = archive[path] else { return nil }
        var bytes = Data()
        let budget = limits.maximumUnpackedBytes - unpacked
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard bytes.count + chunk.count <= budget else { throw Unpacking.overBudget }
                bytes.append(chunk)
            }
        } catch Unpacking.overBudget {
            throw Self.bomb(limits)
        } catch {
            throw Self.broken(format)
        }
        unpacked += bytes.count
        return bytes
    }

    private enum Unpacking: Error { case overBudget }

    /// A part parsed as XML; OOXML parts never declare a DTD, so one that does is refused before
    /// parsing (no entity expansion, no external entities).
    mutating func xml(_ path: String) throws(MEDKError) -> SWXMLHash.XMLElement? {
        guard let data = try part(path) else { return nil }
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw MEDKError.rejected("xml_dtd_refused", "Часть «\(path)» объявляет DTD: в файлах Word и Excel такого не бывает, файл не импортируется.")
        }
        let parsed = XMLHash.config { options in options.detectParsingErrors = true }.parse(data)
        if case .parsingError = parsed { throw Self.broken(format) }
        guard let root = parsed.children.first?.element else { throw Self.broken(format) }
        return root
    }
}

/// SpreadsheetML and WordprocessingML by local names: writers choose their own prefixes («x:row»).
extension SWXMLHash.XMLElement {
    var localName: Substring {
        name.lastIndex(of: ":").map { name[name.index(after: $0)...] } ?? Substring(name)
    }

    func elements(_ local: String) -> [SWXMLHash.XMLElement] {
        children.compactMap { ($0 as? SWXMLHash.XMLElement).flatMap { $0.localName == local ? $0 : nil } }
    }

    func element(_ local: String) -> SWXMLHash.XMLElement? {
        for child in children {
            if let element = child as? SWXMLHash.XMLElement, element.localName == local { return element }
        }
        return nil
    }

    /// An attribute by its local name («r:id» as «id», «w:val» as «val»).
    func value(_ local: String) -> String? {
        for (key, attribute) in allAttributes {
            let name = key.lastIndex(of: ":").map { key[key.index(after: $0)...] } ?? Substring(key)
            if name == local { return attribute.text }
        }
        return nil
    }
}
