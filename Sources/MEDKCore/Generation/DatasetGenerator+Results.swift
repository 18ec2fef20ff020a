import Foundation

extension DatasetGenerator {
    /// Five years of exam means and one year of social context for every school, as each region
    /// would load them (two imports a region, each audited), with the spread and correlation of
    /// `SyntheticResults`: identification, its lists and the «Результаты» pages are measured on them.
    func createResults(at moment: Date) async throws {
        let years = (Self.year - 4)...Self.year
        let operatorActor = AuditActor.localOperator()
        var byRegion: [Int: [Int]] = [:]
        for index in schools.indices { byRegion[schools[index].region, default: []].append(index) }
        var rows = 0
        for regionIndex in regions.indices {
            guard let members = byRegion[regionIndex], !members.isEmpty else { continue }
            let generated = SyntheticResults.schools(count: members.count, years: years, seed: seed &+ UInt64(regionIndex) &* 7_919)
            let ids = members.map { schools[$0].id }
            let code = regions[regionIndex].entry.code
            rows += try await service.write { store in
                var written = 0
                for kind in ResultsFileKind.allCases {
                    let batch = try store.insertResultsImport(kind: kind, fileName: "generated-\(code)-\(kind.rawValue).csv", sha256: "", at: moment,
                                                              by: nil)
                    for (schoolID, school) in zip(ids, generated) {
                        switch kind {
                        case .components:
                            for result in school.results { _ = try store.upsertResult(schoolID: schoolID, result, batch: batch) }
                            written += school.results.count
                        case .social:
                            for (indicator, value) in school.social {
                                _ = try store.upsertSocial(schoolID: schoolID, year: years.lowerBound, indicator: indicator, value: value, batch: batch)
                            }
                            written += school.social.count
                        }
                    }
                    _ = try store.appendAudit(operatorActor, at: moment, AuditRecord(action: .resultsImport, entityType: .school, details: [
                        "kind": kind.rawValue, "region": code, "batch": String(batch), "generated": "yes"]))
                }
                return written
            }
        }
        progress("Результаты школ: значений \(rows) за \(years.lowerBound)–\(years.upperBound) годы.")
    }
}
