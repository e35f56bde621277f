import Foundation
import Testing
import ZongDriver
import ZongIR
import ZongProgramGenerator
import ZongSyntax

/// Random programs through the real binary: the unoptimized pipeline (-O0: no IR pass, C at
/// -O0) run natively is the reference; natively at -O2 and -O3 and under the interpreter at
/// -O2 and -O0 the program must print the same, fail the same way and exit with the same
/// status. The reference itself is checked against ZongIR's interpreter on the program as
/// lowered, which shares no code with the WASM back end or W2C. ZONG_NATIVE_FUZZ_COUNT programs (default
/// 8; `make fuzz` runs more).
@Suite struct NativeDifferentialTests {
    static var seeds: [UInt64] {
        let n = Int(ProcessInfo.processInfo.environment["ZONG_NATIVE_FUZZ_COUNT"] ?? "") ?? 8
        return (0..<UInt64(max(n, 0))).map { 10_000 + $0 }
    }

    @Test(arguments: seeds)
    func sameBehaviourAtEveryLevel(_ seed: UInt64) throws {
        try #require(ZongProcess.executable != nil, "zong binary not built")
        let dir = ZongProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("fuzz.zong").path
        let source = ProgramGenerator.program(seed: seed)
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        let reference = try ZongProcess.run(["run", "-O0", "-Wnone", path])
        let checked = FrontEnd.run(SourceFile(name: path, text: source))
        let typed = try #require(checked.program, "seed \(seed): \(checked.diagnostics.map(\.message))")
        let interpreted = IRInterpreter.run(IRLowering.lower(typed))
        // The interpreter's own limits (steps, call depth, memory) are not the native ones.
        let limits = ["step limit exceeded", "stack overflow", "out of memory", "tstack overflow"]
        if !limits.contains(where: { interpreted.runtimeError?.hasPrefix($0) == true }) {
            #expect(Array(reference.stdout) == interpreted.stdout, "seed \(seed): the IR interpreter prints otherwise\n\(source)")
            #expect(reference.stderr == interpreted.runtimeError.map { "zong: runtime error: \($0)\n" } ?? "",
                    "seed \(seed): the IR interpreter stops with \(interpreted.runtimeError ?? "no error"), natively: \(reference.stderr)")
        }
        for mode in [["-O2"], ["-O3"], ["-O2", "--interp"], ["-O0", "--interp"]] {
            let r = try ZongProcess.run(["run", "-Wnone"] + mode + [path])
            #expect(r.stdoutText == reference.stdoutText, "seed \(seed) \(mode): stdout differs\n\(source)")
            #expect(r.status == reference.status, "seed \(seed) \(mode): status \(r.status) vs \(reference.status); \(r.stderr)")
            #expect(r.stderr == reference.stderr, "seed \(seed) \(mode): stderr differs: \(r.stderr) vs \(reference.stderr)")
        }
    }
}
