import Foundation

/// How JSON bodies are read and, by clients, written: instants in ISO 8601 (UTC, whole seconds, as
/// the server's writer emits them), dates as `YYYY-MM-DD` (`CalendarDate`'s own coding).
public enum APIJSONCoding {
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
