import Foundation
import Testing

/// ZongIR's back end through the real binary: the shapes it hands W2C and the
/// runtime costs of its lowering.
@Suite struct IRBackEndTests {
    /// `zong emit-c` of `source`.
    func emittedC(_ source: String) throws -> String {
        let program = try ZongProgram(source)
        defer { program.remove() }
        let result = try ZongProcess.zong(["emit-c", program.fileName, "-o", "-"], in: program.directory)
        try #require(result.status == 0, "\(result.stderr)")
        return result.stdoutText
    }

    /// Element addresses are computed where they are used (not kept in a local), so W2C sees
    /// `base + wrap(i) * size` behind the index check and gives every access its unchecked fast
    /// arm: the loads, and the store after the two branches of `min`.
    @Test func elementAccessesBehindIndexChecksGetW2CsFastArms() throws {
        let c = try emittedC("""
            func smooth(_ s: I32[], _ t: I32[], _ i: I64) {
                var m: I32 = s[i];
                if t[i] < m { m = t[i]; }
                if s[i - 1] < m { m = s[i - 1]; }
                t[i] = m;
            }
            func main() {
                var s: I32[];
                var t: I32[];
                append(s&, 5); append(s&, 3); append(t&, 4); append(t&, 9);
                smooth(s, t, 1);
                print(t[1]);
            }
            """)
        let smooth = c.components(separatedBy: "static void zong_smooth(").dropFirst().last ?? ""
        let function = smooth.components(separatedBy: "\n}\n").first ?? ""
        func count(_ needle: String) -> Int { function.components(separatedBy: needle).count - 1 }
        // Every checked access is only the fallback of a fast arm (the slices arrive as
        // registers, so there are no header loads).
        #expect(count("zrt_i32_load_at(") >= 3, "\(function)")
        #expect(count(": zrt_i32_load(mb, ms,") == count("zrt_i32_load_at("), "\(function)")
        #expect(count("zrt_i32_load(mb, ms,") == count("zrt_i32_load_at("), "\(function)")
        #expect(count("zrt_i32_store_at(") == 1, "\(function)")
        #expect(count("zrt_i32_store(mb, ms,") == 1, "\(function)")
    }

    /// A recursion that counts a parameter down to its guard (after tail-calls, fib's loop) is
    /// described to W2C in the `zong.bounded-recursion` section (ZongIR's RecursionBound), so its
    /// bounded variant calls itself without stack checks.
    @Test func countdownRecursionRunsWithoutPerCallChecks() throws {
        let c = try emittedC("""
            func fib(n: I64): I64 {
                if n < 2 { return n; }
                return fib(n: n - 1) + fib(n: n - 2);
            }
            func main() { print(fib(n: 20)); }
            """)
        let variant = c.components(separatedBy: "static uint64_t zong_fib_bounded(uint64_t p0) {").dropFirst().first?
            .components(separatedBy: "\n}\n").first ?? ""
        #expect(variant.contains("zong_fib_bounded("), "\(c)")
        #expect(!variant.contains("STACK"), "\(variant)")
    }

    /// The first `append` to an empty slice makes room for 16 bytes' worth of elements (at
    /// least one), so a one-element slice of a 16-byte struct, Zong's single heap object,
    /// costs 16 bytes: 200,000 of them fit in 8 MiB of memory (they would not at four
    /// elements each, 12.8 MB).
    @Test(arguments: Mode.allCases)
    func oneElementSlicesOfStructsCostOneElement(_ mode: Mode) throws {
        let program = try ZongProgram("""
            struct Node(left: Node*, right: Node*, item: I64);
            func node(_ item: I64): Node* {
                var n: Node;
                n.item = item;
                var cell: Node[];
                append(cell&, n);
                return cell[0]&;
            }
            func main() {
                var sum: I64 = 0;
                var i: I64 = 0;
                loop {
                    if i >= 200000 { break; }
                    sum = sum + node(i).item;
                    i = i + 1;
                }
                print(sum);
            }
            """)
        defer { program.remove() }
        let result = try program.run(mode, options: ["--max-memory", "8388608"])
        #expect(result.stdoutText == "19999900000\n", "\(result.stderr)")
        #expect(result.status == 0)
    }
}
