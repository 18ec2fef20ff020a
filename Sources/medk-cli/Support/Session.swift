import Foundation
import MEDKCore

/// The saved login of `medk login`: server address and bearer token, readable by the owner only.
struct SavedSession: Codable {
    var server: String
    var token: String
    var login: String

    static var directory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let dir = environment["MEDK_CONFIG_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("medk") }
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return URL(fileURLWithPath: home).appendingPathComponent(".config/medk")
    }

    static var file: URL { directory.appendingPathComponent("session.json") }

    static func load() throws -> SavedSession {
        guard let data = try? Data(contentsOf: file), let session = try? JSONDecoder().decode(SavedSession.self, from: data) else {
            throw MEDKError(.unauthenticated, code: "not_logged_in", message: "Вход не выполнен: сначала «medk login --server URL».")
        }
        return session
    }

    func save() throws {
        try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let data = try JSONEncoder().encode(self)
        FileManager.default.createFile(atPath: Self.file.path, contents: data, attributes: [.posixPermissions: 0o600])
    }

    static func remove() {
        try? FileManager.default.removeItem(at: file)
    }
}
