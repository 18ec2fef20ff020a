import Foundation

/// What a message says, as recorded in the outbox when the event or the schedule causes it. It
/// is rendered into text only when it is sent, with the server's public address and the
/// recipient's unsubscribe link as they are then.
public enum MailLetter: Codable, Sendable, Hashable {
    /// Measures of one school falling due soon (`daysLeft` each) or missed yesterday.
    case measures(MeasuresLetter)
    /// Documents waiting for this curator longer than the region's review time.
    case reviewWaiting(ReviewWaitingLetter)
    /// A document returned for revision.
    case itemReturned(ItemReturnedLetter)
    /// Measures late beyond a grace period, for the next person up the chain.
    case escalation(EscalationLetter)
    /// A coordinator's week in their territory.
    case weeklyDigest(DigestLetter)

    public var kind: MailKind {
        switch self {
        case .measures(let letter): letter.missed ? .measureMissed : .measureDue
        case .reviewWaiting: .reviewWaiting
        case .itemReturned: .itemReturned
        case .escalation: .escalation
        case .weeklyDigest: .weeklyDigest
        }
    }
}

/// A school's deadlines of one day: the campaign's documents due (or missed) and the roadmap's
/// measures. One letter a day, however many of each.
public struct MeasuresLetter: Codable, Sendable, Hashable {
    public struct Line: Codable, Sendable, Hashable {
        public var roadmapID: Int64
        public var measureTitle: String
        public var dueDate: CalendarDate
        public var daysLeft: Int
    }
    /// A milestone of the campaign whose document is not yet there.
    public struct DocumentLine: Codable, Sendable, Hashable {
        public var title: String
        public var campaignName: String
        public var dueDate: CalendarDate
        /// -1 for a missed deadline.
        public var daysLeft: Int
        /// «срок не наступил», «на доработке», «не представлено».
        public var statusName: String
        public var schoolCode: String
    }
    public var schoolName: String
    public var missed: Bool
    public var lines: [Line]
    /// Absent in letters written before documents were reminded of.
    public var documents: [DocumentLine]?

    public init(schoolName: String, missed: Bool, lines: [Line], documents: [DocumentLine]? = nil) {
        self.schoolName = schoolName
        self.missed = missed
        self.lines = lines
        self.documents = documents
    }

    /// «2 мероприятия и 1 документ», «документ «Рисковый профиль»».
    var russianCount: String {
        let documents = documents ?? []
        let measures = lines.isEmpty ? nil : MailRendering.measures(lines.count)
        let papers: String? = switch documents.count {
        case 0: nil
        case 1: "документ «\(documents[0].title)»"
        default: RussianPlural.count(documents.count, "документ", "документа", "документов")
        }
        return [papers, measures].compactMap { $0 }.joined(separator: " и ")
    }
}

public struct ReviewWaitingLetter: Codable, Sendable, Hashable {
    public struct Line: Codable, Sendable, Hashable {
        public var itemID: Int64
        public var title: String
        public var ownerName: String
        public var submittedOn: CalendarDate
    }
    public var reviewWorkingDays: Int
    public var lines: [Line]
}

public struct ItemReturnedLetter: Codable, Sendable, Hashable {
    public var itemID: Int64
    public var title: String
    public var ownerName: String
    public var returnedBy: String
    public var returnedAt: String
    public var comment: String?
}

public struct EscalationLetter: Codable, Sendable, Hashable {
    public struct Line: Codable, Sendable, Hashable {
        public var roadmapID: Int64
        public var ownerName: String
        public var measureTitle: String
        public var dueDate: CalendarDate
        public var daysLate: Int
    }
    public var level: EscalationLevel
    public var lines: [Line]
}

/// A coordinator's weekly summary: what became late, what falls due, who keeps documents waiting,
/// what keeps coming back. Each list is short (the largest first) with a link to the whole.
public struct DigestLetter: Codable, Sendable, Hashable {
    public struct Count: Codable, Sendable, Hashable {
        public var name: String
        public var count: Int
        public var path: String
    }
    public struct Wait: Codable, Sendable, Hashable {
        public var curatorName: String
        public var count: Int
        public var oldestSince: CalendarDate
    }
    public struct Returned: Codable, Sendable, Hashable {
        public var itemID: Int64
        public var title: String
        public var ownerName: String
        public var returns: Int
    }
    public var territoryName: String
    public var weekFrom: CalendarDate
    public var weekTo: CalendarDate
    public var becameLate: [Count]
    public var becameLateTotal: Int
    public var dueSoon: [Count]
    public var dueSoonTotal: Int
    public var reviewWorkingDays: Int
    public var longWaits: [Wait]
    public var returnedOften: [Returned]
    /// The territory's overdue list and reviewers' page, for «все».
    public var overduePath: String
    public var reviewersPath: String

    public var isEmpty: Bool { becameLateTotal == 0 && dueSoonTotal == 0 && longWaits.isEmpty && returnedOften.isEmpty }
}

/// The Russian text of each letter. Links are absolute: a mail client has no page to resolve
/// a relative one against.
public struct MailRendering: Sendable {
    public var publicURL: String
    public var productName = "МЭДК"

    public init(publicURL: String) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
    }

    public func subject(_ letter: MailLetter) -> String {
        switch letter {
        case .measures(let letter):
            if letter.missed {
                return "\(productName): пропущен срок — \(letter.russianCount), \(letter.schoolName)"
            }
            let soonest = (letter.lines.map(\.daysLeft) + (letter.documents ?? []).map(\.daysLeft)).min() ?? 0
            return "\(productName): через \(Self.days(soonest)) срок — \(letter.russianCount), \(letter.schoolName)"
        case .reviewWaiting(let letter):
            return "\(productName): \(Self.documents(letter.lines.count)) ждут вашей проверки дольше \(Self.workingDays(letter.reviewWorkingDays))"
        case .itemReturned(let letter):
            return "\(productName): документ возвращён на доработку — «\(letter.title)»"
        case .escalation(let letter):
            return "\(productName): просрочено дольше допустимого — \(Self.measures(letter.lines.count)) (вам как \(letter.level.russianDative))"
        case .weeklyDigest(let letter):
            return "\(productName): неделя \(letter.weekFrom.russian)–\(letter.weekTo.russian), \(letter.territoryName): "
                + "просрочено \(letter.becameLateTotal), скоро срок у \(letter.dueSoonTotal)"
        }
    }

    public func text(_ letter: MailLetter, recipientName: String, unsubscribeURL: String?) -> String {
        var text = "Здравствуйте, \(recipientName)!\n\n"
        switch letter {
        case .measures(let letter):
            let documents = letter.documents ?? []
            if !documents.isEmpty {
                text += letter.missed
                    ? "Вчера истёк срок документов кампании (\(letter.schoolName)), которых ещё нет:\n\n"
                    : "Приближаются сроки документов кампании (\(letter.schoolName)):\n\n"
                for line in documents.sorted(by: { ($0.dueDate, $0.title) < ($1.dueDate, $1.title) }) {
                    let when = letter.missed ? "срок был \(line.dueDate.russian)" : "срок \(line.dueDate.russian), через \(Self.days(line.daysLeft))"
                    text += "• \(line.title) («\(line.campaignName)») — \(when); сейчас: \(line.statusName)\n"
                    text += "  \(publicURL)/schools/\(line.schoolCode)\n"
                }
                if !letter.lines.isEmpty { text += "\n" }
            }
            if letter.lines.isEmpty {
                text += letter.missed
                    ? "\nЗагрузите документ и отправьте его на проверку или согласуйте с куратором перенос срока.\n"
                    : "\nСроки указаны по времени вашего региона.\n"
                break
            }
            if letter.missed {
                text += "Вчера истёк срок мероприятий дорожной карты (\(letter.schoolName)), по которым нет подтверждённого отчёта:\n\n"
            } else {
                text += "Приближаются сроки мероприятий дорожной карты (\(letter.schoolName)):\n\n"
            }
            for line in letter.lines.sorted(by: { ($0.dueDate, $0.measureTitle) < ($1.dueDate, $1.measureTitle) }) {
                let when = letter.missed ? "срок был \(line.dueDate.russian)" : "срок \(line.dueDate.russian), через \(Self.days(line.daysLeft))"
                text += "• \(line.measureTitle) — \(when)\n  \(publicURL)/items/\(line.roadmapID)\n"
            }
            text += letter.missed
                ? "\nОтчитайтесь о выполнении или согласуйте с куратором перенос срока.\n"
                : "\nСроки указаны по времени вашего региона.\n"
        case .reviewWaiting(let letter):
            text += "Эти документы ждут вашей проверки дольше \(Self.workingDays(letter.reviewWorkingDays)), установленных регионом:\n\n"
            for line in letter.lines.sorted(by: { ($0.submittedOn, $0.itemID) < ($1.submittedOn, $1.itemID) }) {
                text += "• \(line.title) (\(line.ownerName)) — отправлен \(line.submittedOn.russian)\n  \(publicURL)/items/\(line.itemID)\n"
            }
            text += "\nВсе документы на проверке: \(publicURL)/queue\n"
        case .itemReturned(let letter):
            text += "Документ «\(letter.title)» (\(letter.ownerName)) возвращён на доработку.\n"
            text += "Кто вернул: \(letter.returnedBy), \(letter.returnedAt).\n"
            if let comment = letter.comment, !comment.isEmpty {
                text += "\nКомментарий:\n" + comment.split(separator: "\n", omittingEmptySubsequences: false).map { "> \($0)" }.joined(separator: "\n") + "\n"
            }
            text += "\nОткрыть документ: \(publicURL)/items/\(letter.itemID)\n"
        case .escalation(let letter):
            text += "Эти мероприятия просрочены дольше, чем допускают правила региона, и сообщение о них передано вам как "
                + "\(letter.level.russianDative):\n"
            for (owner, lines) in Dictionary(grouping: letter.lines, by: \.ownerName).sorted(by: { $0.key < $1.key }) {
                text += "\n\(owner):\n"
                for line in lines.sorted(by: { ($0.dueDate, $0.measureTitle) < ($1.dueDate, $1.measureTitle) }) {
                    text += "• \(line.measureTitle) — срок был \(line.dueDate.russian), просрочено на \(Self.days(line.daysLate))\n"
                    text += "  \(publicURL)/items/\(line.roadmapID)\n"
                }
            }
            text += "\nЭскалация записана в историю дорожной карты.\n"
        case .weeklyDigest(let letter):
            text += "Сводка по территории «\(letter.territoryName)» за неделю \(letter.weekFrom.russian)–\(letter.weekTo.russian).\n"
            text += "\nСтали просроченными за неделю: \(Self.measures(letter.becameLateTotal)).\n"
            for line in letter.becameLate { text += "• \(line.name) — \(line.count)\n  \(publicURL)\(line.path)\n" }
            if letter.becameLateTotal > 0 { text += "Все просроченные: \(publicURL)\(letter.overduePath)\n" }
            text += "\nСрок в ближайшие две недели: \(Self.measures(letter.dueSoonTotal)).\n"
            for line in letter.dueSoon { text += "• \(line.name) — \(line.count)\n  \(publicURL)\(line.path)\n" }
            text += "\nКураторы, у которых документы ждут проверки дольше \(Self.workingDays(letter.reviewWorkingDays)):"
            if letter.longWaits.isEmpty { text += " нет.\n" } else {
                text += "\n"
                for wait in letter.longWaits {
                    text += "• \(wait.curatorName) — \(Self.documents(wait.count)), самый давний с \(wait.oldestSince.russian)\n"
                }
                text += "Подробнее: \(publicURL)\(letter.reviewersPath)\n"
            }
            text += "\nДокументы, возвращённые на доработку больше двух раз:"
            if letter.returnedOften.isEmpty { text += " нет.\n" } else {
                text += "\n"
                for item in letter.returnedOften {
                    text += "• \(item.title) (\(item.ownerName)) — возвращён \(item.returns) \(RussianPlural.word(item.returns, "раз", "раза", "раз"))\n"
                    text += "  \(publicURL)/items/\(item.itemID)\n"
                }
            }
        }
        text += "\n—\nЭто письмо отправлено автоматически системой \(productName); отвечать на него не нужно.\n"
        text += "Настройки уведомлений: \(publicURL)/settings/mail\n"
        if let unsubscribeURL {
            text += "Отписаться от таких писем: \(unsubscribeURL)\n"
        }
        return text
    }

    static func days(_ count: Int) -> String { RussianPlural.count(count, "день", "дня", "дней") }
    static func workingDays(_ count: Int) -> String { RussianPlural.count(count, "рабочего дня", "рабочих дней", "рабочих дней") }
    static func measures(_ count: Int) -> String { RussianPlural.count(count, "мероприятие", "мероприятия", "мероприятий") }
    static func documents(_ count: Int) -> String { RussianPlural.count(count, "документ", "документа", "документов") }
}
