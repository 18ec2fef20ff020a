import Foundation

extension MEDKService {
    /// Reads a roadmap table (DOCX, XLSX or CSV) the way importing it into `roadmapID` would and
    /// shows every measure as interpreted, changing nothing. Only who may edit the roadmap now may
    /// have a file read for it; that is checked before a byte of the file is looked at.
    ///
    /// - Parameter programmeYear: the year a deadline without one belongs to, and the period recurring
    ///   measures are scheduled over; the campaign's year unless given.
    /// - Parameter file: the file's bytes, asked for only once the actor may import.
    public func previewMeasureImport(roadmapID: Int64, fileName: String, programmeYear: Int? = nil, by actor: Actor,
                                     file: () async throws -> Data) async throws -> RoadmapImportPreview {
        if let programmeYear, !(2000...2100).contains(programmeYear) {
            throw MEDKError.rejected("invalid_year", "Год программы — от 2000 до 2100, а указан \(programmeYear).")
        }
        let campaignYear = try await read { store in
            let roadmap = try Self.loadRoadmap(store, roadmapID)
            _ = try Self.requireEditable(roadmap, by: actor, expectedRevision: nil)
            guard let campaign = try store.campaign(id: roadmap.campaignID) else { throw MEDKError.notVisible }
            return campaign.year
        }
        // The file is read outside any transaction: parsing holds no database connection.
        let (format, tables) = try TableFileReader.tables(try await file(), fileName: fileName)
        return try RoadmapTableReader.preview(tables, format: format,
                                              context: DeadlineContext(programmeYear: programmeYear ?? campaignYear))
    }
}
