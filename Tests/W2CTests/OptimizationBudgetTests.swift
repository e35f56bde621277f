import Foundation
import Testing
@testable import W2C

/// A function too large for the C compiler's optimizer to finish in bounded time is written
/// with `optnone` and reported; every other function is left to -O2.
@Suite(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) struct OptimizationBudgetTests {
    /// `_start` with `count` if-blocks over `count` locals, and a small helper.
    static func module(_ count: Int) -> String {
        let locals = (0..<count).map { "(local $v\($0) i32)" }.joined(separator: " ")
        let body = (0..<count).map { i in
            "(local.set $v\(i) (i32.const \(i % 3)))\n"
                + "(if (i32.gt_s (local.get $v\(i)) (i32.const 1)) (then (local.set $v\(i) (call $twice (local.get $v\(i))))))\n"
                + "(local.set $sum (i32.add (local.get $sum) (local.get $v\(i))))"
        }.joined(separator: "\n")
        return Harness.program("\(locals) (local $sum i32)\n\(body)\n(call $print (local.get $sum))",
                               extra: "(func $twice (param $x i32) (result i32) (i32.mul (local.get $x) (i32.const 2)))")
    }

    @Test func aFunctionOverTheBudgetIsCompiledWithoutOptimization() throws {
        let wasm = try Harness.assemble(Self.module(300))
        var options = W2COptions()
        options.optimizedFunctionBudget = 10_000
        let translation = try translateModule(wasm: wasm, options: options)
        // 302 variables (the locals and at least one stack slot) times 300 blocks: over 10,000.
        #expect(translation.unoptimizedFunctions.map(\.blocks) == [300], "\(translation.unoptimizedFunctions)")
        #expect(translation.unoptimizedFunctions.first.map { $0.variables > 300 } == true)
        let c = String(decoding: translation.c, as: UTF8.self)
        #expect(c.components(separatedBy: "__attribute__((optnone, noinline))").count == 2)
        // It compiles warning-free (the harness uses -Wall -Wextra -Werror) and computes the same.
        let exe = try Harness.buildC(c)
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: exe).deletingLastPathComponent().path) }
        let expected = (0..<300).map { $0 % 3 == 2 ? 4 : $0 % 3 }.reduce(0, +)
        #expect(try Harness.run(exe).stdout == "\(expected)\n")
        // Under the default budget the same function is optimized.
        #expect(try translateModule(wasm: wasm).unoptimizedFunctions.isEmpty)
    }
}
