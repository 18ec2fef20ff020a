import ArgumentParser
import Foundation
import MEDKCore

@main
struct MEDKCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medk",
        abstract: "МЭДК — мониторинг электронных дорожных карт школ (ШНОР/ШНСУ).",
        discussion: """
        Локальные команды (init, migrate, import, users, backup, audit, serve) работают с базой \
        в каталоге --data-dir (по умолчанию ./medk-data или MEDK_DATA_DIR).
        Команды проверки и мониторинга (login, queue, show, confirm, return, deadlines и др.) \
        обращаются к работающему серверу: сначала выполните «medk login --server URL».
        Пароль берётся из приглашения или, для сценариев, из переменной MEDK_PASSWORD.
        Коды выхода: 0 — успех, 1 — отказ или ошибка, 2 — неверный вызов.
        """,
        subcommands: [
            Serve.self, Initialize.self, Migrate.self, Import.self, Users.self, Campaigns.self, Backup.self, Restore.self, Check.self, Copy.self, Audit.self, RepairProgress.self,
            Login.self, Logout.self, WhoAmI.self, Queue.self, Items.self, Show.self,
            Confirm.self, Return.self, Answer.self, Submit.self, Withdraw.self, Reopen.self, Comment.self,
            Create.self, Upload.self, Download.self, RiskProfile.self, MeasureCommand.self, Deadlines.self, Overdue.self, ReviewTimes.self,
            Assign.self, ShiftDeadline.self, Package.self, EvaluationCommand.self, Generate.self, Notify.self, ResultsCommand.self, IndicatorsCommand.self,
        ])

    /// Runs the command and maps failures to the exit codes the help promises.
    static func main() async {
        // Everything medk creates (database, WAL, backups, documents, exports) is private to the
        // account that runs it; the core sets the modes explicitly too.
        umask(0o077)
        do {
            var command = try parseAsRoot(nil)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as MEDKError {
            Terminal.printError(error)
            Foundation.exit(1)
        } catch let error as CLIFailure {
            Terminal.printError(error.error)
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            if code == .validationFailure {
                let text = UsageErrors.russian(message(for: error)) + "\n" + UsageErrors.helpHint(CommandLine.arguments)
                FileHandle.standardError.write(Data((text + "\n").utf8))
                Foundation.exit(2)
            }
            if error is ExitCode { exit(withError: error) }
            FileHandle.standardError.write(Data("Ошибка: \(error)\n".utf8))
            Foundation.exit(1)
        }
    }
}

/// A refusal that came back from the server, carried to `main` to become exit code 1.
struct CLIFailure: Error {
    var error: MEDKError
}
