import Foundation
import GRDB

public struct RiskProfileInput: Codable, Sendable, Hashable {
    /// The factor's number in the campaign's catalogue (1…10 for FIOCO's list).
    public var number: Int
    public var significance: Significance
    public var chosen: Bool

    public init(number: Int, significance: Significance, chosen: Bool) {
        self.number = number
        self.significance = significance
        self.chosen = chosen
    }
}

extension MEDKService {
    /// New selections start with every factor of the catalogue at medium significance, unchosen:
    /// the school then enters what the diagnostic survey found.
    static func seedRiskProfile(_ db: Database, itemID: Int64, campaignID: Int64) throws {
        for factor in try RiskFactorRow.filter(Column("campaign_id") == campaignID).fetchAll(db) {
            var entry = RiskProfileEntryRow(itemId: itemID, riskFactorId: factor.id!, significance: .medium, chosen: false)
            try entry.insert(db)
        }
    }

    /// Records the risk-profile selection: significance of each listed factor and which are chosen.
    /// Factors not listed keep what they had.
    public func setRiskProfile(itemID: Int64, entries: [RiskProfileInput], expectedRevision: Int? = nil,
                               by actor: Actor) async throws -> ItemDetail {
        guard !entries.isEmpty else { throw MEDKError.invalid("empty_risk_profile", "Не передано ни одного фактора.") }
        let numbers = entries.map(\.number)
        guard Set(numbers).count == numbers.count else {
            throw MEDKError.invalid("duplicate_factor", "Один и тот же фактор указан дважды.")
        }
        let now = now()
        try await write { db in
            let loaded = try ItemStore.load(db, id: itemID)
            guard loaded.row.kind == .riskProfile else {
                throw MEDKError.invalid("not_a_risk_profile", "Объект №\(itemID) — не выбор рискового профиля.")
            }
            let auditActor = try Self.requireEditable(loaded, by: actor, expectedRevision: expectedRevision)
            let factors = Dictionary(uniqueKeysWithValues: try RiskFactorRow.filter(Column("campaign_id") == loaded.row.campaignId)
                .fetchAll(db).map { ($0.number, $0) })
            let unknown = numbers.filter { factors[$0] == nil }
            guard unknown.isEmpty else {
                throw MEDKError.invalid("unknown_factor", "В каталоге кампании нет факторов с номерами: \(unknown.map(String.init).joined(separator: ", ")).")
            }
            for entry in entries {
                var row = RiskProfileEntryRow(itemId: itemID, riskFactorId: factors[entry.number]!.id!,
                                              significance: entry.significance, chosen: entry.chosen)
                try row.save(db)
            }
            try Self.touch(db, itemID: itemID, at: now)
            let chosen = try ItemStore.riskProfile(db, itemID: itemID).filter(\.chosen).map { String($0.number) }
            try AuditLog.append(db, actor: auditActor, at: now, AuditRecord(
                action: "risk_profile.update", entityType: "item", entityID: String(itemID),
                fromState: loaded.row.state.rawValue, toState: loaded.row.state.rawValue,
                details: ["chosen": chosen.joined(separator: ","), "changed": String(entries.count)]))
        }
        return try await item(itemID, for: actor)
    }
}
