import Foundation
import Logging
import MEDKCore

/// The background half of the outbox: plans reminders and sends what is due, again and again,
/// inside `medk serve --smtp-url` (and once per call in `medk notify run`).
public struct MailWorker: Sendable {
    public let service: MEDKService
    public let transport: any MailTransport
    public let configuration: MailConfiguration
    public let logger: Logger

    public init(service: MEDKService, transport: any MailTransport, configuration: MailConfiguration, logger: Logger) {
        self.service = service
        self.transport = transport
        self.configuration = configuration
        self.logger = logger
    }

    /// Settles what a stopped process left half-sent, then plans and sends until nothing more is
    /// due now (at most `rounds` batches), and reports the totals.
    public func runOnce(rounds: Int = 100) async throws -> (planning: ReminderPlanning, delivery: MailDelivery, settled: Int) {
        let lease = try await service.takeMailLease()
        guard lease.taken else {
            throw MEDKError(.conflict, code: "mail_sent_elsewhere",
                            message: "Письма сейчас отправляет другой процесс (сервер с --smtp-url): одновременно их отправляет только один.")
        }
        do {
            let result = try await passes(rounds: rounds)
            try? await service.releaseMailLease()
            return (result.planning, result.delivery, lease.settled)
        } catch {
            try? await service.releaseMailLease()
            throw error
        }
    }

    private func passes(rounds: Int) async throws -> (planning: ReminderPlanning, delivery: MailDelivery) {
        let planning = try await service.planReminders()
        var total = MailDelivery()
        for _ in 0..<rounds {
            let delivery = try await service.deliverMail(transport, configuration)
            total.sent += delivery.sent
            total.retrying += delivery.retrying
            total.failed += delivery.failed
            total.uncertain += delivery.uncertain
            total.skipped += delivery.skipped
            total.expired += delivery.expired
            // A batch that only postponed messages would find them again only after their backoff.
            if delivery.touched == 0 || delivery.touched == delivery.retrying { break }
        }
        return (planning, total)
    }

    /// Runs until cancelled, a pass every `interval`. A failing pass (the database busy, the
    /// server unreachable) is logged and the next pass tries again.
    public func run(every interval: Duration = .seconds(60)) async {
        logger.info("mail worker started", metadata: ["smtp": "\(transport.description)"])
        // A server killed while it held the lease delays mail by at most three of its passes.
        let sender = MailSender.thisProcess.passing(every: Double(interval.components.seconds))
        var sending = false
        while !Task.isCancelled {
            do {
                // Planning is idempotent (each reminder has its key); sending is this sender's only
                // while it holds the lease, renewed by every pass.
                let planning = try await service.planReminders()
                let delivery = try await service.deliverMail(transport, configuration, as: sender)
                if delivery.settled > 0 {
                    logger.warning("messages left half-sent by a stopped sender marked uncertain", metadata: ["count": "\(delivery.settled)"])
                }
                if sending == delivery.sentElsewhere {
                    sending = !delivery.sentElsewhere
                    logger.info(sending ? "this server now sends mail" : "another server sends mail; this one waits")
                }
                if planning.messages > 0 || delivery.touched > 0 {
                    logger.info("mail pass", metadata: [
                        "planned": "\(planning.messages)", "sent": "\(delivery.sent)", "retrying": "\(delivery.retrying)",
                        "failed": "\(delivery.failed)", "uncertain": "\(delivery.uncertain)", "skipped": "\(delivery.skipped)",
                        "expired": "\(delivery.expired)"])
                }
            } catch {
                logger.error("mail pass failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
        // A clean stop hands the lease over at once rather than after it runs out.
        try? await service.releaseMailLease(sender)
    }
}
