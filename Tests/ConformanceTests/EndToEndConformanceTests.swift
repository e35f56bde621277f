import Foundation
import Testing

/// Every conformance case through the real binary: execute cases natively and under the
/// interpreter (same stdout byte for byte, exit 0); compile-error cases exit 1 with every
/// expected message and produce no output file.
@Suite struct EndToEndConformanceTests {
    @Test(arguments: ConformanceFiles.all)
    func endToEnd(_ c: ConformanceCase) throws {
        try #require(ZongProcess.executable != nil, "zong binary not built")
        let dir = ZongProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sourcePath = dir.appendingPathComponent("test.zong").path
        try c.source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        // A zong-expr case is `zong eval EXPR`; a program is `zong run FILE`.
        func invocation(_ mode: [String]) -> [String] {
            c.form == .expression ? ["eval"] + mode + [c.source] : ["run"] + mode + [sourcePath]
        }
        switch c.expectation {
        case .execute(let expected):
            let native = try ZongProcess.run(invocation([]), stdin: c.stdin)
            #expect(native.stdoutText == expected, "native stdout; stderr: \(native.stderr)")
            #expect(native.status == 0, "native exit status; stderr: \(native.stderr)")
            let interpreted = try ZongProcess.run(invocation(["--interp"]), stdin: c.stdin)
            #expect(interpreted.stdoutText == expected, "interpreted stdout; stderr: \(interpreted.stderr)")
            #expect(interpreted.status == 0, "interpreted exit status; stderr: \(interpreted.stderr)")
        case .compileError(let lines):
            let output = dir.appendingPathComponent("out").path
            let result = c.form == .expression
                ? try ZongProcess.run(["eval", c.source])
                : try ZongProcess.run(["build", sourcePath, "-o", output])
            #expect(result.status == 1, "stderr: \(result.stderr)")
            for line in lines {
                #expect(result.stderr.contains("error: \(line)\n"), "missing '\(line)' in \(result.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: output), "an output file was written")
        }
    }
}
