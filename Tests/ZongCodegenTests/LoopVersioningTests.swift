import Foundation
import Testing

/// Counted loops that index slices with their counter run a copy without index checks when one
/// test before the loop shows every index in range (ZongIR's loop-versioning pass). These programs sit
/// on each edge of that test: the ones whose indexes stay in range print the same as the plain
/// loop would; the others must take the checked copy and panic at the same element and place.
@Suite struct LoopVersioningTests {
    static let cases: [ProgramCase] = [
        ProgramCase(name: "each exit-test form over the whole slice", source: """
            func main() {
                var s: I64[];
                var k: I64 = 0;
                loop { if k >= 5 { break; } append(s&, k * k); k = k + 1; }
                var n: I64 = s.length;
                var m: I64 = n - 1;
                var a: I64 = 0;
                var i: I64 = 0;
                loop { if i >= n { break; } a = a + s[i]; i = i + 1; }
                i = 1;
                loop { if i > m { break; } a = a + s[i]; i = i + 1; }
                i = 2;
                loop { if n <= i { break; } a = a + s[i]; i = i + 1; }
                i = 3;
                loop { if m < i { break; } a = a + s[i]; i = i + 1; }
                print(a);
            }
            """, expected: "\(30 + 30 + 29 + 25)\n"),
        ProgramCase(name: "a loop that never starts, and steps of two and of a variable", source: """
            func main() {
                var s: I64[];
                var k: I64 = 0;
                loop { if k >= 10 { break; } append(s&, 1); k = k + 1; }
                var n: I64 = 0 - 5;
                var i: I64 = 0;
                loop { if i >= n { break; } s[i] = 9; i = i + 1; }
                i = 12;
                loop { if i >= 10 { break; } s[i] = 9; i = i + 1; }
                i = 1;
                loop { if i >= 10 { break; } s[i] = 2; i = i + 2; }
                var step: I64 = 3;
                i = 0;
                loop { if i >= 10 { break; } s[i] = s[i] + 4; i = i + step; }
                var total: I64 = 0;
                i = 0;
                loop { if i >= 10 { break; } if s[i] == 2 { total = total + 100; } else { total = total + s[i]; } i = i + 1; }
                print(total);
            }
            """, expected: "325\n"),
        ProgramCase(name: "continue inside a counted loop", source: """
            func main() {
                var s: I64[];
                var k: I64 = 0;
                loop { if k >= 8 { break; } append(s&, k); k = k + 1; }
                var odd: I64 = 0;
                var i: I64 = 0;
                loop {
                    if i >= 8 { break; }
                    if s[i] % 2 == 0 { i = i + 1; continue; }
                    odd = odd + s[i];
                    i = i + 1;
                }
                print(odd);
            }
            """, expected: "16\n"),
        ProgramCase(name: "a zero step leaves the loop by break", source: """
            func main() {
                var s: I64[];
                append(s&, 4);
                append(s&, 6);
                var zero: I64 = 0;
                var seen: I64 = 0;
                var i: I64 = 1;
                loop {
                    if i >= 2 { break; }
                    seen = seen + s[i];
                    if seen > 20 { break; }
                    i = i + zero;
                }
                print(seen);
            }
            """, expected: "24\n"),
        ProgramCase(name: "a called function appends to the slice the loop indexes", source: """
            func grow(_ p: I64[]*, _ v: I64) { append(p, v); }
            func main() {
                var s: I64[];
                append(s&, 1);
                var i: I64 = 0;
                loop {
                    if i >= 5 { break; }
                    grow(s&, s[i] + 1);
                    i = i + 1;
                }
                print(s.length);
                print(s[5]);
            }
            """, expected: "6\n6\n"),
        ProgramCase(name: "calls that leave headers alone keep the fast copy correct", source: """
            func mix(_ x: I64): I64 { return (x * 1103515245 + 12345) % 2147483648; }
            func scratch(_ x: I64): I64 { var t: I64[]; append(t&, x); append(t&, x); return t[0] + t[1]; }
            func main() {
                var s: I64[];
                var k: I64 = 0;
                loop { if k >= 6 { break; } append(s&, 0); k = k + 1; }
                var seed: I64 = 7;
                var i: I64 = 0;
                loop {
                    if i >= 6 { break; }
                    seed = mix(seed);
                    s[i] = seed % 100 + scratch(i);
                    i = i + 1;
                }
                print(s[0] + s[1] + s[2] + s[3] + s[4] + s[5]);
            }
            """, expected: "\(expectedMixSum())\n"),
        ProgramCase(name: "nested counted loops", source: """
            func main() {
                var s: I64[];
                var k: I64 = 0;
                loop { if k >= 4 { break; } append(s&, k + 1); k = k + 1; }
                var total: I64 = 0;
                var i: I64 = 0;
                loop {
                    if i >= 4 { break; }
                    var j: I64 = i;
                    loop { if j >= 4 { break; } total = total + s[i] * s[j]; j = j + 1; }
                    i = i + 1;
                }
                print(total);
            }
            """, expected: "65\n"),
    ]

    /// The sum the "calls that leave headers alone" program prints.
    static func expectedMixSum() -> Int64 {
        var seed: Int64 = 7, sum: Int64 = 0
        for i in Int64(0)..<6 {
            seed = (seed &* 1103515245 &+ 12345) % 2147483648
            sum += seed % 100 + 2 * i
        }
        return sum
    }

    @Test(arguments: cases, Mode.allCases)
    func program(_ c: ProgramCase, _ mode: Mode) throws {
        try c.expectOutput(mode)
    }

    /// A loop whose indexes leave the slice: it prints what it did before the bad index and
    /// panics at that index, as the plain loop does.
    struct Overrun: CustomTestStringConvertible, Sendable {
        let name: String
        let loop: String
        let printed: String
        let message: String
        var testDescription: String { name }
    }

    static let overruns: [Overrun] = [
        Overrun(name: "bound past the length", loop: "i = 0; loop { if i >= 4 { break; } print(s[i]); i = i + 1; }",
                printed: "10\n20\n30\n", message: "index out of range [3] with length 3"),
        Overrun(name: "inclusive bound equal to the length", loop: "i = 1; loop { if i > 3 { break; } print(s[i]); i = i + 1; }",
                printed: "20\n30\n", message: "index out of range [3] with length 3"),
        Overrun(name: "inclusive bound at the largest I64", loop: "i = 2; loop { if i > 9223372036854775807 { break; } print(s[i]); i = i + 1; }",
                printed: "30\n", message: "index out of range [3] with length 3"),
        Overrun(name: "negative start", loop: "i = 0 - 1; loop { if i >= 2 { break; } print(s[i]); i = i + 1; }",
                printed: "", message: "index out of range [-1] with length 3"),
        Overrun(name: "negative step", loop: "var back: I64 = 0 - 1; i = 1; loop { if i >= 3 { break; } print(s[i]); i = i + back; }",
                printed: "20\n10\n", message: "index out of range [-1] with length 3"),
        Overrun(name: "a step that wraps", loop: "var far: I64 = 9223372036854775807; i = 1; loop { if i >= 3 { break; } print(s[i]); i = i + far; }",
                printed: "20\n", message: "index out of range [-9223372036854775808] with length 3"),
        Overrun(name: "a second, shorter slice", loop: "i = 0; loop { if i >= 3 { break; } print(s[i] + t[i]); i = i + 1; }",
                printed: "11\n22\n", message: "index out of range [2] with length 2"),
    ]

    @Test(arguments: overruns, Mode.allCases)
    func overrunPanicsAtTheBadIndex(_ c: Overrun, _ mode: Mode) throws {
        let source = """
            func main() {
                var s: I64[];
                append(s&, 10);
                append(s&, 20);
                append(s&, 30);
                var t: I64[];
                append(t&, 1);
                append(t&, 2);
                var i: I64 = 0;
                \(c.loop)
            }
            """
        let program = try ZongProgram(source)
        defer { program.remove() }
        // `i > 9223372036854775807` is always false on purpose here: no warning on stderr.
        let result = try program.run(mode, options: ["-Wno-tautological-compare"])
        let site = c.loop.contains("t[i]") ? "t[i]" : "s[i]"
        #expect(result.stdoutText == c.printed)
        #expect(result.stderr == "zong: runtime error: \(c.message) at \(program.location(of: site))\n")
        #expect(result.status == 2)
    }
}
