import Crypto
import Foundation
import MEDKCore
import MEDKTestSupport
import Testing
import ZIPFoundation

@Suite("Uploaded files")
struct FileStoreTests {
    static func store(maxBytes: Int64 = 1024 * 1024) throws -> (FileStore, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("medk-files-\(UUID().uuidString)")
        return (try FileStore(root: root, maxBytes: maxBytes), root)
    }

    /// Bytes in chunks, the way a network body arrives.
    struct Chunks: AsyncSequence, Sendable {
        typealias Element = [UInt8]
        let bytes: [UInt8]
        let size: Int
        struct AsyncIterator: AsyncIteratorProtocol {
            var remaining: ArraySlice<UInt8>
            let size: Int
            mutating func next() async throws -> [UInt8]? {
                guard !remaining.isEmpty else { return nil }
                defer { remaining = remaining.dropFirst(size) }
                return Array(remaining.prefix(size))
            }
        }
        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: bytes[...], size: size) }
    }

    static let zipHeader: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    static let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    static func utf16(_ text: String) -> [UInt8] { Array(text.utf8).flatMap { [$0, 0] } }

    @Test("the type is recognised by the bytes, whatever the name says", arguments: [
        (Array("%PDF-1.7 body".utf8), "scan.docx", AllowedMediaType.pdf),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2], "photo.pdf", .png),
        ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "photo", .jpeg),
        (zipHeader + Array("....[Content_Types].xml....word/document.xml".utf8), "report.bin", .docx),
        (zipHeader + Array("....[Content_Types].xml....xl/workbook.xml".utf8), "table", .xlsx),
        (zipHeader + Array("\0\0\0\0mimetypeapplication/vnd.oasis.opendocument.text".utf8), "doc", .odt),
        (ole + utf16("WordDocument"), "old.doc", .doc),
        (ole + utf16("Workbook"), "old.xls", .xls),
    ] as [([UInt8], String, AllowedMediaType)])
    func sniffing(bytes: [UInt8], name: String, expected: AllowedMediaType) async throws {
        let (store, root) = try Self.store()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try await store.store(bytes: bytes, fileName: name).mediaType == expected)
    }

    @Test("executables, HTML, plain ZIPs and empty files are refused and leave nothing behind", arguments: [
        Array("MZ\u{90}\0 program".utf8), Array("<html><script>".utf8), zipHeader + Array("just a zip".utf8), [],
    ])
    func refused(bytes: [UInt8]) async throws {
        let (store, root) = try Self.store()
        defer { try? FileManager.default.removeItem(at: root) }
        await #expect(throws: MEDKError.self) { try await store.store(bytes: bytes, fileName: "x.pdf") }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0 != "tmp" }
        #expect(leftovers.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("tmp").path).isEmpty)
    }

    @Test("the size limit is enforced while streaming")
    func sizeLimit() async throws {
        let (store, root) = try Self.store(maxBytes: 10_000)
        defer { try? FileManager.default.removeItem(at: root) }
        let big = Array("%PDF-".utf8) + [UInt8](repeating: 0x20, count: 20_000)
        let error = await #expect(throws: MEDKError.self) { try await store.store(Chunks(bytes: big, size: 4096), fileName: "big.pdf") }
        #expect(error?.kind == .tooLarge)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("tmp").path).isEmpty)
        let fits = Array("%PDF-".utf8) + [UInt8](repeating: 0x20, count: 9_995)
        #expect(try await store.store(Chunks(bytes: fits, size: 4096), fileName: "ok.pdf").size == 10_000)
    }

    @Test("files are stored by content hash and never overwritten")
    func contentAddressed() async throws {
        let (store, root) = try Self.store()
        defer { try? FileManager.default.removeItem(at: root) }
        let bytes = TestWorld.pdf("same")
        let first = try await store.store(Chunks(bytes: bytes, size: 7), fileName: "a.pdf")
        let second = try await store.store(bytes: bytes, fileName: "b.pdf")
        #expect(first == second)
        #expect(first.sha256.count == 64)
        #expect(try await store.read(hash: first.sha256, size: first.size) == Data(bytes))
    }

    @Test("a file name with a right-to-left override, which would show «.exe» as «.pdf», is refused")
    func bidiFileName() async throws {
        let world = try await TestWorld()
        let draft = try await world.draftDocument(school: "A")
        for name in ["отчёт\u{202E}fdp.exe", "акт\u{2067}.pdf", "приказ\u{200F}.pdf"] {
            let error = await #expect(throws: MEDKError.self) {
                try await world.service.upload(itemID: draft.item.id, fileName: name, chunks: OneChunk(bytes: TestWorld.pdf("п")),
                                               by: try await world.actor("school-A"))
            }
            #expect(error?.code == "invalid_file_name", "\(name.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test("an upload refused for its type writes no version row")
    func noRowForRefusedUpload() async throws {
        let world = try await TestWorld()
        let draft = try await world.draftDocument(school: "A")
        let error = await #expect(throws: MEDKError.self) {
            try await world.service.upload(itemID: draft.item.id, fileName: "virus.exe", chunks: OneChunk(bytes: Array("MZ".utf8)),
                                           by: try await world.actor("school-A"))
        }
        #expect(error?.code == "unsupported_media_type")
        #expect(try await world.service.item(draft.item.id, for: try await world.actor("school-A")).files.count == 1)
    }

    @Test("temporary files a crash left behind are removed once they are an hour old; fresh ones are left alone")
    func abandonedTemporaryFiles() throws {
        let (store, root) = try Self.store()
        defer { try? FileManager.default.removeItem(at: root) }
        let old = store.temporaryDirectory.appendingPathComponent("cut-off-upload")
        let fresh = store.temporaryDirectory.appendingPathComponent("upload-in-progress")
        for url in [old, fresh] { FileManager.default.createFile(atPath: url.path, contents: Data("%PDF".utf8)) }
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: old.path)
        #expect(store.removeAbandonedTemporaryFiles(olderThan: 3600) == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory.path) == ["upload-in-progress"])
    }
}

@Suite("Uploaded documents that are zips")
struct ZipUploadTests {
    static func zip(_ entries: [(String, Data)]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, bytes) in entries {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return Array(archive.data!)
    }

    static let contentTypes = ("[Content_Types].xml", Data("<Types/>".utf8))

    @Test("a DOCX that is a zip bomb is refused and nothing is stored; a real one is kept")
    func docxBomb() async throws {
        let world = try await TestWorld()
        let draft = try await world.draftDocument(school: "A")
        let owner = try await world.actor("school-A")
        let bomb = try Self.zip([Self.contentTypes, ("word/document.xml", Data(count: 8 << 20))])
        #expect(bomb.count < 64 << 10)
        let refusal = await #expect(throws: MEDKError.self) {
            try await world.service.upload(itemID: draft.item.id, fileName: "концепция.docx", chunks: OneChunk(bytes: bomb), by: owner)
        }
        #expect(refusal?.code == "archive_too_large")
        #expect(try await world.service.item(draft.item.id, for: owner).files.count == 1, "nothing was recorded")
        #expect(try await !world.service.files.contains(sha256: SHA256.hash(data: bomb).hexString), "the bomb is not kept")
        if TestWorld.onSQLite {
            let stored = try FileManager.default.subpathsOfDirectory(atPath: world.service.files.root.path)
                .filter { !$0.hasPrefix("tmp") && $0.count > 60 }
            #expect(stored.count == 1, "only the first PDF is on disk: \(stored)")
        }

        let document = try Self.zip([Self.contentTypes, ("word/document.xml", Data("<w:document/>".utf8))])
        let kept = try await world.service.upload(itemID: draft.item.id, fileName: "концепция.docx", chunks: OneChunk(bytes: document), by: owner)
        #expect(kept.files.last?.mediaType == AllowedMediaType.docx.rawValue)
    }

    @Test("a zip whose parts are broken is refused as unreadable")
    func brokenZip() async throws {
        let world = try await TestWorld()
        let draft = try await world.draftDocument(school: "A")
        var bytes = try Self.zip([Self.contentTypes, ("xl/workbook.xml", Data(String(repeating: "<sheet/>", count: 2000).utf8))])
        // A few bytes into the workbook's compressed data (after its local header's name).
        let name = Array("xl/workbook.xml".utf8)
        let start = try #require((0..<bytes.count - name.count).first { bytes[$0..<$0 + name.count].elementsEqual(name) })
        for offset in 4..<12 { bytes[start + name.count + offset] ^= 0x5A }
        let refusal = await #expect(throws: MEDKError.self) {
            try await world.service.upload(itemID: draft.item.id, fileName: "книга.xlsx", chunks: OneChunk(bytes: bytes),
                                           by: try await world.actor("school-A"))
        }
        #expect(refusal?.code == "file_unreadable")
    }

    @Test("a comment is answered with the comment, however long the discussion")
    func commentAnswer() async throws {
        let world = try await TestWorld()
        let item = try await world.submittedDocument(school: "A")
        let curator = try await world.actor("curator1")
        let long = String(repeating: "Замечание к разделу. ", count: 230)
        for _ in 0..<120 { try await world.service.comment(itemID: item.item.id, text: long, by: curator) }
        let answer = try await world.service.comment(itemID: item.item.id, text: "Последнее", by: curator)
        #expect(answer.comment == "Последнее" && answer.action == .itemComment && answer.actor == "curator1")
        #expect(try JSONEncoder().encode(answer).count < 2_000)
    }
}

@Suite("Kept files")
struct KeptFileTests {
    /// A PDF of `size` bytes, different for each marker: several of PostgreSQL's chunks long.
    static func largePDF(_ marker: String, size: Int) -> [UInt8] {
        var bytes = TestWorld.pdf(marker)
        var generator = SystemRandomNumberGenerator()
        while bytes.count < size { bytes.append(UInt8.random(in: 0...255, using: &generator)) }
        return bytes
    }

    @Test("a file longer than a chunk comes back byte for byte, on this server and on another")
    func roundTrip() async throws {
        let world = try await TestWorld()
        let bytes = Self.largePDF("chunks", size: 700_000)
        let blob = try await world.service.files.store(FileStoreTests.Chunks(bytes: bytes, size: 65_536), fileName: "план.pdf")
        #expect(blob.size == 700_000)
        #expect(try await world.service.files.read(hash: blob.sha256, size: blob.size) == Data(bytes))
        #expect(try await world.service.files.contains(sha256: blob.sha256))
        if let other = try world.anotherServer() {
            #expect(try await other.files.read(hash: blob.sha256, size: blob.size) == Data(bytes), "any server sends any file")
        }
    }

    @Test("the same file uploaded twice, on two servers at once, is kept once and reads whole")
    func sameFileTwice() async throws {
        let world = try await TestWorld()
        let other = try world.anotherServer() ?? world.service
        let bytes = Self.largePDF("twice", size: 300_000)
        async let first = world.service.files.store(bytes: bytes, fileName: "a.pdf")
        async let second = other.files.store(bytes: bytes, fileName: "b.pdf")
        let (a, b) = try await (first, second)
        #expect(a == b)
        #expect(try await other.files.read(hash: a.sha256, size: a.size) == Data(bytes))
        #expect(try world.service.files.temporaryDirectory.contents().isEmpty && other.files.temporaryDirectory.contents().isEmpty,
                "no temporary file is left behind")
    }

    @Test("a hash nothing was kept under is not contained")
    func unknownHash() async throws {
        let world = try await TestWorld()
        #expect(try await !world.service.files.contains(sha256: String(repeating: "ab", count: 32)))
    }
}

private extension URL {
    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path) }
}
