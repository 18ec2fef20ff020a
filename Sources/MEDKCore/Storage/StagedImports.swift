import Foundation

/// Roadmap tables kept between the preview a person looked at and their «apply», so the web page
/// need not ask for the file twice. One file per preview under `root/staged`, named by the user it
/// belongs to and a random token: only that user can apply it, and a token names nothing else in
/// the store. Applied files are removed; the rest go after a day, and a user keeps a few at most,
/// so previews cannot fill the disk.
extension FileStore {
    public static let stagedImportLifetime: TimeInterval = 24 * 3600
    public static let stagedImportsPerUser = 5

    var stagedDirectory: URL { root.appendingPathComponent("staged") }

    /// Keeps `data` for `userID`; returns the token that names it.
    public func stageImport(_ data: Data, owner userID: Int64, now: Date = Date()) throws -> String {
        try PrivateFiles.makeDirectory(stagedDirectory)
        removeStaleStagedImports(owner: userID, keeping: Self.stagedImportsPerUser - 1, now: now)
        let token = UUID().uuidString.lowercased()
        let url = stagedDirectory.appendingPathComponent(Self.stagedName(token, owner: userID))
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: PrivateFiles.fileMode]) else {
            throw MEDKError(.internalFailure, code: "storage_failed", message: "Не удалось сохранить файл.")
        }
        return token
    }

    /// The file `userID` staged under `token`; gone (applied, expired or someone else's) is one answer.
    public func stagedImport(_ token: String, owner userID: Int64, now: Date = Date()) throws -> Data {
        guard let url = stagedURL(token, owner: userID),
              let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
              now.timeIntervalSince(modified) <= Self.stagedImportLifetime,
              let data = FileManager.default.contents(atPath: url.path) else {
            throw MEDKError(.notFound, code: "staged_import_gone",
                            message: "Проверенная таблица больше не хранится (прошло больше суток или она уже импортирована). Загрузите файл снова.")
        }
        return data
    }

    public func discardStagedImport(_ token: String, owner userID: Int64) {
        guard let url = stagedURL(token, owner: userID) else { return }
        try? FileManager.default.removeItem(at: url)
    }

    private func stagedURL(_ token: String, owner userID: Int64) -> URL? {
        // A token is a UUID, never a path.
        guard let uuid = UUID(uuidString: token), uuid.uuidString.lowercased() == token.lowercased() else { return nil }
        return stagedDirectory.appendingPathComponent(Self.stagedName(token.lowercased(), owner: userID))
    }

    private static func stagedName(_ token: String, owner userID: Int64) -> String { "\(userID)-\(token)" }

    /// Removes every staged file older than a day, and the user's oldest beyond `keeping`.
    private func removeStaleStagedImports(owner userID: Int64, keeping: Int, now: Date) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: stagedDirectory.path)) ?? []
        var own: [(URL, Date)] = []
        for name in names {
            let url = stagedDirectory.appendingPathComponent(name)
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date else { continue }
            if now.timeIntervalSince(modified) > Self.stagedImportLifetime {
                try? FileManager.default.removeItem(at: url)
            } else if name.hasPrefix("\(userID)-") {
                own.append((url, modified))
            }
        }
        for (url, _) in own.sorted(by: { $0.1 > $1.1 }).dropFirst(keeping) { try? FileManager.default.removeItem(at: url) }
    }
}
