import ArgumentParser
import Foundation
import MEDKCore

struct Campaigns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign", abstract: "Кампании (проектные годы): создание и просмотр контрольных точек.",
        subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Создать кампанию с каталогом из десяти факторов риска ФИОКО и календарём контрольных точек.",
            discussion: """
                Без --milestones кампания получает обычный календарь: \
                \(MilestoneInput.standard(year: 2026).map { "\($0.kind.rawValue) (\($0.dueDate.russian.prefix(5)))" }.joined(separator: ", ")). \
                --milestones оставляет только перечисленные, например --milestones risk_profile,development_concept,roadmap. \
                Срок можно задать: --due development_concept=2026-04-30 (повторяйте для нескольких). \
                Виды: \(ItemKind.allCases.filter { $0 != .measureReport }.map { "\($0.rawValue) — \($0.russianName)" }.joined(separator: "; ")).
                """)
        @OptionGroup var data: DataDirectory
        @Argument(help: "Код кампании, например 500plus-2026.") var code: String
        @Option(name: .long, help: "Название, например «500+ 2026».") var name: String
        @Option(name: .long, help: "Год проекта.") var year: Int
        @Option(name: .long, help: "Только эти контрольные точки, через запятую: ВИД,ВИД,…") var milestones: String?
        @Option(name: .long, help: "Срок контрольной точки: ВИД=ГГГГ-ММ-ДД.") var due: [String] = []

        func run() async throws {
            guard (2000...2100).contains(year) else { throw ValidationError("Год — от 2000 до 2100.") }
            var dates: [ItemKind: CalendarDate] = [:]
            for entry in due {
                let parts = entry.split(separator: "=").map(String.init)
                guard parts.count == 2, let kind = ItemKind(rawValue: parts[0]), let date = CalendarDate(parts[1]) else {
                    throw ValidationError("Не понял «\(entry)»: нужно ВИД=ГГГГ-ММ-ДД, например roadmap=2026-05-15.")
                }
                dates[kind] = date
            }
            let kinds = try milestones.map { list in
                try list.split(separator: ",").map { name in
                    let trimmed = name.trimmingCharacters(in: .whitespaces)
                    guard let kind = ItemKind(rawValue: trimmed) else {
                        throw ValidationError("Вид «\(trimmed)» неизвестен; виды перечислены в medk campaign create --help.")
                    }
                    return kind
                }
            }
            let milestones = try MilestoneInput.chosen(year: year, kinds: kinds, due: dates)
            let created = try await data.openExisting().createCampaign(by: .local, code: code, name: name, year: year, milestones: milestones)
            print("Кампания «\(created.campaign.name)» создана: факторов риска \(created.riskFactors.count), контрольных точек \(created.milestones.count).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Кампании и их контрольные точки.")
        @OptionGroup var data: DataDirectory
        @Option(name: .long, help: "Формат вывода: table, json, csv.") var format: OutputFormat = .table

        func run() async throws {
            let service = try await data.openExisting()
            var details: [CampaignDetail] = []
            for campaign in try await service.campaigns() { details.append(try await service.campaign(id: campaign.id)) }
            if format == .json { return try Output.json(details) }
            Output.print(rows: [["Кампания", "Название", "Школ", "Контрольная точка", "Срок"]] + details.flatMap { detail in
                detail.milestones.map { [detail.campaign.code, detail.campaign.name, String(detail.schoolCount), $0.title, $0.dueDate.russian] }
            }, format: format)
        }
    }
}
