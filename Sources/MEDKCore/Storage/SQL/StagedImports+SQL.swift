import Foundation

extension SQLTransaction {
    func stagedImport(token: String, ownerID: Int64, stagedAfter: Date) throws -> Data? {
        try value(Data.self, "SELECT data FROM staged_imports WHERE token = ? AND owner_id = ? AND staged_at > ?",
                  [token, ownerID, stagedAfter.sql])
    }

    func stageImport(token: String, ownerID: Int64, data: Data, at: Date, expiredBefore: Date, keepingPerOwner: Int) throws {
        try execute("DELETE FROM staged_imports WHERE staged_at <= ?", [expiredBefore.sql])
        try execute("""
            DELETE FROM staged_imports WHERE owner_id = ? AND token NOT IN (
                SELECT token FROM staged_imports WHERE owner_id = ? ORDER BY staged_at DESC, token LIMIT ?)
            """, [ownerID, ownerID, keepingPerOwner - 1])
        try execute("INSERT INTO staged_imports (token, owner_id, staged_at, data) VALUES (?, ?, ?, ?)",
                    [token, ownerID, at.sql, data])
    }

    func discardStagedImport(token: String, ownerID: Int64) throws {
        try execute("DELETE FROM staged_imports WHERE token = ? AND owner_id = ?", [token, ownerID])
    }
}
