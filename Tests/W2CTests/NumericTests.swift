import Testing

@testable import W2C

/// Every numeric opcode family, one module per family; each case prints one value (i32 results
/// zero-extended, floats as their bit patterns) and the whole output is compared.
@Suite(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) struct NumericTests {
    /// (expression, expected printed value)
    typealias Case = (String, String)

    static func u32(_ expr: String) -> String { "(i64.extend_i32_u \(expr))" }
    static func f32bits(_ expr: String) -> String { "(i64.extend_i32_u (i32.reinterpret_f32 \(expr)))" }
    static func f64bits(_ expr: String) -> String { "(i64.reinterpret_f64 \(expr))" }

    static func run(_ cases: [Case], sanitize: String? = nil) throws {
        let body = cases.map { "    (call $print_i64 \($0.0))" }.joined(separator: "\n")
        let r = try Harness.execute(Harness.program(body), sanitize: sanitize)
        let got = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (i, c) in cases.enumerated() {
            let value = i < got.count ? got[i] : "<missing>"
            #expect(value == c.1, "\(c.0)")
        }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty || sanitize == nil, "\(r.stderr)")
    }

    static let i32Cases: [Case] = [
        (u32("(i32.add (i32.const 0x7fffffff) (i32.const 1))"), "2147483648"),
        (u32("(i32.sub (i32.const 0) (i32.const 1))"), "4294967295"),
        (u32("(i32.mul (i32.const 0x10000) (i32.const 0x10001))"), "65536"),
        (u32("(i32.div_s (i32.const -7) (i32.const 2))"), "4294967293"),
        (u32("(i32.div_u (i32.const -7) (i32.const 2))"), "2147483644"),
        (u32("(i32.rem_s (i32.const -7) (i32.const 2))"), "4294967295"),
        (u32("(i32.rem_s (i32.const 0x80000000) (i32.const -1))"), "0"),
        (u32("(i32.rem_u (i32.const 7) (i32.const 3))"), "1"),
        (u32("(i32.and (i32.const 0xff00) (i32.const 0x0ff0))"), "3840"),
        (u32("(i32.or (i32.const 0xff00) (i32.const 0x0ff0))"), "65520"),
        (u32("(i32.xor (i32.const 0xff00) (i32.const 0x0ff0))"), "61680"),
        (u32("(i32.shl (i32.const 1) (i32.const 33))"), "2"),
        (u32("(i32.shr_s (i32.const -8) (i32.const 1))"), "4294967292"),
        (u32("(i32.shr_u (i32.const -8) (i32.const 33))"), "2147483644"),
        (u32("(i32.rotl (i32.const 0x80000001) (i32.const 1))"), "3"),
        (u32("(i32.rotr (i32.const 3) (i32.const 1))"), "2147483649"),
        (u32("(i32.rotl (i32.const 5) (i32.const 32))"), "5"),
        (u32("(i32.clz (i32.const 0))"), "32"),
        (u32("(i32.clz (i32.const 1))"), "31"),
        (u32("(i32.ctz (i32.const 0))"), "32"),
        (u32("(i32.ctz (i32.const 8))"), "3"),
        (u32("(i32.popcnt (i32.const -1))"), "32"),
        (u32("(i32.eqz (i32.const 0))"), "1"),
        (u32("(i32.eq (i32.const 3) (i32.const 3))"), "1"),
        (u32("(i32.ne (i32.const 3) (i32.const 3))"), "0"),
        (u32("(i32.lt_s (i32.const -1) (i32.const 0))"), "1"),
        (u32("(i32.lt_u (i32.const -1) (i32.const 0))"), "0"),
        (u32("(i32.gt_s (i32.const -1) (i32.const 0))"), "0"),
        (u32("(i32.gt_u (i32.const -1) (i32.const 0))"), "1"),
        (u32("(i32.le_s (i32.const 0x80000000) (i32.const 0x7fffffff))"), "1"),
        (u32("(i32.le_u (i32.const 0x80000000) (i32.const 0x7fffffff))"), "0"),
        (u32("(i32.ge_s (i32.const 5) (i32.const 5))"), "1"),
        (u32("(i32.ge_u (i32.const 4) (i32.const 5))"), "0"),
        (u32("(i32.extend8_s (i32.const 0x80))"), "4294967168"),
        (u32("(i32.extend16_s (i32.const 0x18000))"), "4294934528"),
        (u32("(i32.wrap_i64 (i64.const 0x100000005))"), "5"),
        (u32("(select (i32.const 1) (i32.const 2) (i32.const 0))"), "2"),
        (u32("(select (i32.const 1) (i32.const 2) (i32.const 7))"), "1"),
    ]

    static let i64Cases: [Case] = [
        ("(i64.add (i64.const 0x7fffffffffffffff) (i64.const 1))", "-9223372036854775808"),
        ("(i64.mul (i64.const 0x100000000) (i64.const 0x100000000))", "0"),
        ("(i64.sub (i64.const 0) (i64.const 5))", "-5"),
        ("(i64.div_s (i64.const -9) (i64.const 2))", "-4"),
        ("(i64.div_u (i64.const -1) (i64.const 0x100000000))", "4294967295"),
        ("(i64.rem_s (i64.const 0x8000000000000000) (i64.const -1))", "0"),
        ("(i64.rem_s (i64.const -9) (i64.const 2))", "-1"),
        ("(i64.rem_u (i64.const 10) (i64.const 4))", "2"),
        ("(i64.and (i64.const 12) (i64.const 10))", "8"),
        ("(i64.or (i64.const 12) (i64.const 10))", "14"),
        ("(i64.xor (i64.const 12) (i64.const 10))", "6"),
        ("(i64.shl (i64.const 1) (i64.const 65))", "2"),
        ("(i64.shr_s (i64.const -1) (i64.const 70))", "-1"),
        ("(i64.shr_u (i64.const -1) (i64.const 60))", "15"),
        ("(i64.rotl (i64.const 1) (i64.const 65))", "2"),
        ("(i64.rotr (i64.const 1) (i64.const 1))", "-9223372036854775808"),
        ("(i64.clz (i64.const 0))", "64"),
        ("(i64.ctz (i64.const 0))", "64"),
        ("(i64.popcnt (i64.const -1))", "64"),
        (u32("(i64.eqz (i64.const 0))"), "1"),
        (u32("(i64.lt_s (i64.const -1) (i64.const 0))"), "1"),
        (u32("(i64.lt_u (i64.const -1) (i64.const 0))"), "0"),
        (u32("(i64.ge_u (i64.const -1) (i64.const 0))"), "1"),
        ("(i64.extend_i32_s (i32.const -1))", "-1"),
        ("(i64.extend_i32_u (i32.const -1))", "4294967295"),
        ("(i64.extend8_s (i64.const 0xff))", "-1"),
        ("(i64.extend16_s (i64.const 0x7fff))", "32767"),
        ("(i64.extend32_s (i64.const 0x80000000))", "-2147483648"),
    ]

    static let floatCases: [Case] = [
        (f32bits("(f32.min (f32.const -0) (f32.const 0))"), "\(Float(-0.0).bitPattern)"),
        (f32bits("(f32.max (f32.const -0) (f32.const 0))"), "0"),
        (f64bits("(f64.min (f64.const 1) (f64.const 2))"), "\(Int64(bitPattern: (1.0).bitPattern))"),
        (f64bits("(f64.max (f64.const -0) (f64.const 0))"), "0"),
        (f64bits("(f64.nearest (f64.const 2.5))"), "\(Int64(bitPattern: (2.0).bitPattern))"),
        (f64bits("(f64.nearest (f64.const 3.5))"), "\(Int64(bitPattern: (4.0).bitPattern))"),
        (f64bits("(f64.nearest (f64.const -0.5))"), "\(Int64(bitPattern: (-0.0).bitPattern))"),
        (f32bits("(f32.nearest (f32.const 1.5))"), "\(Float(2).bitPattern)"),
        (f32bits("(f32.sqrt (f32.const 4))"), "\(Float(2).bitPattern)"),
        (f64bits("(f64.sqrt (f64.const 2))"), "\(Int64(bitPattern: (2.0).squareRoot().bitPattern))"),
        (f64bits("(f64.copysign (f64.const 1) (f64.const -0))"), "\(Int64(bitPattern: (-1.0).bitPattern))"),
        (f32bits("(f32.copysign (f32.const 2) (f32.const -1))"), "\(Float(-2).bitPattern)"),
        (f32bits("(f32.abs (f32.const -nan:0x200000))"), "\(0x7fa0_0000)"),
        (f32bits("(f32.neg (f32.const 0))"), "\(Float(-0.0).bitPattern)"),
        (f64bits("(f64.abs (f64.const -3))"), "\(Int64(bitPattern: (3.0).bitPattern))"),
        (f64bits("(f64.neg (f64.const 3))"), "\(Int64(bitPattern: (-3.0).bitPattern))"),
        (f64bits("(f64.ceil (f64.const -1.5))"), "\(Int64(bitPattern: (-1.0).bitPattern))"),
        (f64bits("(f64.floor (f64.const -1.5))"), "\(Int64(bitPattern: (-2.0).bitPattern))"),
        (f64bits("(f64.trunc (f64.const -1.5))"), "\(Int64(bitPattern: (-1.0).bitPattern))"),
        (f32bits("(f32.ceil (f32.const 1.25))"), "\(Float(2).bitPattern)"),
        (f32bits("(f32.floor (f32.const 1.75))"), "\(Float(1).bitPattern)"),
        (f32bits("(f32.trunc (f32.const -1.75))"), "\(Float(-1).bitPattern)"),
        (f32bits("(f32.add (f32.const 0.1) (f32.const 0.2))"), "\((Float(0.1) + Float(0.2)).bitPattern)"),
        (f32bits("(f32.sub (f32.const 1) (f32.const 0.25))"), "\(Float(0.75).bitPattern)"),
        (f32bits("(f32.mul (f32.const 1.5) (f32.const 4))"), "\(Float(6).bitPattern)"),
        (f32bits("(f32.div (f32.const 1) (f32.const 3))"), "\((Float(1) / Float(3)).bitPattern)"),
        (f64bits("(f64.add (f64.const 0.1) (f64.const 0.2))"), "\(Int64(bitPattern: (0.1 + 0.2).bitPattern))"),
        (f64bits("(f64.div (f64.const 1) (f64.const 0))"), "\(Int64(bitPattern: Double.infinity.bitPattern))"),
        (f64bits("(f64.mul (f64.const 1e200) (f64.const 1e200))"), "\(Int64(bitPattern: Double.infinity.bitPattern))"),
        (u32("(f64.eq (f64.const nan) (f64.const nan))"), "0"),
        (u32("(f64.ne (f64.const nan) (f64.const nan))"), "1"),
        (u32("(f32.lt (f32.const 1) (f32.const 2))"), "1"),
        (u32("(f32.gt (f32.const 1) (f32.const 2))"), "0"),
        (u32("(f32.le (f32.const 2) (f32.const 2))"), "1"),
        (u32("(f64.ge (f64.const nan) (f64.const 2))"), "0"),
        (u32("(i32.trunc_f64_s (f64.const -3.9))"), "4294967293"),
        (u32("(i32.trunc_f64_u (f64.const 4294967295.9))"), "4294967295"),
        (u32("(i32.trunc_f32_s (f32.const -2147483648))"), "2147483648"),
        (u32("(i32.trunc_f32_u (f32.const -0.9))"), "0"),
        ("(i64.trunc_f64_s (f64.const 1e18))", "1000000000000000000"),
        ("(i64.trunc_f32_s (f32.const -1.5))", "-1"),
        ("(i64.trunc_f64_u (f64.const 1.8446744073709550e19))", "-2048"),
        ("(i64.trunc_f32_u (f32.const 3.5))", "3"),
        (u32("(i32.trunc_sat_f32_s (f32.const nan))"), "0"),
        (u32("(i32.trunc_sat_f32_s (f32.const inf))"), "2147483647"),
        (u32("(i32.trunc_sat_f64_s (f64.const -inf))"), "2147483648"),
        (u32("(i32.trunc_sat_f32_u (f32.const -1))"), "0"),
        (u32("(i32.trunc_sat_f64_u (f64.const 1e10))"), "4294967295"),
        ("(i64.trunc_sat_f64_s (f64.const 1e30))", "9223372036854775807"),
        ("(i64.trunc_sat_f32_s (f32.const -1e30))", "-9223372036854775808"),
        ("(i64.trunc_sat_f64_u (f64.const -5))", "0"),
        ("(i64.trunc_sat_f32_u (f32.const 1e30))", "-1"),
        (f32bits("(f32.convert_i64_u (i64.const -1))"), "\(Float(1.8446744e19).bitPattern)"),
        (f32bits("(f32.convert_i64_s (i64.const -1))"), "\(Float(-1).bitPattern)"),
        (f32bits("(f32.convert_i32_u (i32.const -1))"), "\(Float(4294967295.0).bitPattern)"),
        (f32bits("(f32.convert_i32_s (i32.const -1))"), "\(Float(-1).bitPattern)"),
        (f64bits("(f64.convert_i32_u (i32.const -1))"), "\(Int64(bitPattern: (4294967295.0).bitPattern))"),
        (f64bits("(f64.convert_i32_s (i32.const -1))"), "\(Int64(bitPattern: (-1.0).bitPattern))"),
        (f64bits("(f64.convert_i64_u (i64.const -1))"), "\(Int64(bitPattern: (18446744073709551615.0).bitPattern))"),
        (f64bits("(f64.convert_i64_s (i64.const -2))"), "\(Int64(bitPattern: (-2.0).bitPattern))"),
        (f32bits("(f32.demote_f64 (f64.const 1e300))"), "\(Float.infinity.bitPattern)"),
        (f64bits("(f64.promote_f32 (f32.const 1.5))"), "\(Int64(bitPattern: (1.5).bitPattern))"),
        (u32("(i32.reinterpret_f32 (f32.const -1))"), "\(Float(-1).bitPattern)"),
        (f32bits("(f32.reinterpret_i32 (i32.const 0x7f800001))"), "\(0x7f80_0001)"),
        (f64bits("(f64.reinterpret_i64 (i64.const 42))"), "42"),
        (f32bits("(f32.const 0x1p-149)"), "1"),
        (f64bits("(f64.const -0x1.fffffffffffffp+1023)"), "\(Int64(bitPattern: (-Double.greatestFiniteMagnitude).bitPattern))"),
        (f32bits("(f32.const 3.4028235e38)"), "\(Float.greatestFiniteMagnitude.bitPattern)"),
        (f32bits("(select (f32.const 1) (f32.const 2) (i32.const 0))"), "\(Float(2).bitPattern)"),
    ]

    @Test func i32Operations() throws { try Self.run(Self.i32Cases) }
    @Test func i64Operations() throws { try Self.run(Self.i64Cases) }
    @Test func floatOperationsAndConversions() throws { try Self.run(Self.floatCases) }
    @Test func numericOperationsUnderSanitizers() throws {
        try Self.run(Self.i32Cases + Self.i64Cases + Self.floatCases, sanitize: "undefined,address")
    }
}
