import Foundation
import Testing

/// Runs the built `zong` executable as a user would, for the driver's end-to-end tests.
enum ZongBinary {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `zong` binary built beside the test bundle (or under .build/debug).
    static let executable: String? = {
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first {
            var dir = URL(fileURLWithPath: first).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("zong"))
                dir = dir.deletingLastPathComponent()
            }
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/zong"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path
    }()

    struct NotBuilt: Error, CustomStringConvertible {
        var description: String { "the zong executable was not found; run `swift build --build-tests` first" }
    }

    /// Runs zong with `arguments`; `environment` entries are added to (or, with a nil value,
    /// removed from) this process's environment.
    static func run(_ arguments: [String], stdin: Data = Data(), environment: [String: String?] = [:],
                    directory: URL? = nil, timeout: TimeInterval = 120) throws -> Result {
        guard let executable else { throw NotBuilt() }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        return try runProgram(executable, arguments, stdin: stdin, environment: env, directory: directory, timeout: timeout)
    }

    static func runProgram(_ path: String, _ arguments: [String], stdin: Data = Data(),
                           environment: [String: String]? = nil, directory: URL? = nil,
                           timeout: TimeInterval = 120) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Feed stdin and drain both outputs concurrently so no pipe fills up.
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data()
        nonisolated(unsafe) var err = Data()
        DispatchQueue.global().async(group: group) { out = output.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = errors.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async {
            input.fileHandleForWriting.write(stdin)
            try? input.fileHandleForWriting.close()
        }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            group.wait()
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: out, stderr: String(decoding: err, as: UTF8.self))
    }

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zong-driver-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `name` in a fresh directory and returns its path.
    static func write(_ text: String, as name: String = "prog.zong") throws -> String {
        let url = temporaryDirectory().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}

/// A failure as a user must see it: status `status`, exactly one line on stderr starting with
/// `prefix`, nothing on stdout, and nothing that looks like a crash.
func expectOneLine(_ r: ZongBinary.Result, status: Int32, _ prefix: String,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status == status, "status \(r.status), stderr: \(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.hasPrefix(prefix), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.hasSuffix("\n") && r.stderr.dropLast().split(separator: "\n").count == 1,
            "not one line: \(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
    for crash in ["Fatal error", "Stack dump", "backtrace", "Backtrac", "Illegal instruction", "Swift runtime",
                  "NSCocoaErrorDomain"] {
        #expect(!r.stderr.contains(crash), "looks like a crash: \(r.stderr)", sourceLocation: sourceLocation)
    }
}
