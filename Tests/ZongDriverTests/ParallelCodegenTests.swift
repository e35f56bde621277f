import Testing
@testable import ZongDriver
import ZongCodegen
import ZongSema
import ZongSyntax

/// Codegen generates the functions as independent tasks (FunctionTask.swift) and links them in
/// order: the module must be byte for byte the one a single thread makes.
@Suite struct ParallelCodegenTests {
    /// Every kind of function whose generation asks for something shared: static data (string
    /// literals, panic sites and messages, tstack frames), short clones of countdown recursion
    /// (some functions with one, others not), struct results in result registers, appends in
    /// loops that call other functions (the header-safety memo, recursion included).
    static func program(copies: Int) -> String {
        var text = "struct P(a: I64, b: I64);\nstruct Q(x: I64, y: I32, z: I64);\n"
        for i in 0..<copies {
            text += """
                func fib\(i)(_ n: I64): I64 {
                    if n < 2 { return n; }
                    return fib\(i)(n - 1) + fib\(i)(n - 2);
                }
                func pair\(i)(_ n: I64): P { return P(a: n, b: n * \(i)); }
                func q\(i)(_ n: I64): Q { return Q(x: n, y: \(i), z: 3); }
                func text\(i)(_ s: U8[]): I64 {
                    var t: U8[] = "literal \(i % 7)";
                    append(t&, s[0]);
                    print_bytes("printed \(i % 5)\\n");
                    return t.length / (s.length - 1);
                }
                func helper\(i)(_ n: I64): I64 { if n > 100 { return ping\(i)(n - 1); } return n + \(i); }
                func ping\(i)(_ n: I64): I64 { return helper\(i)(n / 2); }
                func fill\(i)(_ n: I64): I64 {
                    var s: I64[];
                    var k: I64 = 0;
                    loop {
                        if k >= n { break; }
                        append(s&, helper\(i)(k));
                        append(s&, pair\(i)(k).b);
                        k = k + 1;
                    }
                    var big: I64[] = s;
                    return big[n] + q\(i)(k).z;
                }

                """
        }
        text += "func main() {\n"
        for i in 0..<copies {
            text += "    print(fib\(i)(10) + pair\(i)(2).b + q\(i)(1).z + text\(i)(\"ab\") + fill\(i)(\(i % 3 + 1)));\n"
        }
        return text + "}\n"
    }

    @Test func sameModuleAsOneThread() throws {
        let file = SourceFile(name: "t.zong", bytes: Array(Self.program(copies: 12).utf8))
        let result = FrontEnd.run(file)
        #expect(result.diagnostics.map(\.message) == [])
        let program = try #require(result.program)
        let module = generateModule(program, tasks: runSequentially)
        // What the program is for: clones with bounded recursion, result registers, data.
        #expect(module.customSections.contains { $0.name == "zong.bounded-recursion" })
        #expect(module.functions.count > 12 * 8)
        #expect(module.globals.contains { $0.name.hasPrefix("zong.result") })
        let sequential = module.encode()
        for _ in 0..<5 {
            #expect(generateModule(program, tasks: runOnLargeStacks).encode() == sequential)
        }
    }
}
