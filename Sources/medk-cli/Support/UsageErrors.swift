import ArgumentParser
import Foundation

/// A mistake in how medk was called, told in Russian without ArgumentParser's English usage block:
/// the library's own messages for the usual mistakes are translated, ours already are Russian.
enum UsageErrors {
    static func russian(_ message: String) -> String {
        var text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        let patterns: [(prefix: String, russian: (String) -> String)] = [
            ("Missing expected argument ", { "не хватает аргумента \($0)" }),
            ("Unknown option ", { "неизвестный параметр \($0)" }),
            ("Missing value for ", { "не указано значение параметра \($0)" }),
            ("Unexpected argument ", { "лишний аргумент \($0)" }),
            ("Unexpected arguments ", { "лишние аргументы \($0)" }),
            ("Value to be set with flag ", { "у флага \($0) не бывает значения" }),
        ]
        for (prefix, russian) in patterns where text.hasPrefix(prefix) {
            return "Ошибка: " + russian(guillemets(String(text.dropFirst(prefix.count))))
        }
        // «The value 'x' is invalid for '--year <year>'»
        if text.hasPrefix("The value '"), let range = text.range(of: "' is invalid for '") {
            let value = text[text.index(text.startIndex, offsetBy: 11)..<range.lowerBound]
            let option = text[range.upperBound...].prefix { $0 != "'" }
            return "Ошибка: значение «\(value)» не подходит для \(option)"
        }
        return text.hasPrefix("Ошибка") ? text : "Ошибка: " + text
    }

    /// 'x' as «x»: opening and closing quotes alternate.
    static func guillemets(_ text: String) -> String {
        var opening = true
        return String(text.map { character -> Character in
            guard character == "'" else { return character }
            defer { opening.toggle() }
            return opening ? "«" : "»"
        })
    }

    /// What to run for help with the command that was called («medk measure import --help»).
    static func helpHint(_ arguments: [String]) -> String {
        var path = ["medk"]
        var command: any ParsableCommand.Type = MEDKCommand.self
        for argument in arguments.dropFirst() where !argument.hasPrefix("-") {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == argument }) else { break }
            path.append(argument)
            command = next
        }
        return "Справка: " + (path + ["--help"]).joined(separator: " ")
    }
}
