import Foundation
import Testing

/// Every conformance case through the real binary: execute cases natively and under the
/// interpreter (same stdout byte for byte, exit 0); compile-error cases exit 1 with every
/// expected message and produce no output file.
@Suite struct EndToEndConformanceTests {
    @Test(arguments: ConformanceFiles.all)
    func endToEnd(_ c: ConformanceCase) throws {
        try #require(ZongProcess.executable != nil, "zong binary not built")
        let dir = ZongProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sourcePath = dir.appendingPathComponent("test.zong").path
        try c.source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        func invocation(_ flags: [String]) -> [String] { c.invocation(flags, sourcePath: sourcePath) }
        switch c.expectation {
        case .execute(let expected):
            let native = try ZongProcess.run(invocation([]), stdin: c.stdin)
            #expect(native.stdoutText == expected, "native stdout; stderr: \(native.stderr)")
            #expect(native.status == 0, "native exit status; stderr: \(native.stderr)")
            try validateModule(c, sourcePath: sourcePath, in: dir)
            let interpreted = try ZongProcess.run(invocation(["--interp"]), stdin: c.stdin)
            #expect(interpreted.stdoutText == expected, "interpreted stdout; stderr: \(interpreted.stderr)")
            #expect(interpreted.status == 0, "interpreted exit status; stderr: \(interpreted.stderr)")
        case .runtimeError(let lines):
            for mode in [[], ["--interp"]] {
                let r = try ZongProcess.run(invocation(mode), stdin: c.stdin)
                #expect(r.status == 2, "\(mode) exit status; stderr: \(r.stderr)")
                for line in lines {
                    #expect(r.stderr.contains(line), "\(mode): missing '\(line)' in \(r.stderr)")
                }
            }
        case .compileError(let lines):
            let output = dir.appendingPathComponent("out").path
            let result = c.form == .expression
                ? try ZongProcess.run(["eval", c.source])
                : try ZongProcess.run(["build", sourcePath, "-o", output])
            #expect(result.status == 1, "stderr: \(result.stderr)")
            for line in lines {
                #expect(result.stderr.contains("error: \(line)\n"), "missing '\(line)' in \(result.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: output), "an output file was written")
        }
    }

    /// The module passes wabt's independent validator, with only the post-MVP features Codegen
    /// may use (sign extension, bulk memory, mutable-global export) enabled.
    private func validateModule(_ c: ConformanceCase, sourcePath: String, in dir: URL) throws {
        // Expression cases run through `zong eval`, which has no emit step.
        guard let validator = Self.wasmValidate, c.form == .program else { return }
        let wasm = dir.appendingPathComponent("test.wasm").path
        let emitted = try ZongProcess.run(["emit-wasm", sourcePath, "-o", wasm])
        #expect(emitted.status == 0, "emit-wasm: \(emitted.stderr)")
        let result = try ZongProcess.runProgram(validator, [
            "--disable-simd", "--disable-multi-value", "--disable-saturating-float-to-int",
            "--disable-reference-types", wasm,
        ])
        #expect(result.status == 0, "wasm-validate: \(result.stderr)\(result.stdoutText)")
    }

    static let wasmValidate: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").map { "\($0)/wasm-validate" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        if found == nil { print("EndToEndConformanceTests: wasm-validate (Debian package wabt) not found; modules not validated") }
        return found
    }()
}
