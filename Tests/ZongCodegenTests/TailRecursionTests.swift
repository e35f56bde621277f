import Foundation
import Testing

/// Self-recursive calls in tail position run as a loop (ZongIR's tail-calls pass). Each program
/// prints what plain recursion gives, natively and interpreted, and its module validates.
@Suite struct TailRecursionTests {
    typealias Case = ProgramCase

    static let cases: [Case] = [
        Case(name: "an accumulating sum after the recursive call (fib)", source: """
            func fib(_ n: I64): I64 {
                if n < 2 { return n; }
                return fib(n - 1) + fib(n - 2);
            }
            func main() { print(fib(30)); print(fib(1)); print(fib(0)); }
            """, expected: "832040\n1\n0\n"),
        Case(name: "a plain tail call with named arguments in another order", source: """
            func count(n: I64, acc: I64): I64 {
                if n == 0 { return acc; }
                return count(acc: acc + n, n: n - 1);
            }
            func main() { print(count(n: 200000, acc: 0)); }
            """, expected: "20000100000\n"),
        Case(name: "a product wraps like the recursion", source: """
            func fact(n: I64): I64 {
                if n <= 1 { return 1; }
                return n * fact(n: n - 1);
            }
            func factU8(n: U8): U8 {
                if n <= 1 { return 1; }
                return factU8(n: n - 1) * n;
            }
            func main() { print(fact(n: 25)); print(factU8(n: 7)); }
            """, expected: "7034535277573963776\n176\n"),
        Case(name: "narrow types wrap at every step", source: """
            func sum8(n: I8, acc: I8): I8 {
                if n == 0 { return acc; }
                return sum8(n: n - 1, acc: acc + n) + 1;
            }
            func main() { print(sum8(n: 100, acc: 0)); }
            """, expected: "30\n"),
        Case(name: "effects before the tail call keep their order", source: """
            func show(_ n: I64): I64 { print(n); return n; }
            func walk(_ n: I64): I64 {
                if n == 0 { return 0; }
                return show(n) + walk(n - 1);
            }
            func main() { print(walk(3)); }
            """, expected: "3\n2\n1\n6\n"),
        Case(name: "arguments see the parameters of the current call", source: """
            func gcd(a: I64, b: I64): I64 {
                if b == 0 { return a; }
                return gcd(a: b, b: a % b);
            }
            func main() { print(gcd(a: 1071, b: 462)); print(gcd(a: 17, b: 5)); }
            """, expected: "21\n1\n"),
        Case(name: "a tail call inside a loop and an if chain", source: """
            func f(n: I64, acc: I64): I64 {
                var i: I64 = 0;
                loop {
                    if i >= 3 { break; }
                    if n > 0 {
                        return f(n: n - 1, acc: acc + i + n);
                    }
                    i = i + 1;
                }
                return acc;
            }
            func main() { print(f(n: 200, acc: 0)); }
            """, expected: "20100\n"),
        Case(name: "a function with a tstack frame is left as recursion", source: """
            func g(n: I64, p: I64*): I64 {
                var x: I64 = n;
                var q: I64* = x&;
                if n == 0 { return p*; }
                return p* + g(n: n - 1, p: q);
            }
            func main() { var z: I64 = 7; print(g(n: 5, p: z&)); }
            """, expected: "22\n"),
        Case(name: "Boolean and pointer results", source: """
            func even(n: I64): Boolean {
                if n == 0 { return true; }
                if n == 1 { return false; }
                return even(n: n - 2);
            }
            func last(p: I64*, n: I64): I64* {
                if n == 0 { return p; }
                return last(p: p, n: n - 1);
            }
            func main() {
                var v: I64 = 9;
                print(even(n: 100001));
                print(even(n: 100000));
                print(last(p: v&, n: 100000)*);
            }
            """, expected: "0\n1\n9\n"),
        Case(name: "tail recursion deeper than the interpreter allows plain recursion", source: """
            func down(n: I64, acc: I64): I64 {
                if n == 0 { return acc; }
                return down(n: n - 1, acc: acc + 1);
            }
            func main() { print(down(n: 300000, acc: 0)); }
            """, expected: "300000\n"),
        Case(name: "a countdown to a guard runs a million levels in constant stack", source: """
            func sum(n: I64): I64 {
                if n < 1 { return 0; }
                return n + sum(n: n - 1);
            }
            func evens(n: U32, acc: U64): U64 {
                if n == 0 || n < 2 { return acc; }
                return evens(n: n - 2, acc: acc + 1);
            }
            func below(n: I8): I64 {
                if -100 >= n { return 0; }
                return 1 + below(n: n - 28);
            }
            func main() { print(sum(n: 1000000)); print(evens(n: 2000001, acc: 0)); print(below(n: 127)); }
            """, expected: "500000500000\n1000000\n9\n"),
        Case(name: "a short countdown's clone calls back into the original, and a long one hands over", source: """
            func t(n: I64): I64 {
                if n < 1 { return 0; }
                var inner: I64 = 0;
                if n % 250000 == 0 { inner = t(n: n / 1000); }
                return inner + 1 + t(n: n - 1);
            }
            func main() { print(t(n: 1000000)); print(t(n: 1200000)); print(t(n: 0)); }
            """, expected: "1002500\n1202500\n0\n"),
    ]

    @Test(arguments: cases, Mode.allCases)
    func program(_ c: Case, _ mode: Mode) throws {
        try c.expectOutput(mode, validatingModule: true)
    }

    /// A function that calls itself only with a lower countdown past its guard: ZongIR's
    /// RecursionBound proves it, so Codegen tells W2C how deep it can go (the
    /// `zong.bounded-recursion` section). Natively it runs as a variant with no stack checks on
    /// its self-calls, entered when the stack has room for that depth. Too little room for the
    /// estimate (300000 levels, native only: the interpreter's stack is far smaller) runs the
    /// checked function, which still has room in fact.
    static func deepClone(_ depths: [Int]) -> String {
        """
        func depth(n: I64): I64 {
            if n < 1 { return 1; }
            return depth(n: n - 1) + depth(n: n - 1000000000);
        }
        func main() { \(depths.map { "print(depth(n: \($0)));" }.joined(separator: " ")) }
        """
    }

    @Test(arguments: Mode.allCases)
    func boundedRecursionRunsWithoutPerCallChecks(_ mode: Mode) throws {
        let depths = mode == .native ? [30, 5000, 20000, 300000, -5] : [30, 5000, -5]
        let program = try ZongProgram(Self.deepClone(depths))
        defer { program.remove() }
        let result = try program.run(mode)
        #expect(result.stdoutText == depths.map { "\(max($0, 0) + 1)\n" }.joined(), "\(result.stderr)")
        #expect(result.status == 0)
        guard mode == .native else { return }
        let c = program.directory.appendingPathComponent("prog.c").path
        let emitted = try ZongProcess.zong(["emit-c", program.fileName, "-o", c], in: program.directory)
        try #require(emitted.status == 0, "\(emitted.stderr)")
        let text = try String(contentsOfFile: c, encoding: .utf8)
        guard let start = text.range(of: "static uint64_t zong_depth_bounded(uint64_t p0) {") else {
            Issue.record("no bounded variant of depth in:\n\(text)")
            return
        }
        let rest = text[start.lowerBound...]
        let variant = rest[..<(rest.range(of: "\n}\n")?.upperBound ?? rest.endIndex)]
        #expect(variant.contains("zong_depth_bounded(sj0)"))
        #expect(!variant.contains("STACK"))
        // tail-calls' real-call budget is read as 1 there: the variant only loops.
        #expect(variant.contains("(void)l_budget;"), "\(variant)")
        #expect(text.components(separatedBy: "(void)l_budget;").count == 2)
    }

    /// The loop makes a real call every so many iterations, so runaway recursion in tail
    /// position still ends in `stack overflow` instead of looping forever.
    @Test(arguments: Mode.allCases)
    func runawayTailRecursionStillOverflows(_ mode: Mode) throws {
        let program = try ZongProgram("""
            func spin(n: I64): I64 {
                return spin(n: n + 1);
            }
            func main() { print(1); print(spin(n: 0)); }
            """)
        defer { program.remove() }
        let result = try program.run(mode)
        #expect(result.stdoutText == "1\n")
        #expect(result.stderr == "zong: runtime error: stack overflow in function spin\n")
        #expect(result.status == 2)
    }

    /// ZongIR's tail-calls pass: an accumulating self call (`n + sum(n - 1)`) runs as a loop,
    /// so a million-deep recursion needs 1/64 of the stack and finishes natively and
    /// interpreted, while a runaway one (`1 + spin(n + 1)`) still ends in `stack overflow`.
    @Test(arguments: Mode.allCases)
    func irLoopsAccumulatingTailCallsAndRunawaysStillOverflow(_ mode: Mode) throws {
        let program = try ZongProgram("""
            func sum(n: I64): I64 {
                if n == 0 { return 0; }
                return n + sum(n: n - 1);
            }
            func spin(n: I64): I64 {
                return 1 + spin(n: n + 1);
            }
            func main() { print(sum(n: 1000000)); print(spin(n: 0)); }
            """)
        defer { program.remove() }
        let result = try program.run(mode)
        #expect(result.stdoutText == "500000500000\n")
        #expect(result.stderr == "zong: runtime error: stack overflow in function spin\n")
        #expect(result.status == 2)
    }

    /// A tail loop still makes a real call every 64 iterations (TailCallsToLoops). Each of these
    /// recursions never ends or would need far more stack than either engine has, and each
    /// looks almost like a countdown (the shapes the older code generator let loop without
    /// real calls, missing one condition each), so each must still end in `stack overflow`
    /// rather than loop for hours.
    static let endless: [(name: String, source: String)] = [
        ("the tail call inside the guard", """
            func f(n: I64): I64 {
                if n < 10 { return f(n: n - 1) + 1; }
                return 0;
            }
            func main() { print(1); print(f(n: 5)); }
            """),
        ("a signed equality guard skipped by a step of 2", """
            func f(n: I64): I64 {
                if n == 0 { return 0; }
                return f(n: n - 2) + 1;
            }
            func main() { print(1); print(f(n: 5)); }
            """),
        ("an unsigned step that wraps past the guard", """
            func f(n: U8): U8 {
                if n < 1 { return 0; }
                return f(n: n - 2) + 1;
            }
            func main() { print(1); print(f(n: 5)); }
            """),
        ("a parameter assigned in the body", """
            func f(n: I64): I64 {
                if n < 1 { return 0; }
                n = n + 5;
                return f(n: n - 1) + 1;
            }
            func main() { print(1); print(f(n: 5)); }
            """),
        ("a guard that can fall through", """
            func f(n: I64): I64 {
                if n < 1 {
                    if n > 100 { return 0; }
                }
                return f(n: n - 1) + 1;
            }
            func main() { print(1); print(f(n: 5)); }
            """),
        ("a countdown from the top of U64", """
            func f(n: U64, h: U64): U64 {
                if n == 0 { return h; }
                return f(n: n - 1, h: h * 31 + n);
            }
            func main() { var zero: U64 = 0; print(1); print(f(n: zero - 1, h: 7)); }
            """),
        ("a countdown of nine quintillion in I64", """
            func f(n: I64): I64 {
                if n < 1 { return 7; }
                return f(n: n - 1);
            }
            func main() { print(1); print(f(n: 9000000000000000000)); }
            """),
        ("a tail call before the guard", """
            func f(n: I64, up: Boolean): I64 {
                if up { return f(n: n + 1, up: up); }
                if n < 1 { return 0; }
                return f(n: n - 1, up: up);
            }
            func main() { print(1); print(f(n: 5, up: true)); }
            """),
        ("a call before the guard from a short countdown to a long one", """
            func f(n: U64, top: Boolean): U64 {
                var x: U64 = 0;
                if top { x = f(n: n - 1, top: false); }
                if n == 0 { return x; }
                return f(n: n - 1, top: false);
            }
            func main() { print(1); print(f(n: 0, top: true)); }
            """),
        ("plain recursion fifty million deep inside a short countdown", """
            func f(n: I64): I64 {
                if n < 2 { return n; }
                return f(n: n - 1) + f(n: n - 100);
            }
            func main() { print(1); print(f(n: 50000000)); }
            """),
    ]

    @Test(arguments: endless.map(\.name), Mode.allCases)
    func endlessRecursionOutsideTheProofOverflows(_ name: String, _ mode: Mode) throws {
        let source = Self.endless.first { $0.name == name }?.source ?? ""
        let program = try ZongProgram(source)
        defer { program.remove() }
        let result = try program.run(mode, timeout: 60)
        #expect(result.stdoutText == "1\n")
        #expect(result.stderr == "zong: runtime error: stack overflow in function f\n")
        #expect(result.status == 2)
    }
}
