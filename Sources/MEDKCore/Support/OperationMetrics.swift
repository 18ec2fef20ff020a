import Dispatch
import Metrics

/// What the core reports about its own work — transactions, group commits, uploads, refused
/// sign-ins — to the metrics backend the server chose (`medk serve --metrics-address`: Prometheus);
/// nowhere by default. Made from an injected factory rather than the process-wide one, so that
/// tests each see only their own figures.
public struct OperationMetrics: Sendable {
    let factory: any MetricsFactory
    let readSeconds: Timer
    let writeSeconds: Timer
    /// Writes committed together by one fsync (SQLite's group commit).
    let groupCommitWrites: Recorder
    let uploadsInProgress: Meter

    public static let groupCommitLabel = "medk_db_group_commit_writes"

    public init(factory: any MetricsFactory) {
        self.factory = factory
        readSeconds = Timer(label: "medk_db_transaction_seconds", dimensions: [("kind", "read")], factory: factory)
        writeSeconds = Timer(label: "medk_db_transaction_seconds", dimensions: [("kind", "write")], factory: factory)
        groupCommitWrites = Recorder(label: Self.groupCommitLabel, dimensions: [], aggregate: true, factory: factory)
        uploadsInProgress = Meter(label: "medk_uploads_in_progress", dimensions: [], factory: factory)
        // Every reason's series exists from the start (at 0), so a graph shows «none» rather than «no data».
        for reason in LoginThrottle.Refusal.allCases { _ = Self.loginsRefused(reason, factory) }
    }

    public static let none = OperationMetrics(factory: NOOPMetricsHandler.instance)

    func loginRefused(_ reason: LoginThrottle.Refusal) {
        Self.loginsRefused(reason, factory).increment()
    }

    private static func loginsRefused(_ reason: LoginThrottle.Refusal, _ factory: any MetricsFactory) -> Counter {
        Counter(label: "medk_logins_refused_total", dimensions: [("reason", reason.rawValue)], factory: factory)
    }

    /// Runs `body`, recording how long it took on `timer` whether it succeeded or not.
    static func timed<T>(_ timer: Timer, _ body: () async throws -> T) async rethrows -> T {
        let started = DispatchTime.now()
        defer { timer.recordInterval(since: started) }
        return try await body()
    }
}
