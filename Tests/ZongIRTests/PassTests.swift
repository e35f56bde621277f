import Foundation
import Testing
import ZongIR

/// Each pass on a small program: what it changes in the text form, with the output (run by
/// the IR interpreter) unchanged and the verifier satisfied after every pass.
@Suite struct PassTests {
    /// The program after `passes`, checked against the naive IR's output.
    func run(_ passes: [String], _ source: String) throws -> (text: String, function: String) {
        let naive = try lowered(source)
        var optimized = naive
        var manager = PassManager(pipeline: passes)
        manager.verifyEachPass = true
        let problems = manager.run(&optimized)
        #expect(problems.isEmpty, "\(problems)")
        #expect(output(optimized) == output(naive))
        let text = IRPrinter.print(optimized)
        let main = text.range(of: "func @").map { String(text[$0.lowerBound...]) } ?? text
        return (text, main)
    }

    /// The -O2 pipeline without `unroll`, for tests that count a loop body's instructions
    /// (unroll doubles them; its own test is below).
    static let levelTwoWithoutUnroll = PassManager.pipeline(forLevel: 2).filter { $0 != "unroll" }

    func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    static let loop = """
        func main() {
            var total: I64 = 0;
            var step: I64 = 3;
            var i: I64 = 0;
            loop {
                if i == 10 { break; }
                total = total + step;
                i = i + 1;
            }
            print(total);
        }
        """

    @Test func promoteSlotsTurnsLocalsIntoRegistersAndBlockParameters() throws {
        let naive = try run([], Self.loop).function
        #expect(count("[$", in: naive) > 6)
        let promoted = try run(["promote-slots"], Self.loop).function
        #expect(count("[$", in: promoted) == 0)
        // Parameters only for the cells the loop stores (total and i), not for step.
        #expect(promoted.contains(#/b\d+\(%\d+: i64, %\d+: i64\):/#))
    }

    @Test func promoteSlotsLeavesSlotsWhoseAddressIsTaken() throws {
        let source = "func bump(p: I64*) { p* = p* + 1; } func main() { var x: I64 = 1; bump(p: x&); print(x); }"
        let promoted = try run(["promote-slots", "dce"], source).text
        #expect(promoted.contains("slotaddr"))
        #expect(promoted.contains(#/load.i64 w64 \[\$0\+0\]/#))
    }

    @Test func promoteSlotsKeepsSliceHeaderFieldsInRegisters() throws {
        let source = """
            func main() {
                var s: I64[];
                var i: I64 = 0;
                loop { if i == 5 { break; } append(s&, i); i = i + 1; }
                print(s.length);
            }
            """
        let promoted = try run(["promote-slots", "copy-prop", "dce"], source).function
        #expect(!promoted.contains("slot $"))
        #expect(promoted.contains("builtin grow.8"))
    }

    @Test func copyPropRemovesParametersThatAlwaysReceiveOneValue() throws {
        // `step = step` stores the value step already has: its loop parameter is a copy.
        let source = Self.loop.replacingOccurrences(of: "i = i + 1;", with: "i = i + 1; step = step;")
        let promoted = try run(["promote-slots"], source).function
        let propagated = try run(["promote-slots", "copy-prop"], source).function
        #expect(promoted.contains(#/b\d+\(%\d+: i64, %\d+: i64, %\d+: i64\):/#))
        #expect(propagated.contains(#/b\d+\(%\d+: i64, %\d+: i64\):/#))
    }

    @Test func foldConstantsEvaluatesAndDropsProvedChecks() throws {
        let source = "func main() { var a: I64 = 6; var b: I64 = 7; print(a * b / 2); }"
        let folded = try run(["promote-slots", "dce", "fold-constants", "dce"], source).function
        #expect(folded.contains("const.i64 21"))
        #expect(!folded.contains("mul.i64"))
        #expect(!folded.contains("check divisor"))
        #expect(!folded.contains("check tstack"))
    }

    @Test func foldConstantsKeepsADivisionByZeroForItsCheck() throws {
        let source = "func main() { var z: I64 = 0; print(1 / z); }"
        let folded = try run(["promote-slots", "fold-constants"], source).function
        #expect(folded.contains("check divisor"))
        #expect(folded.contains("div.s.i64"))
    }

    @Test func dceRemovesUnusedComputationsAndSlots() throws {
        let source = "func main() { var a: I64 = 5; var unused: I64 = a * a; print(a); }"
        let before = try run(["promote-slots"], source).function
        let after = try run(["promote-slots", "dce"], source).function
        #expect(before.contains("mul.i64"))
        #expect(!after.contains("mul.i64"))
        #expect(!after.contains("slot $"))
    }

    @Test func simplifyCFGRemovesBranchesConstantsDecided() throws {
        let source = "func main() { var debug: Boolean = false; if debug { print(1); } else { print(2); } print(3); }"
        let simplified = try run(["promote-slots", "fold-constants", "simplify-cfg"], source).function
        #expect(!simplified.contains("condbr"))
        #expect(count("\nb", in: simplified) == 1)
        #expect(!simplified.contains("const.i64 1 "))
    }

    @Test func cseReusesADominatingComputation() throws {
        let source = "func f(a: I64, b: I64): I64 { return a * b + a * b; } func main() { print(f(a: 3, b: 4)); }"
        let before = try run(["promote-slots"], source).text
        let after = try run(["promote-slots", "cse", "dce"], source).text
        #expect(count("mul.i64", in: before) == 2)
        #expect(count("mul.i64", in: after) == 1)
    }

    @Test func cseForwardsAStoreToTheNextLoad() throws {
        let source = """
            func f(p: I64*): I64 { var a: I64 = p*; p* = 9; return a + p*; }
            func main() { var x: I64 = 1; print(f(p: x&)); }
            """
        let after = try run(["promote-slots", "cse", "dce"], source).text
        #expect(count("load.i64 w64 [%", in: after) == 1)
    }

    @Test func cseDoesNotReuseALoadAcrossACall() throws {
        let source = """
            func bump(p: I64*) { p* = p* + 1; }
            func f(p: I64*): I64 { var a: I64 = p*; bump(p: p); return a + p*; }
            func main() { var x: I64 = 1; print(f(p: x&)); }
            """
        let after = try run(["promote-slots", "cse", "dce"], source).text
        let f = after.components(separatedBy: "func @1 f").last ?? ""
        #expect(count("load.i64 w64 [%", in: f.components(separatedBy: "func @2").first ?? "") == 2)
    }

    /// A function too big for the small-callee budget is copied when the program calls it
    /// from one place only, and kept as a call when it is called from two.
    @Test func inlineCopiesALargeCalleeCalledFromOnePlace() throws {
        let statements = (0..<40).map { "t = t * 3 + x % \($0 + 2);" }.joined(separator: " ")
        let callee = "func mix(x: I64): I64 { var t: I64 = x; \(statements) return t; }"
        let once = try run(["inline"], callee + " func main() { print(mix(x: 7)); }").text
        let mainOnce = once.components(separatedBy: "main()").last ?? ""
        #expect(!mainOnce.contains("call @"), "\(mainOnce)")
        let twice = try run(["inline"], callee + " func main() { print(mix(x: 7)); print(mix(x: 8)); }").text
        let mainTwice = twice.components(separatedBy: "main()").last ?? ""
        #expect(count("call @", in: mainTwice) == 2, "\(mainTwice)")
    }

    @Test func inlineCopiesSmallCalleesAndTheirStructsBecomeRegisters() throws {
        let source = """
            struct V(x: I64, y: I64);
            func add(_ a: V, _ b: V): V { return V(x: a.x + b.x, y: a.y + b.y); }
            func main() { var p: V = V(x: 1, y: 2); var q: V = add(p, p); print(q.x + q.y); }
            """
        let pipeline = Self.levelTwoWithoutUnroll
        let optimized = try run(pipeline, source).text
        let main = optimized.components(separatedBy: "main()").last ?? ""
        #expect(!main.contains("call @"))
        #expect(!main.contains("slot $"))
        #expect(main.contains("const.i64 6"))
    }

    static let sum = """
        func sum(s: I64[]*): I64 {
            var total: I64 = 0;
            var i: I64 = 0;
            loop {
                if i >= (s*).length { break; }
                total = total + (s*)[i];
                i = i + 1;
            }
            return total;
        }
        func main() {
            var s: I64[];
            append(s&, 4); append(s&, 5);
            print(sum(s: s&));
        }
        """

    func body(_ text: String, of name: String) -> String {
        guard let start = text.range(of: " \(name)(") else { return "" }
        let rest = text[start.lowerBound...]
        return String(rest[..<(rest.range(of: "\n}\n")?.upperBound ?? rest.endIndex)])
    }

    @Test func licmMovesHeaderLoadsOutOfALoopThatOnlyWritesElements() throws {
        let cleanup = ["promote-slots", "fold-constants", "copy-prop", "dce", "simplify-cfg"]
        let before = body(try run(cleanup, Self.sum).text, of: "sum")
        let after = body(try run(cleanup + ["licm"], Self.sum).text, of: "sum")
        let entry = after.components(separatedBy: "\nb1").first ?? ""
        #expect(!before.components(separatedBy: "\nb1").first!.contains("header]"))
        #expect(entry.contains("load.i64 w64 [%0+8 header]"))
        #expect(entry.contains("load.ptr w32 [%0+0 header]"))
    }

    @Test func licmKeepsALoadThatTheLoopMayWrite() throws {
        let source = """
            func drain(s: I64[]*) { loop { if (s*).length == 0 { break; } (s*).length = (s*).length - 1; } }
            func main() { var s: I64[]; append(s&, 1); drain(s: s&); print(s.length); }
            """
        let cleanup = ["promote-slots", "fold-constants", "copy-prop", "dce", "simplify-cfg"]
        let after = body(try run(cleanup + ["licm"], source).text, of: "drain")
        let entry = after.components(separatedBy: "\nb1").first ?? ""
        #expect(!entry.contains("header]"))
    }

    /// A division by a loop-invariant divisor stays behind its check in the loop: hoisted, it
    /// would trap (WASM traps on zero) before the loop's earlier output, and where the check
    /// would have reported `integer divide by zero` at its location.
    @Test func licmLeavesADivisionThatMayTrapInTheLoop() throws {
        let source = """
            func zero(): I64 { return 0; }
            func main() {
                var d: I64 = zero();
                var i: I64 = 0;
                loop {
                    if i == 2 { break; }
                    print(i);
                    if i == 1 { print(10 % d); }
                    i = i + 1;
                }
            }
            """
        let naive = try lowered(source)
        #expect(output(naive) == "0\n1\nerror: integer divide by zero at t.zong:8:27\n")
        _ = try run(["promote-slots", "fold-constants", "copy-prop", "dce", "simplify-cfg", "licm"], source)
    }

    @Test func bceRemovesTheCheckALoopConditionProves() throws {
        let pipeline = Self.levelTwoWithoutUnroll
        var without = pipeline
        without.removeAll { $0 == "bce" }
        #expect(body(try run(without, Self.sum).text, of: "sum").contains("check index"))
        #expect(!body(try run(pipeline, Self.sum).text, of: "sum").contains("check index"))
    }

    @Test func bceKeepsChecksItCannotProve() throws {
        // i runs to n, which nothing relates to the slice's length; and a decrementing index.
        let source = """
            func get(s: I64[]*, n: I64): I64 {
                var t: I64 = 0; var i: I64 = 0;
                loop { if i >= n { break; } t = t + (s*)[i]; i = i + 1; }
                var j: I64 = (s*).length;
                loop { if j < 0 { break; } t = t + (s*)[j - 1]; j = j - 1; }
                return t;
            }
            func main() { var s: I64[]; append(s&, 4); print(get(s: s&, n: 1)); }
            """
        let optimized = body(try run(Self.levelTwoWithoutUnroll, source).text, of: "get")
        #expect(count("check index", in: optimized) == 2)
    }

    /// Rolling rows of a dynamic program: `j` runs over [1, b.length] inclusive, and each row
    /// reads the element it stored one iteration earlier.
    static let rows = """
        func smaller(_ x: I64, _ y: I64): I64 {
            if x < y { return x; }
            return y;
        }
        func row(a: I64, b: I64[], prev: I64[], cur: I64[]*) {
            (cur*)[0] = a;
            var j: I64 = 1;
            loop {
                if j > b.length { break; }
                (cur*)[j] = smaller(prev[j] + b[j - 1], (cur*)[j - 1] + 1);
                j = j + 1;
            }
        }
        func main() {
            var b: I64[]; var prev: I64[]; var cur: I64[];
            var i: I64 = 0;
            loop { if i == 6 { break; } append(b&, i * 7 % 5); append(prev&, i); append(cur&, 0); i = i + 1; }
            append(prev&, 6); append(cur&, 0);
            row(a: 3, b: b, prev: prev, cur: cur&);
            print(cur[6]);
            row(a: 1, b: b, prev: b, cur: cur&);
        }
        """

    func elementLoads(_ text: String) -> Int {
        text.split(separator: "\n").filter { $0.contains("= load") && $0.contains("elements]") }.count
    }

    @Test func bceProvesAnIndexBelowOneAlreadyChecked() throws {
        var pipeline = Self.levelTwoWithoutUnroll
        pipeline.removeAll { $0 == "carry-stores" || $0 == "loop-versioning" }
        let text = body(try run(pipeline, Self.rows).text, of: "row")
        // b[j - 1]: j <= b.length (a length, so j + 1 cannot overflow) and j >= 1. cur[j - 1]
        // after cur[j]'s check. Both stay as hints for W2C, without a panic; cur[0], cur[j]
        // and prev[j] keep their checks.
        #expect(count("check index", in: text) == 3, "\(text)")
        #expect(count("check proven-index", in: text) == 2, "\(text)")
    }

    @Test func carryStoresKeepsTheStoredElementForTheNextIterationsLoad() throws {
        var pipeline = Self.levelTwoWithoutUnroll
        pipeline.removeAll { $0 == "loop-versioning" }
        var without = pipeline
        without.removeAll { $0 == "carry-stores" }
        let before = body(try run(without, Self.rows).text, of: "row")
        let after = body(try run(pipeline, Self.rows).text, of: "row")
        #expect(elementLoads(before) == 3, "\(before)")
        #expect(elementLoads(after) == 2, "\(after)")
        // cur[0] = a before the loop is what the first iteration reads; cur[j - 1]'s hint
        // goes with its load.
        #expect(after.contains(#/br b\d+\(%\d+, %0\)/#), "\(after)")
        #expect(count("check proven-index", in: after) == 1, "\(after)")
    }

    @Test func carryStoresLeavesALoadACallMayChange() throws {
        let source = """
            func touch(s: I64[]*) { (s*)[0] = 9; }
            func main() {
                var s: I64[];
                var i: I64 = 0;
                loop { if i == 5 { break; } append(s&, i); i = i + 1; }
                s[0] = 1;
                var j: I64 = 1;
                loop {
                    if j >= 5 { break; }
                    s[j] = s[j - 1] + 1;
                    if j == 2 { touch(s: s&); }
                    j = j + 1;
                }
                print(s[4]);
            }
            """
        let cleanup = ["promote-slots", "fold-constants", "copy-prop", "dce", "simplify-cfg"]
        let carried = try run(cleanup + ["carry-stores"], source).text
        let plain = try run(cleanup, source).text
        #expect(elementLoads(plain) == 2, "\(plain)")
        #expect(elementLoads(carried) == elementLoads(plain), "\(carried)")
    }

    @Test func threadJumpsSendsAConstantConditionToItsSide() throws {
        let source = """
            func main() {
                var s: I64[];
                var i: I64 = 0;
                loop { if i == 9 { break; } append(s&, i % 4); i = i + 1; }
                var hits: I64 = 0;
                i = 0;
                loop {
                    if i == 8 { break; }
                    if s[i] == 1 && s[i + 1] == 2 && i > 0 { hits = hits + s[i + 1]; }
                    i = i + 1;
                }
                print(hits);
            }
            """
        let cleanup = ["promote-slots", "fold-constants", "copy-prop", "dce"]
        let before = try run(cleanup + ["simplify-cfg"], source).text
        let after = try run(cleanup + ["thread-jumps", "simplify-cfg"], source).text
        // `&&` merges a Boolean into a block that tests it again; threaded, every false
        // operand goes straight to the end of the `if`.
        #expect(before.contains(": i1)"), "\(before)")
        #expect(!after.contains(": i1)"), "\(after)")
        // The body sits below the tests, so cse reuses s[i + 1]'s index, check and load there.
        let reused = try run(cleanup + ["thread-jumps", "simplify-cfg", "cse"], source).text
        #expect(count("check index", in: reused) == 2, "\(reused)")
    }

    static let shifted = """
        func total(s: I64[]*, from: I64, to: I64, shift: I64): I64 {
            var t: I64 = 0;
            var j: I64 = from;
            loop {
                if j >= to { break; }
                t = t + (s*)[j + shift] * 2;
                j = j + 1;
            }
            return t;
        }
        func main() {
            var s: I64[];
            var i: I64 = 0;
            loop { if i == 8 { break; } append(s&, i); i = i + 1; }
            print(total(s: s&, from: 0, to: 6, shift: 2));
            print(total(s: s&, from: 2, to: 9, shift: 0));
        }
        """

    @Test func loopVersioningAddsACopyWithoutChecksBehindOneTest() throws {
        let text = body(try run(Self.levelTwoWithoutUnroll, Self.shifted).text, of: "total")
        // The original loop keeps its check; the copy's is proven (a hint for W2C, no panic).
        #expect(count("check index", in: text) == 1)
        #expect(count("check proven-index", in: text) == 1)
        #expect(count("elemaddr", in: text) == 2)
    }

    /// Every pass but inlining runs on all functions at once (the driver spreads them over the
    /// cores): the order the functions run in changes nothing.
    @Test func theFunctionsOfAPassRunInAnyOrder() throws {
        let naive = try lowered(Self.shifted + """

            func twice(x: I64): I64 { return x + x; }
            func sum(n: I64): I64 { if n < 1 { return 0; } return n + sum(n: n - 1); }
            func helper() { print(twice(x: sum(n: 10))); }
            """)
        var inOrder = naive, reversed = naive
        var manager = PassManager(level: 2)
        manager.verifyEachPass = true
        #expect(manager.run(&inOrder).isEmpty)
        manager.tasks = { count, task in for i in (0..<count).reversed() { task(i) } }
        #expect(manager.run(&reversed).isEmpty)
        #expect(IRPrinter.print(reversed) == IRPrinter.print(inOrder))
        #expect(IRPrinter.print(inOrder) != IRPrinter.print(naive))
    }

    /// The test runs on every entry to the loop, so it holds each comparison once and none
    /// that constants decide: a read and a write of `s[j + k]` from j = 0 need 0 <= k, k <= 2^40,
    /// k >= -2^40, n <= 2^40 and n + k <= length (the start 0 and the constant bounds fold).
    @Test func loopVersioningTestsEachConditionOnce() throws {
        let source = """
            func bump(s: I64[], n: I64, k: I64) {
                var j: I64 = 0;
                loop {
                    if j >= n { break; }
                    s[j + k] = s[j + k] + 1;
                    j = j + 1;
                }
            }
            func main() {
                var s: I64[];
                append(s&, 1); append(s&, 2); append(s&, 3);
                bump(s: s, n: 2, k: 1);
                print(s[0] + s[1] * 10 + s[2] * 100);
            }
            """
        let text = body(try run(["promote-slots", "fold-constants", "copy-prop", "dce", "simplify-cfg", "loop-versioning"], source).text, of: "bump")
        let compares = text.split(separator: "\n").filter { $0.contains(" = le.s.i64") || $0.contains(" = ge.s.i64") }
        // The five, and each loop's own `j >= n`.
        #expect(compares.count == 7, "\(text)")
        #expect(Set(compares.map { $0.split(separator: "=")[1].split(separator: ";")[0] }).count == 7, "\(text)")
        #expect(count("check proven-index", in: text) == 2)
        #expect(output(try lowered(source)) == "431\n")
        _ = try run(PassManager.pipeline(forLevel: 2), source)  // the same output, verified after each pass
    }

    @Test func loopVersioningKeepsTheFirstFailingIndexAndItsMessage() throws {
        let naive = try lowered(Self.shifted)
        var optimized = naive
        var manager = PassManager(level: 2)
        manager.verifyEachPass = true
        #expect(manager.run(&optimized).isEmpty)
        let expected = "54\nerror: index out of range [8] with length 8 at t.zong:6:18\n"
        #expect(output(naive) == expected)
        #expect(output(optimized) == expected)
    }

    static let fib = """
        func fib(n: I64): I64 {
            if n < 2 { return n; }
            return fib(n: n - 1) + fib(n: n - 2);
        }
        func main() { print(fib(n: 20)); }
        """

    @Test func tailCallsLoopsForAnAccumulatingSelfCallWithARealCallBudget() throws {
        let cleanup = ["promote-slots", "fold-constants", "copy-prop", "dce", "simplify-cfg"]
        let before = body(try run(cleanup, Self.fib).text, of: "fib")
        let after = body(try run(cleanup + ["tail-calls"], Self.fib).text, of: "fib")
        #expect(count("call @", in: before) == 2)
        // The first call stays; the second becomes a branch back to a header taking n, the
        // accumulator and the budget, except for the budget's real call.
        #expect(count("call @", in: after) == 2)
        #expect(after.contains(": i64, %") && after.contains(": i32):"), "\(after)")
        #expect(after.contains("const.i32 64"))
        #expect(count("ret ", in: after) == 2)
    }

    @Test func tailCallsLeavesCallsItCannotLoop() throws {
        // A subtraction is not associative with the accumulator; a call whose result is used
        // twice is not in tail position.
        let source = """
            func f(n: I64): I64 { if n == 0 { return 0; } return n - f(n: n - 1); }
            func g(n: I64): I64 { if n == 0 { return 1; } var r: I64 = g(n: n - 1); return r + r; }
            func main() { print(f(n: 10)); print(g(n: 10)); }
            """
        let text = try run(["promote-slots", "dce", "tail-calls"], source).text
        #expect(!text.contains("const.i32 64"), "\(text)")
    }

    static let unrollable = """
        func main() {
            var s: I64[];
            var i: I64 = 0;
            loop { if i == 7 { break; } append(s&, i * 5 % 3); i = i + 1; }
            var best: I64 = 100;
            var j: I64 = 0;
            loop {
                if j >= s.length { break; }
                if s[j] < best { best = s[j]; }
                j = j + 1;
            }
            print(best);
            print(j);
            var k: I64 = 0;
            loop {
                if k >= s.length { break; }
                if s[k] == 2 { break; }
                k = k + 1;
            }
            print(k);
        }
        """

    /// Compares of `j` and `k` against the length (the loops' exit tests).
    func exitTests(_ text: String) -> Int {
        text.split(separator: "\n").filter { $0.contains("= ge.s.i64") }.count
    }

    @Test func unrollCopiesASmallLoopsBodyWithItsExitTest() throws {
        let cleanup = ["promote-slots", "fold-constants", "copy-prop", "dce", "simplify-cfg"]
        let before = try run(cleanup, Self.unrollable).text
        let after = try run(cleanup + ["unroll"], Self.unrollable).text
        // The minimum's loop gets a second exit test; the loop that also breaks
        // from its body is left alone, and so is the append loop (it calls grow).
        #expect(exitTests(before) == 2, "\(before)")
        #expect(exitTests(after) == 3, "\(after)")
        // Its two checks of s[j] (no cse ran) are copied too.
        #expect(count("check index", in: after) == count("check index", in: before) + 2, "\(after)")
        // j, printed after the loop, leaves both copies through one exit block's parameter
        // (`run` checks the output against the naive IR's).
        #expect(count("grow.", in: after) == count("grow.", in: before))
    }

    @Test func unrollLeavesALoopLargerThanItsLimit() throws {
        var statements = ""
        for n in 0..<(UnrollLoops.sizeLimit / 2) { statements += "t = t * 3 + \(n);\n" }
        let source = """
            func main() {
                var t: I64 = 0;
                var i: I64 = 0;
                loop { if i >= 5 { break; } \(statements) i = i + 1; }
                print(t);
            }
            """
        let cleanup = ["promote-slots", "fold-constants", "copy-prop", "dce", "simplify-cfg"]
        let before = try run(cleanup, source).text
        let after = try run(cleanup + ["unroll"], source).text
        #expect(after == before)
    }

    @Test func everyLevelsPipelineNamesExistingPasses() {
        for level in 0...3 {
            #expect(PassManager.unknown(PassManager.pipeline(forLevel: level)).isEmpty)
        }
        #expect(PassManager.pipeline(forLevel: 0).isEmpty)
        #expect(PassManager.unknown(["promote-slots", "no-such-pass"]) == ["no-such-pass"])
    }
}
