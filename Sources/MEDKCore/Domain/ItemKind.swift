import Foundation

/// Everything that goes through review. The same state machine governs all of them.
public enum ItemKind: String, Codable, Sendable, CaseIterable {
    case riskProfile = "risk_profile"
    case developmentConcept = "development_concept"
    case midtermProgramme = "midterm_programme"
    case antiriskProgramme = "antirisk_programme"
    case roadmap
    case analyticalNote = "analytical_note"
    case order
    case meetingProtocol = "protocol"
    case agreement
    case interimReport = "interim_report"
    case finalReport = "final_report"
    case measureReport = "measure_report"

    public var russianName: String {
        switch self {
        case .riskProfile: "Выбор рискового профиля"
        case .developmentConcept: "Концепция развития"
        case .midtermProgramme: "Среднесрочная программа развития"
        case .antiriskProgramme: "Программа антирисковых мер"
        case .roadmap: "Дорожная карта"
        case .analyticalNote: "Аналитическая справка"
        case .order: "Приказ"
        case .meetingProtocol: "Протокол"
        case .agreement: "Соглашение"
        case .interimReport: "Промежуточный мониторинг (отчёт)"
        case .finalReport: "Итоговый отчёт"
        case .measureReport: "Отчёт об исполнении мероприятия"
        }
    }

    /// At most one such item per owner and campaign (anti-risk programmes: one per risk factor,
    /// measure reports: one per measure).
    public var isSinglePerOwner: Bool {
        switch self {
        case .riskProfile, .developmentConcept, .midtermProgramme, .roadmap, .interimReport, .finalReport: true
        case .antiriskProgramme, .measureReport, .analyticalNote, .order, .meetingProtocol, .agreement: false
        }
    }

    /// Kinds a municipality (rather than a school) may own.
    public var allowedForMunicipality: Bool {
        switch self {
        case .roadmap, .analyticalNote, .order, .meetingProtocol, .agreement, .interimReport, .finalReport: true
        default: false
        }
    }

    /// Kinds a region keeps itself: its regional roadmap (the regional complex of measures) and the
    /// documents its indicators' facts rest on (a note, an order, a protocol).
    public var allowedForRegion: Bool {
        switch self {
        case .roadmap, .analyticalNote, .order, .meetingProtocol: true
        default: false
        }
    }

    /// Measure reports are created by reporting a measure, not directly.
    public var isCreatedDirectly: Bool { self != .measureReport }

    /// The order of the programme's steps, for lists.
    public var displayOrder: Int { Self.allCases.firstIndex(of: self)! }
}

/// Значимость фактора риска по результатам анкетирования.
public enum Significance: String, Codable, Sendable, CaseIterable {
    case high, medium, low

    public var russianName: String {
        switch self {
        case .high: "высокая"
        case .medium: "средняя"
        case .low: "низкая"
        }
    }

    public init?(russianOrCode text: String) {
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let value = Significance(rawValue: lowered) { self = value; return }
        guard let match = Significance.allCases.first(where: { $0.russianName == lowered }) else { return nil }
        self = match
    }
}

/// The three FIOCO tracks a municipal roadmap is grouped by.
public enum MunicipalTrack: Int, Codable, Sendable, CaseIterable {
    case addressSupport = 1
    case riskZone = 2
    case failurePrevention = 3

    public var russianName: String {
        switch self {
        case .addressSupport: "Адресная поддержка ШНОР"
        case .riskZone: "Школы в зоне риска снижения образовательных результатов"
        case .failurePrevention: "Профилактика учебной неуспешности"
        }
    }
}
