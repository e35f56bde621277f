import Foundation

/// Runs the built `zong` executable (and other tools) as a user would. Adapted from
/// Tests/ConformanceTests/ZongProcess.swift: stdin is raw bytes and a working directory can be
/// given, so panic locations name the file the way the user typed it.
enum ZongProcess {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var seconds: Double
        var timedOut: Bool
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

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

    /// A tool on PATH (or at an absolute path), if executable.
    static func tool(_ name: String) -> String? {
        if name.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func zong(_ arguments: [String], stdin: Data = Data(), in directory: URL? = nil,
                     timeout: TimeInterval = 120) throws -> Result {
        guard let executable else { throw Missing(description: "the zong executable was not built (swift build)") }
        return try run(executable, arguments, stdin: stdin, in: directory, timeout: timeout)
    }

    static func run(_ path: String, _ arguments: [String], stdin: Data = Data(), in directory: URL? = nil,
                    timeout: TimeInterval = 120) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let start = Date()
        try process.run()
        // Feed stdin and drain both outputs concurrently so no pipe fills up.
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data()
        nonisolated(unsafe) var err = Data()
        DispatchQueue.global().async(group: group) { out = output.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = errors.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async {
            // A program may exit before reading all its input: ignore EPIPE.
            try? input.fileHandleForWriting.write(contentsOf: stdin)
            try? input.fileHandleForWriting.close()
        }
        var timedOut = false
        if group.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            group.wait()
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: out, stderr: String(decoding: err, as: UTF8.self),
                      seconds: Date().timeIntervalSince(start), timedOut: timedOut)
    }

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zong-codegen-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
