import NIOCore

/// One reply of an SMTP server: its code and the text of each line (RFC 5321 §4.2).
public struct SMTPReply: Sendable, Hashable {
    public var code: Int
    public var lines: [String]

    public var text: String { lines.joined(separator: " ") }
}

/// A command for the server (nil: wait for the greeting) and the promise of its reply.
struct SMTPRequest: Sendable {
    var bytes: ByteBuffer?
    var reply: EventLoopPromise<SMTPReply>
}

enum SMTPProtocolError: Error, CustomStringConvertible {
    case timedOut
    case connectionClosed
    case malformedReply(String)
    case replyTooLong

    var description: String {
        switch self {
        case .timedOut: "no reply in time"
        case .connectionClosed: "the server closed the connection"
        case .malformedReply(let line): "malformed reply line «\(line.prefix(80))»"
        case .replyTooLong: "reply longer than the protocol allows"
        }
    }
}

/// Turns the server's bytes into replies, in order, one per request written through the
/// pipeline. Replies that arrive before anyone asks (the greeting) wait for the first request.
/// A server is not trusted either: lines and replies are bounded, and a reply that does not
/// come within the timeout fails the request and closes the connection.
final class SMTPReplyHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    /// RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets; some servers are generous.
    private static let maximumLineLength = 2_048
    private static let maximumReplyLines = 100

    private let timeout: TimeAmount
    private var waiting = CircularBuffer<(reply: EventLoopPromise<SMTPReply>, sequence: Int)>()
    private var unclaimed = CircularBuffer<SMTPReply>()
    private var pendingBytes: [UInt8] = []
    private var pendingLines: [String] = []
    private var sequence = 0
    private var failure: Error?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.reply.fail(failure)
            promise?.fail(failure)
            return
        }
        sequence += 1
        let mine = sequence
        if let early = unclaimed.popFirst() {
            request.reply.succeed(early)
        } else {
            waiting.append((request.reply, mine))
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let channel = context.channel
            context.eventLoop.scheduleTask(in: timeout) {
                handler.value.timeOut(sequence: mine, channel: channel)
            }
        }
        if let bytes = request.bytes {
            context.write(wrapOutboundOut(bytes), promise: promise)
        } else {
            promise?.succeed()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if pendingBytes.last == UInt8(ascii: "\r") { pendingBytes.removeLast() }
                let line = String(decoding: pendingBytes, as: UTF8.self)
                pendingBytes.removeAll(keepingCapacity: true)
                do { try take(line) } catch { fail(error, context.channel); return }
            } else {
                pendingBytes.append(byte)
                if pendingBytes.count > Self.maximumLineLength { fail(SMTPProtocolError.replyTooLong, context.channel); return }
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(SMTPProtocolError.connectionClosed, nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        fail(error, context.channel)
    }

    private func take(_ line: String) throws {
        let utf8 = Array(line.utf8)
        guard utf8.count >= 3, let code = Int(String(decoding: utf8[0..<3], as: UTF8.self)), (200...599).contains(code),
              utf8.count == 3 || utf8[3] == UInt8(ascii: " ") || utf8[3] == UInt8(ascii: "-")
        else { throw SMTPProtocolError.malformedReply(line) }
        pendingLines.append(utf8.count > 4 ? String(decoding: utf8[4...], as: UTF8.self) : "")
        guard pendingLines.count <= Self.maximumReplyLines else { throw SMTPProtocolError.replyTooLong }
        if utf8.count > 3, utf8[3] == UInt8(ascii: "-") { return }
        let reply = SMTPReply(code: code, lines: pendingLines)
        pendingLines.removeAll()
        if let next = waiting.popFirst() {
            next.reply.succeed(reply)
        } else {
            guard unclaimed.count < 4 else { throw SMTPProtocolError.malformedReply("unsolicited replies") }
            unclaimed.append(reply)
        }
    }

    private func timeOut(sequence: Int, channel: Channel) {
        guard waiting.first?.sequence == sequence else { return }
        fail(SMTPProtocolError.timedOut, channel)
    }

    private func fail(_ error: Error, _ channel: Channel?) {
        if failure == nil { failure = error }
        while let next = waiting.popFirst() { next.reply.fail(error) }
        channel?.close(promise: nil)
    }
}
