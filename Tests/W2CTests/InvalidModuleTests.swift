import Foundation
import Testing

@testable import W2C

/// Malformed, invalid and unsupported modules are rejected with a W2CError, never a crash.
@Suite struct InvalidModuleTests {
    static func rejects(_ bytes: [UInt8], containing text: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try translate(wasm: bytes)
            Issue.record("accepted an invalid module", sourceLocation: sourceLocation)
        } catch {
            if let text {
                #expect(error.message.contains(text), "\(error)", sourceLocation: sourceLocation)
            }
            #expect(!error.description.isEmpty, sourceLocation: sourceLocation)
        }
    }

    /// `(memory 2 1)`: the message names the limits, not a size cap the module does not reach.
    @Test func aMemoryWhoseMaximumIsBelowItsMinimum() {
        Self.rejects([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x04, 0x01, 0x01, 0x02, 0x01],
                     containing: "minimum (2 pages) must not be greater than its maximum (1 pages)")
    }

    @Test func garbageAndEmptyInput() {
        Self.rejects([])
        Self.rejects([1, 2, 3])
        Self.rejects(Array("not a wasm module at all".utf8))
        Self.rejects([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00])
    }

    @Test(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) func everyTruncationIsRejected() throws {
        let wasm = try Harness.assemble(Harness.program("(call $print (i32.const 42))"))
        _ = try translate(wasm: wasm)
        for length in 0..<wasm.count {
            let prefix = Array(wasm[..<length])
            // A prefix that ends exactly at a section boundary is a valid module only if it has
            // no code section missing; either way it must not crash.
            _ = try? translate(wasm: prefix)
        }
        Self.rejects(Array(wasm[..<(wasm.count / 2)]))
    }

    static let invalid: [(String, String, String)] = [
        ("result type mismatch", "(module (func (result i32) (i64.const 1)))", "type mismatch"),
        ("stack underflow", "(module (func (result i32) (i32.add (i32.const 1))))", "operands"),
        ("branch depth", "(module (func (br 3)))", "unknown label"),
        ("unknown local", "(module (func (local.get 4) (drop)))", "unknown local"),
        ("unknown function", "(module (func (call 9)))", "unknown function"),
        ("immutable global", "(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))", "immutable"),
        ("load without memory", "(module (func (drop (i32.load (i32.const 0)))))", "unknown memory"),
        ("if branches differ", "(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1)) (else (f32.const 1)))))", "type mismatch"),
        ("values left on the stack", "(module (func (i32.const 1)))", "type mismatch"),
        ("call_indirect without a table", "(module (type (func)) (func (call_indirect (type 0) (i32.const 0))))", "table"),
        ("block opened after unreachable has its own stack", "(module (func (unreachable) (block (drop (i32.eqz (nop))))))", "operands"),
        ("if opened after return has its own stack", "(module (func (return) (if (i32.const 0) (then (drop (i32.eqz (nop)))))))", "operands"),
        ("br_if leaves the label's types", "(module (func (result i64) (unreachable) (br_if 0) (i64.extend_i32_u)))", "type mismatch"),
        ("select operands differ after unreachable", "(module (func (unreachable) (i32.const 0) (i64.const 0) (i32.const 1) (select) (drop)))", "type mismatch"),
        ("untyped select of references", "(module (func (param funcref funcref) (drop (select (local.get 0) (local.get 1) (i32.const 1)))))", "numeric"),
        ("ref.func of an undeclared function", "(module (func $f) (func (drop (ref.func $f))))", "undeclared"),
        ("table.copy between table types", "(module (table 1 funcref) (table 1 externref) (func (table.copy 0 1 (i32.const 0) (i32.const 0) (i32.const 0))))", "type mismatch"),
        ("call_indirect through an externref table", "(module (type (func)) (table 1 externref) (func (call_indirect (type 0) (i32.const 0))))", "externref"),
    ]

    @Test(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage), arguments: 0..<invalid.count)
    func invalidModuleIsRejected(_ i: Int) throws {
        let (name, wat, text) = Self.invalid[i]
        let wasm = try Harness.assemble(wat, check: false)
        do {
            _ = try translate(wasm: wasm)
            Issue.record("\(name): accepted")
        } catch {
            #expect(error.message.contains(text), "\(name): \(error)")
            #expect(error.functionIndex != nil || name == "load without memory", "\(name): \(error)")
        }
    }

    @Test(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) func unsupportedImportsAndFeaturesAreNamed() throws {
        Self.rejects(try Harness.assemble("(module (import \"env\" \"frobnicate\" (func)))"), containing: "env.frobnicate")
        Self.rejects(try Harness.assemble("(module (import \"env\" \"g\" (global i32)))"), containing: "env.g")
        Self.rejects(try Harness.assemble("(module (import \"env\" \"t\" (table 1 funcref)))"), containing: "env.t")
        Self.rejects(try Harness.assemble("(module (import \"env\" \"m\" (memory 1)))"), containing: "env.m")
        Self.rejects(try Harness.assemble("(module (import \"wasi_snapshot_preview1\" \"sock_accept\" (func (param i32 i32 i32) (result i32))))"),
                     containing: "wasi_snapshot_preview1.sock_accept")
        Self.rejects(try Harness.assemble("(module (import \"wasi_snapshot_preview1\" \"fd_write\" (func (param i32) (result i32))))"),
                     containing: "fd_write has type")
        Self.rejects(try Harness.assemble("(module (import \"env\" \"mem\" (memory 1)))"), containing: "env.mem")
        Self.rejects(try Harness.assemble("(module (func (drop (v128.const i64x2 0 0))))"))
    }

    @Test func errorCarriesOffsetAndFunction() throws {
        // (module (type (func)) (func (type 0) i32.add end)) by hand: stack underflow in function 0.
        let wasm: [UInt8] = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 5, 1, 3, 0, 0x6a, 0x0b]
        do {
            _ = try translate(wasm: wasm)
            Issue.record("accepted")
        } catch {
            #expect(error.functionIndex == 0)
            #expect(error.offset == 23)
            #expect(error.description.contains("function 0"))
        }
    }

    /// Random byte mutations of a valid module: every result is C text or a W2CError.
    @Test(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) func mutatedModulesNeverCrash() throws {
        let wasm = try Harness.assemble(Harness.program("""
            (call $print (i32.div_s (i32.const 7) (i32.const 2)))
            (call $print_i64 (i64.trunc_f64_s (f64.const 3.5)))
            (block $b (br_table $b $b (i32.const 1)))
            """, extra: "(table 2 funcref) (elem (i32.const 0) $print) (global $g (mut i32) (i32.const 5))"))
        var rng = SplitMix(seed: 0x5eed)
        var accepted = 0
        for _ in 0..<3000 {
            var m = wasm
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = 8 + Int(rng.next() % UInt64(m.count - 8))
                switch rng.next() % 3 {
                case 0: m[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: m[at] ^= UInt8(1) << (rng.next() % 8)
                default: m.remove(at: at)
                }
            }
            if (try? translate(wasm: m)) != nil { accepted += 1 }
        }
        #expect(accepted < 3000)
    }
}

/// A small deterministic generator for the mutation test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
