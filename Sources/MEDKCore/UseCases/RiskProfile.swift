import Foundation

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
    /// Records the risk-profile selection: significance of each listed factor and which are chosen.
    /// Factors not listed keep what they had.
    public func setRiskProfile(itemID: Int64, entries: [RiskProfileInput], expectedRevision: Int? = nil,
                               by actor: Actor) async throws -> ItemDetail {
        let now = now()
        try await write { store in
            try Self.applyRiskProfile(store, itemID: itemID, entries: entries, expectedRevision: expectedRevision, by: actor, at: now)
        }
        return try await item(itemID, for: actor)
    }

    static func applyRiskProfile(_ store: any StoreWriting, itemID: Int64, entries: [RiskProfileInput], expectedRevision: Int?,
                                 by actor: Actor, at now: Date) throws {
        guard !entries.isEmpty else { throw MEDKError.rejected("empty_risk_profile", "Не передано ни одного фактора.") }
        let numbers = entries.map(\.number)
        guard Set(numbers).count == numbers.count else {
            throw MEDKError.rejected("duplicate_factor", "Один и тот же фактор указан дважды.")
        }
        let item = try load(store, itemID)
        guard item.kind == .riskProfile else {
            throw MEDKError.rejected("not_a_risk_profile", "Документ №\(itemID) — не выбор рискового профиля.")
        }
        let auditActor = try requireEditable(item, by: actor, expectedRevision: expectedRevision)
        let factors = Dictionary(uniqueKeysWithValues: try store.riskFactors(campaignID: item.campaignID).map { ($0.number, $0) })
        let unknown = numbers.filter { factors[$0] == nil }
        guard unknown.isEmpty else {
            throw MEDKError.rejected("unknown_factor", "В каталоге кампании нет факторов с номерами: \(unknown.map(String.init).joined(separator: ", ")).")
        }
        try store.saveRiskProfile(of: item, entries.map {
            RiskChoice(riskFactorID: factors[$0.number]!.id, significance: $0.significance, chosen: $0.chosen)
        })
        try store.touchItem(id: itemID, at: now)
        let chosen = try store.riskProfile(itemID: itemID).filter(\.chosen).map { String($0.number) }
        try store.appendAudit(auditActor, at: now, .item(.riskProfileUpdate, itemID, state: item.state,
                                                         details: ["chosen": chosen.joined(separator: ","), "changed": String(entries.count)]))
    }
}
