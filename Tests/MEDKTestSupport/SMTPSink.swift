import Foundation

/// A real SMTP server (aiosmtpd, through scripts/smtp_sink.py) on a free local port, for the
/// tests of everything that sends mail. Stopped and its directory removed when released.
public final class SMTPSink: @unchecked Sendable {
    /// One message as Python's mail parser read it.
    public struct Received: Sendable {
        public var envelopeFrom: String
        public var envelopeTo: [String]
        public var tls: Bool
        public var login: String?
        public var headers: [String: String]
        public var text: String
    }

    public struct Options: Sendable {
        public var tls = false
        public var requireTLS = false
        public var login: String?
        public var reject: [String] = []
        public var deferredData = 0
        public init() {}
    }

    public let port: Int
    public let directory: URL
    /// The self-signed certificate (for `localhost`) the sink offers when TLS is on.
    public let certificate: URL?
    private let process: Process
    private let input = Pipe()

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/smtp_sink.py")

    public init(_ options: Options = Options()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("medk-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var arguments = [Self.script.path, "--dir", directory.appendingPathComponent("mail").path]
        if options.tls {
            let cert = directory.appendingPathComponent("cert.pem"), key = directory.appendingPathComponent("key.pem")
            try Self.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                                              "-addext", "subjectAltName=DNS:localhost", "-keyout", key.path, "-out", cert.path])
            arguments += ["--tls-cert", cert.path, "--tls-key", key.path]
            if options.requireTLS { arguments.append("--require-tls") }
            certificate = cert
        } else {
            certificate = nil
        }
        if let login = options.login { arguments += ["--login", login] }
        for address in options.reject { arguments += ["--reject", address] }
        if options.deferredData > 0 { arguments += ["--defer", String(options.deferredData)] }

        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = input
        let child = process
        try processLaunch.withLock { _ in try child.run() }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let text = String(data: line, encoding: .utf8), text.hasPrefix("PORT "),
              let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "smtp_sink.py did not start (is aiosmtpd installed?)"])
        }
        self.port = port
    }

    deinit {
        // Everything it received is on disk already; SIGKILL cannot be blocked or caught.
        try? input.fileHandleForWriting.close()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The messages received so far, oldest first.
    public func messages() throws -> [Received] {
        let folder = directory.appendingPathComponent("mail")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return try names.filter { $0.hasSuffix(".eml") }.sorted().map { name in
            let json = folder.appendingPathComponent(name.replacingOccurrences(of: ".eml", with: ".json"))
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any] ?? [:]
            return Received(envelopeFrom: object["envelopeFrom"] as? String ?? "", envelopeTo: object["envelopeTo"] as? [String] ?? [],
                            tls: object["tls"] as? Bool ?? false, login: object["login"] as? String,
                            headers: object["headers"] as? [String: String] ?? [:], text: object["text"] as? String ?? "")
        }
    }

    /// Waits (up to a few seconds) until at least `count` messages have arrived.
    public func waitForMessages(_ count: Int, seconds: Double = 10) async throws -> [Received] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let received = try messages()
            if received.count >= count || Date() > deadline { return received }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try processLaunch.withLock { _ in try process.run() }
        process.waitUntilExit()
    }
}
