import Foundation
import Testing
import W2C
import ZongDriver
import ZongSyntax

/// The C that W2C writes for every conformance program compiles without a warning under
/// `-Wall -Wextra -Werror`, and runs clean under UndefinedBehaviorSanitizer and AddressSanitizer
/// (which abort on the first report), printing the expected output.
@Suite struct SanitizedCTests {
    static let executeCases = ConformanceFiles.all.filter {
        if case .execute = $0.expectation { return true }
        return false
    }

    @Test(arguments: executeCases)
    func warningFreeAndSanitizerClean(_ c: ConformanceCase) throws {
        guard case .execute(let expected) = c.expectation else { return }
        guard (try? findCCompiler()) != nil else {
            print("SanitizedCTests: no C compiler; skipped")
            return
        }
        var pipeline = Pipeline(options: CompileOptions())
        let file = SourceFile(name: "test.zong", bytes: Array(c.source.utf8))
        let program = try pipeline.check(file, form: c.form == .expression ? .expression : .program)
        let cSource = try pipeline.c(pipeline.encode(pipeline.wasm(program)))

        let dir = ZongProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = dir.appendingPathComponent("prog").path
        var options = NativeBuildOptions()
        options.runtimeSources = runtimeCSources
        options.warningsAsErrors = true
        options.sanitize = "undefined,address"
        options.extraFlags = ["-fno-sanitize-recover=all"]
        _ = try buildNativeExecutable(cSource: cSource, output: binary, options: options)

        // ASan reserves terabytes of shadow memory; leak checking adds nothing for a sandbox.
        var environment = ProcessInfo.processInfo.environment
        environment["ASAN_OPTIONS"] = "detect_leaks=0"
        let result = try ZongProcess.runProgram(binary, [], stdin: Data(c.stdin.utf8), environment: environment)
        #expect(result.stdoutText == expected, "stderr: \(result.stderr)")
        #expect(result.status == 0, "stderr: \(result.stderr)")
    }
}
