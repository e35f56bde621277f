import Foundation
import Testing

@testable import W2C

/// Each machine trap prints `zong: runtime error: KIND in function NAME` on stderr, after what
/// was printed so far on stdout, and exits with status 2 (never a signal).
@Suite(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) struct TrapTests {
    struct TrapCase: CustomStringConvertible, Sendable {
        var description: String
        var functions: String
        var call: String
        var message: String
        var options: W2COptions = .init()
    }

    static let tstack = """
        (global $sp (export "__stack_pointer") (mut i32) (i32.const 65536))
        (global $low (export "__stack_low") i32 (i32.const 1024))
        (func $push_frame (param $depth i32)
          (global.set $sp (i32.sub (global.get $sp) (i32.const 4096)))
          (if (local.get $depth) (then (call $push_frame (i32.sub (local.get $depth) (i32.const 1)))))
          (global.set $sp (i32.add (global.get $sp) (i32.const 4096))))
        """

    static let table = """
        (type $binop (func (param i32 i32) (result i32)))
        (table 5 funcref)
        (elem (i32.const 0) $add $neg)
        (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
        (func $neg (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
        (func $apply (param $f i32) (result i32)
          (call_indirect (type $binop) (i32.const 1) (i32.const 2) (local.get $f)))
        """

    static let cases: [TrapCase] = [
        TrapCase(description: "unreachable", functions: "(func $boom (unreachable))", call: "(call $boom)",
                 message: "unreachable in function boom"),
        TrapCase(description: "load past the end", functions: "(func $peek (param i32) (result i32) (i32.load (local.get 0)))",
                 call: "(drop (call $peek (i32.const 131069)))", message: "out of bounds memory access in function peek"),
        TrapCase(description: "store with a huge offset", functions: "(func $poke (param i32) (i32.store offset=0xfffffff0 (local.get 0) (i32.const 1)))",
                 call: "(call $poke (i32.const 0x20))", message: "out of bounds memory access in function poke"),
        TrapCase(description: "bad pointer", functions: "(func $deref (param i32) (result i64) (i64.load (local.get 0)))",
                 call: "(drop (call $deref (i32.const -8)))", message: "out of bounds memory access in function deref"),
        TrapCase(description: "i32 division by zero", functions: "(func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))",
                 call: "(drop (call $div (i32.const 1) (i32.const 0)))", message: "integer divide by zero in function div"),
        TrapCase(description: "i64 remainder by zero", functions: "(func $rem (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))",
                 call: "(drop (call $rem (i64.const 1) (i64.const 0)))", message: "integer divide by zero in function rem"),
        TrapCase(description: "i32 INT_MIN / -1", functions: "(func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))",
                 call: "(drop (call $div (i32.const 0x80000000) (i32.const -1)))", message: "integer overflow in function div"),
        TrapCase(description: "i64 INT_MIN / -1", functions: "(func $div64 (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))",
                 call: "(drop (call $div64 (i64.const 0x8000000000000000) (i64.const -1)))", message: "integer overflow in function div64"),
        TrapCase(description: "NaN to integer", functions: "(func $conv (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))",
                 call: "(drop (call $conv (f64.const nan)))", message: "invalid conversion to integer in function conv"),
        TrapCase(description: "float to integer out of range", functions: "(func $conv (param f32) (result i64) (i64.trunc_f32_u (local.get 0)))",
                 call: "(drop (call $conv (f32.const -1)))", message: "integer overflow in function conv"),
        TrapCase(description: "call_indirect out of the table", functions: table,
                 call: "(drop (call $apply (i32.const 7)))", message: "undefined element in function apply"),
        TrapCase(description: "call_indirect of a null entry", functions: table,
                 call: "(drop (call $apply (i32.const 3)))", message: "uninitialized element in function apply"),
        TrapCase(description: "call_indirect with the wrong type", functions: table,
                 call: "(drop (call $apply (i32.const 1)))", message: "indirect call type mismatch in function apply"),
        TrapCase(description: "tstack overflow", functions: tstack,
                 call: "(call $push_frame (i32.const 100))", message: "tstack overflow in function push_frame"),
        TrapCase(description: "native stack overflow", functions: """
            (func $forever (param i32) (result i32) (i32.add (call $forever (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
            """, call: "(drop (call $forever (i32.const 0)))", message: "stack overflow in function forever"),
        TrapCase(description: "mutual recursion", functions: """
            (func $ping (param i32) (result i32) (i32.add (call $pong (local.get 0)) (i32.const 1)))
            (func $pong (param i32) (result i32) (i32.add (call $ping (local.get 0)) (i32.const 2)))
            """, call: "(drop (call $ping (i32.const 0)))", message: "stack overflow in function p"),
        TrapCase(description: "memory.fill past the end", functions: "(func $fill (memory.fill (i32.const 131000) (i32.const 0) (i32.const 100)))",
                 call: "(call $fill)", message: "out of bounds memory access in function fill"),
        TrapCase(description: "memory.copy from past the end", functions: "(func $copy (memory.copy (i32.const 0) (i32.const 131070) (i32.const 4)))",
                 call: "(call $copy)", message: "out of bounds memory access in function copy"),
        TrapCase(description: "guard pages: bad pointer", functions: "(func $deref (param i32) (result i64) (i64.load (local.get 0)))",
                 call: "(call $print_i64 (call $deref (i32.const -8)))", message: "out of bounds memory access in function ",
                 options: W2COptions(boundsMode: .guardPages)),
        TrapCase(description: "guard pages: native stack overflow", functions: """
            (func $forever (param i32) (result i32) (i32.add (call $forever (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
            """, call: "(drop (call $forever (i32.const 0)))", message: "stack overflow in function forever",
                 options: W2COptions(boundsMode: .guardPages)),
    ]

    @Test(arguments: cases) func trapReportsKindAndFunction(_ c: TrapCase) throws {
        let wat = Harness.program("""
            (call $print (i32.const 1))
            \(c.call)
            (call $print (i32.const 2))
            """, extra: c.functions)
        let r = try Harness.execute(wat, options: c.options)
        #expect(r.stdout == "1\n", "stdout is flushed before the message, nothing after the trap runs")
        #expect(r.stderr.hasPrefix("zong: runtime error: \(c.message)"), "\(r.stderr)")
        #expect(r.stderr.hasSuffix("\n"))
        #expect(r.status == 2)
        #expect(!r.signaled)
    }

    @Test func dataSegmentOutOfRangeTrapsAtStart() throws {
        let wat = "(module (memory 1) (data (i32.const 65534) \"abcd\") (func (export \"_start\")))"
        let r = try Harness.execute(wat)
        #expect(r.stderr == "zong: runtime error: out of bounds memory access\n")
        #expect(r.status == 2)
    }

    @Test func deepButLegalRecursionDoesNotTrap() throws {
        let r = try Harness.execute(Harness.program("(call $print (call $depth (i32.const 200000)))", extra: """
            (func $depth (param i32) (result i32)
              (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                (else (i32.add (call $depth (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
            """))
        #expect(r.stdout == "200000\n", "\(r.stderr)")
        #expect(r.status == 0)
    }

    @Test func trapsUnderSanitizers() throws {
        for c in [Self.cases[1], Self.cases[4], Self.cases[8]] {
            let wat = Harness.program(c.call, extra: c.functions)
            let r = try Harness.execute(wat, sanitize: "undefined,address")
            #expect(r.stderr == "zong: runtime error: \(c.message)\n")
            #expect(r.status == 2)
        }
    }
}
