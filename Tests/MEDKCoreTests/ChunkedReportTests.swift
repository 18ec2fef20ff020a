import Foundation
@testable import MEDKCore
import Synchronization
import Testing

@Suite("A report judged on several cores equals the one judged school by school")
struct ChunkedReportTests {
    @Test("work spread over the cores comes back whole and in the list's order, however short the list",
          arguments: [0, 1, 2, 5, 7, 100])
    func chunkedMapKeepsOrder(count: Int) throws {
        let numbers = Array(0..<count)
        for workers in 1...4 {
            let chunkSizes = Mutex<[Int]>([])
            let doubled = try ChunkedWork.map(numbers, workers: workers) { chunk in
                chunkSizes.withLock { $0.append(chunk.count) }
                return chunk.map { $0 * 2 }
            }
            #expect(doubled == numbers.map { $0 * 2 })
            let sizes = chunkSizes.withLock { $0 }
            #expect(sizes.count <= max(workers, 1))
            #expect(sizes.reduce(0, +) == count)
        }
    }

    @Test("a chunk that fails fails the whole work")
    func chunkFailureIsRethrown() {
        #expect(throws: MEDKError.self) {
            _ = try ChunkedWork.map(Array(0..<10), workers: 3) { chunk in
                if chunk.contains(7) { throw MEDKError.notFound("seven") }
                return Array(chunk)
            }
        }
    }

    @Test("a territory counted in parts and merged equals the territory counted school by school, due dates and waits included",
          arguments: [1, 2, 3, 7])
    func mergedPartsEqualOneCount(parts: Int) {
        var random = SeededRandom(seed: UInt64(parts))
        let milestones = [
            Milestone(id: 1, campaignID: 1, kind: .riskProfile, title: "Рисковый профиль", dueDate: CalendarDate(year: 2026, month: 3, day: 1)!),
            Milestone(id: 2, campaignID: 1, kind: .roadmap, title: "Дорожная карта", dueDate: CalendarDate(year: 2026, month: 5, day: 1)!),
        ]
        // Two regions: one keeps the campaign's dates, the other moved the roadmap's, so the
        // territory's roadmap date is only known while all its schools share it.
        let schools: [SchoolJudgement] = (0..<60).map { index in
            let moved = index >= 40
            let cells = milestones.map { milestone in
                let status = MilestoneStatus.allCases[Int.random(in: 0..<MilestoneStatus.allCases.count, using: &random)]
                let due = moved && milestone.kind == .roadmap ? CalendarDate(year: 2026, month: 6, day: 1)! : milestone.dueDate
                return MilestoneCell(kind: milestone.kind, title: milestone.title, dueDate: due, status: status,
                                     statusName: status.russianName, firstSubmittedAt: nil)
            }
            var measures = MeasureTotals()
            measures.total = Int.random(in: 0..<60, using: &random)
            measures.overdue = Int.random(in: 0..<5, using: &random)
            measures.confirmed = Int.random(in: 0..<30, using: &random)
            let waiting = (0..<Int.random(in: 0..<3, using: &random)).map { _ in
                Date(timeIntervalSince1970: 1_780_000_000 + Double(Int.random(in: 0..<90_000, using: &random)))
            }
            return SchoolJudgement(cells: cells, measures: measures, waitingSince: waiting)
        }
        for split in [40, 45, 10] {
            // The schools in the order they were read, then counted in `parts` consecutive chunks.
            let ordered = Array(schools[split...] + schools[..<split])
            var whole = TerritoryCompliance(code: "RU", name: "Российская Федерация", milestones: milestones)
            for school in ordered { whole.add(school) }
            var merged = TerritoryCompliance(code: "RU", name: "Российская Федерация", milestones: milestones)
            let size = (ordered.count + parts - 1) / parts
            for start in stride(from: 0, to: ordered.count, by: size) {
                var part = TerritoryCompliance(code: "RU", name: "Российская Федерация", milestones: milestones)
                for school in ordered[start..<min(start + size, ordered.count)] { part.add(school) }
                merged.merge(part)
            }
            #expect(merged == whole)
            #expect(whole.milestones[0].dueDate == milestones[0].dueDate)
            #expect(whole.milestones[1].dueDate == nil)
        }
    }
}
