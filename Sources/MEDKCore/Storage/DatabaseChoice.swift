import Foundation

/// Where MEDK keeps its data: the embedded SQLite file in the data directory (the default: nothing
/// to administer), or a PostgreSQL database that several servers share.
public enum DatabaseChoice: Sendable, Equatable {
    case embedded
    /// `postgres://user[:password]@host[:port]/database[?options]`; `connections` of this process.
    case postgres(url: String, connections: Int)

    /// Connections a server keeps open: enough for two cores to stay busy while others wait on the
    /// disk, few enough that three servers stay well inside PostgreSQL's default 100.
    public static let defaultConnections = 16

    /// The `--database` option as people write it: empty or `sqlite` for the embedded file.
    public init(argument: String?, connections: Int = DatabaseChoice.defaultConnections) throws {
        guard let argument = argument?.trimmingCharacters(in: .whitespaces), !argument.isEmpty, argument != "sqlite" else {
            self = .embedded
            return
        }
        guard argument.hasPrefix("postgres://") || argument.hasPrefix("postgresql://") else {
            throw MEDKError.invalid("invalid_database", "--database: адрес PostgreSQL вида postgres://пользователь@сервер:5432/база "
                                    + "или sqlite (встроенная база в каталоге данных).")
        }
        guard (1...500).contains(connections) else {
            throw MEDKError.invalid("invalid_connections", "Число соединений с базой — от 1 до 500.")
        }
        self = .postgres(url: argument, connections: connections)
    }
}
