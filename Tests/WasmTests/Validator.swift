import Foundation
import Testing

/// Runs wabt's `wasm-validate` on module bytes; nil when the tool is not installed.
enum Validator {
    static let path: String? = ["/usr/bin/wasm-validate", "/usr/local/bin/wasm-validate"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The validator's complaint, or "" when the module is valid.
    static func problems(_ bytes: [UInt8]) throws -> String? {
        guard let path else { return nil }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wasmtests-\(UUID().uuidString).wasm")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [url.path]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? "" : String(decoding: output, as: UTF8.self)
    }

    static func expectValid(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard let problems = try problems(bytes) else {
            print("note: wasm-validate is not installed; skipping validation (apt-get install wabt)")
            return
        }
        #expect(problems == "", sourceLocation: sourceLocation)
    }
}
