import Foundation
import Testing
import ZongProgramGenerator

/// Random programs through the real binary: the AST code generator at -O2 is the reference;
/// the IR pipeline natively at -O0, -O2 and -O3 and under the interpreter must print the same,
/// fail the same way and exit with the same status. ZONG_NATIVE_FUZZ_COUNT programs (default
/// 8; `make fuzz` runs more).
@Suite struct NativeDifferentialTests {
    static var seeds: [UInt64] {
        let n = Int(ProcessInfo.processInfo.environment["ZONG_NATIVE_FUZZ_COUNT"] ?? "") ?? 8
        return (0..<UInt64(max(n, 0))).map { 10_000 + $0 }
    }

    @Test(arguments: seeds)
    func sameBehaviourThroughEveryCodegenAndLevel(_ seed: UInt64) throws {
        try #require(ZongProcess.executable != nil, "zong binary not built")
        let dir = ZongProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("fuzz.zong").path
        let source = ProgramGenerator.program(seed: seed)
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        let reference = try ZongProcess.run(["run", "--codegen", "ast", "-O2", "-Wnone", path])
        for mode in [["-O0"], ["-O2"], ["-O3"], ["-O2", "--interp"], ["-O0", "--interp"]] {
            let r = try ZongProcess.run(["run", "--codegen", "ir", "-Wnone"] + mode + [path])
            #expect(r.stdoutText == reference.stdoutText, "seed \(seed) \(mode): stdout differs\n\(source)")
            #expect(r.status == reference.status, "seed \(seed) \(mode): status \(r.status) vs \(reference.status); \(r.stderr)")
            #expect(r.stderr == reference.stderr, "seed \(seed) \(mode): stderr differs: \(r.stderr) vs \(reference.stderr)")
        }
    }
}
