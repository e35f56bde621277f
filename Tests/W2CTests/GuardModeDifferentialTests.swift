import Foundation
import Testing

@testable import W2C

/// `--bounds=guard` must keep every trap that `--bounds=check` keeps: a hostile corpus of
/// out-of-bounds accesses whose values are dead (dropped, multiplied by zero, stored in an unused
/// local, used only on a branch not taken, loaded in a loop or an endless one, selected between,
/// followed by another trap) runs under both
/// modes, one case per run, with identical status, stdout and trap message.
///
/// Known gap (README.md, "Limits"): a loop that has an exit it never takes, and whose only
/// effect is a dead out-of-bounds load, may spin in guard mode instead of trapping (making every
/// loop use the loads would cost 2x on matmul).
@Suite(.enabled(if: Harness.hasWat2wasm && FileManager.default.isExecutableFile(atPath: "/usr/bin/timeout"), Harness.skipMessage))
struct GuardModeDifferentialTests {
    /// (op, access size, conversion of its value to i32).
    static let loads: [(String, Int, String)] = [
        ("i32.load", 4, ""), ("i64.load", 8, "i32.wrap_i64"), ("f32.load", 4, "i32.trunc_sat_f32_s"),
        ("f64.load", 8, "i32.trunc_sat_f64_s"), ("i32.load8_s", 1, ""), ("i32.load8_u", 1, ""),
        ("i32.load16_s", 2, ""), ("i32.load16_u", 2, ""), ("i64.load8_s", 1, "i32.wrap_i64"),
        ("i64.load8_u", 1, "i32.wrap_i64"), ("i64.load16_s", 2, "i32.wrap_i64"), ("i64.load16_u", 2, "i32.wrap_i64"),
        ("i64.load32_s", 4, "i32.wrap_i64"), ("i64.load32_u", 4, "i32.wrap_i64"),
    ]

    /// The prelude's memory: 2 pages.
    static let memorySize = 131_072

    /// Out-of-bounds accesses of `size` bytes: straddling the end, just past it, far past it
    /// (through the offset immediate), at the top of the address space, from a runtime value.
    static func addresses(_ size: Int) -> [(offset: String, address: String)] {
        [
            ("", "(i32.const \(memorySize - size + 1))"),
            ("", "(i32.const \(memorySize))"),
            ("offset=4294967295 ", "(i32.const 8)"),
            ("", "(i32.const -1)"),
            ("", "(i32.add (local.get $argc) (i32.const \(memorySize)))"),
        ]
    }

    /// Ways to make the loaded value dead (or nearly): `L` is the load, `V` its value as i32.
    static let shapes: [String] = [
        "(drop L)",
        "(local.set $u V)",
        "(call $print (i32.mul V (i32.const 0)))",
        "(call $print (i32.and V (i32.const 0)))",
        "(local.set $i (i32.const 1000)) (loop $l (drop L) (br_if $l (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))",
        "(local.set $u V) (if (i32.eq (local.get $argc) (i32.const -7)) (then (call $print (local.get $u))))",
        "(drop (select V (i32.const 1) (local.get $argc)))",
        "(if (i32.eqz V) (then) (else))",
        "(drop L) (drop L) (i32.store (i32.const 64) (i32.const 1))",
        "(block $b (br_if $b (i32.eqz V)))",
        "(loop $spin (br_if $spin (i32.eq V (i32.const 12345))))",
        "(loop $forever (drop L) (br $forever))",
        "(drop L) (unreachable)",
        "(drop L) (drop (i32.div_u (i32.const 1) (i32.sub (local.get $argc) (local.get $argc))))",
        "(call $print V)",
    ]

    /// Stores and bulk operations out of bounds (their effects are never dead, but checked too).
    static let others: [String] = [
        "(i32.store (i32.const \(memorySize - 2)) (i32.const 1))",
        "(i64.store offset=4294967295 (i32.const 1) (i64.const 1))",
        "(f64.store (i32.const -1) (f64.const 1))",
        "(i32.store8 (i32.const \(memorySize)) (i32.const 1))",
        "(memory.fill (i32.const \(memorySize - 1)) (i32.const 0) (i32.const 2))",
        "(memory.copy (i32.const 0) (i32.const \(memorySize - 1)) (i32.const 2))",
        "(drop (i32.load (i32.const \(memorySize - 4))))",
    ]

    /// Every case body, in order; case k runs with k command-line arguments.
    static let cases: [String] = {
        var result: [String] = []
        var k = 0
        for (op, size, convert) in loads {
            for shape in shapes {
                let all = addresses(size)
                let (offset, address) = all[k % all.count]
                k += 1
                let load = "(\(op) \(offset)\(address))"
                let value = convert.isEmpty ? load : "(\(convert) \(load))"
                result.append(shape.replacing("L", with: load).replacing("V", with: value))
            }
        }
        return result + others
    }()

    static var module: String {
        var functions = ""
        for (k, body) in cases.enumerated() {
            functions += """
                  (func $case\(k) (param $argc i32) (local $u i32) (local $i i32)
                    \(body)
                    (call $print (i32.const 7)))

                """
        }
        let table = "(table \(cases.count) funcref)\n(elem (i32.const 0) \((0..<cases.count).map { "$case\($0)" }.joined(separator: " ")))"
        return """
            (module
              (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
            \(Harness.prelude)
              (type $case (func (param i32)))
              \(table)
            \(functions)
              (func (export "_start")
                (drop (call $args_sizes_get (i32.const 100) (i32.const 104)))
                (call_indirect (type $case) (i32.sub (i32.load (i32.const 100)) (i32.const 1))
                               (i32.sub (i32.load (i32.const 100)) (i32.const 1)))))
            """
    }

    @Test func guardModeKeepsEveryTrap() throws {
        let wat = Self.module
        let checked = try Harness.build(wat)
        let guarded = try Harness.build(wat, options: W2COptions(boundsMode: .guardPages))
        defer {
            for exe in [checked, guarded] {
                try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: exe).deletingLastPathComponent().path)
            }
        }
        var traps = 0
        for k in Self.cases.indices {
            let args = Array(repeating: "x", count: k)
            // Under timeout(1): a case that spins instead of trapping fails (status 124), never hangs.
            let a = try Harness.run("/usr/bin/timeout", args: ["20", checked] + args)
            let b = try Harness.run("/usr/bin/timeout", args: ["20", guarded] + args)
            #expect(!a.signaled && !b.signaled, "case \(k): \(Self.cases[k])")
            #expect(a.status == b.status && a.stdout == b.stdout && a.stderr == b.stderr,
                    "case \(k): \(Self.cases[k])\ncheck: \(a.status) \(a.stdout) \(a.stderr)\nguard: \(b.status) \(b.stdout) \(b.stderr)")
            if a.status == 2 { traps += 1 }
        }
        // Every case but the last traps: each access is out of bounds.
        #expect(traps == Self.cases.count - 1)
        print("guard-mode differential: \(Self.cases.count) hostile cases, \(traps) traps, identical in both modes")
    }
}
