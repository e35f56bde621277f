import Foundation
import Testing

/// bce's neighbour rule, carry-stores, thread-jumps, single-call inlining and unrolling through
/// the real binary: a program of their shapes (rolling rows read at j - 1, `&&` chains, a large
/// function called once, small loops, and an index error at the end) prints the same natively with each of
/// them on and off, and the same interpreted.
@Suite struct NewPassesEndToEndTests {
    static let program = """
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
        func score(s: I64[]): I64 {
            var hits: I64 = 0;
            var i: I64 = 0;
            loop {
                if i + 1 >= s.length { break; }
                if s[i] == 1 && s[i + 1] == 2 && i > 0 { hits = hits + s[i + 1]; }
                if s[i] == 0 || s[i + 1] == 0 { hits = hits + 1; }
                i = i + 1;
            }
            return hits;
        }
        func main() {
            var b: I64[]; var prev: I64[]; var cur: I64[];
            var i: I64 = 0;
            loop { if i == 40 { break; } append(b&, i * 7 % 5); append(prev&, i * 3 % 11); append(cur&, 0); i = i + 1; }
            append(prev&, 6); append(cur&, 0);
            var r: I64 = 0;
            loop {
                if r == 30 { break; }
                row(a: r, b: b, prev: prev, cur: cur&);
                var t: I64[] = prev; prev = cur; cur = t;
                r = r + 1;
            }
            print(prev[40]);
            print(score(s: b));
            row(a: 1, b: b, prev: b, cur: cur&);
        }
        """

    static let passes = ["bce", "carry-stores", "thread-jumps", "inline", "unroll"]

    @Test func sameOutputWithEachPassOnAndOff() throws {
        let path = try ZongBinary.write(Self.program)
        let all = try ZongBinary.run(["run", path])
        #expect(all.status == 2, "\(all.stderr)")
        #expect(String(decoding: all.stdout, as: UTF8.self).split(separator: "\n").count == 2)
        #expect(all.stderr.hasPrefix("zong: runtime error: index out of range [40] with length 40"), "\(all.stderr)")
        for pass in Self.passes {
            let without = try ZongBinary.run(["run", path, "--disable-pass", pass])
            #expect(without.status == all.status, "\(pass): \(without.stderr)")
            #expect(without.stdout == all.stdout, "\(pass)")
            #expect(without.stderr == all.stderr, "\(pass)")
        }
        let interpreted = try ZongBinary.run(["run", "--interp", path])
        #expect(interpreted.stdout == all.stdout)
        #expect(interpreted.status == all.status)
    }
}
