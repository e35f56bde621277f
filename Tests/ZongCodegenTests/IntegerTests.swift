import Foundation
import Testing

/// One of Zong's eight integer types, with the Swift type that has the same width and
/// signedness: expected values are computed by Swift's wrapping operators, never written down.
struct IntegerKind: Sendable, CustomTestStringConvertible {
    var name: String
    var signed: Bool
    var min: String
    var max: String
    /// The expected output of `program` (below), one line per print.
    var expected: @Sendable () -> [String]

    var testDescription: String { name }

    init<T: FixedWidthInteger & Sendable>(_ name: String, _: T.Type) {
        self.name = name
        self.signed = T.isSigned
        self.min = "\(T.min)"
        self.max = "\(T.max)"
        self.expected = { IntegerKind.expectedLines(T.self) }
    }

    static let all: [IntegerKind] = [
        IntegerKind("I8", Int8.self), IntegerKind("I16", Int16.self), IntegerKind("I32", Int32.self),
        IntegerKind("I64", Int64.self), IntegerKind("U8", UInt8.self), IntegerKind("U16", UInt16.self),
        IntegerKind("U32", UInt32.self), IntegerKind("U64", UInt64.self),
    ]

    /// Wrap-around in every place a value can live: locals, temporaries, struct fields (after a
    /// narrower field, so they are not at offset 0), slice elements, parameters, results,
    /// through pointers; and the division rules of LANGUAGE.md §10.1.
    var program: String {
        let t = name
        let signedPart = signed ? """
                var mn: \(t) = \(min);
                var minusOne: \(t) = -1;
                print(mn / minusOne);
                print(mn % minusOne);
                var m5: \(t) = -5;
                var two: \(t) = 2;
                var m2: \(t) = -2;
                var seven: \(t) = 7;
                print(m5 / two);
                print(m5 % two);
                print(seven / m2);
                print(seven % m2);
                print(mn < seven);
            """ : """
                var big: \(t) = \(max);
                var two: \(t) = 2;
                print(big / two);
                print(big % two);
                var ten: \(t) = 10;
                print(big / ten);
                print(big % ten);
                print(big > two);
                print(two - big < two);
            """
        return """
            struct Box(pad: U8, v: \(t), flag: Boolean);
            func inc(_ x: \(t)): \(t) {
                x = x + 1;
                return x;
            }
            func twice(_ x: \(t)): \(t) { return x * 2; }
            func bump(_ p: \(t)*) { p* = p* + 1; }
            func boxed(v: \(t)): Box { return Box(pad: 9, v: v + 1, flag: true); }
            func main() {
                var a: \(t) = \(max);
                print(a);
                a = a + 1;
                print(a);
                var b: \(t) = \(min);
                print(b);
                b = b - 1;
                print(b);
                var c: \(t) = \(max);
                print(c + 1);
                print(c + 1 < c);
                print(c * c);
                print(-c);
                var m: \(t) = \(min);
                print(-m);
                print(m - 1 > m);
                var box: Box = Box(pad: 7, v: \(max), flag: false);
                box.v = box.v + 1;
                print(box.v);
                print(box.pad);
                print(box.flag);
                print(boxed(v: \(max)).v);
                var s: \(t)[] = \(t)[]();
                append(s&, \(max));
                append(s&, \(min));
                s[0] = s[0] + 1;
                s[1] = s[1] - 1;
                print(s[0]);
                print(s[1]);
                print(inc(\(max)));
                print(twice(\(max)));
                var d: \(t) = \(max);
                bump(d&);
                print(d);
                var h: \(t) = 100;
                var k: \(t) = 3;
                h = h * k;
                print(h);
            \(signedPart)
            }
            """
    }

    static func expectedLines<T: FixedWidthInteger>(_: T.Type) -> [String] {
        func b(_ v: Bool) -> String { v ? "1" : "0" }
        let max = T.max, min = T.min
        var lines = [
            "\(max)", "\(max &+ 1)", "\(min)", "\(min &- 1)",
            "\(max &+ 1)", b(max &+ 1 < max), "\(max &* max)", "\(0 &- max)",
            "\(0 &- min)", b(min &- 1 > min),
            "\(max &+ 1)", "7", "0", "\(max &+ 1)",
            "\(max &+ 1)", "\(min &- 1)",
            "\(max &+ 1)", "\(max &* 2)", "\(max &+ 1)",
            "\(T(truncatingIfNeeded: 100) &* 3)",
        ]
        if T.isSigned {
            let minusOne = T(truncatingIfNeeded: -1)
            lines += [
                "\(min.dividedReportingOverflow(by: minusOne).partialValue)",
                "\(min.remainderReportingOverflow(dividingBy: minusOne).partialValue)",
                "\(T(truncatingIfNeeded: -5) / 2)", "\(T(truncatingIfNeeded: -5) % 2)",
                "\(T(7) / T(truncatingIfNeeded: -2))", "\(T(7) % T(truncatingIfNeeded: -2))",
                b(min < 7),
            ]
        } else {
            lines += ["\(max / 2)", "\(max % 2)", "\(max / 10)", "\(max % 10)", b(max > 2), b(2 &- max < 2)]
        }
        return lines
    }
}

@Suite struct IntegerTests {
    @Test(arguments: IntegerKind.all)
    func wrapAround(_ kind: IntegerKind) throws {
        let program = try ZongProgram(kind.program, fileName: "\(kind.name.lowercased()).zong")
        defer { program.remove() }
        try program.validateModule()
        let expected = kind.expected().map { $0 + "\n" }.joined()
        for mode in Mode.allCases {
            let result = try program.run(mode)
            #expect(result.status == 0, "\(mode): \(result.stderr)")
            #expect(result.stdoutText == expected, "\(mode)")
        }
    }

    /// Script mode: the top-level variables (Zong's closest thing to globals) wrap too, as do
    /// variables in nested blocks and loops and those whose address is taken.
    @Test(arguments: IntegerKind.all)
    func wrapAroundInScriptMode(_ kind: IntegerKind) throws {
        let t = kind.name
        let program = try ZongProgram("""
            var g: \(t) = \(kind.max);
            var n: I64 = 0;
            loop {
                if n == 3 { break; }
                g = g + 1;
                print(g);
                n = n + 1;
            }
            var p: \(t)* = g&;
            p* = p* - 1;
            {
                var inner: \(t) = g;
                inner = inner - 1;
                print(inner);
            }
            print(g);
            """, fileName: "script_\(t.lowercased()).zong")
        defer { program.remove() }
        try program.validateModule()
        let expected = scriptExpectation(kind)
        for mode in Mode.allCases {
            let result = try program.run(mode)
            #expect(result.status == 0, "\(mode): \(result.stderr)")
            #expect(result.stdoutText == expected, "\(mode)")
        }
    }

    private func scriptExpectation(_ kind: IntegerKind) -> String {
        func lines<T: FixedWidthInteger>(_: T.Type) -> String {
            var g = T.max
            var out = ""
            for _ in 0..<3 { g = g &+ 1; out += "\(g)\n" }
            g = g &- 1
            out += "\(g &- 1)\n\(g)\n"
            return out
        }
        switch kind.name {
        case "I8": return lines(Int8.self)
        case "I16": return lines(Int16.self)
        case "I32": return lines(Int32.self)
        case "I64": return lines(Int64.self)
        case "U8": return lines(UInt8.self)
        case "U16": return lines(UInt16.self)
        case "U32": return lines(UInt32.self)
        default: return lines(UInt64.self)
        }
    }

    /// U64 prints unsigned, I64's minimum prints whole, Booleans print 1 and 0, and pointers
    /// print as unsigned numbers.
    @Test(arguments: Mode.allCases)
    func printing(_ mode: Mode) throws {
        let program = try ZongProgram("""
            func main() {
                var u: U64 = 18446744073709551615;
                print(u);
                print(u - 18446744073709551614);
                var half: U64 = 9223372036854775808;
                print(half);
                var i: I64 = -9223372036854775808;
                print(i);
                print(9223372036854775807);
                print(0);
                print(-1);
                var u32: U32 = 4294967295;
                print(u32);
                var i32: I32 = -2147483648;
                print(i32);
                print(true);
                print(false);
                var t: Boolean = 1 < 2;
                print(t);
                print(!t);
                print(t && false);
                print(t || false);
                var x: I64 = 5;
                var p: I64* = x&;
                print(p == x&);
                print(p != x&);
            }
            """, fileName: "printing.zong")
        defer { program.remove() }
        if mode == .native { try program.validateModule() }
        let result = try program.run(mode)
        #expect(result.status == 0, "\(result.stderr)")
        let expected = [
            "\(UInt64.max)", "1", "\(UInt64(1) << 63)", "\(Int64.min)", "\(Int64.max)", "0", "-1",
            "\(UInt32.max)", "\(Int32.min)", "1", "0", "1", "0", "0", "1", "1", "0",
        ]
        #expect(result.stdoutText == expected.map { $0 + "\n" }.joined())
    }
}
