import Foundation
import Testing

/// Struct results, which ZongIR returns through a hidden result address: every place a struct
/// value can go is exercised, natively and interpreted, and the module must stay WebAssembly
/// 1.0 plus the allowed extensions.
@Suite struct StructResultTests {
    typealias Case = ProgramCase

    static let prelude = """
        struct V(x: I64, y: I64);
        struct M(flag: Boolean, small: U8, mid: I32, big: I64);
        func v(x: I64, y: I64): V { return V(y: y, x: x); }
        func swap(_ a: V): V { return V(x: a.y, y: a.x); }

        """

    static let cases: [Case] = [
        Case(name: "into a variable, a field, a pointer target and a slice element", source: prelude + """
            struct Box(inner: V, tag: I64);
            func main() {
                var a: V = v(x: 1, y: 2);
                var b: Box;
                b.inner = v(x: 3, y: 4);
                var p: V* = a&;
                p* = swap(p*);
                var s: V[];
                append(s&, v(x: 5, y: 6));
                s[0] = swap(s[0]);
                print(a.x); print(a.y); print(b.inner.x); print(b.inner.y); print(s[0].x); print(s[0].y);
            }
            """, expected: "2\n1\n3\n4\n6\n5\n"),
        Case(name: "a field of the result, an ignored result, a nested call", source: prelude + """
            func main() {
                print(v(x: 7, y: 8).y);
                swap(v(x: 1, y: 1));
                var c: V = swap(swap(swap(v(x: 9, y: 10))));
                print(c.x); print(c.y);
            }
            """, expected: "8\n10\n9\n"),
        Case(name: "storing through a pointer reads every field before writing", source: prelude + """
            func main() {
                var a: V = V(x: 1, y: 2);
                var p: V* = a&;
                p* = V(x: p*.y, y: p*.x);
                print(a.x); print(a.y);
                p* = swap(a);
                print(a.x); print(a.y);
            }
            """, expected: "2\n1\n1\n2\n"),
        Case(name: "mixed field widths", source: prelude + """
            func m(k: I64): M { return M(big: k * 1000000000000, mid: -5, small: 250, flag: k > 1); }
            func main() {
                var x: M = m(k: 3);
                print(x.flag); print(x.small); print(x.mid); print(x.big);
                var s: M[];
                append(s&, m(k: 1));
                print(s[0].flag); print(s[0].small + 10); print(s[0].big);
            }
            """, expected: "1\n250\n-5\n3000000000000\n0\n4\n1000000000000\n"),
        Case(name: "recursion returning structs", source: prelude + """
            func fibPair(n: I64): V {
                if n == 0 { return V(x: 0, y: 1); }
                var p: V = fibPair(n: n - 1);
                return V(x: p.y, y: p.x + p.y);
            }
            func main() { var r: V = fibPair(n: 50); print(r.x); print(r.y); }
            """, expected: "12586269025\n20365011074\n"),
        Case(name: "a result passed on as an argument and returned again", source: prelude + """
            func add(_ a: V, _ b: V): V { return V(x: a.x + b.x, y: a.y + b.y); }
            func twice(_ a: V): V { return add(a, a); }
            func main() {
                var r: V = add(twice(v(x: 1, y: 2)), swap(v(x: 10, y: 20)));
                print(r.x); print(r.y);
            }
            """, expected: "22\n14\n"),
        Case(name: "a struct of nine fields still comes back through memory", source: """
            struct W(a: I64, b: I64, c: I64, d: I64, e: I64, f: I64, g: I64, h: I64, i: I64);
            func w(k: I64): W { return W(a: k, b: k + 1, c: k + 2, d: k + 3, e: k + 4, f: k + 5, g: k + 6, h: k + 7, i: k + 8); }
            func main() { var x: W = w(k: 10); print(x.a + x.i); print(w(k: 1).e); }
            """, expected: "28\n5\n"),
    ]

    @Test(arguments: cases, Mode.allCases)
    func program(_ c: Case, _ mode: Mode) throws {
        try c.expectOutput(mode, validatingModule: true)
    }
}
