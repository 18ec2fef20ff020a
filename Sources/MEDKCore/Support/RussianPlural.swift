/// Russian plural forms, chosen by the last two digits: 1 день, 2 дня, 5 дней, 11 дней, 21 день.
/// One rule for the pages, the messages and the audit comments.
public enum RussianPlural {
    public static func word(_ count: Int, _ one: String, _ few: String, _ many: String) -> String {
        let tens = abs(count) % 100, units = tens % 10
        if (11...14).contains(tens) { return many }
        if units == 1 { return one }
        if (2...4).contains(units) { return few }
        return many
    }

    /// The number and its word: «3 дня».
    public static func count(_ count: Int, _ one: String, _ few: String, _ many: String) -> String {
        "\(count) \(word(count, one, few, many))"
    }
}
