import Testing
@testable import ZongDriver
import ZongSema
import ZongSyntax

/// The front end checks function bodies on several threads (`runOnLargeStacks`): the result
/// must be exactly what one thread finds, in the same order, however the bodies are scheduled.
@Suite struct ParallelCheckTests {
    /// Many functions, some with symbol, type or initialization errors (several per body, and at
    /// the same places in different bodies), others clean.
    static func program(functions: Int, errors: Bool, symbolErrors: Bool = true) -> String {
        var text = "struct P(a: I64, b: I64);\n"
        for i in 0..<functions {
            text += "func f\(i)(_ n: I64): I64 {\n    var p: P = P(a: n, b: \(i));\n"
            switch errors ? i % 5 : 0 {
            case 1 where symbolErrors: text += "    var q: I64 = missing\(i) + 1;\n    p.c = 2;\n"
            case 2: text += "    var b: Boolean = n;\n    return true;\n"
            case 3: text += "    var u: I64;\n    if n > 0 { u = 1; }\n    p.a = u;\n"
            case 4: text += "    f\(i)(flag: 1);\n"
            default: break
            }
            text += "    var k: I64 = 0;\n    loop {\n        if k >= n { break; }\n        p.a = p.a + k * \(i);\n        k = k + 1;\n    }\n"
            text += "    return p.a + p.b;\n}\n"
        }
        text += "func main() {\n"
        for i in 0..<functions { text += "    print(f\(i)(\(i)));\n" }
        return text + "}\n"
    }

    private func diagnostics(_ source: String, _ tasks: @escaping TaskRunner) -> [String] {
        let file = SourceFile(name: "t.zong", bytes: Array(source.utf8))
        let parsed = parseProgram(file)
        #expect(parsed.diagnostics.isEmpty)
        return check(parsed.program, file: file, tasks: tasks).diagnostics.map {
            "\(file.location(of: $0.span.start)) \($0.message)"
        }
    }

    @Test(arguments: [true, false]) func sameDiagnosticsInTheSameOrder(symbolErrors: Bool) {
        // Name errors and the type errors of what could be checked are reported together
        // (issue 21: every phase that can run); the order must not depend on the threads.
        let source = Self.program(functions: 60, errors: true, symbolErrors: symbolErrors)
        let sequential = diagnostics(source, runSequentially)
        #expect(sequential.count >= 12)
        #expect(sequential.contains { $0.contains("missing") } == symbolErrors)
        for _ in 0..<5 {
            #expect(diagnostics(source, runOnLargeStacks) == sequential)
        }
    }

    @Test func initializationErrorsAlone() {
        // Only phase 4 errors: symbol and type checks pass, so definite initialization runs (on
        // several threads too) and reports every unassigned read in order.
        var source = Self.program(functions: 30, errors: false)
        source = source.replacingOccurrences(of: "    var k: I64 = 0;\n", with: "    var k: I64;\n    if n > 5 { k = 0; }\n")
        let sequential = diagnostics(source, runSequentially)
        #expect(sequential.count == 90)  // k read three times per function
        #expect(diagnostics(source, runOnLargeStacks) == sequential)
    }

    @Test func cleanProgramChecks() {
        let file = SourceFile(name: "t.zong", bytes: Array(Self.program(functions: 40, errors: false).utf8))
        let result = FrontEnd.run(file)
        #expect(result.diagnostics.isEmpty)
        #expect(result.program?.functions.count == 41)
    }

    @Test func deepBodiesOnHelperThreads() {
        // Nesting just under the parser's limit in every body: each helper thread needs the
        // front end's large stack too.
        let depth = ParsingLimits.maxNestingDepth - 10
        var source = ""
        for i in 0..<24 {
            source += "func f\(i)(): I64 { return " + String(repeating: "(", count: depth) + "\(i)" + String(repeating: ")", count: depth) + "; }\n"
        }
        source += "func main() { print(f3()); }\n"
        let result = FrontEnd.run(SourceFile(name: "t.zong", bytes: Array(source.utf8)))
        #expect(result.diagnostics.map(\.message) == [])
    }
}
