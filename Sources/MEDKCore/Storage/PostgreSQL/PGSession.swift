import Foundation

/// The SQL session on PostgreSQL: the store's statements, written with `?` placeholders, run as
/// prepared statements with `$1 …` on one connection of the pool; rows arrive one at a time.
struct PGSession: SQLSession {
    let connection: PGConnection
    /// Every statement as PostgreSQL receives it (tests of query plans).
    var trace: (@Sendable (String) -> Void)? = nil

    var dialect: SQLDialect { .postgres }

    func fetch<T>(_ sql: String, _ arguments: SQLArguments, _ decode: (SQLRow) throws -> T) throws -> [T] {
        try refusing {
            try connection.query(numbered(sql), arguments.pgValues).map { try decode(SQLRow($0)) }
        }
    }

    func forEach(_ sql: String, _ arguments: SQLArguments, _ body: (SQLRow) throws -> Bool) throws {
        try refusing {
            try connection.stream(numbered(sql), arguments.pgValues) { try body(SQLRow($0)) }
        }
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        try refusing { try connection.update(numbered(sql), arguments.pgValues) }
    }

    func rows(after first: String, _ firstArguments: SQLArguments, _ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        try refusing {
            try connection.query(after: (numbered(first), firstArguments.pgValues), numbered(sql), arguments.pgValues).map { SQLRow($0) }
        }
    }

    func executeWithCommit(_ sql: String, _ arguments: SQLArguments) throws {
        connection.sendWithCommit(numbered(sql), arguments.pgValues)
    }

    private func numbered(_ sql: String) -> String {
        let numbered = PGPlaceholders.numbered(sql)
        trace?(numbered)
        return numbered
    }

    /// Constraint failures as the refusals they mean; a deadlock or serialization failure is left as
    /// it is, for `PGDatabase` to run the transaction again.
    private func refusing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PGError {
            switch error.sqlState {
            case "23505":
                throw MEDKError(.conflict, code: "already_exists", message: "Такая запись уже существует.")
            case "23503":
                throw MEDKError(.conflict, code: "still_referenced",
                                message: "Запись связана с другими данными и не может быть изменена или удалена.")
            default:
                throw error
            }
        }
    }
}

extension SQLArguments {
    var pgValues: [PGValue] {
        values.map { value in
            switch value {
            case .null: .null
            case .integer(let number): .integer(number)
            case .real(let number): .real(number)
            case .text(let text): .text(text)
            case .blob(let bytes): .bytes(bytes)
            }
        }
    }
}

/// `?` placeholders as PostgreSQL's `$1, $2 …`, outside string literals, quoted names and
/// comments; each statement text is translated once and kept.
enum PGPlaceholders {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: String] = [:]

    static func numbered(_ sql: String) -> String {
        lock.lock()
        if let known = cache[sql] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let translated = translate(sql)
        lock.lock()
        // Statement texts are a bounded set (the store's), apart from IN lists of varying length.
        if cache.count > 20_000 { cache.removeAll(keepingCapacity: true) }
        cache[sql] = translated
        lock.unlock()
        return translated
    }

    static func translate(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        var lineComment = false
        var previous: Character = " "
        for character in sql {
            if lineComment {
                result.append(character)
                if character == "\n" { lineComment = false }
            } else if let open = quote {
                result.append(character)
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "-" && previous == "-" {
                lineComment = true
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
            previous = character
        }
        return result
    }
}
