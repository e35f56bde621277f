import Foundation
import Testing
import ZongDriver

/// The command line as a user meets it: help, version, completions, --verbose, and every
/// failure case as exactly one clear line with the right exit status and no backtrace.
@Suite struct CommandLineTests {
    static let hello = ZongBinary.packageRoot.appendingPathComponent("Examples/hello.zong").path

    /// Output and source names of every shape, relative and absolute, in the current directory
    /// (one-letter names once crashed Foundation's path code).
    @Test(arguments: ["h", "ab", "./h", "out/x", "x.c"])
    func outputNamesOfEveryShape(_ name: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zong-names-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("out"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("print(1);\n".utf8).write(to: dir.appendingPathComponent("p.zong"))
        let build = try ZongBinary.run(["build", "p.zong", "-o", name], directory: dir)
        #expect(build.status == 0, "stderr: \(build.stderr)")
        let run = try ZongBinary.runProgram(dir.appendingPathComponent(name).path, [])
        #expect(run.stdout == Data("1\n".utf8))
        for command in ["emit-wasm", "emit-c"] {
            let r = try ZongBinary.run([command, "p.zong"], directory: dir)
            #expect(r.status == 0, "\(command): \(r.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("p.wasm").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("p.c").path))
    }

    /// A snippet of statements with a mistake reports the mistake, not "unexpected token 'VAR' in
    /// expression" from reading it as an expression.
    @Test func evalReportsTheStatementError() throws {
        let bad = try ZongBinary.run(["eval", "var x: I64 = @;"])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("<eval>:1:14: error: unexpected character '@'\n"), "stderr: \(bad.stderr)")
        let good = try ZongBinary.run(["eval", "var x: I64 = 6; print(x * 7);"])
        #expect(good.status == 0 && good.stdout == Data("42\n".utf8), "stderr: \(good.stderr)")
        let expression = try ZongBinary.run(["eval", "print(6 * 7)"])
        #expect(expression.stdout == Data("42\n".utf8), "stderr: \(expression.stderr)")
    }

    /// `emit-wasm` takes the options that shape the module, so it writes the module `build` and
    /// `run --interp` use: the tstack size moves the data, the memory limit is the declared maximum.
    @Test func emitWasmTakesTheModuleOptions() throws {
        let plain = try ZongBinary.run(["emit-wasm", Self.hello, "-o", "-"])
        let sized = try ZongBinary.run(["emit-wasm", Self.hello, "-o", "-", "--tstack-size", "65536"])
        let capped = try ZongBinary.run(["emit-wasm", Self.hello, "-o", "-", "--max-memory", "16777216"])
        #expect(plain.status == 0 && sized.status == 0 && capped.status == 0, "\(sized.stderr)\(capped.stderr)")
        #expect(sized.stdout != plain.stdout && capped.stdout != plain.stdout && sized.stdout != capped.stdout)
        // The memory section (id 5): one memory, limits flag 1 (has a maximum), the minimum, then
        // the maximum: 16 MiB is 256 pages, LEB128 0x80 0x02.
        let memory = Self.section(5, of: [UInt8](capped.stdout)) ?? []
        #expect(memory.count >= 5 && memory[0] == 1 && memory[1] == 1 && Array(memory.suffix(2)) == [0x80, 0x02],
                "memory section \(memory)")
    }

    /// The contents of section `id` of a WebAssembly module.
    static func section(_ id: UInt8, of module: [UInt8]) -> [UInt8]? {
        var i = 8
        while i < module.count {
            let sectionID = module[i]
            i += 1
            var size = 0, shift = 0
            while i < module.count {
                let b = module[i]
                i += 1
                size |= Int(b & 0x7F) << shift
                shift += 7
                if b & 0x80 == 0 { break }
            }
            if sectionID == id { return Array(module[i..<min(i + size, module.count)]) }
            i += size
        }
        return nil
    }

    @Test func emptyOutputPath() throws {
        expectOneLine(try ZongBinary.run(["build", Self.hello, "-o", ""]), status: 64, "zong: error: empty output path")
    }

    @Test func unknownFile() throws {
        for command in ["check", "build", "run", "emit-wasm", "emit-c", "bench"] {
            let r = try ZongBinary.run([command, "/nonexistent/prog.zong"])
            expectOneLine(r, status: 66, "zong: error: no such file: /nonexistent/prog.zong")
        }
    }

    @Test func unreadableFile() throws {
        let dir = ZongBinary.temporaryDirectory()
        let path = dir.appendingPathComponent("secret.zong").path
        if getuid() == 0 {
            // root reads any file whatever its mode; this one fails to read for everyone.
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/proc/self/mem")
        } else {
            try Data("func main() {}".utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, 0)
        }
        for command in ["check", "build", "run"] {
            expectOneLine(try ZongBinary.run([command, path]), status: 66, "zong: error: cannot read \(path)")
        }
    }

    @Test func directory() throws {
        let dir = ZongBinary.temporaryDirectory().appendingPathComponent("dir.zong")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for command in ["check", "build", "run"] {
            expectOneLine(try ZongBinary.run([command, dir.path]), status: 66, "zong: error: \(dir.path) is a directory")
        }
    }

    /// Rejected rather than guessed at: `zong build prog` would otherwise write its output over
    /// the source file.
    @Test func missingExtension() throws {
        let path = try ZongBinary.write("func main() { print(1); }", as: "prog")
        for command in ["check", "build", "run"] {
            expectOneLine(try ZongBinary.run([command, path]), status: 64, "zong: error: \(path) is not a .zong file")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "func main() { print(1); }")
    }

    @Test func outputInAMissingDirectory() throws {
        for command in ["build", "emit-wasm", "emit-c"] {
            let r = try ZongBinary.run([command, Self.hello, "-o", "/nonexistent/dir/out"])
            expectOneLine(r, status: 73, "zong: error: cannot write /nonexistent/dir/out: directory /nonexistent/dir does not exist")
        }
        let r = try ZongBinary.run(["build", Self.hello, "-o", NSTemporaryDirectory()])
        expectOneLine(r, status: 73, "zong: error: cannot write")
    }

    @Test func noCCompiler() throws {
        let out = ZongBinary.temporaryDirectory().appendingPathComponent("hello").path
        let r = try ZongBinary.run(["build", Self.hello, "-o", out], environment: ["CC": "/nonexistent/cc"])
        expectOneLine(r, status: 69, "zong: error: C compiler '/nonexistent/cc' (from CC) not found")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func noInterpreter() throws {
        let env = ["ZONG_WASMKIT": "/nonexistent/wasmkit", "PATH": "/usr/bin:/bin"]
        for arguments in [["run", "--interp", Self.hello], ["eval", "--interp", "print(1)"], ["bench", Self.hello]] {
            let r = try ZongBinary.run(arguments, environment: env)
            expectOneLine(r, status: 69, "zong: error: the wasmkit interpreter was not found")
        }
    }

    @Test func notAWebAssemblyModule() throws {
        expectOneLine(try ZongBinary.run(["w2c", Self.hello, "-o", "-"]), status: 65,
                      "zong: error: \(Self.hello) is not a WebAssembly module")
        expectOneLine(try ZongBinary.run(["w2c", "/nonexistent.wasm"]), status: 66, "zong: error: cannot read /nonexistent.wasm")
    }

    /// A module W2C cannot translate (truncated, malformed, ill-typed) is a compile error, exit 1,
    /// with the byte offset of the problem (issue 19); it was 70, then 65.
    @Test func malformedModuleIsACompileError() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Magic and version, then a type section whose declared size runs past the end.
        try Data([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x01]).write(to: dir.appendingPathComponent("t.wasm"))
        // A function `() -> i32` whose body is `end` with nothing on the stack.
        try Data([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,
                  0x03, 0x02, 0x01, 0x00, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B]).write(to: dir.appendingPathComponent("i.wasm"))
        for name in ["t.wasm", "i.wasm"] {
            let r = try ZongBinary.run(["w2c", name, "-o", "out.c"], directory: dir)
            expectOneLine(r, status: 1, "zong w2c: error: invalid module: ")
            #expect(r.stderr.contains("byte offset"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.c").path))
        }
    }

    @Test func badArgumentsAreUsageErrors() throws {
        let cases: [[String]] = [["frobnicate"], ["build"], ["build", Self.hello, "-O7"], ["build", Self.hello, "--bounds=maybe"],
                                 ["run", Self.hello, "--tstack-size", "0"], ["bench", Self.hello, "--runs", "many"]]
        for arguments in cases {
            let r = try ZongBinary.run(arguments)
            #expect(r.status == 64, "\(arguments): status \(r.status)")
            #expect(r.stderr.hasPrefix("Error: "), "\(arguments): \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"))
        }
    }

    /// `-O2` given to a subcommand without an optimization level is reported as typed; it used
    /// to be rewritten first and reported as an unknown `--opt`.
    @Test func optimizationLevelWhereThereIsNone() throws {
        for subcommand in ["check", "emit-wasm"] {
            let r = try ZongBinary.run([subcommand, Self.hello, "-O2"])
            #expect(r.status == 64, "\(subcommand): status \(r.status)")
            #expect(r.stderr.hasPrefix("Error: Unknown option '-O2'"), "\(subcommand): \(r.stderr)")
        }
        let r = try ZongBinary.run(["eval", "-O3", "print(7)"])
        #expect(r.status == 0 && r.stdoutText == "7\n", "\(r.stderr)")
    }

    @Test func runtimeErrorsExitWithTwo() throws {
        let path = try ZongBinary.write("func main() { var s: I64[]; print(s[5]); }")
        for interp in [false, true] {
            let r = try ZongBinary.run(["run", path] + (interp ? ["--interp"] : []))
            #expect(r.status == 2)
            #expect(r.stderr.hasPrefix("zong: runtime error: index out of range [5] with length 0"), "\(r.stderr)")
        }
        // A trap only the machine sees names the function, natively and under wasmkit alike.
        let deep = try ZongBinary.write("""
            func down(_ n: I64): I64 { return down(n + 1) + 1; }
            func main() { print(down(0)); }
            """)
        for interp in [false, true] {
            let r = try ZongBinary.run(["run", deep] + (interp ? ["--interp"] : []))
            #expect(r.status == 2)
            #expect(r.stderr == "zong: runtime error: stack overflow in function down\n", "interp \(interp): \(r.stderr)")
        }
    }

    /// --max-memory is the module's declared maximum too, so the interpreter stops where the
    /// native runtime does (README "Limits").
    @Test func maxMemoryLimitsBothModes() throws {
        let path = try ZongBinary.write("""
            func main() {
                var s: I64[];
                loop { append(s&, 1); }
            }
            """)
        for interp in [false, true] {
            let r = try ZongBinary.run(["run", path, "--max-memory", "16777216"] + (interp ? ["--interp"] : []), timeout: 60)
            #expect(r.status == 2)
            #expect(r.stderr == "zong: runtime error: out of memory at \(path):3:12\n", "interp \(interp)")
        }
    }

    @Test func versionHelpAndCompletions() throws {
        let version = try ZongBinary.run(["--version"])
        #expect(version.status == 0 && version.stdoutText == ZongVersion.string + "\n")

        let help = try ZongBinary.run(["--help"])
        #expect(help.status == 0)
        for word in ["Examples:", "check", "build", "run", "eval", "emit-wasm", "emit-c", "w2c", "bench",
                     "--generate-completion-script", "Exit status"] {
            #expect(help.stdoutText.contains(word), "zong --help lacks \(word)")
        }
        for sub in ["check", "build", "run", "eval", "emit-wasm", "emit-c", "w2c", "bench"] {
            let r = try ZongBinary.run(["help", sub])
            #expect(r.status == 0)
            #expect(r.stdoutText.contains("Examples:") && r.stdoutText.contains("zong \(sub) "), "zong help \(sub):\n\(r.stdoutText)")
        }
        for shell in ["bash", "zsh", "fish"] {
            let r = try ZongBinary.run(["--generate-completion-script", shell])
            #expect(r.status == 0 && r.stdoutText.contains("emit-wasm") && r.stdoutText.contains("--interp"), "\(shell)")
        }
    }

    /// `--verbose`: a line when the C compiler starts (the longest step of a large build), then
    /// one line per phase and output, the numbers right-aligned in one column.
    @Test func verbosePhaseTimesLineUp() throws {
        let out = ZongBinary.temporaryDirectory().appendingPathComponent("hello").path
        let r = try ZongBinary.run(["build", Self.hello, "-o", out, "--verbose"])
        #expect(r.status == 0, "\(r.stderr)")
        let all = r.stderr.split(separator: "\n").map(String.init)
        #expect(all.first?.hasPrefix("zong: compiling ") == true && all.first?.hasSuffix(" bytes of C with -O2") == true, "\(r.stderr)")
        let lines = Array(all.dropFirst())
        let names = lines.compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
        // The IR pipeline: lowering, one line per pass that ran ("pass NAME"), the back end.
        #expect(names.filter { $0 != "pass" } == ["parse", "check", "lower", "codegen", "encode", "w2c", "cc", "link", "total", "wasm", "c", "executable"],
                "\(r.stderr)")
        #expect(lines.contains { $0.hasPrefix("zong: pass promote-slots ") }, "\(r.stderr)")
        let numberEnds = Set(lines.map { line in
            line.range(of: " ms") ?? line.range(of: " bytes")
        }.map { $0.map { lines[0].distance(from: lines[0].startIndex, to: $0.lowerBound) } ?? -1 })
        #expect(lines.allSatisfy { $0.hasPrefix("zong: ") })
        #expect(numberEnds.count == 1 && !numberEnds.contains(-1), "misaligned:\n\(r.stderr)")
        let size = try FileManager.default.attributesOfItem(atPath: out)[.size] as? Int
        let reported = lines.last?.split(separator: " ").dropLast().last.map { $0.replacingOccurrences(of: ",", with: "") }
        #expect(reported == size.map(String.init), "the executable's size is its real size")
    }
}
