/// A project year, e.g. «500+ 2022».
public struct Campaign: Codable, Sendable, Hashable {
    public var id: Int64
    public var code: String
    public var name: String
    public var year: Int

    public init(id: Int64, code: String, name: String, year: Int) {
        self.id = id
        self.code = code
        self.name = name
        self.year = year
    }
}

/// Which kind of item is due by which date. A region may shift it for its schools.
public struct Milestone: Codable, Sendable, Hashable {
    public var id: Int64
    public var campaignID: Int64
    public var kind: ItemKind
    public var title: String
    public var dueDate: CalendarDate

    public init(id: Int64, campaignID: Int64, kind: ItemKind, title: String, dueDate: CalendarDate) {
        self.id = id
        self.campaignID = campaignID
        self.kind = kind
        self.title = title
        self.dueDate = dueDate
    }
}

public struct RiskFactor: Codable, Sendable, Hashable {
    public var id: Int64
    public var campaignID: Int64
    public var number: Int
    public var title: String

    public init(id: Int64, campaignID: Int64, number: Int, title: String) {
        self.id = id
        self.campaignID = campaignID
        self.number = number
        self.title = title
    }
}

public enum RiskFactorCatalogue {
    /// FIOCO's ten factors, the default catalogue of a new campaign.
    public static let fioco: [String] = [
        "Низкий уровень оснащения школы",
        "Дефицит педагогических кадров",
        "Недостаточная предметная и методическая компетентность педагогических работников",
        "Риски низкой адаптивности учебного процесса",
        "Несформированность внутришкольной системы повышения квалификации",
        "Низкое качество преодоления языковых и культурных барьеров",
        "Пониженный уровень качества школьной образовательной и воспитательной среды",
        "Высокая доля обучающихся с рисками учебной неуспешности",
        "Низкий уровень вовлеченности родителей",
        "Низкая учебная мотивация обучающихся",
    ]
}
