import Foundation

/// What an import did or would do, as tables people keep: the administrator's CSV import row by
/// row, and a roadmap table as the program read it (the preview), measure by measure.
public enum ImportReportTable {
    public static func table(_ report: ImportReport, fileName: String) -> ExportTable {
        let outcome: [UpsertOutcome: String] = report.dryRun
            ? [.created: "будет создано", .updated: "будет изменено", .unchanged: "без изменений"]
            : [.created: "создано", .updated: "изменено", .unchanged: "без изменений"]
        return ExportTable(
            sheetName: "Импорт", title: (report.dryRun ? "Проверка импорта" : "Импорт") + " «\(report.kind.russianName)» из «\(fileName)»",
            notes: [(report.dryRun ? "Проверка: ничего не записано. " : "")
                    + "Создано: \(report.count(.created)), изменено: \(report.count(.updated)), без изменений: \(report.count(.unchanged))."],
            header: ["Строка файла", "Ключ", "Название", "Результат"],
            rows: report.rows.map {
                [.number($0.line), .text($0.key), $0.name.map { .text($0) } ?? .empty, .text(outcome[$0.outcome] ?? $0.outcome.rawValue)]
            })
    }

    /// A refused import's rows and what is wrong with each, to fix the file by.
    public static func problems(_ problems: [ImportProblem], kind: ImportKind, fileName: String) -> ExportTable {
        ExportTable(sheetName: "Ошибки", title: "Ошибки импорта «\(kind.russianName)» из «\(fileName)»",
                    notes: ["Импорт отклонён, ничего не изменено. Исправьте строки и загрузите файл снова."],
                    header: ["Строка файла", "Что не так"],
                    rows: problems.map { [$0.line > 0 ? .number($0.line) : .empty, .text($0.message)] })
    }
}

public enum ImportPreviewTable {
    public static func table(_ preview: RoadmapImportPreview, fileName: String) -> ExportTable {
        ExportTable(
            sheetName: "Как прочитана таблица", title: "Как прочитана таблица «\(preview.table)» из «\(fileName)»",
            notes: ["Формат: \(preview.format.russianName); строка заголовка — \(preview.headerLine); год программы — \(preview.programmeYear).",
                    "Мероприятий: \(preview.measures.count), требуют внимания: \(preview.flaggedCount). Ничего не сохранено."]
                + preview.problems.map { "! \($0.message)" },
            header: ["Строка", "№", "Требует внимания", "Мероприятие", "Этап, трек, цель, раздел, задача", "Срок в таблице", "Даты",
                     "Периодичность", "Ответственные", "Показатель", "Плановое значение", "Результат", "Нормативный документ",
                     "Региональная мера", "Замечания"],
            rows: preview.measures.map { measure in
                // One date is a date cell; several are written out, as the preview shows them.
                let dates: ExportTable.Cell = measure.dueDates.count == 1 ? .date(measure.dueDates[0])
                    : measure.dueDates.isEmpty ? .text("без даты") : .text(measure.russianDueDates)
                return [.number(measure.line), measure.number.map { .text($0) } ?? .empty, measure.isFlagged ? .text("да") : .empty,
                        .text(measure.title), text(measure.outline.joined(separator: "; ")), text(measure.deadlineText), dates,
                        measure.recurrence.map { .text($0.russianName) } ?? .empty, text(measure.responsible), text(measure.indicator),
                        text(measure.plannedValue), text(measure.result), text(measure.normativeDocument), text(measure.regionalMeasure),
                        text(measure.notes.map(\.message).joined(separator: " "))]
            })
    }

    private static func text(_ value: String) -> ExportTable.Cell { value.isEmpty ? .empty : .text(value) }
}
