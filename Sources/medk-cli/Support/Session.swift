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

/// The device tokens `medk login` was given, by server and login: shown at the next login so that
/// this computer is judged by its own failures, not by others' guesses at the account. Kept apart
/// from the session, since logging out does not make the computer a stranger.
struct SavedDevices: Codable {
    var tokens: [String: String] = [:]

    static var file: URL { SavedSession.directory.appendingPathComponent("devices.json") }

    static func key(server: String, login: String) -> String { "\(server) \(login.lowercased())" }

    static func load() -> SavedDevices {
        guard let data = try? Data(contentsOf: file), let devices = try? JSONDecoder().decode(SavedDevices.self, from: data) else {
            return SavedDevices()
        }
        return devices
    }

    func save() throws {
        try FileManager.default.createDirectory(at: SavedSession.directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        FileManager.default.createFile(atPath: Self.file.path, contents: try JSONEncoder().encode(self),
                                       attributes: [.posixPermissions: 0o600])
    }
}
