import Foundation
import Testing

@testable import W2C
import Wasm

/// WASM nested thousands of levels deep (built as bytes: wat2wasm's own recursion is not under
/// test) still makes C that clang accepts: past `FunctionWriter.maxBraceDepth` open braces an
/// `if` is written with gotos, and indentation stops growing at `CWriter.maxIndent`.
@Suite(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) struct DeepNestingTests {
    static func leb(_ value: Int) -> [UInt8] { Wasm.LEB128.unsigned(UInt64(value)) }
    /// Signed LEB128, for i32.const.
    static func sleb(_ value: Int) -> [UInt8] { Wasm.LEB128.signed(Int64(value)) }

    static func section(_ id: UInt8, _ content: [UInt8]) -> [UInt8] { [id] + leb(content.count) + content }
    static func vector(_ items: [[UInt8]]) -> [UInt8] { leb(items.count) + items.flatMap { $0 } }
    static func name(_ s: String) -> [UInt8] { leb(s.utf8.count) + Array(s.utf8) }

    static let chainArms = 3000, depth = 5000
    static func armValue(_ k: Int) -> Int { (k * 7 + 3) % 200 }

    /// A module whose `_start` calls proc_exit with one bit set per failed check:
    /// `$chain(x)`: an if/else-if chain of `chainArms` arms with results (`armValue(x)`, else 255);
    /// `$blocks`: `depth` nested blocks, a `br_if` out of the innermost 3000 levels, and an
    /// increment after every block (2000 of them run); `$ifs(x)`: `depth` nested ifs without
    /// else, each entered while `x > level` and counting (min(x, depth)).
    static func module() -> [UInt8] {
        var chain: [UInt8] = [0]  // no locals
        for k in 0..<chainArms {
            chain += [0x20, 0x00, 0x41] + sleb(k) + [0x46, 0x04, 0x7f, 0x41] + sleb(armValue(k)) + [0x05]
        }
        chain += [0x41] + sleb(255)
        chain += [UInt8](repeating: 0x0b, count: chainArms + 1)

        var blocks: [UInt8] = [1, 1, 0x7f]  // one i32 local
        for _ in 0..<depth { blocks += [0x02, 0x40] }
        blocks += [0x41, 0x01, 0x0d] + leb(3000)
        for _ in 0..<depth { blocks += [0x0b, 0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01] }
        blocks += [0x20, 0x01, 0x0b]

        var ifs: [UInt8] = [1, 1, 0x7f]
        for k in 0..<depth {
            ifs += [0x20, 0x00, 0x41] + sleb(k) + [0x4b, 0x04, 0x40, 0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01]
        }
        ifs += [UInt8](repeating: 0x0b, count: depth)
        ifs += [0x20, 0x01, 0x0b]

        // (function index, argument, expected)
        let checks = [(1, 0, armValue(0)), (1, 1234, armValue(1234)), (1, chainArms - 1, armValue(chainArms - 1)),
                      (1, chainArms + 5, 255), (2, 0, 2000), (3, 4321, 4321), (3, 7000, depth)]
        var start: [UInt8] = [0, 0x41, 0x00]
        for (bit, (f, arg, expected)) in checks.enumerated() {
            start += [0x41] + sleb(arg) + [0x10] + leb(f) + [0x41] + sleb(expected) + [0x47]
            start += [0x41] + sleb(bit) + [0x74, 0x72]  // shl, or
        }
        start += [0x10, 0x00, 0x0b]

        let i32: UInt8 = 0x7f
        var m: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
        m += section(1, vector([[0x60, 1, i32, 0], [0x60, 1, i32, 1, i32], [0x60, 0, 0]]))
        m += section(2, vector([name("wasi_snapshot_preview1") + name("proc_exit") + [0x00, 0x00]]))
        m += section(3, vector([[1], [1], [1], [2]]))
        m += section(7, vector([name("_start") + [0x00, 0x03]]))
        m += section(10, vector([chain, blocks, ifs, start].map { leb($0.count) + $0 }))
        return m
    }

    @Test func thousandsOfLevels() throws {
        let c = try translate(wasm: Self.module())
        // The C nests no deeper than the brace limit (plus a few for the function itself).
        var depth = 0, deepest = 0
        for b in c.utf8 {
            if b == UInt8(ascii: "{") { depth += 1; deepest = max(deepest, depth) }
            if b == UInt8(ascii: "}") { depth -= 1 }
        }
        #expect(deepest <= FunctionWriter.maxBraceDepth + 4)
        #expect(c.contains("_else:;"))
        // Readable nesting is kept below the limit.
        #expect(c.contains("} else {"))
        // Linear size: the indentation is capped.
        let longest = c.utf8.split(separator: UInt8(ascii: "\n")).map(\.count).max() ?? 0
        #expect(longest <= 4 * CWriter.maxIndent + 100)
        let exe = try Harness.buildC(c, optimization: "-O0")
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: exe).deletingLastPathComponent().path) }
        let r = try Harness.run(exe)
        #expect(r.status == 0, "failed checks (bit mask): \(r.status); stderr: \(r.stderr)")
    }
}
