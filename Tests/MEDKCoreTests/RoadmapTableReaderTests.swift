import Foundation
@testable import MEDKCore
import Testing

/// Roadmap tables as offices keep them, read into measures: where the header is, what the heading
/// rows mean, rows broken across pages. Nothing a table holds is dropped.
@Suite("Reading a roadmap from a table")
struct RoadmapTableReaderTests {
    static let context = DeadlineContext(programmeYear: 2023)

    static func row(_ line: Int, _ cells: [String], spans: Bool = false) -> SourceTable.Row {
        SourceTable.Row(line: line, cells: cells, spansWidth: spans)
    }

    static func read(_ rows: [SourceTable.Row]) throws -> RoadmapImportPreview {
        try RoadmapTableReader.preview([SourceTable(name: "таблица 1", rows: rows)], format: .docx, context: context)
    }

    /// FIOCO's model form (seed 004) with a title above it and column numbers under its header.
    static let fiocoForm: [SourceTable.Row] = [
        row(1, ["Приложение к приказу", "", "", "", ""]),
        row(2, ["Задача - действие", "Мера-мероприятие", "Конкретные сроки", "Ответственные исполнители/соисполнители", "Результаты/показатели"]),
        row(3, ["1", "2", "3", "4", "5"]),
        row(4, ["Трек 1. Адресная поддержка школ с низкими результатами обучения", "", "", "", ""], spans: true),
        row(5, ["Цель: внедрить антикризисную управленческую модель", "", "", "", ""], spans: true),
        row(6, ["Организовать мониторинг", "Собеседование с руководителями школ", "Январь-февраль", "Координатор", "Проведено"]),
        row(7, ["Организовать мониторинг", "Анкетирование участников", "Апрель 2023г.", "Руководители школ", "Анкеты заполнены"]),
        row(8, ["", "проекта «500+»", "", "", ""]),
        row(9, ["Трек 2. Адресная поддержка школ в зоне риска", "", "", "", ""]),
        row(10, ["", "Выезды в школы", "По мере необходимости", "Координатор", "Справки"]),
    ]

    @Test("the header is found below a title, and heading rows place the measures under a track and a goal")
    func fiocoFormReadsIntoTracks() throws {
        let preview = try Self.read(Self.fiocoForm)
        #expect(preview.headerLine == 2)
        #expect(preview.columns["title"] == "Мера-мероприятие" && preview.columns["deadline"] == "Конкретные сроки")
        #expect(preview.measures.map(\.title) == ["Собеседование с руководителями школ", "Анкетирование участников проекта «500+»",
                                                  "Выезды в школы"])
        let first = preview.measures[0]
        #expect(first.track == "Трек 1. Адресная поддержка школ с низкими результатами обучения" && first.trackNumber == .addressSupport)
        #expect(first.goal == "Цель: внедрить антикризисную управленческую модель")
        #expect(first.task == "Организовать мониторинг")
        #expect(first.outline == ["Трек 1. Адресная поддержка школ с низкими результатами обучения",
                                  "Цель: внедрить антикризисную управленческую модель", "Задача: Организовать мониторинг"],
                "a heading that names itself is shown as written, not «Цель: Цель: …»")
        #expect(first.dueDates == [CalendarDate("2023-02-28")!] && first.notes.map(\.code) == ["deadline_year_assumed"])
        let third = preview.measures[2]
        #expect(third.trackNumber == .riskZone && third.goal == nil, "a new track leaves the previous goal behind")
        #expect(third.isFlagged && third.deadlineText == "По мере необходимости", "kept, with its text, and flagged")
    }

    @Test("a row with lower-case text and no title of its own continues the measure above, with a note")
    func continuationRow() throws {
        let preview = try Self.read(Self.fiocoForm)
        let continued = preview.measures[1]
        #expect(continued.title == "Анкетирование участников проекта «500+»")
        #expect(continued.line == 7)
        #expect(continued.notes.map(\.code) == ["row_continues_measure"])
        #expect(continued.task == "Организовать мониторинг", "a task merged down is not repeated")
    }

    @Test("in a numbered table a row without a number continues the measure above; a section typed into the number column is a heading")
    func numberedTable() throws {
        let preview = try Self.read([
            Self.row(3, ["№", "Мероприятия", "Сроки реализации", "Ответственные", "Результат"]),
            Self.row(4, ["Организационно-управленческая деятельность", "", "", "", ""]),
            Self.row(5, ["1", "Анализ рискового профиля", "до 30 апреля", "Заместитель директора", "Справка"]),
            Self.row(6, ["", "и обсуждение на совете", "", "педсовет", ""]),
            Self.row(7, ["Работа с педагогами", "", "", "", ""]),
            Self.row(8, ["2.", "Посещение уроков", "Ежемесячно", "Наставники", ""]),
        ])
        #expect(preview.measures.count == 2)
        #expect(preview.measures[0].title == "Анализ рискового профиля и обсуждение на совете")
        #expect(preview.measures[0].responsible == "Заместитель директора педсовет")
        #expect(preview.measures[0].section == "Организационно-управленческая деятельность")
        #expect(preview.measures[1].section == "Работа с педагогами" && preview.measures[1].number == "2.")
        #expect(preview.measures[1].recurrence == .monthly && preview.measures[1].dueDates.count == 12)
    }

    @Test("a header repeated on the next page and a row of column numbers are not measures")
    func repeatedHeader() throws {
        let header = ["№", "Мероприятие", "Срок", "Ответственные"]
        let preview = try Self.read([
            Self.row(1, header), Self.row(2, ["1", "2", "3", "4"]),
            Self.row(3, ["1", "Первое", "май 2023", "Директор"]),
            Self.row(4, header),
            Self.row(5, ["2", "Второе", "июнь 2023", "Директор"]),
        ])
        #expect(preview.measures.map(\.title) == ["Первое", "Второе"])
    }

    @Test("a measure whose text names header words («…по результатам мероприятия») is a measure, not a header")
    func measureTextLikeHeaders() throws {
        let preview = try Self.read([
            Self.row(3, ["№", "Мероприятие", "Сроки реализации", "Результат"]),
            Self.row(4, ["1", "Семинар по результатам мониторинга", "май 2023", "Проведено мероприятие, 100 % школ"]),
            Self.row(5, ["2", "Сроки и ответственные за мероприятие", "июнь 2023", "Результат: назначены"]),
        ])
        #expect(preview.measures.map(\.number) == ["1", "2"])
    }

    @Test("stages and tasks of a regional roadmap: a stage clears the task of the previous one")
    func stagesAndTasks() throws {
        let preview = try Self.read([
            Self.row(4, ["№", "Мероприятие", "Сроки исполнения", "Ответственные", "Нормативный документ"]),
            Self.row(5, ["Первый этап: 2023 год", "", "", "", ""], spans: true),
            Self.row(6, ["Задача 1: выявить школы", "", "", "", ""], spans: true),
            Self.row(7, ["1.1", "Формирование перечня", "30.04.2023", "Министерство", "Распоряжение № 12-р"]),
            Self.row(8, ["Второй этап: 2024 год", "", "", "", ""], spans: true),
            Self.row(9, ["2.1", "Оценка эффективности", "2024", "Министерство", ""]),
        ])
        #expect(preview.measures[0].stage == "Первый этап: 2023 год" && preview.measures[0].task == "Задача 1: выявить школы")
        #expect(preview.measures[0].normativeDocument == "Распоряжение № 12-р")
        #expect(preview.measures[1].stage == "Второй этап: 2024 год" && preview.measures[1].task == nil)
        #expect(preview.measures[1].notes.map(\.code) == ["deadline_outside_period"])
    }

    @Test("the first table with a recognisable header is read; a signature table before it is passed over")
    func firstRecognisedTable() throws {
        let signatures = SourceTable(name: "таблица 1", rows: [Self.row(1, ["СОГЛАСОВАНО", "УТВЕРЖДАЮ"])])
        let roadmap = SourceTable(name: "таблица 2", rows: [Self.row(1, ["Мероприятие", "Срок"]), Self.row(2, ["Семинар", "май 2023"])])
        let preview = try RoadmapTableReader.preview([signatures, roadmap], format: .docx, context: Self.context)
        #expect(preview.table == "таблица 2" && preview.measures.count == 1)
    }

    @Test("a table without a header naming the measures is refused, saying what is looked for")
    func noHeader() throws {
        let table = SourceTable(name: "Лист1", rows: [Self.row(1, ["ФИО", "Должность"]), Self.row(2, ["Иванова", "Директор"])])
        let error = #expect(throws: MEDKError.self) {
            try RoadmapTableReader.preview([table], format: .xlsx, context: Self.context)
        }
        #expect(error?.code == "no_roadmap_table" && error?.message.contains("«Мероприятие»") == true)
    }

    @Test("columns it does not know are named in the problems, and a header with nothing under it says so")
    func unknownColumnsAndNoMeasures() throws {
        let preview = try Self.read([Self.row(1, ["Мероприятие", "Срок", "Примечание"])])
        #expect(preview.problems.map(\.code) == ["column_ignored", "no_measures"])
        #expect(preview.problems[0].message.contains("«Примечание»"))
    }

    @Test("headers are recognised by the words people use", arguments: [
        ("Мероприятие", RoadmapField.title), ("Мера-мероприятие", .title), ("Мероприятия", .title), ("Описание действий", .title),
        ("Сроки реализации", .deadline), ("Сроки исполнения", .deadline), ("Конкретные сроки", .deadline), ("Срок", .deadline),
        ("Исполнители", .responsible), ("Ответственные", .responsible), ("Ответственные исполнители/соисполнители", .responsible),
        ("Показатель реализации", .indicator), ("Муниципальный показатель реализации", .indicator), ("Результат", .result),
        ("Результаты/показатели", .result), ("Задача - действие", .task), ("Нормативный документ", .normativeDocument),
        ("№ п/п", .number), ("Плановое значение показателя", .plannedValue),
    ])
    func headers(_ header: String, _ field: RoadmapField) {
        #expect(RoadmapField.named(header) == field)
    }
}
