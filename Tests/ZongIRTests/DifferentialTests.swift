import Foundation
import Testing
import ZongIR
import ZongProgramGenerator
import ZongSema
import ZongSyntax

/// The optimizer changes nothing a program does: random programs (ProgramGenerator) run in the
/// IR interpreter as lowered, at -O1, at -O2, and at -O2 with each pass disabled in turn, the
/// verifier after every pass; output and runtime error must be identical. ZONG_FUZZ_COUNT
/// programs (default 60 in the test run; `make fuzz` runs 10,000), from seed ZONG_FUZZ_SEED (default 1).
@Suite struct DifferentialTests {
    static var count: Int { Int(ProcessInfo.processInfo.environment["ZONG_FUZZ_COUNT"] ?? "") ?? 60 }
    static var firstSeed: UInt64 { UInt64(ProcessInfo.processInfo.environment["ZONG_FUZZ_SEED"] ?? "") ?? 1 }

    static var configurations: [(String, PassManager)] {
        var list: [(String, PassManager)] = [("-O1", PassManager(level: 1)), ("-O2", PassManager(level: 2))]
        for name in Set(PassManager.pipeline(forLevel: 2)).sorted() {
            var m = PassManager(level: 2)
            m.disabled = [name]
            list.append(("-O2 without \(name)", m))
        }
        return list
    }

    @Test func randomProgramsBehaveTheSameUnderEveryPipeline() throws {
        var limits = IRInterpreter.Limits()
        limits.steps = 2_000_000
        var compared = 0, erroring = 0
        for seed in Self.firstSeed..<(Self.firstSeed + UInt64(Self.count)) {
            let source = ProgramGenerator.program(seed: seed)
            let file = SourceFile(name: "fuzz.zong", text: source)
            let parsed = parseProgram(file)
            let sema = check(parsed.program, file: file)
            guard parsed.diagnostics.isEmpty, sema.diagnostics.isEmpty, let typed = sema.program else {
                Issue.record("seed \(seed): generated program does not check: \((parsed.diagnostics + sema.diagnostics).prefix(3).map(\.message))\n\(source)")
                continue
            }
            let naive = IRLowering.lower(typed)
            let expected = IRInterpreter.run(naive, limits: limits)
            if expected.runtimeError != nil { erroring += 1 }
            for (label, var manager) in Self.configurations {
                manager.verifyEachPass = true
                var ir = naive
                let problems = manager.run(&ir)
                guard problems.isEmpty else {
                    Issue.record("seed \(seed) \(label): \(problems.prefix(3))")
                    continue
                }
                let outcome = IRInterpreter.run(ir, limits: limits)
                if outcome != expected {
                    Issue.record("seed \(seed) \(label): output differs\nexpected \(expected.runtimeError ?? "ok"), got \(outcome.runtimeError ?? "ok")\n\(source)")
                }
                compared += 1
            }
        }
        print("DifferentialTests: \(Self.count) programs (\(erroring) stop on a runtime error), \(compared) optimized runs compared, 0 allowed mismatches")
    }
}
