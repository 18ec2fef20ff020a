import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("The server starts on a database of an older schema", .serialized,
       .enabled(if: TestWorld.onSQLite, "the fixtures are SQLite files"))
struct UpgradedServerTests {
    /// The first version, the one that brought the audit key, the one that brought mail, and the
    /// last before today's: a server upgrades each as it starts and serves its people.
    @Test("medk serve upgrades an older data directory as it starts, and its people sign in and see their work",
          arguments: [1, 4, 13, 24])
    func serverStartsOnUpgradedDatabase(version: Int) throws {
        let directory = try UpgradeFixtures.copy(version)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The fixtures' people keep the demonstration's passwords: the server starts only as a demonstration.
        let server = try RunningServer(dataDirectory: directory, extraArguments: ["--demo"])
        defer { server.stop() }
        let curator = MEDKProcess(password: DemoData.password)
        let login = try curator.run(["login", "--server", server.url, "--user", "curator-ivanova"])
        #expect(login.status == 0, "\(UpgradeFixtures.name(version)): \(login)")
        let queue = try curator.run(["queue"])
        #expect(queue.status == 0, "\(UpgradeFixtures.name(version)): \(queue)")
        server.stop()
        let verify = try MEDKProcess().run(["audit", "verify", "--data-dir", directory.path])
        #expect(verify.status == 0, "\(UpgradeFixtures.name(version)): \(verify)")
    }
}
