import Foundation
import MEDKCore

#if canImport(Glibc)
import Glibc
#endif

enum Terminal {
    static func printError(_ error: MEDKError) {
        var text = "Ошибка: \(error.message) [\(error.code)]\n"
        for detail in error.details { text += "  • \(detail)\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func info(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// MEDK_PASSWORD for scripts, otherwise a prompt on the terminal without echo.
    static func password(prompt: String, confirm: Bool = false) throws -> String {
        if let fromEnvironment = ProcessInfo.processInfo.environment["MEDK_PASSWORD"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw MEDKError.invalid("password_required", "Пароль не задан: запустите команду в терминале или задайте MEDK_PASSWORD.")
        }
        let first = readSecret(prompt)
        if confirm {
            guard readSecret("Повторите пароль: ") == first else {
                throw MEDKError.invalid("password_mismatch", "Пароли не совпадают.")
            }
        }
        return first
    }

    private static func readSecret(_ prompt: String) -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var settings = termios()
        tcgetattr(STDIN_FILENO, &settings)
        var silent = settings
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &settings)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
