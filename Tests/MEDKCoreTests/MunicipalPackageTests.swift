import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

/// A municipality's package: FIOCO's parts, what is missing, who keeps it and who may look.
@Suite("The municipal package")
struct MunicipalPackageTests {
    static func create(_ world: TestWorld, _ kind: ItemKind, municipality: String = "M1") async throws -> ItemDetail {
        try await world.service.createItem(NewItem(campaignID: world.campaignID, kind: kind, municipalityID: try await world.municipalityID(municipality)),
                                           by: try await world.actor("mun-\(municipality)"))
    }

    @Test("the package lists FIOCO's parts and says what is missing, as documents are started")
    func partsAndGaps() async throws {
        let world = try await TestWorld()
        let coordinator = try await world.actor("mun-M1")
        var package = try await world.service.municipalPackage(municipalityCode: "M1", for: coordinator)
        #expect(package.parts.map(\.kind) == [.analyticalNote, .roadmap, .order, .meetingProtocol, .agreement])
        #expect(package.canEdit && package.parts.allSatisfy(\.canStart))
        #expect(package.gaps == ["Нет документа «Аналитическая справка».", "Нет документа «Дорожная карта».",
                                 "Нет документа «Соглашение».", "Нет управленческих решений: ни приказа, ни протокола."])

        _ = try await Self.create(world, .analyticalNote)
        _ = try await Self.create(world, .meetingProtocol)
        _ = try await Self.create(world, .roadmap)
        _ = try await world.submittedDocument(school: "A")  // a school's document is not the municipality's
        package = try await world.service.municipalPackage(municipalityCode: "M1", for: coordinator)
        #expect(package.parts.map(\.items.count) == [1, 1, 0, 1, 0])
        #expect(package.parts.first { $0.kind == .roadmap }?.canStart == false, "one roadmap a campaign")
        #expect(package.parts.first { $0.kind == .analyticalNote }?.canStart == true, "notes, orders, protocols: as many as needed")
        #expect(package.gaps == ["Нет документа «Соглашение».", "Дорожная карта: В дорожной карте нет ни одного мероприятия.",
                                 "Дорожная карта ещё не подтверждена региональным координатором (сейчас — «черновик»)."])
    }

    @Test("its region looks without keeping it; another municipality's coordinator and a curator are told it does not exist")
    func whoMayLook() async throws {
        let world = try await TestWorld()
        _ = try await Self.create(world, .analyticalNote)
        let regional = try await world.service.municipalPackage(municipalityCode: "M1", for: try await world.actor("reg-R1"))
        #expect(!regional.canEdit && !regional.parts.contains(where: \.canStart) && regional.parts[0].items.count == 1)
        #expect(try await world.service.municipalPackage(municipalityCode: "M1", for: try await world.actor("federal")).parts[0].items.count == 1)
        for login in ["mun-M2", "curator1", "school-A", "reg-R2"] {
            let error = await #expect(throws: MEDKError.self) {
                try await world.service.municipalPackage(municipalityCode: "M1", for: try await world.actor(login))
            }
            #expect(error?.code == "not_found", "\(login)")
        }
    }
}
