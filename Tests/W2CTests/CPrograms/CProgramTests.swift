import Foundation
import Testing

@testable import W2C

/// A clang that targets wasm32-wasi with a wasi-libc sysroot, found once per test run.
enum WasiToolchain {
    struct Setup {
        var clang: String
        /// Flags for compiling and linking a C file into a wasm32-wasi command module.
        var flags: [String]
        var linkTail: [String]
        var wasmkit: String?
    }

    static let installHint =
        "no wasm32-wasi C toolchain: install Debian's wasi-libc and libclang-rt-dev-wasm32 "
        + "(apt-get install wasi-libc libclang-rt-dev-wasm32) or set WASI_SYSROOT to a wasi-sdk sysroot"

    static func executable(_ path: String) -> String? {
        FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    static func onPath(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            if let p = executable("\(dir)/\(name)") { return p }
        }
        return nil
    }

    /// The toolchain, or why there is none.
    static let setup: Result<Setup, Harness.Failure> = {
        let env = ProcessInfo.processInfo.environment
        let fm = FileManager.default
        // A sysroot: $WASI_SYSROOT, wasi-sdk's layout, or Debian's wasi-libc (headers in
        // /usr/include/wasm32-wasi, libraries in /usr/lib/wasm32-wasi).
        var sysroot: String?
        for candidate in [env["WASI_SYSROOT"], "/usr/share/wasi-sysroot", "/opt/wasi-sdk/share/wasi-sysroot", "/usr"] {
            if let c = candidate, fm.fileExists(atPath: c + "/lib/wasm32-wasi/libc.a") {
                sysroot = c
                break
            }
        }
        guard let sysroot else { return .failure(Harness.Failure(description: installHint)) }
        var compilers: [String] = []
        if let c = env["WASI_CC"] { compilers.append(c) }
        compilers += ["/opt/swift/usr/bin/clang"]
        if let c = onPath("clang") { compilers.append(c) }
        let wasmkit = onPath("wasmkit") ?? executable("/opt/swift/usr/bin/wasmkit")

        var lastError = ""
        for clang in compilers where executable(clang) != nil {
            guard let dir = try? Harness.tempDir() else { break }
            defer { try? fm.removeItem(atPath: dir) }
            let base = ["--target=wasm32-wasi", "--sysroot=\(sysroot)", "-O2"]
            // clang's own compiler-rt for wasm32 when it has one, else Debian's
            // libclang-rt-dev-wasm32 archive passed explicitly.
            var tails: [[String]] = [["-lm"]]
            let llvm = "/usr/lib"
            for version in ((try? fm.contentsOfDirectory(atPath: llvm)) ?? []).filter({ $0.hasPrefix("llvm-") }).sorted().reversed() {
                let clangDir = "\(llvm)/\(version)/lib/clang"
                for v in (try? fm.contentsOfDirectory(atPath: clangDir)) ?? [] {
                    let a = "\(clangDir)/\(v)/lib/wasi/libclang_rt.builtins-wasm32.a"
                    if fm.fileExists(atPath: a) { tails.append(["-nodefaultlibs", "-lc", "-lm", a]) }
                }
            }
            let probe = "#include <stdio.h>\nint main(void) { printf(\"%.2f\\n\", 1.5); return 0; }\n"
            guard (try? probe.write(toFile: dir + "/p.c", atomically: true, encoding: .utf8)) != nil else { break }
            for tail in tails {
                guard let r = try? Harness.run(clang, args: base + [dir + "/p.c", "-o", dir + "/p.wasm"] + tail,
                                               env: ["PATH": "/usr/bin:/bin"])
                else { continue }
                if r.status == 0 { return .success(Setup(clang: clang, flags: base, linkTail: tail, wasmkit: wasmkit)) }
                lastError = String(r.stderr.prefix(400))
            }
        }
        return .failure(Harness.Failure(description: installHint + (lastError.isEmpty ? "" : "\n(last error: \(lastError))")))
    }()

    static var available: Bool { (try? setup.get()) != nil }
    static var skipMessage: Comment {
        if case .failure(let f) = setup { return Comment(rawValue: f.description) }
        return ""
    }
}

/// C programs compiled by clang to wasm32-wasi with wasi-libc, translated by W2C and built with
/// runtime-c, print the same bytes (stdout and stderr) and exit with the same status as the same
/// C built natively, and as the module run by wasmkit.
@Suite(.enabled(if: WasiToolchain.available, WasiToolchain.skipMessage)) struct CProgramTests {
    static let env = ["ZONG_GREETING": "hi"]

    @Test(arguments: CPrograms.all) func matchesNativeAndInterpreter(_ program: CProgram) throws {
        let toolchain = try WasiToolchain.setup.get()
        let dir = try Harness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let src = dir + "/\(program.name).c"
        try program.source.write(toFile: src, atomically: true, encoding: .utf8)

        // The reference: the same C built for the host.
        let cc = try findCCompiler()
        let native = try Harness.run(cc[0], args: Array(cc.dropFirst()) + ["-std=c11", "-O2", "-w", src, "-o", dir + "/native", "-lm"],
                                     env: ["PATH": "/usr/bin:/bin"])
        guard native.status == 0 else { throw Harness.Failure(description: "native build: \(native.stderr)") }

        // C -> wasm32-wasi -> W2C -> runtime-c.
        let wasmPath = dir + "/\(program.name).wasm"
        let wasmBuild = try Harness.run(toolchain.clang, args: toolchain.flags + [src, "-o", wasmPath] + toolchain.linkTail,
                                        env: ["PATH": "/usr/bin:/bin"])
        guard wasmBuild.status == 0 else { throw Harness.Failure(description: "wasm32-wasi build: \(wasmBuild.stderr)") }
        let wasm = Array(try Data(contentsOf: URL(fileURLWithPath: wasmPath)))
        let c = try translate(wasm: wasm)
        let exe = try Harness.buildC(c)  // -Wall -Wextra -Werror

        let expected = try Harness.run(dir + "/native", args: program.args, stdin: program.stdin, env: Self.env)
        #expect(!expected.stdout.isEmpty)
        let translated = try Harness.run(exe, args: program.args, stdin: program.stdin, env: Self.env)
        #expect(translated.stdout == expected.stdout, "\(program.name): stdout differs from native")
        #expect(translated.stderr == expected.stderr, "\(program.name): stderr differs from native")
        #expect(translated.status == expected.status, "\(program.name): exit status \(translated.status), native \(expected.status)")

        if let reason = program.notUnderWasmkit {
            print("C program \(program.name): compared with native only (\(reason))")
            return
        }
        guard let wasmkit = toolchain.wasmkit else {
            print("C program \(program.name): wasmkit not found, compared with native only")
            return
        }
        let envArgs = Self.env.flatMap { ["--env", "\($0.key)=\($0.value)"] }
        let interpreted = try Harness.run(wasmkit, args: ["run"] + envArgs + [wasmPath] + program.args, stdin: program.stdin,
                                          env: ["PATH": "/usr/bin:/bin"])
        #expect(interpreted.stdout == translated.stdout, "\(program.name): stdout differs from wasmkit")
        #expect(interpreted.stderr == translated.stderr, "\(program.name): stderr differs from wasmkit")
        #expect(interpreted.status == translated.status, "\(program.name): exit status \(translated.status), wasmkit \(interpreted.status)")
    }
}
