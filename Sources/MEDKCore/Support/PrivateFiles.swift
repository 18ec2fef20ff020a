import Foundation

/// The data directory holds personal data and decisions: its directories are 0700 and its files
/// 0600 whatever the umask, so other accounts on the server cannot read them.
enum PrivateFiles {
    static let directoryMode: Int16 = 0o700
    static let fileMode: Int16 = 0o600

    /// Creates the directory (and missing parents) as 0700, and tightens it if it existed.
    static func makeDirectory(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: directoryMode])
        try? FileManager.default.setAttributes([.posixPermissions: directoryMode], ofItemAtPath: url.path)
    }

    /// Makes existing files 0600 (those that do not exist are skipped). SQLite creates its WAL and
    /// shared-memory files with the database file's mode, so restricting that file is enough for them.
    static func restrict(_ paths: String...) {
        for path in paths where FileManager.default.fileExists(atPath: path) {
            try? FileManager.default.setAttributes([.posixPermissions: fileMode], ofItemAtPath: path)
        }
    }
}
