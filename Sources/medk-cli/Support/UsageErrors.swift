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
            return "Ошибка: " + russian(String(text.dropFirst(prefix.count)).replacingOccurrences(of: "'", with: "«", options: [], range: nil))
        }
        // «The value 'x' is invalid for '--year <year>'»
        if text.hasPrefix("The value '"), let range = text.range(of: "' is invalid for '") {
            let value = text[text.index(text.startIndex, offsetBy: 11)..<range.lowerBound]
            let option = text[range.upperBound...].prefix { $0 != "'" }
            return "Ошибка: значение «\(value)» не подходит для \(option)"
        }
        return text.hasPrefix("Ошибка") ? text : "Ошибка: " + text
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
