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
