import Foundation

/// Databases of every schema version MEDK has shipped (Tests/MEDKCoreTests/Fixtures/upgrades,
/// `sqlite.tar.xz`: `vNN/medk.sqlite`, and `vNN/audit.key` from v4 on), unpacked once per test
/// process; each test copies the version it opens.
public enum UpgradeFixtures {
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("MEDKCoreTests/Fixtures/upgrades")
    public static let archive = directory.appendingPathComponent("sqlite.tar.xz")

    public static let unpacked: URL = {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("medk-upgrade-fixtures-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["-xJf", archive.path, "-C", target.path]
        try? processLaunch.withLock { _ in try tar.run() }
        tar.waitUntilExit()
        return target
    }()

    public static func name(_ version: Int) -> String { String(format: "v%02d", version) }

    /// A fresh copy of version `version`'s data directory.
    public static func copy(_ version: Int) throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("medk-upgrade-\(name(version))-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: unpacked.appendingPathComponent(name(version)), to: target)
        return target
    }
}
