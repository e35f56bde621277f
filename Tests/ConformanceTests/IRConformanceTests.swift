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
}
