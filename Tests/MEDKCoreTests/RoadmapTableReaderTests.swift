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
        #expect(preview.measures[0].task == "Организационно-управленческая деятельность")
        #expect(preview.measures[1].task == "Работа с педагогами" && preview.measures[1].number == "2.")
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

    static let catalogue = Dictionary(uniqueKeysWithValues: RiskFactorCatalogue.fioco.enumerated().map { ($0.offset + 1, $0.element) })

    /// A school's anti-risk roadmap as schools write it: factor headings, no task column, targets inside the indicator.
    static let schoolByFactor: [SourceTable.Row] = [
        row(1, ["№", "Мероприятие", "Срок", "Ответственный", "Показатель реализации"]),
        row(2, ["Фактор 2. Дефицит педагогических кадров", "", "", "", ""], spans: true),
        row(3, ["1", "Привлечение молодых специалистов", "до 30 августа", "Директор", "Доля вакансий — 0 %"]),
        row(4, ["Низкая учебная мотивация обучающихся", "", "", "", ""], spans: true),
        row(5, ["2", "Проектная неделя", "май 2023", "Заместитель директора", "Новости на сайте школы: не менее 1 в месяц"]),
        row(6, ["Фактор 11. Нехватка спортзала", "", "", "", ""], spans: true),
        row(7, ["3", "Ремонт спортзала", "июль 2023", "Завхоз", "Проведён ремонт"]),
    ]

    @Test("a school's factor headings file the measures under the campaign's risk factors, by number or by name")
    func riskFactorsFromHeadings() throws {
        let preview = try RoadmapTableReader.preview([SourceTable(name: "таблица 1", rows: Self.schoolByFactor)], format: .docx,
                                                     context: Self.context, owner: .school, riskFactors: Self.catalogue)
        #expect(preview.measures.map(\.riskFactorNumber) == [2, 10, nil])
        #expect(preview.measures[0].outline == ["Фактор 2. Дефицит педагогических кадров"])
        #expect(preview.measures[1].outline == ["Фактор риска: Низкая учебная мотивация обучающихся"])
        #expect(preview.measures[2].notes.map(\.code).contains("risk_factor_unknown"), "a factor the catalogue lacks is named, not guessed")
        let other = try Self.read(Self.schoolByFactor)
        #expect(other.measures.allSatisfy { $0.riskFactorNumber == nil && $0.riskFactor == nil },
                "without a catalogue (a municipality's or region's table) a factor heading is a plain section")
    }

    @Test("an indicator that states its target gives the planned value, and says so")
    func targetsInsideIndicators() throws {
        let preview = try Self.read(Self.schoolByFactor)
        #expect(preview.measures.map(\.plannedValue) == ["0 %", "не менее 1 в месяц", ""])
        #expect(preview.measures[1].notes.map(\.code).contains("planned_value_from_indicator"))
        #expect(IndicatorTarget.read("Проведён семинар") == nil, "no number, no target")
        #expect(IndicatorTarget.read("Доля школ не ниже 80 % к маю") == "не ниже 80 % к маю")
        #expect(IndicatorTarget.read("Доля от общего числа учителей, 100 %") == "Доля от общего числа учителей, 100 %",
                "«от» not followed by a number opens nothing; the text with a number is the target as written")
    }

    @Test("a track column and track names as municipalities write them give FIOCO's track")
    func tracks() throws {
        #expect(OutlineNames.track(in: "Трек 3") == .failurePrevention)
        #expect(OutlineNames.track(in: "2") == .riskZone)
        #expect(OutlineNames.track(in: "Профилактика учебной неуспешности") == .failurePrevention)
        #expect(OutlineNames.track(in: "Методическая работа") == nil)
        let preview = try RoadmapTableReader.preview([SourceTable(name: "Лист1", rows: [
            Self.row(1, ["Трек", "Мероприятие", "Срок", "Ответственные"]),
            Self.row(2, ["Адресная поддержка ШНОР", "Выезды в школы", "май 2023", "Координатор"]),
            Self.row(3, ["4", "Семинар", "июнь 2023", "Координатор"]),
        ])], format: .xlsx, context: Self.context, owner: .municipality)
        #expect(preview.measures.map(\.trackNumber) == [.addressSupport, nil])
        #expect(preview.measures[1].notes.map(\.code) == ["track_unknown"])
    }

    @Test("text only in a data column continues the measure above; a numbered section over «2.1», «2.2» is a heading")
    func continuationsAndNumberedSections() throws {
        let preview = try Self.read([
            Self.row(1, ["№", "Мероприятие", "Срок", "Ответственные", "Показатель реализации"]),
            Self.row(2, ["1.", "Организационные мероприятия", "", "", ""]),
            Self.row(3, ["1.1", "Совещание с директорами", "май 2023", "Управление образования", "Проведено совещание,"]),
            Self.row(4, ["", "", "", "", "протокол размещён на сайте"]),
            Self.row(5, ["1.2", "Выезды в школы", "июнь 2023", "Управление образования", "Справки"]),
            Self.row(6, ["2", "Итоговый семинар", "", "", ""]),
        ])
        #expect(preview.measures.map(\.title) == ["Совещание с директорами", "Выезды в школы", "Итоговый семинар"])
        #expect(preview.measures[0].indicator == "Проведено совещание, протокол размещён на сайте")
        #expect(preview.measures[0].notes.map(\.code).contains("row_continues_measure"))
        #expect(preview.measures[0].task == "Организационные мероприятия" && preview.measures[1].task == "Организационные мероприятия",
                "the numbered section is the task of the measures under it")
        #expect(preview.measures[2].number == "2", "a numbered row with nothing under it is a measure")
    }

    @Test("a date already past on the day of the import is flagged, once per row")
    func pastDates() throws {
        let context = DeadlineContext(programmeYear: 2023, today: CalendarDate("2023-06-15")!)
        let preview = try RoadmapTableReader.preview([SourceTable(name: "Лист1", rows: [
            Self.row(1, ["Мероприятие", "Срок", "Ответственные"]),
            Self.row(2, ["Семинар", "30 января", "Директор"]),
            Self.row(3, ["Посещение уроков", "Ежеквартально", "Завуч"]),
            Self.row(4, ["Итоговый совет", "декабрь", "Директор"]),
        ])], format: .xlsx, context: context)
        #expect(preview.measures.map(\.pastDueDates.count) == [1, 1, 0])
        #expect(preview.pastCount == 2 && preview.measures[0].isFlagged && !preview.measures[2].isFlagged)
        #expect(preview.measures[1].notes.contains { $0.code == "deadline_past" && $0.message.hasPrefix("Сроки 31.03.2023 уже прошли (1 из 4)") })
    }
}
