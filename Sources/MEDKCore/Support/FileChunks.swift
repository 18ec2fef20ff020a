import Foundation

/// A file on disk as an async sequence of chunks, for uploads a web form already wrote to a
/// temporary file: memory holds one chunk, whatever the file's size.
public struct FileChunks: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    public let url: URL
    public static let chunkSize = 256 << 10

    public init(url: URL) { self.url = url }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let url: URL
        var handle: FileHandle?
        var done = false

        public mutating func next() async throws -> [UInt8]? {
            guard !done else { return nil }
            if handle == nil { handle = try FileHandle(forReadingFrom: url) }
            guard let data = try handle?.read(upToCount: FileChunks.chunkSize), !data.isEmpty else {
                try? handle?.close()
                done = true
                return nil
            }
            return [UInt8](data)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(url: url) }
}
