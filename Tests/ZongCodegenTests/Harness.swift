import Foundation
import Testing

/// How a program is run: the native executable `zong run` builds (and caches), or the module
/// under the wasmkit interpreter (`zong run --interp`).
enum Mode: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case native, interpreted
    var testDescription: String { rawValue }
    var flags: [String] { self == .interpreted ? ["--interp"] : [] }
}

/// A program and exactly what it prints, for the suites that are tables of such programs.
struct ProgramCase: CustomTestStringConvertible, Sendable {
    let name: String
    let source: String
    let expected: String
    var testDescription: String { name }

    /// Runs the program in `mode`: it must print `expected` and exit 0. With
    /// `validatingModule`, a native run also checks the module with wasm-validate.
    func expectOutput(_ mode: Mode, validatingModule: Bool = false) throws {
        let program = try ZongProgram(source)
        defer { program.remove() }
        let result = try program.run(mode)
        #expect(result.stdoutText == expected, "stderr: \(result.stderr)")
        #expect(result.status == 0)
        if validatingModule && mode == .native { try program.validateModule() }
    }
}

/// One Zong program written to its own directory, run through the real `zong` binary.
struct ZongProgram {
    let directory: URL
    let fileName: String
    let source: String

    init(_ source: String, fileName: String = "prog.zong") throws {
        _ = ignoreSigpipe
        self.directory = ZongProcess.temporaryDirectory()
        self.fileName = fileName
        self.source = source
        let file = directory.appendingPathComponent(fileName)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(source.utf8).write(to: file)
    }

    /// `zong run [--interp] OPTIONS FILE` in the program's directory (so locations read `FILE:L:C`).
    func run(_ mode: Mode, stdin: Data = Data(), options: [String] = [], timeout: TimeInterval = 120) throws -> ZongProcess.Result {
        let result = try ZongProcess.zong(["run"] + mode.flags + options + [fileName], stdin: stdin, in: directory, timeout: timeout)
        #expect(!result.timedOut, "\(mode) run of \(fileName) timed out after \(timeout) s")
        #expect(result.status != 1, "compile error:\n\(result.stderr)")
        return result
    }

    /// `zong build OPTIONS FILE -o NAME`; returns the executable's path.
    func build(_ name: String = "prog", options: [String] = []) throws -> String {
        let result = try ZongProcess.zong(["build"] + options + [fileName, "-o", name], in: directory)
        #expect(result.status == 0, "zong build failed:\n\(result.stderr)")
        return directory.appendingPathComponent(name).path
    }

    /// The location of the `occurrence`-th (1-based) appearance of `snippet` in the source, as
    /// the panic reports it: `FILE:LINE:COLUMN` (columns count bytes from 1).
    func location(of snippet: String, occurrence: Int = 1) -> String {
        var searchStart = source.startIndex
        var found: Range<String.Index>?
        for _ in 0..<occurrence {
            guard let r = source.range(of: snippet, range: searchStart..<source.endIndex) else {
                Issue.record("snippet \(snippet.debugDescription) not found in the program")
                return "?"
            }
            found = r
            searchStart = r.upperBound
        }
        guard let found else { return "?" }
        let before = source[..<found.lowerBound].utf8
        let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { before.index(after: $0) } ?? before.startIndex
        let column = before.distance(from: lineStart, to: before.endIndex) + 1
        return "\(fileName):\(line):\(column)"
    }

    /// `zong emit-wasm` and then the independent validator. Accepts WebAssembly 1.0 plus the
    /// sign-extension, bulk-memory and mutable-global-export extensions the module may use
    /// (issue 3); SIMD, multi-value, reference types and the saturating conversions are refused.
    func validateModule(options: [String] = []) throws {
        let wasm = directory.appendingPathComponent("module.wasm").path
        let emitted = try ZongProcess.zong(["emit-wasm"] + options + [fileName, "-o", wasm], in: directory)
        try #require(emitted.status == 0, "zong emit-wasm failed:\n\(emitted.stderr)")
        try Validator.validate(wasmPath: wasm)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

enum Validator {
    static let wasmValidate = ZongProcess.tool("wasm-validate")

    static func validate(wasmPath: String) throws {
        guard let tool = wasmValidate else {
            // Debian's wabt package provides it; .ci/run installs it.
            print("note: wasm-validate (Debian package wabt) is not installed; skipping module validation")
            return
        }
        let result = try ZongProcess.run(tool, [
            "--disable-simd", "--disable-multi-value", "--disable-saturating-float-to-int",
            "--disable-reference-types", wasmPath,
        ])
        #expect(result.status == 0, "wasm-validate rejected the module:\n\(result.stderr)\(result.stdoutText)")
    }
}

/// A program that exits while its input is still being written must not kill the test runner.
let ignoreSigpipe: Void = { signal(SIGPIPE, SIG_IGN); () }()

/// One line of standard error, the way every Zong runtime error is reported.
func runtimeError(_ message: String) -> String { "zong: runtime error: \(message)\n" }
