import Foundation
import MEDKCore
import MEDKTestSupport
import Testing

@Suite("Two people acting at once")
struct ConcurrencyTests {
    @Test("two curators deciding the same item at once: exactly one wins and one audit row is written")
    func twoCurators() async throws {
        let world = try await TestWorld()
        // Both curators are assigned to school A for this test.
        _ = try await world.service.importCSV(.assignments, text: "campaign_code;school_code;curator_login\nC2026;A;curator2",
                                              dryRun: false, by: .local)
        for round in 0..<5 {
            let item = try await world.submittedDocument(round == 0 ? .developmentConcept : [.midtermProgramme, .interimReport, .finalReport, .analyticalNote][round - 1], school: "A")
            let results = await withTaskGroup(of: Result<ItemDetail, MEDKError>.self) { group in
                for (login, action) in [("curator1", ReviewAction.confirm), ("curator2", ReviewAction.return)] {
                    group.addTask {
                        do {
                            return .success(try await world.act(action, on: item, by: login, comment: "решение \(login)"))
                        } catch let error as MEDKError {
                            return .failure(error)
                        } catch {
                            return .failure(MEDKError(.internalFailure, code: "unexpected", message: "\(error)"))
                        }
                    }
                }
                var collected: [Result<ItemDetail, MEDKError>] = []
                for await result in group { collected.append(result) }
                return collected
            }
            let wins = results.compactMap { try? $0.get() }
            let losses = results.compactMap { result -> MEDKError? in if case .failure(let e) = result { e } else { nil } }
            #expect(wins.count == 1)
            #expect(losses.count == 1)
            #expect(losses.first?.kind == .conflict)
            let history = try await world.service.item(item.item.id, for: try await world.actor("curator1")).history
            #expect(history.filter { $0.action == .itemConfirm || $0.action == .itemReturn }.count == 1)
        }
        #expect(try await world.service.verifyAudit() == .intact(rows: try await world.auditTrail().count,
                                                                 lastHash: try await world.auditTrail().last!.hash))
    }

    @Test("many decisions at once commit together, and the ones that are refused fail alone, leaving nothing behind")
    func groupCommit() async throws {
        let world = try await TestWorld()
        var items: [ItemDetail] = []
        for kind in [ItemKind.developmentConcept, .midtermProgramme, .interimReport, .finalReport] {
            for school in ["A", "B"] { items.append(try await world.submittedDocument(kind, school: school)) }
        }
        let before = try await world.auditTrail().count
        // Every item gets a confirmation; every second one also a return without its required
        // comment (refused before any write) and a stale confirmation (refused inside the batch).
        let outcomes = await withTaskGroup(of: (Int, String, Bool).self) { group in
            for (index, item) in items.enumerated() {
                group.addTask {
                    let done = (try? await world.act(.confirm, on: item, by: "curator1")) != nil
                    return (index, "confirm", done)
                }
                if index % 2 == 0 {
                    group.addTask {
                        let done = (try? await world.service.transition(itemID: item.item.id, TransitionRequest(
                            action: .confirm, expectedState: .submitted, expectedRevision: item.item.revision - 1),
                            by: try await world.actor("curator1"))) != nil
                        return (index, "stale", done)
                    }
                }
            }
            var collected: [(Int, String, Bool)] = []
            for await outcome in group { collected.append(outcome) }
            return collected
        }
        #expect(outcomes.filter { $0.1 == "confirm" }.allSatisfy { $0.2 }, "every valid decision committed")
        #expect(outcomes.filter { $0.1 == "stale" }.allSatisfy { !$0.2 }, "every stale one was refused")
        let curator = try await world.actor("curator1")
        for item in items {
            #expect(try await world.service.item(item.item.id, for: curator).item.state == .confirmed)
        }
        let after = try await world.auditTrail()
        #expect(after.count == before + items.count, "one audit row per committed decision, none for the refused")
        let verification = try await world.service.verifyAudit()
        #expect(verification == .intact(rows: after.count, lastHash: after.last!.hash))
    }
}
