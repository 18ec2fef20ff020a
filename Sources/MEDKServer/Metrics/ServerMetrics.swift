import Dispatch
import Metrics
import Foundation
import MEDKCore
import Prometheus

/// The figures an operator graphs (issue 25), in Prometheus' text format on `GET /metrics` of
/// `--metrics-address`: requests by route template and status with their latency, the core's
/// transactions, group commits, uploads in progress and refused sign-ins (`OperationMetrics`),
/// the mail outbox, and the process' memory and open files. The counters and histograms are
/// kept as events happen; the outbox and the process are read when Prometheus asks.
public final class ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    /// What the core reports into the same registry.
    public let operations: OperationMetrics
    let requestsInFlight: Meter

    private let mailMessages: [String: Prometheus.Gauge]
    private let oldestQueuedMail: Prometheus.Gauge
    private let residentMemory: Prometheus.Gauge
    private let openFiles: Prometheus.Gauge
    private let cpuSeconds: Prometheus.Gauge
    private let startTime: Prometheus.Gauge

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Pages and API calls answer in milliseconds; reports and exports take seconds.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
            .milliseconds(100), .milliseconds(200), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
        ]
        factory.valueHistogramBuckets[OperationMetrics.groupCommitLabel] = [1, 2, 4, 8, 16, 32, 64, 128]
        self.registry = registry
        self.factory = factory
        operations = OperationMetrics(factory: factory)
        requestsInFlight = Meter(label: "medk_http_requests_in_flight", dimensions: [], factory: factory)
        mailMessages = Dictionary(uniqueKeysWithValues: ["pending", "sending", "failed", "uncertain"].map { state in
            (state, registry.makeGauge(name: "medk_mail_outbox_messages", labels: [("state", state)],
                                       help: "Messages in the outbox not settled yet: pending (queued), sending, failed, uncertain."))
        })
        oldestQueuedMail = registry.makeGauge(name: "medk_mail_outbox_oldest_pending_seconds",
                                              help: "Age of the oldest queued message (0 when none is queued).")
        residentMemory = registry.makeGauge(name: "process_resident_memory_bytes", help: "Resident memory size in bytes.")
        openFiles = registry.makeGauge(name: "process_open_fds", help: "Number of open file descriptors.")
        cpuSeconds = registry.makeGauge(name: "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.")
        startTime = registry.makeGauge(name: "process_start_time_seconds", help: "Start time of the process since the Unix epoch in seconds.")
        startTime.set(Date().timeIntervalSince1970)
    }

    /// A request answered: counted and timed by its route template (never the raw path: ids in
    /// paths would make a series per document).
    func recordRequest(route: String, method: String, status: Int, since started: DispatchTime) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        Counter(label: "medk_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Timer(label: "medk_http_request_duration_seconds", dimensions: dimensions, factory: factory).recordInterval(since: started)
    }

    /// The exposition, with the outbox and the process read now.
    public func exposition(service: MEDKService) async -> [UInt8] {
        if let unsettled = try? await service.unsettledMail() {
            let now = service.clock.now()
            for (state, gauge) in mailMessages {
                gauge.set(Double(unsettled.first { $0.state == state }?.count ?? 0))
            }
            let oldest = unsettled.first { $0.state == "pending" }?.oldest
            oldestQueuedMail.set(oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        }
        let process = ProcessFigures.read()
        residentMemory.set(Double(process.residentBytes))
        openFiles.set(Double(process.openFiles))
        cpuSeconds.set(process.cpuSeconds)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64 * 1024)
        registry.emit(into: &buffer)
        return buffer
    }
}

/// This process as Linux reports it in /proc.
enum ProcessFigures {
    static func read() -> (residentBytes: Int, openFiles: Int, cpuSeconds: Double) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        let resident = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        let files = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        // Fields 14 and 15 of /proc/self/stat (utime, stime) in clock ticks, counted after the
        // command name, which is in parentheses and may hold spaces.
        let stat = (try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8)) ?? ""
        let afterName = stat.split(separator: ")").last.map { $0.split(separator: " ") } ?? []
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let cpu = afterName.count > 12 ? ((Double(afterName[11]) ?? 0) + (Double(afterName[12]) ?? 0)) / ticks : 0
        return (resident * page, max(0, files - 1), cpu)  // less the descriptor listing /proc/self/fd
    }
}
