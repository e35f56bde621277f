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

    /// Through the real binary, natively and interpreted: 40 functions (so every stage runs its
    /// tasks on several threads), each with a string literal, appends, an index and a struct
    /// result, then a panic whose location comes from the relocated static data.
    @Test func manyFunctionsRunThroughTheBinary() throws {
        var source = "struct P(a: I64, b: I64);\n"
        for i in 0..<40 {
            source += """
                func mk\(i)(_ n: I64): P { return P(a: n, b: n * \(i)); }
                func f\(i)(_ n: I64): I64 {
                    var s: I64[];
                    var k: I64 = 0;
                    loop { if k >= n { break; } append(s&, k * \(i)); k = k + 1; }
                    print_bytes("f\(i)\\n");
                    return s[n - 1] + mk\(i)(n).b;
                }

                """
        }
        source += "func main() {\n"
        for i in 0..<40 { source += "    print(f\(i)(3));\n" }
        source += "    print(f7(0));\n}\n"
        let path = try ZongBinary.write(source)
        // f(i) prints its name, then s[2] + 3i = 2i + 3i; f7(0) panics in f7's return line.
        let expected = (0..<40).map { "f\($0)\n\(5 * $0)\n" }.joined() + "f7\n"
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let f7ReturnLine = try #require(lines.firstIndex { $0.hasPrefix("func f7(") }) + 1 + 5
        for mode in [["run"], ["run", "--interp"]] {
            let r = try ZongBinary.run(mode + [path])
            #expect(String(decoding: r.stdout, as: UTF8.self) == expected, "\(mode)")
            #expect(r.status == 2, "\(mode): \(r.stderr)")
            #expect(r.stderr.hasPrefix("zong: runtime error: index out of range [-1] with length 0 at \(path):\(f7ReturnLine):"),
                    "\(mode): \(r.stderr)")
        }
    }
}
