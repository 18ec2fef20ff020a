import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

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
        #expect(try store.read(hash: first.sha256) == Data(bytes))
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
