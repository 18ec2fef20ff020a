import Foundation
@testable import MEDKCore
import MEDKTestSupport
import Testing

/// The hot use cases planned on PostgreSQL as on SQLite (`QueryPlanTests`): every statement they
/// run is planned generically (as a prepared statement is, whatever its values) with sequential
/// scans priced out, so a sequential scan left in a plan means no index can serve it. A table
/// of the test world is small; an index missing here is missing for the country too.
@Suite("Query plans on PostgreSQL", .enabled(if: TestWorld.backend == "postgres"))
struct PostgresQueryPlanTests {
    @Test("no statement of the hot use cases needs a sequential scan of a large table")
    func noSequentialScans() async throws {
        let url = try #require(try TestWorld.scratchPostgresURL())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medk-plans-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let statements = try await QueryPlanTests.hotPathStatements(database: .postgres(url: url, connections: 2), directory: directory)
        #expect(statements.count > 60, "the hot paths ran")

        let connection = try PGConnection(url: url)
        try connection.execute("SET enable_seqscan = off; SET plan_cache_mode = force_generic_plan")
        var problems: [String] = [], planned = 0
        for (index, sql) in statements.sorted().enumerated() {
            let verb = sql.trimmingCharacters(in: .whitespacesAndNewlines).prefix(6).uppercased()
            guard ["SELECT", "UPDATE", "DELETE", "INSERT"].contains(verb) else { continue }
            let parameters = sql.matches(of: #/\$(\d+)/#).compactMap { Int($0.1) }.max() ?? 0
            do {
                try connection.execute("PREPARE medk_plan_\(index) AS \(sql)")
            } catch {
                // A parameter PostgreSQL cannot type outside its call (`$1 IS NULL`): planned with its values only.
                continue
            }
            defer { try? connection.execute("DEALLOCATE medk_plan_\(index)") }
            let arguments = parameters == 0 ? "" : "(" + Array(repeating: "NULL", count: parameters).joined(separator: ", ") + ")"
            let plan = try connection.query("EXPLAIN EXECUTE medk_plan_\(index)\(arguments)").compactMap { $0.text(0) }
            planned += 1
            let scans = plan.filter { line in
                guard let match = line.firstMatch(of: #/Seq Scan on (\w+)/#) else { return false }
                return QueryPlanTests.large.contains(String(match.1))
            }
            if !scans.isEmpty && !QueryPlanTests.allowed.contains(where: { sql.contains($0.fragment) }) {
                problems.append("\(scans.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")) ← "
                                + sql.replacingOccurrences(of: "\n", with: " "))
            }
        }
        #expect(planned > 50, "most statements were planned (\(planned) of \(statements.count))")
        #expect(problems == [], "\(problems.joined(separator: "\n"))")
    }
}
