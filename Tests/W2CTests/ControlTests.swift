import Foundation
import Testing

@testable import W2C

/// block, loop, if, br, br_if, br_table, return, select, calls, call_indirect, globals, memory.
@Suite(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) struct ControlTests {
    static func expectOutput(_ body: String, extra: String = "", _ expected: [String], sanitize: String? = nil) throws {
        let r = try Harness.execute(Harness.program(body, extra: extra), sanitize: sanitize)
        #expect(r.stdout == expected.map { $0 + "\n" }.joined(), "stderr: \(r.stderr)")
        #expect(r.status == 0)
    }

    static let controlFunctions = """
        (func $classify (param $x i32) (result i32)
          (block $c (block $b (block $a
            (br_table $a $b $c (local.get $x)))
            (return (i32.const 100)))
            (return (i32.const 200)))
          (i32.const 300))
        (func $sum_to (param $n i32) (result i64) (local $acc i64)
          (loop $top
            (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $n))))
            (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
            (br_if $top))
          (local.get $acc))
        (func $block_value (param $x i32) (result i32)
          (block $out (result i32)
            (i32.const 7)
            (br_if $out (i32.eq (local.get $x) (i32.const 1)))
            (drop)
            (i32.const 8)))
        (func $nested_br (param $x i32) (result i32)
          (i32.add (i32.const 1000)
            (block $outer (result i32)
              (block $inner (result i32)
                (br $outer (i32.mul (local.get $x) (i32.const 2))))
              (drop)
              (i32.const -1))))
        (func $multi (param $x i32) (result i32)
          (local.get $x) (i32.const 5)
          (block (param i32 i32) (result i32) (i32.add))
          (if (param i32) (result i32) (i32.const 1) (then (i32.const 10) (i32.mul)) (else (i32.const 0) (i32.mul))))
        (func $dead (param $x i32) (result i32)
          (block $b (result i32)
            (br $b (local.get $x))
            (i32.add) (unreachable) (block (loop (br 0))) (drop)))
        (func $if_no_else (param $x i32) (result i32) (local $r i32)
          (local.set $r (i32.const 1))
          (if (local.get $x) (then (local.set $r (i32.const 2))))
          (local.get $r))
        (func $early_return (param $x i32) (result i32)
          (loop $l
            (if (i32.gt_u (local.get $x) (i32.const 10)) (then (return (local.get $x))))
            (local.set $x (i32.mul (local.get $x) (i32.const 3)))
            (br $l))
          (i32.const -1))
        (func $table_loop (param $n i32) (result i32) (local $count i32)
          (block $done
            (loop $next
              (block $odd (block $even
                (br_table $even $odd (i32.and (local.get $n) (i32.const 1))))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (br $odd))
              (br_if $done (i32.eqz (local.get $n)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $next)))
          (local.get $count))
        """

    @Test func blocksLoopsBranches() throws {
        try Self.expectOutput("""
            (call $print (call $classify (i32.const 0)))
            (call $print (call $classify (i32.const 1)))
            (call $print (call $classify (i32.const 2)))
            (call $print (call $classify (i32.const 99)))
            (call $print_i64 (call $sum_to (i32.const 100000)))
            (call $print (call $block_value (i32.const 1)))
            (call $print (call $block_value (i32.const 0)))
            (call $print (call $nested_br (i32.const 21)))
            (call $print (call $multi (i32.const 2)))
            (call $print (call $dead (i32.const 9)))
            (call $print (call $if_no_else (i32.const 0)))
            (call $print (call $if_no_else (i32.const 5)))
            (call $print (call $early_return (i32.const 2)))
            (call $print (call $table_loop (i32.const 10)))
            """, extra: Self.controlFunctions,
            ["100", "200", "300", "300", "5000050000", "7", "8", "1042", "70", "9", "1", "2", "18", "6"])
    }

    static let indirect = """
        (type $binop (func (param i32 i32) (result i32)))
        (type $unop (func (param i32) (result i32)))
        (table 5 funcref)
        (elem (i32.const 0) $add $sub $neg)
        (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
        (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
        (func $neg (type $unop) (i32.sub (i32.const 0) (local.get 0)))
        (func $apply (param $f i32) (param $a i32) (param $b i32) (result i32)
          (call_indirect (type $binop) (local.get $a) (local.get $b) (local.get $f)))
        (func $apply1 (param $f i32) (param $a i32) (result i32)
          (call_indirect (type $unop) (local.get $a) (local.get $f)))
        """

    @Test func callIndirect() throws {
        try Self.expectOutput("""
            (call $print (call $apply (i32.const 0) (i32.const 5) (i32.const 3)))
            (call $print (call $apply (i32.const 1) (i32.const 5) (i32.const 3)))
            (call $print (call $apply1 (i32.const 2) (i32.const 5)))
            """, extra: Self.indirect, ["8", "2", "-5"])
    }

    @Test func globalsAndMemory() throws {
        try Self.expectOutput("""
            (global.set $counter (i64.add (global.get $counter) (i64.const 5)))
            (call $print_i64 (global.get $counter))
            (call $print (global.get $k))
            (call $print (i32.load8_u (i32.const 1000)))
            (call $print (i32.load16_s (i32.const 1001)))
            (i64.store (i32.const 2000) (i64.const -2))
            (call $print_i64 (i64.load32_u (i32.const 2000)))
            (call $print_i64 (i64.load32_s (i32.const 2000)))
            (call $print_i64 (i64.load16_u offset=2 (i32.const 1998)))
            (call $print_i64 (i64.load8_s (i32.const 2001)))
            (call $print_i64 (i64.load16_s (i32.const 2000)))
            (call $print_i64 (i64.load8_u (i32.const 2001)))
            (i32.store16 (i32.const 3000) (i32.const 0x12345))
            (call $print (i32.load (i32.const 3000)))
            (i32.store8 (i32.const 3000) (i32.const 0x1ff))
            (call $print (i32.load (i32.const 3000)))
            (i64.store8 (i32.const 3004) (i64.const 0x101))
            (i64.store16 (i32.const 3005) (i64.const 0x10001))
            (i64.store32 (i32.const 3008) (i64.const 0x100000001))
            (call $print_i64 (i64.load (i32.const 3004)))
            (f32.store (i32.const 3016) (f32.const 1.5))
            (call $print (i32.load (i32.const 3016)))
            (f64.store (i32.const 3024) (f32.load (i32.const 3016)) (f64.promote_f32))
            (call $print_i64 (i64.load (i32.const 3024)))
            (call $print_i64 (i64.trunc_f64_s (f64.load (i32.const 3024))))
            (call $print (memory.size))
            (call $print (memory.grow (i32.const 3)))
            (call $print (memory.size))
            (i32.store (i32.const 327676) (i32.const 77))
            (call $print (i32.load (i32.const 327676)))
            (call $print (memory.grow (i32.const 100000)))
            (call $print (memory.grow (i32.const 5)))
            (call $print (memory.grow (i32.const 1)))
            (memory.fill (i32.const 4000) (i32.const 0xab) (i32.const 8))
            (call $print (i32.load (i32.const 4004)))
            (memory.copy (i32.const 4002) (i32.const 1000) (i32.const 4))
            (call $print (i32.load (i32.const 4000)))
            (call $print (i32.load (i32.const 4004)))
            """, extra: """
            (memory $m 2 10)
            (data (i32.const 1000) "\\05\\80\\ff")
            (global $counter (mut i64) (i64.const 10))
            (global $k i32 (i32.const 42))
            """.replacingOccurrences(of: "(memory $m 2 10)", with: ""), [
                "15", "42", "5", "-128", "4294967294", "-2", "65534", "-1", "-2", "255",
                "9029", "9215", "4294967553", "\(Float(1.5).bitPattern)", "\((1.5).bitPattern)", "1",
                "2", "2", "5", "77", "-1", "5", "-1", "-1414812757", "-2147112021", "-1414856449",
            ])
    }

    /// Multi-value results through calls and call_indirect, reference values, several tables
    /// and the table instructions, built natively with -Werror.
    @Test func multiValueAndReferences() throws {
        try Self.expectOutput("""
            (call $pair (i32.const 41)) (call $print_i64) (call $print)
            (call $print (table.grow $t1 (ref.func $pair) (i32.const 3)))
            (call $print (table.size $t1))
            (call $print (ref.is_null (table.get $t1 (i32.const 0))))
            (call $print (ref.is_null (table.get $t1 (i32.const 4))))
            (call_indirect $t1 (type $ret2) (i32.const 9) (i32.const 3)) (drop) (call $print)
            (table.fill $t0 (i32.const 0) (ref.func $pair) (i32.const 1))
            (table.copy $t1 $t0 (i32.const 0) (i32.const 0) (i32.const 1))
            (call_indirect $t1 (type $ret2) (i32.const 1) (i32.const 0)) (call $print_i64) (drop)
            (call $print (table.grow $t1 (ref.null func) (i32.const 100)))
            """, extra: """
            (type $ret2 (func (param i32) (result i32 i64)))
            (table $t0 1 funcref)
            (table $t1 2 10 funcref)
            (elem declare func $pair)
            (func $pair (param $x i32) (result i32 i64)
              (i32.add (local.get $x) (i32.const 1)) (i64.extend_i32_u (local.get $x)))
            """, ["41", "42", "2", "5", "1", "0", "10", "1", "-1"])
    }
}
