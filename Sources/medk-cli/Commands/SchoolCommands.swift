import ArgumentParser
import Foundation
import MEDKAPI
import MEDKCore

/// Resolves codes people know (school, municipality, region, campaign) to the ids the API takes.
enum Lookups {
    static func campaign(_ client: APIClient, code: String?) async throws -> Campaign {
        let campaigns = try await client.get("/api/v1/campaigns", as: ListResponse<Campaign>.self).items
        if let code {
            guard let match = campaigns.first(where: { $0.code == code }) else { throw MEDKError.notFound("Кампания «\(code)»") }
            return match
        }
        guard let latest = campaigns.first else { throw MEDKError.notFound("Кампания") }
        return latest
    }

    static func school(_ client: APIClient, code: String) async throws -> School {
        let found = try await client.get("/api/v1/schools", query: ["q": code, "limit": "500"], as: Page<School>.self).items
        guard let school = found.first(where: { $0.code == code }) else { throw MEDKError.notFound("Школа «\(code)»") }
        return school
    }

    static func municipality(_ client: APIClient, code: String) async throws -> Municipality {
        let found = try await client.get("/api/v1/municipalities", query: ["q": code, "limit": "500"], as: Page<Municipality>.self).items
        guard let municipality = found.first(where: { $0.code == code }) else { throw MEDKError.notFound("Муниципалитет «\(code)»") }
        return municipality
    }

    static func region(_ client: APIClient, code: String) async throws -> Region {
        let found = try await client.get("/api/v1/regions", query: ["q": code, "limit": "500"], as: Page<Region>.self).items
        guard let region = found.first(where: { $0.code == code }) else { throw MEDKError.notFound("Регион «\(code)»") }
        return region
    }
}

struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Создать документ школы, муниципалитета или региональную дорожную карту (черновик).",
        discussion: "Виды: \(ItemKind.allCases.filter(\.isCreatedDirectly).map { "\($0.rawValue) — \($0.russianName)" }.joined(separator: "; ")).")
    @Argument(help: "Вид документа.") var kind: String
    @Option(name: .long, help: "Код школы-владельца.") var school: String?
    @Option(name: .long, help: "Код муниципалитета-владельца (муниципальная дорожная карта и документы).") var municipality: String?
    @Option(name: .long, help: "Код региона-владельца (региональная дорожная карта: вид roadmap).") var region: String?
    @Option(name: .long, help: "Код кампании; по умолчанию — последняя.") var campaign: String?
    @Option(name: .long, help: "Номер фактора риска (для antirisk_programme).") var risk: Int?
    @Option(name: .long, help: "Название; по умолчанию — по виду документа.") var title: String?

    func validate() throws {
        guard ItemKind(rawValue: kind) != nil else {
            throw ValidationError("Неизвестный вид «\(kind)». Допустимы: \(ItemKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard [school, municipality, region].compactMap({ $0 }).count == 1 else {
            throw ValidationError("Укажите одного владельца: --school, --municipality или --region.")
        }
    }

    func run() async throws {
        let client = try APIClient.saved()
        let campaign = try await Lookups.campaign(client, code: campaign)
        var request = NewItem(campaignID: campaign.id, kind: ItemKind(rawValue: kind)!, title: title)
        if let school {
            request.schoolID = try await Lookups.school(client, code: school).id
        }
        if let municipality {
            request.municipalityID = try await Lookups.municipality(client, code: municipality).id
        }
        if let region {
            request.regionID = try await Lookups.region(client, code: region).id
        }
        if let risk {
            let detail = try await client.get("/api/v1/campaigns/\(campaign.id)", as: CampaignDetail.self)
            guard let factor = detail.riskFactors.first(where: { $0.number == risk }) else { throw MEDKError.notFound("Фактор риска №\(risk)") }
            request.riskFactorID = factor.id
        }
        let created = try await client.send("POST", "/api/v1/items", json: request, as: ItemDetail.self)
        print("Создан №\(created.item.id): \(created.item.title) (\(created.item.stateName)).")
    }
}

struct Upload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Загрузить новую версию файла (PDF, DOCX, XLSX, ODT, DOC, XLS, JPEG, PNG).")
    @Argument(help: "Номер документа.") var item: Int64
    @Argument(help: "Файл.") var file: String

    func run() async throws {
        let url = URL(fileURLWithPath: file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw MEDKError.invalid("file_not_found", "Не удалось прочитать файл «\(file)».")
        }
        let (body, _) = try await APIClient.saved().raw("POST", "/api/v1/items/\(item)/files", query: ["fileName": url.lastPathComponent],
                                                         body: data, contentType: "application/octet-stream")
        let detail = try APIClient.decoder.decode(ItemDetail.self, from: body)
        let version = detail.files.last!
        print("Загружена версия \(version.version) файла «\(version.fileName)» к №\(item) (\(ByteSize.russian(version.size)), SHA-256 \(version.sha256.prefix(16))…).")
    }
}

struct Download: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Скачать версию файла (по умолчанию последнюю).")
    @Argument(help: "Номер документа.") var item: Int64
    @Option(name: .long, help: "Номер версии.") var version: Int?
    @Option(name: .long, help: "Куда сохранить; по умолчанию — исходное имя в текущем каталоге.") var output: String?

    func run() async throws {
        let client = try APIClient.saved()
        let detail = try await client.get("/api/v1/items/\(item)", as: ItemDetail.self)
        guard let file = version.map({ wanted in detail.files.first { $0.version == wanted } }) ?? detail.files.last else {
            throw MEDKError.notFound("Файл документа №\(item)")
        }
        let (data, _) = try await client.raw("GET", "/api/v1/items/\(item)/files/\(file.version)", body: nil)
        let destination = output ?? file.fileName
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw MEDKError.invalid("file_exists", "Файл «\(destination)» уже существует.")
        }
        try data.write(to: URL(fileURLWithPath: destination))
        print("Сохранено: \(destination) (версия \(file.version), \(ByteSize.russian(Int64(data.count)))).")
    }
}

struct RiskProfile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk-profile",
        abstract: "Записать выбор рискового профиля: значимость факторов и выбранные для работы.",
        discussion: "Пример: medk risk-profile 12 --significance 1=низкая,2=высокая,3=high --choose 2,3")
    @Argument(help: "Номер документа «Выбор рискового профиля».") var item: Int64
    @Option(name: .long, help: "Значимость: НОМЕР=high|medium|low (или высокая/средняя/низкая) через запятую.") var significance: String = ""
    @Option(name: .long, help: "Номера факторов, выбранных для работы, через запятую (без него выбранные раньше остаются).") var choose: String = ""

    func run() async throws {
        let client = try APIClient.saved()
        let detail = try await client.get("/api/v1/items/\(item)", as: ItemDetail.self)
        guard let current = detail.riskProfile else { throw MEDKError.invalid("not_a_risk_profile", "№\(item) — не выбор рискового профиля.") }
        var levels = Dictionary(uniqueKeysWithValues: current.map { ($0.number, $0.significance) })
        for pair in significance.split(separator: ",") {
            let parts = pair.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let number = Int(parts[0]), let level = Significance(russianOrCode: parts[1]) else {
                throw ValidationError("Не понял «\(pair)»: нужно НОМЕР=high|medium|low.")
            }
            levels[number] = level
        }
        // Without --choose the factors chosen before stay chosen.
        let chosen = choose.isEmpty ? Set(current.filter(\.chosen).map(\.number)) : try Set(choose.split(separator: ",").map { part -> Int in
            guard let number = Int(part.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("Не понял номер фактора «\(part)».") }
            return number
        })
        // Nothing is assumed: a factor chosen for work needs its significance from the survey.
        if let missing = chosen.sorted().first(where: { levels[$0] == nil }) {
            throw ValidationError("Укажите значимость фактора \(missing) (--significance \(missing)=high|medium|low): он выбран для работы.")
        }
        let entries = levels.keys.sorted().map { RiskProfileInput(number: $0, significance: levels[$0]!, chosen: chosen.contains($0)) }
        let body = RiskProfileRequest(entries: entries, expectedRevision: detail.item.revision)
        let updated = try await client.send("PUT", "/api/v1/items/\(item)/risk-profile", json: body, as: ItemDetail.self)
        print("Рисковый профиль №\(item) записан; выбраны факторы: \(updated.riskProfile!.filter(\.chosen).map { String($0.number) }.joined(separator: ", ")).")
        let assessed = Set(updated.riskProfile!.map(\.number))
        let catalogue = try await client.get("/api/v1/campaigns/\(detail.item.campaignID)", as: CampaignDetail.self).riskFactors.map(\.number)
        let unassessed = catalogue.filter { !assessed.contains($0) }.sorted()
        if !unassessed.isEmpty {
            print("Ещё не оценены факторы: \(unassessed.map(String.init).joined(separator: ", ")) — без них профиль не отправить на проверку.")
        }
    }
}
