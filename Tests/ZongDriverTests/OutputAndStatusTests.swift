import Foundation
import Testing
import ZongDriver

/// Outputs written through (symlinks, FIFOs), outputs that are the input, failed writes to the
/// standard streams, exit statuses of interpreted programs killed by signals, memory limits,
/// the cache directory, compiler failures and the smaller command-line cases: each failure is
/// exactly one `zong: error:` line with the right status and no backtrace.
/// (Special files are made inside temporary directories; no test writes to /dev.)
@Suite struct OutputAndStatusTests {
    static let hello = ZongBinary.packageRoot.appendingPathComponent("Examples/hello.zong").path

    /// Runs `script` under /bin/sh with `$ZONG` set to the binary, in `directory`.
    private func shell(_ script: String, in directory: URL, environment: [String: String] = [:]) throws -> ZongBinary.Result {
        guard let zong = ZongBinary.executable else { throw ZongBinary.NotBuilt() }
        var env = ProcessInfo.processInfo.environment
        env["ZONG"] = zong
        for (k, v) in environment { env[k] = v }
        return try ZongBinary.runProgram("/bin/sh", ["-c", script], environment: env, directory: directory)
    }

    private func isSymlink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }

    @Test func symlinkOutputsAreWrittenThrough() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("print(7);\n".utf8).write(to: dir.appendingPathComponent("p.zong"))
        for (command, link) in [("emit-c", "link.c"), ("emit-wasm", "link.wasm"), ("build", "link")] {
            let target = dir.appendingPathComponent(link + ".target").path
            let path = dir.appendingPathComponent(link).path
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: link + ".target")
            let r = try ZongBinary.run([command, "p.zong", "-o", link], directory: dir)
            #expect(r.status == 0, "\(command): \(r.stderr)")
            #expect(isSymlink(path), "\(command) replaced the symlink \(link)")
            let size = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
            #expect(size > 0, "\(command) did not write through \(link)")
        }
        let run = try ZongBinary.runProgram(dir.appendingPathComponent("link").path, [])
        #expect(run.stdoutText == "7\n")
        // --emit-c through a link too.
        let r = try ZongBinary.run(["build", "p.zong", "-o", "exe", "--emit-c", "link.c"], directory: dir)
        #expect(r.status == 0 && isSymlink(dir.appendingPathComponent("link.c").path), "\(r.stderr)")
        // An existing regular file is overwritten in place of course.
        let again = try ZongBinary.run(["emit-c", "p.zong", "-o", "link.c.target"], directory: dir)
        #expect(again.status == 0)
    }

    /// A FIFO stays a FIFO: the output goes into it (read by `cat` here), for every command.
    @Test func specialFileOutputsStaySpecial() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("print(7);\n".utf8).write(to: dir.appendingPathComponent("p.zong"))
        #expect(mkfifo(dir.appendingPathComponent("fifo").path, 0o600) == 0)
        for command in ["emit-c", "emit-wasm", "build"] {
            let r = try shell("cat fifo > got & \"$ZONG\" \(command) p.zong -o fifo; s=$?; wait; test -s got && echo \"$s\"", in: dir)
            #expect(r.stdoutText == "0\n", "\(command): \(r.stderr)")
            var st = stat()
            #expect(lstat(dir.appendingPathComponent("fifo").path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO,
                    "\(command) replaced the FIFO")
        }
    }

    @Test func outputThatIsTheInputIsRefused() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = "print(1);\n"
        let same = dir.appendingPathComponent("same.zong")
        try Data(source.utf8).write(to: same)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("alias.zong").path, withDestinationPath: "same.zong")
        let cases: [[String]] = [
            ["build", "same.zong", "-o", "same.zong"], ["build", "same.zong", "-o", "./same.zong"],
            ["build", "same.zong", "-o", same.path], ["build", "same.zong", "-o", "alias.zong"],
            ["build", "same.zong", "-o", "x", "--emit-c", "same.zong"],
            ["emit-c", "same.zong", "-o", "same.zong"], ["emit-c", "same.zong", "-o", "./same.zong"],
            ["emit-wasm", "same.zong", "-o", same.path], ["w2c", "same.zong", "-o", "same.zong"],
        ]
        for arguments in cases {
            let r = try ZongBinary.run(arguments, directory: dir)
            expectOneLine(r, status: 64, "zong: error: the output ")
            #expect(try String(contentsOf: same, encoding: .utf8) == source, "\(arguments) wrote over the source")
        }
        // `.zong` has no stem: its default executable name is `.zong` itself.
        try Data(source.utf8).write(to: dir.appendingPathComponent(".zong"))
        expectOneLine(try ZongBinary.run(["build", ".zong"], directory: dir), status: 64, "zong: error: the output .zong is the input")
        #expect(try String(contentsOf: dir.appendingPathComponent(".zong"), encoding: .utf8) == source)
    }

    /// stdout or stderr unwritable (closed, or open read-only: EBADF): no crash, status 73.
    @Test func failedWritesToTheStandardStreams() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("print(1);\n".utf8).write(to: dir.appendingPathComponent("p.zong"))
        try Data("func main() { print(x); }\n".utf8).write(to: dir.appendingPathComponent("bad.zong"))
        try Data().write(to: dir.appendingPathComponent("ro"))
        for redirect in [">&-", "1<ro"] {
            for command in ["emit-c p.zong -o -", "emit-wasm p.zong -o -"] {
                let r = try shell("\"$ZONG\" \(command) \(redirect)", in: dir)
                expectOneLine(r, status: 73, "zong: error: cannot write to standard output")
            }
        }
        for redirect in ["2>&-", "2<ro"] {
            let r = try shell("\"$ZONG\" check bad.zong \(redirect); echo \"status $?\"", in: dir)
            #expect(r.stdoutText == "status 73\n" && r.stderr.isEmpty, "\(redirect): \(r.stdoutText) \(r.stderr)")
            let build = try shell("\"$ZONG\" build bad.zong -o b \(redirect); echo \"status $?\"", in: dir)
            #expect(build.stdoutText == "status 73\n" && build.stderr.isEmpty, "\(redirect): \(build.stdoutText) \(build.stderr)")
        }
    }

    /// A program whose output cannot be written fails with status 1, natively as under the
    /// interpreter, instead of exiting 0 with its output lost; natively with one line saying why.
    @Test func programOutputThatCannotBeWrittenFails() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("print(1);\n".utf8).write(to: dir.appendingPathComponent("p.zong"))
        try Data("extern \"wasi_snapshot_preview1\" { func proc_exit(code: I32); }\nprint(1);\nproc_exit(code: 0);\n".utf8)
            .write(to: dir.appendingPathComponent("exit.zong"))
        try Data().write(to: dir.appendingPathComponent("ro"))
        for program in ["p.zong", "exit.zong"] {
            let native = try shell("\"$ZONG\" run \(program) 1<ro; echo \"status $?\" >&2", in: dir)
            #expect(native.stderr == "zong: error: cannot write standard output: Bad file descriptor\nstatus 1\n",
                    "\(program): \(native.stderr)")
            let interpreted = try shell("\"$ZONG\" run --interp \(program) 1<ro; echo \"status $?\" >&2", in: dir)
            #expect(interpreted.stderr.hasSuffix("status 1\n"), "\(program): \(interpreted.stderr)")
        }
        let fine = try shell("\"$ZONG\" run p.zong; echo \"status $?\"", in: dir)
        #expect(fine.stdoutText == "1\nstatus 0\n" && fine.stderr.isEmpty, "\(fine.stdoutText) \(fine.stderr)")
    }

    /// Prints 1, then spins without output, so nothing accumulates if a kill fails.
    static let spinSource = "func main() { print(1); var i: I64 = 0; loop { i = i + 1; } }\n"

    /// Shell lines for zong (pid `$z`) running a program (pid `$w`): sends zong SIGTERM, or SIGHUP
    /// when the test runner started us with SIGTERM ignored (a signal ignored from the start
    /// stays ignored, as in a shell), and prints how far zong's status is from 128 + the signal
    /// ("0") and "program still running" if the program outlives zong by 5 s. `$sig` stays set.
    static let terminateZong = """
        caught=$(awk '/^SigCgt/ { print $2 }' /proc/$z/status)
        sig=; for n in 15 1; do [ $(( (0x$caught >> (n - 1)) & 1 )) -eq 1 ] && { sig=$n; break; }; done
        if [ -z "$sig" ]; then echo "zong forwards neither SIGTERM nor SIGHUP"; kill -KILL $w $z; exit; fi
        kill -$sig $z; wait $z; echo $(( $? - 128 - sig ))
        i=0; while [ $i -lt 50 ] && kill -0 $w 2>/dev/null; do sleep 0.1; i=$((i+1)); done
        kill -0 $w 2>/dev/null && { echo "program still running"; kill -KILL $w; }
        """

    /// Runs `then` under /bin/sh, natively and under --interp, once `zong run spin.zong` (pid `$z`)
    /// has started its program (pid `$w`: the executable, or wasmkit) and that has printed its
    /// line; spin.zong then spins without output, so nothing accumulates if a kill fails.
    private func whileSpinning(_ then: String) throws -> [(mode: String, result: ZongBinary.Result)] {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.spinSource.utf8).write(to: dir.appendingPathComponent("spin.zong"))
        return try ["", "--interp"].map { interp in
            (interp, try shell("""
                "$ZONG" run \(interp) spin.zong > out & z=$!
                i=0; w=
                while [ $i -lt 300 ]; do w=$(pgrep -P $z); [ -n "$w" ] && [ -s out ] && break; sleep 0.1; i=$((i+1)); done
                \(then)
                """, in: dir))
        }
    }

    /// A program killed by a signal gives 128 + the signal, natively and under --interp alike.
    /// (The test runner may start children with SIGPIPE or SIGTERM ignored or blocked, which a
    /// shell cannot undo; SIGKILL cannot be, so it stands in for them here.)
    @Test func interpretedProgramsKilledBySignals() throws {
        for (mode, r) in try whileSpinning("kill -KILL $w || kill -KILL $z; wait $z; echo $?") {
            #expect(r.stdoutText == "137\n", "\(mode): \(r.stdoutText) \(r.stderr)")
        }
    }

    /// `timeout` and `kill` signal zong alone, not its program: zong passes SIGTERM (or SIGHUP)
    /// on, so the program ends with it instead of spinning on without a parent, and zong exits
    /// 128 + the signal. (The test runner may start us with SIGTERM ignored, and a signal
    /// ignored from the start stays ignored, as in a shell; the script then uses SIGHUP.)
    @Test func terminatingZongRunEndsTheProgram() throws {
        let results = try whileSpinning(Self.terminateZong)
        for (mode, r) in results {
            #expect(r.stdoutText == "0\n", "\(mode): \(r.stdoutText) \(r.stderr)")
        }
    }

    /// `zong bench` runs its program under a measuring helper: a SIGTERM (or SIGHUP) to zong goes
    /// through the helper to the program, and zong says it was stopped and exits 128 + the signal.
    @Test func terminatingZongBenchEndsTheProgram() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.spinSource.utf8).write(to: dir.appendingPathComponent("spin.zong"))
        let r = try shell("""
            "$ZONG" bench --runs 1 --warmup 0 spin.zong > out 2> err & z=$!
            i=0; w=
            while [ $i -lt 600 ]; do
                h=$(pgrep -P $z -f zong-measure); [ -n "$h" ] && w=$(pgrep -P $h); [ -n "$w" ] && break
                sleep 0.1; i=$((i+1))
            done
            [ -z "$w" ] && { echo "the program never started"; kill -KILL $z; exit; }
            \(Self.terminateZong)
            [ "$(cat err)" = "zong: bench stopped by signal $sig" ] && echo stopped || cat err
            """, in: dir)
        #expect(r.stdoutText == "0\nstopped\n", "\(r.stdoutText) \(r.stderr)")
    }

    /// wasmkit crashes on `proc_exit` with a code of 2^31 or more; zong reports the native status.
    @Test func procExitMinusOneUnderTheInterpreter() throws {
        let path = try ZongBinary.write("""
            extern "wasi_snapshot_preview1" {
                func proc_exit(code: I32);
            }
            func main() { print(1); proc_exit(-1); }
            """)
        for interp in [false, true] {
            let r = try ZongBinary.run(["run", path] + (interp ? ["--interp"] : []))
            #expect(r.status == 255, "interp \(interp): \(r.status) \(r.stderr)")
            #expect(r.stdoutText == "1\n")
            #expect(r.stderr.isEmpty, "interp \(interp): \(r.stderr)")
        }
    }

    @Test func maxMemoryBelowTheInitialMemoryIsRefused() throws {
        let out = ZongBinary.temporaryDirectory().appendingPathComponent("x").path
        for limit in ["65536", "1000000"] {
            for arguments in [["run", Self.hello], ["run", "--interp", Self.hello], ["build", Self.hello, "-o", out],
                              ["emit-c", Self.hello, "-o", out], ["emit-wasm", Self.hello, "-o", out],
                              ["eval", "print(1)"]] {
                let r = try ZongBinary.run(arguments + ["--max-memory", limit])
                expectOneLine(r, status: 64, "zong: error: --max-memory \(limit) is below this program's initial memory: it needs at least ")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        let r = try ZongBinary.run(["run", Self.hello, "--max-memory", "2097152"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// An extern function the runtime does not provide (another module, or a WASI function with
    /// the wrong signature) is a compile error at its declaration, exit 1, natively and
    /// interpreted alike (natively it was W2C refusing the module, exit 70 "internal error";
    /// interpreted, wasmkit's instantiation error, exit 1). `zong check` and `emit-c` say so
    /// too (check passed and emit-c failed with exit 70). emit-wasm still writes the module.
    @Test func externsTheRuntimeCannotLinkAreCompileErrors() throws {
        let cases = [
            ("extern \"foo\" {\n    func bar(x: I32): I32;\n}\nfunc main() { print(bar(1)); }\n",
             ":2:10: error: extern function 'bar' cannot be linked: the runtime provides only WASI preview1 functions"),
            ("extern \"wasi_snapshot_preview1\" {\n    func proc_exit(code: I64);\n}\nfunc main() { proc_exit(3); }\n",
             ":2:10: error: extern function 'proc_exit' cannot be linked: wasi_snapshot_preview1.proc_exit has type (i32) -> ()"),
        ]
        for (source, message) in cases {
            let path = try ZongBinary.write(source)
            let out = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("out").path
            for arguments in [["run", path], ["run", "--interp", path], ["build", path, "-o", out], ["check", path],
                              ["emit-c", path, "-o", out]] {
                let r = try ZongBinary.run(arguments)
                #expect(r.status == 1, "\(arguments): \(r.stderr)")
                #expect(r.stderr.hasPrefix(path + message), "\(arguments): \(r.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: out))
            #expect(try ZongBinary.run(["emit-wasm", path, "-o", out]).status == 0)
        }
        let fine = try ZongBinary.write("extern \"wasi_snapshot_preview1\" { func proc_exit(code: I32); }\nfunc main() { print(1); proc_exit(3); }\n")
        for arguments in [["run", fine], ["run", "--interp", fine]] {
            let r = try ZongBinary.run(arguments)
            #expect(r.status == 3 && r.stdoutText == "1\n", "\(arguments): \(r.stderr)")
        }
    }

    @Test func unwritableCacheDirectory() throws {
        for arguments in [["run", Self.hello], ["build", Self.hello, "-o", ZongBinary.temporaryDirectory().appendingPathComponent("h").path]] {
            let r = try ZongBinary.run(arguments, environment: ["XDG_CACHE_HOME": "/proc/nope"])
            expectOneLine(r, status: 73, "zong: error: cannot create cache directory /proc/nope")
        }
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let path = ZongBinary.temporaryDirectory().appendingPathComponent("bom.zong").path
        try Data([0xEF, 0xBB, 0xBF] + Array("print(x);\n".utf8)).write(to: URL(fileURLWithPath: path))
        let r = try ZongBinary.run(["check", path])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(path):1:7: error: undefined symbol 'x'\nprint(x);\n      ^"), "\(r.stderr)")
        try Data([0xEF, 0xBB, 0xBF] + Array("print(6 * 7);\n".utf8)).write(to: URL(fileURLWithPath: path))
        let run = try ZongBinary.run(["run", path])
        #expect(run.status == 0 && run.stdoutText == "42\n", "\(run.stderr)")
        let stdin = try ZongBinary.run(["check", "-"], stdin: Data([0xEF, 0xBB, 0xBF] + Array("print(1);\n".utf8)))
        #expect(stdin.status == 0, "\(stdin.stderr)")
    }

    /// A relative XDG_CACHE_HOME is ignored (XDG base directory spec): no cache is made inside
    /// the current directory.
    @Test func relativeCacheDirectoryIsIgnored() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ZongBinary.run(["run", Self.hello], environment: ["XDG_CACHE_HOME": "relative/cache"], directory: dir)
        #expect(r.status == 0 && r.stdoutText == "Hello, world!\n", "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    /// A C compiler that rejects the generated C has found a bug in zong: 70, not "tool missing".
    @Test func compilerRejectingTheGeneratedCIsAnInternalError() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let clang = ["/usr/bin/clang", "/opt/swift/usr/bin/clang", "/usr/local/bin/clang"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return }
        let cc = dir.appendingPathComponent("cc").path
        try Data("""
            #!/bin/sh
            for a in "$@"; do case "$a" in */program.c) echo "program.c:1:1: fatal error: bracket nesting level exceeded maximum of 2048" >&2; exit 1;; esac; done
            exec \(clang) "$@"

            """.utf8).write(to: URL(fileURLWithPath: cc))
        chmod(cc, 0o755)
        let out = dir.appendingPathComponent("h").path
        let r = try ZongBinary.run(["build", Self.hello, "-o", out],
                                   environment: ["CC": cc, "XDG_CACHE_HOME": dir.appendingPathComponent("cache").path])
        expectOneLine(r, status: 70, "zong: error: compiling the C failed: program.c:1:1: fatal error: bracket nesting level exceeded")
        #expect(r.stderr.contains("bug in zong"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// An output name longer than the file system allows is one `cannot write` line, 73, for
    /// every writer: `build` used to leave it to the linker (exit 70, "a bug in zong").
    @Test func outputNameTooLong() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = String(repeating: "a", count: 300)
        for arguments in [["build", Self.hello, "-o", long], ["build", Self.hello, "-o", "x", "--emit-c", long + ".c"],
                          ["emit-c", Self.hello, "-o", long + ".c"], ["emit-wasm", Self.hello, "-o", long + ".wasm"]] {
            let r = try ZongBinary.run(arguments, directory: dir)
            expectOneLine(r, status: 73, "zong: error: cannot write \(long)")
            #expect(r.stderr.hasSuffix(": File name too long\n"), "\(arguments): \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    /// An output name ending in `/` is not a file name: `cannot write NAME/: Is a directory`, 73,
    /// from `build` as from the other writers (the linker's failure was reported as a bug, 70).
    @Test func outputNameEndingInASlash() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("x".utf8).write(to: dir.appendingPathComponent("file"))
        for name in ["file/", "missing/"] {
            for arguments in [["build", Self.hello, "-o", name], ["build", Self.hello, "-o", "x", "--emit-c", name],
                              ["emit-c", Self.hello, "-o", name], ["emit-wasm", Self.hello, "-o", name]] {
                let r = try ZongBinary.run(arguments, directory: dir)
                expectOneLine(r, status: 73, "zong: error: cannot write \(name): Is a directory")
            }
        }
        #expect(try String(contentsOf: dir.appendingPathComponent("file"), encoding: .utf8) == "x")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["file"])
    }

    /// `--emit-c` and `-o` spelled differently for the same new file are refused; the C used to
    /// be written and then replaced by the executable, with status 0.
    @Test func emitCAndOutputNamingOneNewFile() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for (output, emitC) in [("y", "./y"), ("sub/../y", "y"), ("y", dir.appendingPathComponent("y").path)] {
            let r = try ZongBinary.run(["build", Self.hello, "-o", output, "--emit-c", emitC], directory: dir)
            expectOneLine(r, status: 64, "zong: error: --emit-c and -o name the same file")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("y").path))
        }
        let fine = try ZongBinary.run(["build", Self.hello, "-o", "y", "--emit-c", "sub/y"], directory: dir)
        #expect(fine.status == 0, "\(fine.stderr)")
    }

    /// `build -o -` writes the executable to standard output, as `-o -` does for every other
    /// output; it used to hand `-` to the linker and lose the executable, with status 0.
    @Test func buildToStandardOutput() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ZongBinary.run(["build", Self.hello, "-o", "-"], directory: dir)
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.status) \(r.stderr)")
        #expect(r.stdout.count > 1000 && r.stdout.starts(with: [0x7F, 0x45, 0x4C, 0x46]), "\(r.stdout.count) bytes")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        let program = dir.appendingPathComponent("hello").path
        try r.stdout.write(to: URL(fileURLWithPath: program))
        chmod(program, 0o755)
        let run = try ZongBinary.runProgram(program, [])
        #expect(run.status == 0 && run.stdoutText == "Hello, world!\n")
        let both = try ZongBinary.run(["build", Self.hello, "-o", "-", "--emit-c", "-"], directory: dir)
        expectOneLine(both, status: 64, "zong: error: --emit-c and -o name the same file -")
    }

    @Test func smallCommandLineCases() throws {
        let cases: [([String], String)] = [
            (["run", Self.hello, "--max-memory", "-5"], "Error: --max-memory must be a positive number"),
            (["run", Self.hello, "--tstack-size", "-1"], "Error: --tstack-size must be a positive number"),
            (["emit-wasm", Self.hello, "--max-memory", "4096"], "Error: --max-memory must be between 65536 and 4294967296"),
            (["build", Self.hello, "-O"], "Error: -O needs a level"),
            (["help", "frob"], "Error: unknown subcommand 'frob'"),
            (["check", Self.hello, "--quiet", "--verbose"], "Error: --quiet and --verbose cannot be used together"),
        ]
        for (arguments, prefix) in cases {
            let r = try ZongBinary.run(arguments)
            #expect(r.status == 64, "\(arguments): \(r.status) \(r.stderr)")
            #expect(r.stderr.hasPrefix(prefix), "\(arguments): \(r.stderr)")
            #expect(!r.stderr.contains("Missing value"))
        }
        let none = try ZongBinary.run([])
        #expect(none.status == 64 && none.stdout.isEmpty && none.stderr.contains("SUBCOMMANDS"), "\(none.stderr)")

        // w2c reads standard input for `-`, like the other subcommands.
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let wasm = dir.appendingPathComponent("hello.wasm").path
        #expect(try ZongBinary.run(["emit-wasm", Self.hello, "-o", wasm]).status == 0)
        let r = try ZongBinary.run(["w2c", "-", "-o", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: wasm)))
        #expect(r.status == 0 && r.stdoutText.contains("zrt_module_init"), "\(r.stderr)")
    }
}
