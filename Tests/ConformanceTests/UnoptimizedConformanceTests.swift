import Foundation
import Testing

/// Every execute case through the real binary at -O0: the IR as lowered (no pass) meets the
/// back end, natively and under the interpreter, as the optimized IR does in
/// EndToEndConformanceTests (which also validates the module `emit-wasm` writes).
@Suite struct UnoptimizedConformanceTests {
    static var executeCases: [ConformanceCase] {
        ConformanceFiles.all.filter {
            if case .execute = $0.expectation { return true }
            return false
        }
    }

    @Test(arguments: executeCases)
    func withoutPasses(_ c: ConformanceCase) throws {
        try #require(ZongProcess.executable != nil, "zong binary not built")
        guard case .execute(let expected) = c.expectation else { return }
        let dir = ZongProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sourcePath = dir.appendingPathComponent("test.zong").path
        try c.source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        func invocation(_ flags: [String]) -> [String] { c.invocation(flags, sourcePath: sourcePath) }
        let native = try ZongProcess.run(invocation(["-O0"]), stdin: c.stdin)
        #expect(native.stdoutText == expected, "native stdout; stderr: \(native.stderr)")
        #expect(native.status == 0, "native exit status; stderr: \(native.stderr)")
        let interpreted = try ZongProcess.run(invocation(["-O0", "--interp"]), stdin: c.stdin)
        #expect(interpreted.stdoutText == expected, "interpreted stdout; stderr: \(interpreted.stderr)")
        #expect(interpreted.status == 0, "interpreted exit status; stderr: \(interpreted.stderr)")
    }
}
