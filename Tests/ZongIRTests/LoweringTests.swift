import Foundation
import Testing
import ZongIR

/// The lowering through its public entry point: the text form of small functions, and the
/// runtime checks every program keeps with their locations.
@Suite struct LoweringTests {
    @Test func textFormOfASmallFunction() throws {
        let ir = try lowered("""
            func add(a: I64, b: I64): I64 {
                return a + b;
            }
            func main() { print(add(a: 1, b: 2)); }
            """)
        let text = IRPrinter.print(ir)
        let add = try #require(text.components(separatedBy: "\n\n").first { $0.contains("func @0 add") })
        #expect(add == """
            func @0 add(%0: i64, %1: i64) -> i64 {  ; 1:6
              slot $0 "a" size 8 align 8
              slot $1 "b" size 8 align 8
            b0:
              check tstack                                  ; 1:6
              store w64 [$0+0], %0                          ; 1:6
              store w64 [$1+0], %1                          ; 1:6
              %2 = load.i64 w64 [$0+0]                      ; 2:12
              %3 = load.i64 w64 [$1+0]                      ; 2:16
              %4 = add.i64 %2, %3                           ; 2:12
              ret %4                                        ; 2:5
            }
            """)
        #expect(IRVerifier.verify(ir).isEmpty)
        #expect(output(ir) == "3\n")
    }

    @Test func printingTheSameProgramTwiceGivesTheSameText() throws {
        let source = "func main() { var s: I32[]; append(s&, 5); if s.length > 0 && s[0] == 5 { print(s[0]); } }"
        #expect(IRPrinter.print(try lowered(source)) == IRPrinter.print(try lowered(source)))
    }

    @Test func everyRuntimeCheckIsAnInstructionWithItsLocation() throws {
        let ir = try lowered("""
            func main() {
                var s: I64[];
                append(s&, 7);
                var d: I64 = 0;
                s.length = 0;
                print(s[1] / d);
            }
            """)
        let text = IRPrinter.print(ir)
        #expect(text.contains("check tstack"))
        #expect(text.contains(#/check slice-length %\d+, %\d+ +; 5:5/#))
        #expect(text.contains(#/check index %\d+, %\d+ +; 6:11/#))
        #expect(text.contains(#/check divisor %\d+ +; 6:11/#))
        #expect(output(ir) == "error: index out of range [1] with length 0 at t.zong:6:11\n")
    }

    @Test func narrowIntegersWrapAndDivisionFollowsZong() throws {
        let ir = try lowered("""
            func main() {
                var a: I8 = 127;
                print(a + 1);
                var u: U8 = 0;
                print(u - 1);
                var m: I32 = -2147483648;
                var n: I32 = -1;
                print(m / n);
                print(m % n);
            }
            """)
        #expect(output(ir) == "-128\n255\n-2147483648\n0\n")
    }

    @Test func structsAreCopiedAndSlicesShareItems() throws {
        let ir = try lowered("""
            struct P(x: I64, y: I64);
            func swap(p: P): P { return P(x: p.y, y: p.x); }
            func main() {
                var a: P = P(x: 1, y: 2);
                var b: P = a;
                b.x = 10;
                var c: P = swap(p: b);
                print(a.x); print(c.x); print(c.y);
                var s: U8[] = "hi";
                var t: U8[] = s;
                t[0] = 72;
                print_bytes(s); print_bytes("hi");
            }
            """)
        #expect(output(ir) == "1\n2\n10\nHihi")
    }
}
