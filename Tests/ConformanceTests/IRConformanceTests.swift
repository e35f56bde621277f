import Testing
import ZongDriver
import ZongIR
import ZongSyntax

/// Every conformance program lowered to ZongIR: the verifier accepts it, and the IR interpreter
/// (the IR's reference semantics) prints exactly the expected output. Programs calling WASI
/// externs are only verified: the IR interpreter has no host.
@Suite struct IRConformanceTests {
    static var executeCases: [ConformanceCase] {
        ConformanceFiles.all.filter {
            if case .execute = $0.expectation { return true }
            return false
        }
    }

    @Test(arguments: executeCases)
    func lowersVerifiesAndRuns(_ c: ConformanceCase) throws {
        let file = SourceFile(name: "test.zong", text: c.source)
        let result = FrontEnd.run(file, form: c.form == .expression ? .expression : .program)
        let typed = try #require(result.program, "front end failed: \(result.diagnostics.map(\.message))")
        let ir = IRLowering.lower(typed)
        let problems = IRVerifier.verify(ir)
        #expect(problems.isEmpty, "verifier: \(problems.prefix(5))\n\(IRPrinter.print(ir))")
        guard case .execute(let expected) = c.expectation, ir.externs.isEmpty else { return }
        let outcome = IRInterpreter.run(ir, stdin: Array(c.stdin.utf8))
        #expect(outcome.runtimeError == nil, "runtime error: \(outcome.runtimeError ?? "")")
        #expect(String(decoding: outcome.stdout, as: UTF8.self) == expected)
    }

    /// The optimizer changes nothing a program prints: every level, and -O2 with each pass
    /// disabled in turn, verified after every pass.
    @Test(arguments: executeCases)
    func optimizedProgramsPrintTheSame(_ c: ConformanceCase) throws {
        let file = SourceFile(name: "test.zong", text: c.source)
        let result = FrontEnd.run(file, form: c.form == .expression ? .expression : .program)
        let typed = try #require(result.program)
        let naive = IRLowering.lower(typed)
        guard case .execute(let expected) = c.expectation, naive.externs.isEmpty else { return }
        var configurations: [(String, PassManager)] = [("-O1", PassManager(level: 1)), ("-O2", PassManager(level: 2))]
        for name in PassManager.pipeline(forLevel: 2) where !configurations.contains(where: { $0.0 == "-O2 without \(name)" }) {
            var m = PassManager(level: 2)
            m.disabled = [name]
            configurations.append(("-O2 without \(name)", m))
        }
        for (label, var manager) in configurations {
            manager.verifyEachPass = true
            var ir = naive
            let problems = manager.run(&ir)
            #expect(problems.isEmpty, "\(label): \(problems.prefix(5))")
            let outcome = IRInterpreter.run(ir, stdin: Array(c.stdin.utf8))
            #expect(outcome.runtimeError == nil, "\(label): runtime error: \(outcome.runtimeError ?? "")")
            #expect(String(decoding: outcome.stdout, as: UTF8.self) == expected, "\(label)")
        }
    }
}
