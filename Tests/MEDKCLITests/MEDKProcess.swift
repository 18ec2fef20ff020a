import Foundation
import MEDKTestSupport
import Synchronization
import Testing

/// Runs the built `medk` executable as a separate process, the way people and scripts do. Its
/// configuration directory (the saved session) goes when the test is done with it.
final class MEDKProcess: Sendable {
    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
    }

    /// The `medk` binary next to the test bundle (both live in the build products directory).
    static let binary: URL = {
        if let override = ProcessInfo.processInfo.environment["MEDK_BINARY"] { return URL(fileURLWithPath: override) }
        var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("medk")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/medk")
    }()

    let configDirectory: URL
    let environment: [String: String]

    init(password: String = TestWorld.password) {
        configDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("medk-cli-\(UUID().uuidString)")
        environment = ["MEDK_CONFIG_DIR": configDirectory.path, "MEDK_PASSWORD": password, "PATH": "/usr/bin:/bin",
                       "HOME": configDirectory.path, "LANG": "C.UTF-8"]
    }

    deinit {
        try? FileManager.default.removeItem(at: configDirectory)
    }

    @discardableResult
    func run(_ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = environment.merging(extraEnvironment) { $1 }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("medk-out-\(UUID().uuidString)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("medk-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try processLaunch.withLock { _ in try process.run() }
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}

/// `medk serve` on a free local port over a data directory, stopped when the test ends.
final class RunningServer {
    let process = Process()
    let url: String
    private let log: URL

    init(dataDirectory: URL, extraArguments: [String] = []) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("medk-serve-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = MEDKProcess.binary
        process.arguments = ["serve", "--data-dir", dataDirectory.path, "--host", "127.0.0.1", "--port", "0"] + extraArguments
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        let child = process
        try processLaunch.withLock { _ in try child.run() }
        let deadline = Date().addingTimeInterval(60)
        var found: String?
        while found == nil && Date() < deadline && process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"слушает (http://127\.0\.0\.1:\d+)"#, options: .regularExpression) {
                found = String(text[range].dropFirst("слушает ".count))
            } else {
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        guard let found else {
            process.terminate()
            throw CLITestError.serverDidNotStart((try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }
        url = found
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: log)
    }

    deinit { stop() }
}

enum CLITestError: Error {
    case serverDidNotStart(String)
}
