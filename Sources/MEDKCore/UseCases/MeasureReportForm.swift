import Foundation

/// What a school sends when it reports a measure, in one go: the indicator's actual value, the
/// evidence (a new file, or the one already attached) and a word for the curator.
public struct MeasureReportInput: Sendable {
    public var actualValue: String
    public var fileName: String?
    public var comment: String?
    /// Send it to review now; otherwise only keep what was entered.
    public var submit: Bool
    /// The report's revision the person saw.
    public var expectedRevision: Int?

    public init(actualValue: String, fileName: String? = nil, comment: String? = nil, submit: Bool, expectedRevision: Int? = nil) {
        self.actualValue = actualValue
        self.fileName = fileName
        self.comment = comment
        self.submit = submit
        self.expectedRevision = expectedRevision
    }
}

/// A measure's report as one action, the way the page offers it: value, evidence and sending
/// happen together or not at all. Asked to send, a report without a value or without any evidence
/// is refused before a byte of the file is kept, naming the field; the value, the file's version
/// and the step to review then commit in one transaction with their audit records.
public struct MeasureReportFiling: Sendable {
    let service: MEDKService

    public func file<Chunks: AsyncSequence & Sendable>(reportID: Int64, _ input: MeasureReportInput, chunks: Chunks?,
                                                       by actor: Actor) async throws -> ItemDetail where Chunks.Element == [UInt8] {
        let value = input.actualValue.trimmingCharacters(in: .whitespacesAndNewlines)
        let comment = input.comment?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        let fileName = try input.fileName.map(Validation.fileName)
        var fields: [String: String] = [:]
        if input.submit && value.isEmpty { fields["actualValue"] = "Укажите фактическое значение показателя." }
        if value.count > 2000 { fields["actualValue"] = "Значение длиннее 2000 символов: сократите его." }
        if let comment, comment.count > 5000 { fields["comment"] = "Комментарий длиннее 5000 символов: сократите его." }
        let report = try await service.read { store in
            let report = try MEDKService.load(store, reportID)
            guard report.kind == .measureReport, let measureID = report.measureID else {
                throw MEDKError.rejected("not_a_measure_report", "Это не отчёт о мероприятии.")
            }
            _ = try MEDKService.requireEditable(report, by: actor, expectedRevision: input.expectedRevision)
            return (report, measureID)
        }
        if input.submit && fileName == nil && report.0.summary.latestVersion == nil {
            fields["file"] = "Приложите подтверждающий документ: без него отчёт не отправить."
        }
        guard fields.isEmpty else {
            throw MEDKError.rejected("incomplete_report", "Отчёт не отправлен: не всё заполнено.",
                                     details: fields.sorted { $0.key < $1.key }.map(\.value), fields: fields)
        }
        let blob: StoredBlob? = if let fileName, let chunks { try await service.storeUpload(chunks, fileName: fileName) } else { nil }
        let now = service.now()
        let measureID = report.1
        try await service.write { store in
            // The person's revision guards the whole step; what it does itself moves the revision on.
            _ = try MEDKService.reportMeasure(store, measureID, actualValue: value, expectedRevision: input.expectedRevision,
                                              by: actor, at: now)
            if let blob, let fileName {
                try MEDKService.recordUpload(store, itemID: reportID, fileName: fileName, blob: blob, expectedRevision: nil,
                                             by: actor, at: now)
            }
            if input.submit {
                let current = try MEDKService.load(store, reportID)
                try MEDKService.applyTransition(store, itemID: reportID, TransitionRequest(
                    action: .submit, expectedState: current.state, comment: comment), comment: comment, by: actor, at: now)
            } else if let comment {
                try store.appendAudit(AuditActor(userID: actor.userID, login: actor.login, role: try Policy.authorize(actor, .comment(report.0.scope))),
                                      at: now, .item(.itemComment, reportID, comment: comment))
            }
        }
        return try await service.item(reportID, for: actor)
    }
}

extension MEDKService {
    /// Reporting a measure in one form (value, evidence, comment, sending).
    public var measureReports: MeasureReportFiling { MeasureReportFiling(service: self) }
}

