import Foundation

/// What several measures of a roadmap are filed under at once: a municipality's track or regional
/// measure, a school's risk factor. Nil clears it.
public enum MeasureGroupChange: Sendable, Hashable, Codable {
    case track(MunicipalTrack?)
    case riskFactor(number: Int?)
    case regionalMeasure(id: Int64?)

    /// The field as the roadmap page names it, for messages.
    var russianField: String {
        switch self {
        case .track: "трек"
        case .riskFactor: "фактор риска"
        case .regionalMeasure: "региональное мероприятие"
        }
    }
}

/// Many measures get a track, a risk factor or a regional link in one step (select rows → set),
/// instead of being opened and saved one by one after an import. The roadmap's owner does it while
/// the roadmap may be edited; every measure named must be the roadmap's; the value must fit the
/// roadmap (a track and a regional measure only for a municipality, a factor from the campaign's
/// catalogue only for a school). All of them or none, one new revision, one audit record each.
public struct MeasureGrouping: Sendable {
    let service: MEDKService

    /// Most measures one step may file: a whole roadmap.
    public static let maximumMeasures = MEDKService.maximumMeasuresPerRoadmap

    @discardableResult
    public func apply(_ change: MeasureGroupChange, to measureIDs: [Int64], roadmapID: Int64, expectedRevision: Int? = nil,
                      by actor: Actor) async throws -> Int {
        let ids = Array(Set(measureIDs)).sorted()
        guard !ids.isEmpty else {
            throw MEDKError.rejected("no_measures_chosen", "Отметьте мероприятия, которым нужно указать \(change.russianField).",
                                     fields: ["measure": "Отметьте хотя бы одно мероприятие."])
        }
        guard ids.count <= Self.maximumMeasures else {
            throw MEDKError.rejected("too_many", "За один раз можно изменить не более \(Self.maximumMeasures) мероприятий.")
        }
        let now = service.now()
        return try await service.write { store in
            let roadmap = try MEDKService.loadRoadmap(store, roadmapID)
            let auditActor = try MEDKService.requireEditable(roadmap, by: actor, expectedRevision: expectedRevision)
            let calendar = try roadmap.calendar()
            let measures = Dictionary(uniqueKeysWithValues: try store.measures(roadmapID: roadmapID, calendar: calendar, at: now)
                .map { ($0.id, $0) })
            let strangers = ids.filter { measures[$0] == nil }
            guard strangers.isEmpty else {
                throw MEDKError.rejected("measure_not_in_roadmap", """
                    Мероприятия \(strangers.prefix(5).map { "№\($0)" }.joined(separator: ", ")) нет в этой дорожной карте: \
                    возможно, их удалили, пока страница была открыта. Обновите страницу.
                    """)
            }
            let column = try Self.column(change, for: roadmap, store)
            try store.groupMeasures(ids: ids, column, at: now)
            // Each measure's history line says what it had before; one that had it already has none.
            let chosen = Set(ids)
            var changed = 0
            for after in try store.measures(roadmapID: roadmapID, calendar: calendar, at: now) where chosen.contains(after.id) {
                let changes = try MEDKService.measureChanges(store, measures[after.id]!, after)
                guard !changes.isEmpty else { continue }
                changed += 1
                var details = MeasureChanges.details(changes)
                details["measure_id"] = String(after.id)
                details["title"] = after.title
                try store.appendAudit(auditActor, at: now, .item(.measureUpdate, roadmapID, details: details))
            }
            if changed > 0 { try store.touchItem(id: roadmapID, at: now) }
            return changed
        }
    }

    /// The stored column the change writes, once it is known to fit the roadmap.
    static func column(_ change: MeasureGroupChange, for roadmap: StoredItem, _ store: any StoreReading) throws -> MeasureGroupingColumn {
        switch (change, roadmap.owner) {
        case (.track(let track), .municipality):
            return .track(track)
        case (.riskFactor(let number), .school):
            guard let number else { return .riskFactor(id: nil) }
            guard let id = try store.riskFactorID(campaignID: roadmap.campaignID, number: number) else {
                throw MEDKError.rejected("unknown_risk_factor", "В каталоге кампании нет фактора риска №\(number).")
            }
            return .riskFactor(id: id)
        case (.regionalMeasure(let linked), .municipality):
            guard let linked else { return .regionalMeasure(id: nil) }
            guard try store.regionalMeasureChoices(campaignID: roadmap.campaignID, regionID: roadmap.path.regionID)
                .contains(where: { $0.id == linked }) else {
                throw MEDKError.rejected("unknown_regional_measure",
                                         "Мероприятие №\(linked) не найдено среди мероприятий подтверждённой региональной дорожной карты этой кампании.")
            }
            return .regionalMeasure(id: linked)
        case (.track, _), (.regionalMeasure, _):
            throw MEDKError.rejected("not_municipal", "Трек и региональное мероприятие указываются только в муниципальной дорожной карте.")
        case (.riskFactor, _):
            throw MEDKError.rejected("not_school", "Фактор риска указывается только в дорожной карте школы.")
        }
    }
}

extension MEDKService {
    public var measureGrouping: MeasureGrouping { MeasureGrouping(service: self) }
}
