import Foundation
import Testing
import Wasm

@testable import W2C

/// A function whose self-recursion the module bounds (the `zong.bounded-recursion` section) gets a
/// variant that calls itself without stack checks, entered only when the stack has room for the
/// whole depth its argument allows; otherwise the checked function runs. A false claim must
/// still end in `stack overflow`, and a malformed one changes nothing.
@Suite(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) struct BoundedRecursionTests {
    /// The prelude's imports and functions come first: `extra`'s first function has index 5.
    static let firstExtra: UInt32 = 5

    /// depth(n) = n for n >= 0, by recursion n deep: self-calls only while n >= 1, each passing n - 1.
    static let depth = """
        (func $depth (param $n i64) (result i64)
          (if (result i64) (i64.lt_s (local.get $n) (i64.const 1)) (then (i64.const 0))
            (else (i64.add (call $depth (i64.sub (local.get $n) (i64.const 1))) (i64.const 1)))))
        """
    static let depthClaim = BoundedRecursion(function: firstExtra, parameter: 0, isSigned: true, bound: 1, step: 1)

    /// The WASM of `wat` with a `zong.bounded-recursion` section holding `payload` at the end.
    static func module(_ wat: String, payload: [UInt8]) throws -> [UInt8] {
        var section: [UInt8] = []
        let name = Array(BoundedRecursion.sectionName.utf8)
        LEB128.unsigned(UInt64(name.count), into: &section)
        section += name + payload
        var wasm = try Harness.assemble(wat)
        wasm.append(0)
        LEB128.unsigned(UInt64(section.count), into: &wasm)
        return wasm + section
    }

    static func run(_ wasm: [UInt8], sanitize: String? = nil) throws -> (c: String, result: Harness.Result) {
        let c = try translate(wasm: wasm)
        let exe = try Harness.buildC(c, sanitize: sanitize)
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: exe).deletingLastPathComponent().path) }
        return (c, try Harness.run(exe))
    }

    /// The C text of the function whose definition starts with `signature`.
    static func definition(_ c: String, _ signature: String) -> String {
        guard let start = c.range(of: signature) else { return "" }
        let rest = c[start.lowerBound...]
        return String(rest[..<(rest.range(of: "\n}\n")?.upperBound ?? rest.endIndex)])
    }

    @Test(arguments: [10, 100_000])
    func aTrueClaimRunsTheVariantWithoutChecks(_ n: Int) throws {
        let wat = Harness.program("(call $print_i64 (call $depth (i64.const \(n))))", extra: Self.depth)
        let (c, r) = try Self.run(try Self.module(wat, payload: BoundedRecursion.encode([Self.depthClaim])))
        #expect(r.stdout == "\(n)\n", "\(r.stderr)")
        #expect(r.status == 0)
        let variant = Self.definition(c, "static uint64_t zong_depth_bounded(uint64_t p_n) {")
        #expect(variant.contains("zong_depth_bounded(sj0)"))
        #expect(!variant.contains("STACK"), "\(variant)")
        let checked = Self.definition(c, "static uint64_t zong_depth(uint64_t p_n) {")
        #expect(checked.contains("ZRT_STACK_TRAP_IF"))
        #expect(c.contains("ZRT_STACK_ROOM(zrt_calls_deep_signed((int64_t)sj0, INT64_C(1), UINT64_C(1))"))
    }

    /// A million frames of the estimated size do not fit, so the checked function runs, and
    /// its real frames do fit: the answer, not a false `stack overflow`.
    @Test func tooLittleRoomForTheEstimateFallsBackToTheCheckedFunction() throws {
        let wat = Harness.program("(call $print_i64 (call $depth (i64.const 1000000)))", extra: Self.depth)
        let (_, r) = try Self.run(try Self.module(wat, payload: BoundedRecursion.encode([Self.depthClaim])))
        #expect(r.stdout == "1000000\n", "\(r.stderr)")
        #expect(r.status == 0)
    }

    @Test func recursionDeeperThanTheStackStillOverflows() throws {
        let wat = Harness.program("(call $print_i64 (call $depth (i64.const 100000000)))", extra: Self.depth)
        let (_, r) = try Self.run(try Self.module(wat, payload: BoundedRecursion.encode([Self.depthClaim])))
        #expect(r.stdout == "")
        #expect(r.stderr == "zong: runtime error: stack overflow in function depth\n")
        #expect(r.status == 2)
    }

    /// The claim says one level deep; the function never stops. The guard page below the stack
    /// catches the variant, and the fault is named after the function.
    @Test func aFalseClaimEndsInStackOverflowNotACrash() throws {
        let forever = """
            (func $forever (param $n i64) (result i64)
              (i64.add (call $forever (local.get $n)) (call $forever (local.get $n))))
            """
        let wat = Harness.program("(call $print (i32.const 1)) (call $print_i64 (call $forever (i64.const 0)))", extra: forever)
        let claim = BoundedRecursion(function: Self.firstExtra, parameter: 0, isSigned: true, bound: 0, step: 1)
        let (c, r) = try Self.run(try Self.module(wat, payload: BoundedRecursion.encode([claim])))
        #expect(c.contains("zong_forever_bounded"))
        #expect(r.stdout == "1\n")
        #expect(r.stderr == "zong: runtime error: stack overflow in function forever\n")
        #expect(r.status == 2)
        #expect(!r.signaled)
    }

    /// depth(n) = n plus what its local $b holds at the bottom, 0 here: a claim that $b is a
    /// real-call budget (any nonzero value gives the same results) is false for it, which shows
    /// where W2C reads it as 1: in the bounded variant, not in the checked function.
    static let depthWithBudget = """
        (func $depth (param $n i64) (result i64) (local $b i32)
          (if (result i64) (i64.lt_s (local.get $n) (i64.const 1)) (then (i64.extend_i32_u (local.get $b)))
            (else (i64.add (call $depth (i64.sub (local.get $n) (i64.const 1))) (i64.const 1)))))
        """

    @Test func aBudgetLocalReadsAsOneInTheVariantOnly() throws {
        let wat = Harness.program("(call $print_i64 (call $depth (i64.const 10))) (call $print_i64 (call $depth (i64.const 1000000)))",
                                  extra: Self.depthWithBudget)
        var claim = Self.depthClaim
        claim.budgetLocal = 1
        let (c, r) = try Self.run(try Self.module(wat, payload: BoundedRecursion.encode([claim])))
        // The bottom always runs in the variant (a million levels start in the checked function,
        // whose self-calls take the variant once the rest fits), reading 1.
        #expect(r.stdout == "11\n1000001\n", "\(r.stderr)")
        let variant = Self.definition(c, "static uint64_t zong_depth_bounded(uint64_t p_n) {")
        #expect(variant.contains("(void)l_b;") && variant.contains("= 1u;"), "\(variant)")
        #expect(!Self.definition(c, "static uint64_t zong_depth(uint64_t p_n) {").contains("(void)l_b;"))
        // A budget that is a parameter, or past the locals, is not one: read as it is.
        for local in [UInt32(0), 7] {
            claim.budgetLocal = local
            let (_, plain) = try Self.run(try Self.module(wat, payload: BoundedRecursion.encode([claim])))
            #expect(plain.stdout == "10\n1000000\n", "\(plain.stderr)")
        }
        // Version 1 (no budget field) still reads.
        var v1 = BoundedRecursion.encode([Self.depthClaim])
        v1[0] = 1
        v1.removeLast()
        let (old, _) = try Self.run(try Self.module(Harness.program("(call $print_i64 (call $depth (i64.const 10)))", extra: Self.depth), payload: v1))
        #expect(old.contains("zong_depth_bounded"))
    }

    static let malformed: [(String, [UInt8])] = [
        ("an unknown version", [3, 0]),
        ("a truncated entry", Array(BoundedRecursion.encode([depthClaim]).dropLast())),
        ("trailing bytes", BoundedRecursion.encode([depthClaim]) + [0]),
        ("a step of 0", BoundedRecursion.encode([BoundedRecursion(function: firstExtra, parameter: 0, isSigned: true, bound: 1, step: 0)])),
        ("a parameter past the last", BoundedRecursion.encode([BoundedRecursion(function: firstExtra, parameter: 1, isSigned: true, bound: 1, step: 1)])),
        ("an import", BoundedRecursion.encode([BoundedRecursion(function: 0, parameter: 0, isSigned: true, bound: 1, step: 1)])),
        ("a function past the last", BoundedRecursion.encode([BoundedRecursion(function: 99, parameter: 0, isSigned: true, bound: 1, step: 1)])),
        ("a function that does not recurse", BoundedRecursion.encode([BoundedRecursion(function: 4, parameter: 0, isSigned: true, bound: 1, step: 1)])),
    ]

    @Test(arguments: malformed.map(\.0))
    func aClaimW2CCannotUseIsIgnored(_ name: String) throws {
        let payload = Self.malformed.first { $0.0 == name }?.1 ?? []
        let wat = Harness.program("(call $print_i64 (call $depth (i64.const 1000)))", extra: Self.depth)
        let (c, r) = try Self.run(try Self.module(wat, payload: payload))
        #expect(!c.contains("_bounded"))
        #expect(r.stdout == "1000\n")
    }

    /// A function that reaches another recursive function keeps its checks: the estimate could
    /// not cover that function's frames.
    @Test func aClaimOverAFunctionThatReachesOtherRecursionIsIgnored() throws {
        let extra = Self.depth.replacingOccurrences(of: "(i64.const 1)))))", with: "(call $other (i64.const 3))))))") + """
            (func $other (param i64) (result i64)
              (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
                (else (call $other (i64.sub (local.get 0) (i64.const 1))))))
            """
        let wat = Harness.program("(call $print_i64 (call $depth (i64.const 1000)))", extra: extra)
        let (c, r) = try Self.run(try Self.module(wat, payload: BoundedRecursion.encode([Self.depthClaim])))
        #expect(!c.contains("_bounded"))
        #expect(r.stdout == "1000\n")
    }

    @Test func unsignedAndI32ParametersUnderSanitizers() throws {
        let extra = """
            (func $down (param $n i32) (result i32)
              (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
                (else (i32.add (call $down (i32.sub (local.get $n) (i32.const 2))) (i32.const 1)))))
            """
        let wat = Harness.program("(call $print (call $down (i32.const 5000))) (call $print (call $down (i32.const -2)))", extra: extra)
        // n == 0 ends it, so past the guard n >=u 1; each call passes n - 2. From -2 (2^32 - 2)
        // the depth allowed is far beyond the stack: the checked function runs, and ends in
        // stack overflow as plain recursion would.
        let claim = BoundedRecursion(function: Self.firstExtra, parameter: 0, isSigned: false, bound: 1, step: 2)
        let (c, r) = try Self.run(try Self.module(wat, payload: BoundedRecursion.encode([claim])), sanitize: "undefined,address")
        #expect(c.contains("zrt_calls_deep_unsigned((uint64_t)(uint32_t)si0, UINT64_C(1), UINT64_C(2))"))
        #expect(r.stdout == "2500\n")
        #expect(r.stderr == "zong: runtime error: stack overflow in function down\n")
        #expect(r.status == 2)
    }
}
