/// One buffer as an async sequence of chunks, for uploads that are already in memory.
public struct OneChunk: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var bytes: [UInt8]?
        public mutating func next() async throws -> [UInt8]? {
            defer { bytes = nil }
            return bytes
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(bytes: bytes) }
}
