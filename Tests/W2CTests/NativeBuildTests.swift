import Foundation
import Testing

@testable import W2C

/// NativeBuild (Sources/ZongDriver/NativeBuild.swift, compiled into this target): the runtime
/// cache, the static link, and its errors.
@Suite(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) struct NativeBuildTests {
    @Test func runtimeIsBuiltOnceThenCachedAndBinaryIsStatic() throws {
        let c = try translate(wasm: try Harness.assemble(Harness.program("(call $print (i32.const 5))")))
        let dir = try Harness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = NativeBuildOptions()
        options.cacheDirectory = dir + "/cache"
        options.runtimeSources = runtimeCSources
        let first = try buildNativeExecutable(cSource: c, output: dir + "/a", options: options)
        let second = try buildNativeExecutable(cSource: c, output: dir + "/b", options: options)
        #expect(!first.runtimeCached)
        #expect(second.runtimeCached)
        #expect(second.runtimeDirectory == first.runtimeDirectory)
        #expect(second.executableBytes > 0)
        #expect(second.commands.count == 2)
        #expect(second.commands[1].contains("-static"))
        #expect(second.commands[0].contains("-fno-optimize-sibling-calls"))
        // A static ELF has no program interpreter.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/b"))
        #expect(bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46]))
        #expect(bytes.range(of: Data("/lib64/ld-linux".utf8)) == nil)
        let r = try Harness.run(dir + "/b")
        #expect(r.stdout == "5\n")

        // Different runtime sources: a different cache entry.
        var changed = options
        changed.runtimeSources["zong_rt.h"] = (runtimeCSources["zong_rt.h"] ?? "") + "\n/* changed */\n"
        let third = try buildNativeExecutable(cSource: c, output: dir + "/c", options: changed)
        #expect(!third.runtimeCached)
        #expect(third.runtimeDirectory != first.runtimeDirectory)
    }

    @Test func runtimeFoundOnDiskWithoutEmbeddedSources() throws {
        let c = try translate(wasm: try Harness.assemble(Harness.program("(call $print (i32.const 6))")))
        let dir = try Harness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = NativeBuildOptions()
        options.cacheDirectory = Harness.cacheDirectory
        let report = try buildNativeExecutable(cSource: c, output: dir + "/a", options: options)
        #expect(report.executableBytes > 0)
        #expect(try Harness.run(dir + "/a").stdout == "6\n")
    }

    @Test func errorsNameTheProblem() throws {
        var options = NativeBuildOptions()
        options.cc = "/nonexistent/clang"
        #expect(throws: NativeBuildError.self) {
            _ = try buildNativeExecutable(cSource: "int main(void) { return 0; }", output: "/tmp/never", options: options)
        }
        options.cc = nil
        options.cacheDirectory = Harness.cacheDirectory
        options.runtimeSources = runtimeCSources
        do {
            _ = try buildNativeExecutable(cSource: "this is not C", output: "/tmp/never", options: options)
            Issue.record("compiled garbage")
        } catch let error as NativeBuildError {
            #expect(error.message.contains("compiling the C failed"))
        }
    }

    /// Modules the translator accepts must give C that compiles cleanly, whatever their shape:
    /// random mutations of a valid module, checked with clang -fsyntax-only -Wall -Wextra -Werror.
    @Test func acceptedMutantsCompileCleanly() throws {
        let wasm = try Harness.assemble(Harness.program("""
            (call $print (i32.div_s (i32.const 7) (i32.const 2)))
            (call $print_i64 (i64.trunc_f64_s (f64.const 3.5)))
            (block $b (result i32) (i32.const 1) (br_table $b $b (i32.const 1)))
            (drop)
            (if (i32.const 1) (then (call $print (i32.const 1))) (else (unreachable)))
            """, extra: "(table 2 funcref) (elem (i32.const 0) $print) (global $g (mut i32) (i32.const 5))"))
        var rng = SplitMix(seed: 42)
        let dir = try Harness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let include = Harness.cacheDirectory + "/include"
        try FileManager.default.createDirectory(atPath: include, withIntermediateDirectories: true)
        try (runtimeCSources["zong_rt.h"] ?? "").write(toFile: include + "/zong_rt.h", atomically: true, encoding: .utf8)
        var files: [String] = []
        var attempts = 0
        while files.count < 40, attempts < 20000 {
            attempts += 1
            var m = wasm
            let at = 8 + Int(rng.next() % UInt64(m.count - 8))
            m[at] = UInt8(truncatingIfNeeded: rng.next())
            guard m != wasm, let c = try? translate(wasm: m) else { continue }
            let path = dir + "/m\(files.count).c"
            try c.write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        #expect(files.count > 10)
        let cc = try findCCompiler()
        for file in files {
            let r = try Harness.run(cc[0], args: ["-std=c11", "-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-I", include, file],
                                    env: ["PATH": "/usr/bin:/bin"])
            #expect(r.status == 0, "\(file): \(r.stderr.prefix(2000))")
        }
    }
}
