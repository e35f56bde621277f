import Foundation
import Testing

/// Every execute case through the real binary with `--codegen ir`: natively with the -O2 IR
/// pipeline and under the interpreter with -O0 (the IR as lowered, no pass), so both the
/// optimizer and the naive IR meet the back end. The module passes wasm-validate.
@Suite struct IRCodegenConformanceTests {
    static var executeCases: [ConformanceCase] {
        ConformanceFiles.all.filter {
            if case .execute = $0.expectation { return true }
            return false
        }
    }

    @Test(arguments: executeCases)
    func throughIR(_ c: ConformanceCase) throws {
        try #require(ZongProcess.executable != nil, "zong binary not built")
        guard case .execute(let expected) = c.expectation else { return }
        let dir = ZongProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sourcePath = dir.appendingPathComponent("test.zong").path
        try c.source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        func invocation(_ mode: [String]) -> [String] {
            c.form == .expression ? ["eval", "--codegen", "ir"] + mode + [c.source] : ["run", "--codegen", "ir"] + mode + [sourcePath]
        }
        let native = try ZongProcess.run(invocation(["-O2"]), stdin: c.stdin)
        #expect(native.stdoutText == expected, "native stdout; stderr: \(native.stderr)")
        #expect(native.status == 0, "native exit status; stderr: \(native.stderr)")
        let interpreted = try ZongProcess.run(invocation(["-O0", "--interp"]), stdin: c.stdin)
        #expect(interpreted.stdoutText == expected, "interpreted stdout; stderr: \(interpreted.stderr)")
        #expect(interpreted.status == 0, "interpreted exit status; stderr: \(interpreted.stderr)")
        guard let validator = EndToEndConformanceTests.wasmValidate, c.form == .program else { return }
        let wasm = dir.appendingPathComponent("test.wasm").path
        let emitted = try ZongProcess.run(["emit-wasm", "--codegen", "ir", sourcePath, "-o", wasm])
        #expect(emitted.status == 0, "emit-wasm: \(emitted.stderr)")
        let result = try ZongProcess.runProgram(validator, [
            "--disable-simd", "--disable-multi-value", "--disable-saturating-float-to-int",
            "--disable-reference-types", wasm,
        ])
        #expect(result.status == 0, "wasm-validate: \(result.stderr)\(result.stdoutText)")
    }
}
