import Foundation
import Testing

/// `append` (LANGUAGE.md §8.4, ARCHITECTURE.md "Memory layout"): capacity doubles, so n
/// appends cost O(n) time and memory. Memory is measured from inside the program (pointers
/// print as addresses, and the heap is a bump allocator), which is exact, unlike timings.
@Suite struct AppendTests {
    /// Appends `n` I64s, sums them back, and prints how many heap bytes the loop consumed.
    static func appendProgram(_ n: Int) -> String {
        """
        func main() {
            var probe: I64[];
            append(probe&, 0);
            var before: I64* = probe[0]&;
            var s: I64[];
            var i: I64 = 0;
            loop {
                if i == \(n) { break; }
                append(s&, i * 3);
                i = i + 1;
            }
            var sum: I64 = 0;
            i = 0;
            loop {
                if i == s.length { break; }
                sum = sum + s[i];
                i = i + 1;
            }
            print(s.length);
            print(sum);
            print(s[\(n - 1)]);
            var probe2: I64[];
            append(probe2&, 0);
            var after: I64* = probe2[0]&;
            print(before);
            print(after);
        }
        """
    }

    struct Outcome {
        var heapBytes: Int
        var seconds: Double
    }

    /// Runs the program for `n` and checks its output; returns the heap the appends used.
    static func check(_ n: Int, _ mode: Mode, _ program: ZongProgram) throws -> Outcome {
        let result = try program.run(mode, timeout: 60)
        #expect(result.status == 0, "\(mode): \(result.stderr)")
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        try #require(lines.count == 5, "\(mode): \(result.stdoutText.prefix(300))")
        #expect(lines[0] == "\(n)")
        #expect(lines[1] == "\(3 * (n - 1) * n / 2)")
        #expect(lines[2] == "\(3 * (n - 1))")
        let before = try #require(Int(lines[3])), after = try #require(Int(lines[4]))
        return Outcome(heapBytes: after - before, seconds: result.seconds)
    }

    @Test(arguments: Mode.allCases)
    func aMillionAppendsUseLinearMemory(_ mode: Mode) throws {
        let small = try ZongProgram(Self.appendProgram(100_000), fileName: "append_1e5.zong")
        let large = try ZongProgram(Self.appendProgram(1_000_000), fileName: "append_1e6.zong")
        defer { small.remove(); large.remove() }
        if mode == .native { try large.validateModule() }
        let a = try Self.check(100_000, mode, small)
        let b = try Self.check(1_000_000, mode, large)
        // The elements alone take 8 MB. The array is the heap's last allocation, so it grows in
        // place: the heap holds the final capacity (2^20 elements) and no old copies.
        #expect(b.heapBytes >= 8_000_000)
        #expect(b.heapBytes <= 8 * (1 << 20) + 64, "heap used by 1e6 appends: \(b.heapBytes) bytes")
        // Ten times the elements, about ten times the memory (a quadratic scheme: a hundred).
        let ratio = Double(b.heapBytes) / Double(a.heapBytes)
        #expect(ratio > 5 && ratio < 20, "heap 1e5: \(a.heapBytes), 1e6: \(b.heapBytes)")
        #expect(b.seconds < 30, "\(mode): a million appends took \(b.seconds) s")
    }

    /// Time, roughly: the executables themselves (no compiler in the measurement), best of
    /// three. Linear growth gives ~10x from 1e5 to 1e6; the bound only rejects gross blowups.
    @Test func appendTimeGrowsLinearly() throws {
        let small = try ZongProgram(Self.appendProgram(100_000), fileName: "time_1e5.zong")
        let large = try ZongProgram(Self.appendProgram(1_000_000), fileName: "time_1e6.zong")
        defer { small.remove(); large.remove() }
        func best(_ program: ZongProgram) throws -> Double {
            let exe = try program.build()
            var times: [Double] = []
            for _ in 0..<3 {
                let r = try ZongProcess.run(exe, [], timeout: 60)
                #expect(r.status == 0)
                times.append(r.seconds)
            }
            return times.min() ?? 0
        }
        let t5 = try best(small), t6 = try best(large)
        #expect(t6 < 30 * t5 + 0.3, "1e5 appends: \(t5) s, 1e6 appends: \(t6) s")
        #expect(t6 < 5, "a million appends natively took \(t6) s")
    }

    /// Other element sizes, slices in struct elements, literals (capacity == length: copied first) and
    /// the header-copy semantics of LANGUAGE.md §10.4.
    @Test(arguments: Mode.allCases)
    func elementKindsAndSharing(_ mode: Mode) throws {
        let program = try ZongProgram("""
            struct P(a: I32, b: U8, c: I64);
            struct Row(cells: I64[]);
            func main() {
                var bytes: U8[];
                var i: I64 = 0;
                loop {
                    if i == 1000000 { break; }
                    append(bytes&, 97);
                    i = i + 1;
                }
                bytes[999999] = 10;
                print(bytes.length);
                print(bytes[0]);
                var ps: P[];
                var k: I32 = 0;
                loop {
                    if k == 100000 { break; }
                    append(ps&, P(a: k, b: 200, c: -1));
                    k = k + 1;
                }
                print(ps[99999].a);
                print(ps[12345].b);
                print(ps[0].c);
                var rows: Row[];
                var r: I64 = 0;
                loop {
                    if r == 1000 { break; }
                    var row: I64[];
                    append(row&, r);
                    append(row&, r * r);
                    append(rows&, Row(cells: row));
                    r = r + 1;
                }
                print(rows[999].cells[1]);
                print(rows[3].cells.length);
                var lit: U8[] = "abc";
                append(lit&, 100);
                print_bytes(lit);
                print_bytes("abc");
                print_bytes("\\n");
                var a: I64[];
                append(a&, 5);
                var b: I64[] = a;
                append(b&, 6);
                print(a.length);
                print(b.length);
                print(b[0] + b[1]);
            }
            """, fileName: "kinds.zong")
        defer { program.remove() }
        if mode == .native { try program.validateModule() }
        let result = try program.run(mode, timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "1000000\n97\n99999\n200\n-1\n998001\n2\nabcdabc\n1\n2\n11\n")
    }

    /// Loops that append while the header may also be seen some other way (through a pointer,
    /// a second name), and loops left by several exits: ZongIR's passes (promote-slots, cse,
    /// licm) may keep a header's fields in registers only where nothing else can see them.
    /// Each printed value would differ if a header went stale.
    @Test(arguments: Mode.allCases)
    func appendingLoopsKeepHeadersCurrent(_ mode: Mode) throws {
        let program = try ZongProgram("""
            struct P(a: I64, b: U8);
            func grow(s: I64[], n: I64): I64 {
                var i: I64 = 0;
                loop {
                    if i == n { break; }
                    append(s&, i);
                    i = i + 1;
                }
                return s.length;
            }
            func step(x: I64): I64 { return x * 3 + 1; }
            func sneak(s: I64[]*, x: I64) { append(s, x); }
            func peek(s: I64[]*): I64 { return (s*).length; }
            func main() {
                var xs: I64[];
                var ps: P[];
                var i: I64 = 0;
                loop {
                    if i == 100000 { break; }
                    i = i + 1;
                    if i % 3 == 0 { continue; }
                    append(xs&, i);
                    var k: I64 = 0;
                    loop {
                        if k == 2 { break; }
                        append(ps&, P(a: i, b: 7));
                        k = k + 1;
                    }
                }
                print(xs.length);
                print(xs[0] + xs[xs.length - 1]);
                print(ps.length);
                print(ps[ps.length - 1].a);
                var a: I64[];
                var p: I64[]* = a&;
                var j: I64 = 0;
                loop {
                    if j == 1000 { break; }
                    append(a&, j);
                    append(p, j * 10);
                    j = j + 1;
                }
                print(a.length);
                print(a[1999]);
                var b: I64[];
                var q: I64[]* = b&;
                var total: I64 = 0;
                j = 0;
                loop {
                    if j == 1000 { break; }
                    append(b&, j);
                    total = total + (q*).length;
                    j = j + 1;
                }
                print(total);
                var c: I64[];
                var r: I64[]* = c&;
                total = 0;
                j = 0;
                loop {
                    if j == 100 { break; }
                    append(c&, step(x: j));
                    sneak(s: r, x: j);
                    total = total + peek(s: r);
                    j = j + 1;
                }
                print(c.length);
                print(c[198] + c[199]);
                print(total);
                var base: I64[];
                append(base&, 1);
                print(grow(s: base, n: 50));
                print(base.length);
            }
            """, fileName: "promoted.zong")
        defer { program.remove() }
        let result = try program.run(mode, timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "66667\n100001\n133334\n100000\n2000\n9990\n500500\n200\n397\n10100\n51\n1\n")
    }
}
