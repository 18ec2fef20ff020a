import Foundation
import ZIPFoundation

/// The parts of a DOCX or XLSX — a zip of XML files — read with every limit checked before
/// anything is unpacked: how many entries, what they claim to unpack to and in what ratio, and
/// whether their names stay inside the package. What is unpacked is counted again as it comes,
/// since a zip bomb's headers lie.
struct OOXMLPackage {
    private let archive: Archive
    private let format: TableFileFormat
    private let limits: TableImportLimits
    private let temporaryDirectory: URL
    private var unpacked = 0

    init(_ data: Data, format: TableFileFormat, limits: TableImportLimits, temporaryDirectory: URL) throws(MEDKError) {
        self.format = format
        self.limits = limits
        self.temporaryDirectory = temporaryDirectory
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw Self.broken(format)
        }
        try Self.checkEntries(archive, limits: limits, kind: format.russianName)
    }

    /// The limits every zip we accept is held to, read from its directory before anything is
    /// unpacked: how many entries, whether their names stay inside, what they claim to unpack to.
    static func checkEntries(_ archive: Archive, limits: TableImportLimits, kind: String) throws(MEDKError) {
        var entries = 0
        var claimed: UInt64 = 0
        for entry in archive {
            entries += 1
            guard entries <= limits.maximumArchiveEntries else {
                throw MEDKError.rejected("archive_too_many_entries",
                                         "В файле больше \(limits.maximumArchiveEntries) частей: это не обычный \(kind).")
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

    static func broken(_ format: TableFileFormat) -> MEDKError { broken(kind: format.russianName) }

    static func broken(kind: String) -> MEDKError {
        MEDKError.rejected("file_unreadable", "Файл не читается как \(kind): он повреждён или это файл другого вида.")
    }

    /// An uploaded document that is a zip (DOCX, XLSX, ODT, ODS), held to the limits of an import:
    /// its directory checked, then every part unpacked — and thrown away — to prove that together
    /// they unpack to no more than the limit and that each is whole (its checksum). A zip bomb or a
    /// broken file is refused before it is stored.
    static func verifyUpload(_ file: URL, kind: String, limits: TableImportLimits = TableImportLimits()) throws(MEDKError) {
        let archive: Archive
        do {
            archive = try Archive(url: file, accessMode: .read)
        } catch {
            throw broken(kind: kind)
        }
        try checkEntries(archive, limits: limits, kind: kind)
        var unpacked = 0
        do {
            for entry in archive where entry.type == .file {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    unpacked += chunk.count
                    guard unpacked <= limits.maximumUnpackedBytes else { throw Unpacking.overBudget }
                }
            }
        } catch Unpacking.overBudget {
            throw bomb(limits)
        } catch {
            throw broken(kind: kind)
        }
    }

    static func bomb(_ limits: TableImportLimits) -> MEDKError {
        MEDKError.rejected("archive_too_large", """
            Файл распаковывается больше чем в \(limits.maximumUnpackedBytes >> 20) МБ или сжат неправдоподобно сильно: \
            такой файл не принимается.
            """)
    }

    /// A part's name as the package writes it («xl/worksheets/sheet1.xml»): relative, with no «..»,
    /// no backslashes, drive letters or control characters.
    static func isInsidePackage(_ path: String) -> Bool {
        guard !path.isEmpty, path.utf8.count <= 512, !path.hasPrefix("/"), !path.contains("\\"), !path.contains(":") else { return false }
        guard !path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }

    /// Streams the part through `handler`, or returns false when the package has no such part.
    ///
    /// The part is unpacked to a private temporary file as its bytes are screened (`XMLPartScreen`:
    /// UTF-8, no DTD, a bounded number of elements, no endless run), so a hostile part is refused
    /// while it is being unpacked, and memory holds one chunk of it at a time. The parser then reads
    /// the file in chunks (`XMLEvents`). What was unpacked counts against the package's budget.
    mutating func read(_ path: String, into handler: any XMLEventHandler) throws(MEDKError) -> Bool {
        guard let entry = archive[path] else { return false }
        let file = temporaryDirectory.appendingPathComponent("medk-part-\(UUID().uuidString).xml")
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: PrivateFiles.fileMode]),
              let output = try? FileHandle(forWritingTo: file) else {
            throw MEDKError(.internalFailure, code: "import_failed", message: "Не удалось прочитать файл: нет места для временных данных.")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        var screen = XMLPartScreen(part: path, limits: limits)
        var written = 0
        let budget = limits.maximumUnpackedBytes - unpacked
        do {
            defer { try? output.close() }
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard written + chunk.count <= budget else { throw Unpacking.overBudget }
                written += chunk.count
                try chunk.withUnsafeBytes { bytes in try screen.screen(bytes) }
                try output.write(contentsOf: chunk)
            }
            try screen.finish()
        } catch Unpacking.overBudget {
            throw Self.bomb(limits)
        } catch let refusal as MEDKError {
            throw refusal
        } catch {
            throw Self.broken(format)
        }
        unpacked += written
        try XMLEvents.parse(file, part: path, into: handler, limits: limits, format: format)
        return true
    }

    private enum Unpacking: Error { case overBudget }
}
