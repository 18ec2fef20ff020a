import ArgumentParser
import Foundation
import MEDKAPI
import MEDKCore

struct Assign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Закрепить куратора за школой в кампании (региональный координатор своего региона или администратор).")
    @Option(name: .long, help: "Код кампании.") var campaign: String
    @Option(name: .long, help: "Код школы.") var school: String
    @Option(name: .long, help: "Логин куратора.") var curator: String

    func run() async throws {
        _ = try await APIClient.saved().send("POST", "/api/v1/curator-assignments",
                                             json: CuratorAssignmentRequest(campaignCode: campaign, schoolCode: school, curatorLogin: curator), as: EmptyResponse.self)
        print("Куратор \(curator) закреплён за школой \(school) в кампании \(campaign).")
    }
}

struct ShiftDeadline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shift-deadline",
        abstract: "Перенести срок контрольной точки для школ своего региона (региональный координатор).")
    @Option(name: .long, help: "Код кампании.") var campaign: String
    @Option(name: .long, help: "Вид документа контрольной точки, например development_concept.") var kind: String
    @Option(name: .long, help: "Код региона.") var region: String
    @Option(name: .long, help: "Новый срок: ГГГГ-ММ-ДД.") var due: String

    func validate() throws {
        guard ItemKind(rawValue: kind) != nil else { throw ValidationError("Неизвестный вид «\(kind)».") }
        guard CalendarDate(due) != nil else { throw ValidationError("Срок «\(due)» не распознан: нужен ГГГГ-ММ-ДД.") }
    }

    func run() async throws {
        let body = MilestoneShiftRequest(campaignCode: campaign, kind: ItemKind(rawValue: kind)!, regionCode: region, dueDate: CalendarDate(due)!)
        _ = try await APIClient.saved().send("PUT", "/api/v1/milestone-overrides", json: body, as: EmptyResponse.self)
        print("Срок «\(ItemKind(rawValue: kind)!.russianName)» для региона \(region) перенесён на \(CalendarDate(due)!.russian).")
    }
}

struct Package: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Пакет муниципалитета: аналитическая справка, дорожная карта, приказы, протоколы, соглашения — и чего не хватает.",
        discussion: "Муниципальный координатор видит свой пакет, региональный — пакеты своих муниципалитетов. "
            + "Документы пакета создаются командой «medk create ВИД --municipality КОД».")
    @Option(name: .long, help: "Код муниципалитета.") var municipality: String
    @Option(name: .long, help: "Код кампании; по умолчанию — последняя.") var campaign: String?
    @Option(name: .long, help: "Вывод: table или json.") var format: OutputFormat = .table

    func run() async throws {
        guard format != .csv else { throw ValidationError("--format: table или json.") }
        let package = try await APIClient.saved().get("/api/v1/municipalities/\(municipality)/package", query: ["campaign": campaign],
                                                      as: MunicipalPackage.self)
        if format == .json { return try Output.json(package) }
        print("\(package.municipality.name) (\(package.municipality.code)), \(package.regionName) · \(package.campaign.name)")
        var rows = [["Часть", "Документы", "Можно начать"]]
        for part in package.parts {
            let documents = part.items.map { "№\($0.id) «\($0.title)» — \($0.stateName)" }.joined(separator: "; ")
            rows.append([part.kind.russianName, documents.isEmpty ? "нет" : documents, part.canStart ? "да" : ""])
        }
        print(Output.table(rows), terminator: "")
        if package.gaps.isEmpty {
            print("Все части пакета на месте, дорожная карта подтверждена.")
        } else {
            print("Чего не хватает:")
            for gap in package.gaps { print("  – \(gap)") }
        }
    }
}
