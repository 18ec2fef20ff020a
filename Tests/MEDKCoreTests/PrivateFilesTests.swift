import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Data on disk is private to the account that runs MEDK", .enabled(if: TestWorld.onSQLite, "tampers with, reads or plans on the SQLite file itself"))
struct PrivateFilesTests {
    static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("the database, its WAL, stored documents, backups and their directories are 0600 and 0700, whatever the umask")
    func modes() async throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let world = try await TestWorld()
        let detail = try await world.submittedDocument(.developmentConcept, school: "A")
        let directory = world.service.dataDirectory.path
        let database = world.service.databasePath
        let backup = directory + "/backup-copy.sqlite"
        try await world.service.backup(to: backup)
        let file = try #require(detail.files.last)
        guard case .localFile(let url) = world.service.files.content(sha256: file.sha256, size: file.size) else {
            Issue.record("files are kept in the data directory on SQLite")
            return
        }
        let stored = url.path
        for path in [database, database + "-wal", backup, stored] {
            #expect(try Self.mode(path) == 0o600, "\(path)")
        }
        for path in [directory, world.service.files.root.path, world.service.files.temporaryDirectory.path,
                     url.deletingLastPathComponent().path] {
            #expect(try Self.mode(path) == 0o700, "\(path)")
        }
    }
}
