import Foundation
import Testing

/// Programs aimed at the places where the optimizer may take shortcuts for speed (slice headers
/// kept in registers across a loop, structs built in place, small aggregates copied field by
/// field): each prints what the straightforward semantics say, natively and interpreted.
@Suite struct OptimizationTests {
    typealias Case = ProgramCase

    static let cases: [Case] = [
        Case(name: "append inside the loop grows the slice the loop indexes", source: """
            func main() {
                var s: I64[];
                append(s&, 1);
                var i: I64 = 0;
                loop {
                    if i >= s.length { break; }
                    if s.length < 5 { append(s&, s[i] * 2); }
                    i = i + 1;
                }
                print(s.length);
                print(s[4]);
            }
            """, expected: "5\n16\n"),
        Case(name: "the pointer to the slice changes inside the loop", source: """
            func main() {
                var a: I64[];
                var b: I64[];
                append(a&, 1);
                append(b&, 2);
                append(b&, 3);
                var p: I64[]* = a&;
                var sum: I64 = 0;
                var i: I64 = 0;
                loop {
                    if i >= 3 { break; }
                    sum = sum + (p*)[0] + (p*).length;
                    p = b&;
                    i = i + 1;
                }
                print(sum);
            }
            """, expected: "10\n"),
        Case(name: "the length shrinks inside the loop", source: """
            func main() {
                var s: I64[];
                var i: I64 = 0;
                loop { if i >= 6 { break; } append(s&, i); i = i + 1; }
                i = 0;
                loop {
                    if i >= s.length { break; }
                    s.length = s.length - 1;
                    i = i + 1;
                }
                print(i);
                print(s.length);
            }
            """, expected: "3\n3\n"),
        Case(name: "a whole-slice assignment inside the loop", source: """
            func main() {
                var a: I64[];
                var b: I64[];
                append(a&, 10);
                append(b&, 20);
                append(b&, 30);
                var total: I64 = 0;
                var i: I64 = 0;
                loop {
                    if i >= 2 { break; }
                    total = total + a[a.length - 1];
                    a = b;
                    i = i + 1;
                }
                print(total);
            }
            """, expected: "40\n"),
        Case(name: "a slice declared inside the loop is fresh each time", source: """
            func main() {
                var i: I64 = 0;
                loop {
                    if i >= 3 { break; }
                    var s: I64[];
                    append(s&, i);
                    print(s.length);
                    print(s[0]);
                    i = i + 1;
                }
            }
            """, expected: "1\n0\n1\n1\n1\n2\n"),
        Case(name: "a callee appends through the pointer the loop indexes", source: """
            func grow(_ p: I64[]*) { append(p, 7); }
            func main() {
                var s: I64[];
                append(s&, 1);
                var p: I64[]* = s&;
                var i: I64 = 0;
                loop {
                    if i >= 3 { break; }
                    grow(p);
                    i = i + 1;
                }
                print((p*).length);
                print((p*)[3]);
            }
            """, expected: "4\n7\n"),
        Case(name: "element writes through two pointers to one slice", source: """
            func main() {
                var s: I64[];
                append(s&, 0);
                append(s&, 0);
                var p: I64[]* = s&;
                var q: I64[]* = s&;
                var i: I64 = 0;
                loop {
                    if i >= 4 { break; }
                    (p*)[i % 2] = (q*)[i % 2] + i;
                    i = i + 1;
                }
                print(s[0]);
                print(s[1]);
            }
            """, expected: "2\n4\n"),
        Case(name: "a struct built in place from its own old value", source: """
            struct V(x: I64, y: I64);
            func swap(_ v: V): V { return V(x: v.y, y: v.x); }
            func main() {
                var v: V = V(x: 1, y: 2);
                v = V(x: v.y, y: v.x);
                print(v.x);
                print(v.y);
                v = swap(v);
                print(v.x);
                print(v.y);
            }
            """, expected: "2\n1\n1\n2\n"),
        Case(name: "a struct declared in a loop whose address escapes", source: """
            struct V(x: I64, y: I64);
            func main() {
                var p: V* = V(x: 0, y: 0)&;
                var i: I64 = 0;
                loop {
                    if i >= 3 { break; }
                    var v: V = V(x: i + 10, y: p*.x);
                    print(v.y);
                    p = v&;
                    i = i + 1;
                }
            }
            """, expected: "0\n10\n11\n"),
        Case(name: "callee changes its struct parameter, caller's copy stays", source: """
            struct P(a: I64, b: U8, c: I32, d: Boolean);
            func bump(_ p: P): I64 { p.a = p.a + 1; p.b = p.b + 1; return p.a; }
            func main() {
                var p: P = P(a: 41, b: 255, c: -1, d: true);
                print(bump(p));
                print(p.a);
                print(p.b);
                print(p.c);
                print(p.d);
            }
            """, expected: "42\n41\n255\n-1\n1\n"),
        Case(name: "a read-only parameter whose argument is written through a pointer during the call", source: """
            struct V(x: I64, y: I64);
            func sum(_ v: V, _ p: I64*): I64 { p* = 100; return v.x + v.y; }
            func main() {
                var v: V = V(x: 1, y: 2);
                print(sum(v, v.x&));
                print(v.x);
            }
            """, expected: "3\n100\n"),
        Case(name: "a callee shrinks its slice parameter, the caller's slice keeps its length", source: """
            func firstAndShrink(_ s: I64[]): I64 { var f: I64 = s[0]; s.length = 0; return f + s.length; }
            func total(_ s: I64[]): I64 {
                var t: I64 = 0;
                var i: I64 = 0;
                loop { if i >= s.length { break; } t = t + s[i]; i = i + 1; }
                return t;
            }
            func main() {
                var s: I64[];
                append(s&, 4);
                append(s&, 5);
                print(firstAndShrink(s));
                print(s.length);
                print(total(s));
            }
            """, expected: "4\n2\n9\n"),
        Case(name: "struct variables of scalar fields through every use", source: """
            struct P(a: U8, b: I64, on: Boolean, p: I64*);
            struct Line(from: P, to: P);
            func make(_ k: I64): P { var r: P; r.a = 250; r.b = k; r.on = k > 1; return r; }
            func total(_ p: P): I64 { return p.b * 2; }
            func main() {
                var n: I64 = 7;
                var ps: P[];
                var i: I64 = 0;
                loop {
                    if i >= 3 { break; }
                    var q: P;
                    print(q.b);
                    q = make(i);
                    q.a = q.a + 10;
                    q.p = n&;
                    append(ps&, q);
                    i = i + 1;
                }
                var last: P = ps[2];
                print(last.a);
                print(last.on);
                print(last.p*);
                ps[0] = last;
                print(ps[0].b);
                print(total(last));
                var l: Line = Line(from: last, to: make(9));
                print(l.to.b);
                var copy: P = last;
                copy.b = 100;
                print(last.b);
                print(copy.b);
            }
            """, expected: "0\n0\n0\n4\n1\n7\n2\n4\n9\n2\n100\n"),
        Case(name: "struct parameters passed field by field, named and reordered", source: """
            struct V(x: I64, y: I64);
            struct B(on: Boolean, small: I64);
            func f(a: V, n: I64, b: V, c: B): I64 {
                a.x = a.x * 10;
                if c.on { return a.x + a.y * 100 + n * 1000 + b.x * 10000 + b.y * 100000 + c.small; }
                return 0;
            }
            func g(_ p: V): I64 { var q: V* = p&; q*.x = 9; return p.x; }
            func h(_ p: V, _ q: V): V { return V(x: q.y, y: p.x); }
            func main() {
                var v: V = V(x: 1, y: 2);
                var w: V = V(x: 3, y: 4);
                print(f(b: w, c: B(on: true, small: -7), n: 5, a: v));
                print(v.x);
                print(g(v));
                print(v.x);
                var vs: V[];
                append(vs&, h(v, w));
                print(vs[0].x);
                print(h(vs[0], V(x: 0, y: 8)).y);
            }
            """, expected: "435203\n1\n9\n1\n4\n4\n"),
    ]

    @Test(arguments: cases, Mode.allCases)
    func program(_ c: Case, _ mode: Mode) throws {
        try c.expectOutput(mode)
    }

    @Test(arguments: Mode.allCases)
    func indexErrorInsideAHoistedLoopReportsItsLocation(_ mode: Mode) throws {
        let source = """
            func main() {
                var s: I64[];
                append(s&, 5);
                var i: I64 = 0;
                loop {
                    print(s[i]);
                    i = i + 1;
                }
            }
            """
        let program = try ZongProgram(source)
        let result = try program.run(mode)
        #expect(result.stdoutText == "5\n")
        #expect(result.stderr == "zong: runtime error: index out of range [1] with length 1 at \(program.location(of: "s[i]"))\n")
        #expect(result.status == 2)
    }
}
