import Foundation
import Testing
import ZongDriver

/// Issue 19 through the real binary: bounded time and memory on hostile input, clean failure
/// on every input, and the last-resort handler.
@Suite(.serialized) struct ReliabilityTests {
    static func measure(_ arguments: [String], stdinPath: String? = nil) throws -> ProcessMeasurement {
        guard let zong = ZongBinary.executable else { throw ZongBinary.NotBuilt() }
        let scratch = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        return try MeasuredProcess.run([zong] + arguments, stdinPath: stdinPath, scratch: scratch.path,
                                       helper: try MeasuredProcess.helper())
    }

    static func looksLikeACrash(_ text: String) -> Bool {
        ["Fatal error", "Backtrac", "Stack dump", "Illegal instruction", "Segmentation", "NSCocoaErrorDomain", "*** Signal"]
            .contains { text.contains($0) }
    }

    /// Deterministic junk: random bytes, a third of them printable punctuation and letters.
    static func junk(_ count: Int, seed: UInt64) -> Data {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: count)
        let printable = Array("{}()[];:,.=+-*/<>!&|^%\"'abcXYZ019 \n\t_".utf8)
        for i in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let r = state >> 32
            bytes[i] = r % 3 == 0 ? printable[Int(r >> 8) % printable.count] : UInt8(truncatingIfNeeded: r >> 16)
        }
        return Data(bytes)
    }

    // MARK: last-resort handler

    @Test(arguments: ["trap", "segv", "overflow"]) func internalCrashIsOneMessageAndStatus70(_ kind: String) throws {
        let r = try ZongBinary.run(["check", "nothing.zong"], environment: ["ZONG_TEST_CRASH": kind])
        #expect(r.status == 70, "\(r.stderr)")
        #expect(r.stderr.contains("zong: internal error: the compiler crashed ("), "\(r.stderr)")
        #expect(r.stderr.contains("please report it"), "\(r.stderr)")
        #expect(!r.stderr.contains("Backtrac") && !r.stderr.contains("*** Signal"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count <= 3, "\(r.stderr)")
    }

    // MARK: input limits

    @Test func endlessStandardInputGetsTheSizeError() throws {
        let m = try Self.measure(["check", "-"], stdinPath: "/dev/zero")
        let err = String(decoding: m.stderr, as: UTF8.self)
        #expect(m.status == 1, "\(err)")
        #expect(err == "<stdin>:1:1: error: the source is larger than the limit of 67108864 bytes (64 MiB); --max-source-size BYTES raises it\n")
        #expect(m.peakMemoryBytes < 400 << 20, "peak \(m.peakMemoryBytes)")
        #expect(m.wallSeconds < 10)
    }

    @Test func hugeFilesGetTheSizeErrorWithoutBeingRead() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("huge.zong").path
        // 300 MB, sparse: the size alone decides.
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, 300_000_000) == 0)
        let m = try Self.measure(["check", path])
        let err = String(decoding: m.stderr, as: UTF8.self)
        #expect(m.status == 1)
        #expect(err.hasPrefix("\(path):1:1: error: the source is larger than the limit"), "\(err)")
        #expect(m.peakMemoryBytes < 200 << 20 && m.wallSeconds < 5, "\(m.peakMemoryBytes) \(m.wallSeconds)")
        // The limit is configurable, both ways.
        let small = try ZongBinary.write("func main() { print(1); }\n")
        let r = try ZongBinary.run(["check", small, "--max-source-size", "10"])
        expectOneLine(r, status: 1, "\(small):1:1: error: the source is larger than the limit of 10 bytes; --max-source-size")
        #expect(try ZongBinary.run(["check", small, "--max-source-size", "100"]).status == 0)
        let zero = try ZongBinary.run(["check", small, "--max-source-size", "0"])
        #expect(zero.status == 64 && zero.stderr.contains("--max-source-size must be a positive number"), "\(zero.stderr)")
    }

    @Test func fiftyMegabytesOfJunkStopAtTheErrorLimit() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("junk.zong").path
        try Self.junk(50_000_000, seed: 19).write(to: URL(fileURLWithPath: path))
        for format in ["text", "json"] {
            let m = try Self.measure(["check", path, "--diagnostics-format", format])
            let err = String(decoding: m.stderr, as: UTF8.self)
            print("50 MB of junk, \(format): \(String(format: "%.2f", m.wallSeconds)) s, peak \(m.peakMemoryBytes >> 20) MiB")
            #expect(m.status == 1)
            #expect(m.wallSeconds < 5, "\(m.wallSeconds) s")
            #expect(m.peakMemoryBytes < 500 << 20, "peak \(m.peakMemoryBytes)")
            #expect(!Self.looksLikeACrash(err))
            let lines = err.split(separator: "\n")
            if format == "json" {
                #expect(lines.count == 51)
                #expect(lines.last?.contains("\"message\":\"too many errors emitted, stopping now (--error-limit 50)\"") == true, "\(lines.last ?? "")")
            } else {
                #expect(lines.last == "\(path): error: too many errors emitted, stopping now (--error-limit 50)")
                #expect(lines.filter { $0.hasPrefix(path + ":") && $0.contains(": error: ") }.count == 51)
            }
        }
        // --error-limit N, and 0 for none.
        let small = dir.appendingPathComponent("small.zong").path
        try Data("func main() { @ # $ ` @ # $ ` }\n".utf8).write(to: URL(fileURLWithPath: small))
        let three = try ZongBinary.run(["check", small, "--error-limit", "3"])
        #expect(three.stderr.hasSuffix("error: too many errors emitted, stopping now (--error-limit 3)\n"), "\(three.stderr)")
        #expect(three.stderr.components(separatedBy: ": error: ").count - 1 == 4)
        let all = try ZongBinary.run(["check", small, "--error-limit", "0"])
        #expect(!all.stderr.contains("too many errors"), "\(all.stderr)")
        #expect(all.stderr.components(separatedBy: ": error: ").count - 1 >= 8, "\(all.stderr)")
    }
}

/// The cache cannot poison itself (issue 19): damaged entries are rebuilt, the size cap evicts
/// the least recently used, and `zong cache info|clean` show and clear it. Every test uses a
/// cache of its own (XDG_CACHE_HOME).
@Suite(.serialized) struct CacheReliabilityTests {
    static let hello = ZongBinary.packageRoot.appendingPathComponent("Examples/hello.zong").path

    func programs(_ cache: URL) -> [String] {
        let dir = cache.appendingPathComponent("zong/programs").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.contains(".") }.map { dir + "/" + $0 }
    }

    @Test func truncatedEntryAndEmptiedRuntimeObjectAreHealed() throws {
        let cache = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let env: [String: String?] = ["XDG_CACHE_HOME": cache.path]
        let first = try ZongBinary.run(["run", Self.hello], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        let entries = programs(cache)
        #expect(entries.count == 1)
        guard let entry = entries.first else { return }
        // Truncated: the next run rebuilds it, saying so under --verbose.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: entry))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: entry))
        let healed = try ZongBinary.run(["run", Self.hello, "--verbose"], environment: env)
        #expect(healed.status == 0 && healed.stdout == first.stdout, "\(healed.stderr)")
        #expect(healed.stderr.contains("is damaged; rebuilding it"), "\(healed.stderr)")
        let again = try ZongBinary.run(["run", Self.hello, "--verbose"], environment: env)
        #expect(again.status == 0 && !again.stderr.contains("damaged"), "\(again.stderr)")
        // An emptied runtime object: the next build rebuilds the runtime.
        let root = cache.appendingPathComponent("zong").path
        let runtime = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix("runtime-") }
        #expect(!runtime.isEmpty)
        for dir in runtime {
            for object in try FileManager.default.contentsOfDirectory(atPath: root + "/" + dir) where object.hasSuffix(".o") {
                try Data().write(to: URL(fileURLWithPath: root + "/" + dir + "/" + object))
            }
        }
        let out = cache.appendingPathComponent("hello").path
        for _ in 0..<2 {
            let build = try ZongBinary.run(["build", Self.hello, "-o", out], environment: env)
            #expect(build.status == 0, "\(build.stderr)")
            #expect(try ZongBinary.runProgram(out, []).stdout == first.stdout)
        }
    }

    @Test func sizeCapEvictsTheLeastRecentlyUsed() throws {
        let cache = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let a = try ZongBinary.write("func main() { print(1); }\n", as: "a.zong")
        let b = try ZongBinary.write("func main() { print(2); }\n", as: "b.zong")
        let env: [String: String?] = ["XDG_CACHE_HOME": cache.path, "ZONG_CACHE_MAX_BYTES": "1"]
        #expect(try ZongBinary.run(["run", a], environment: env).stdoutText == "1\n")
        let onlyA = programs(cache)
        #expect(try ZongBinary.run(["run", b], environment: env).stdoutText == "2\n")
        let onlyB = programs(cache)
        #expect(onlyA.count == 1 && onlyB.count == 1 && onlyA != onlyB, "\(onlyA) \(onlyB)")
    }

    @Test func cacheInfoAndClean() throws {
        let cache = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let env: [String: String?] = ["XDG_CACHE_HOME": cache.path]
        #expect(try ZongBinary.run(["run", Self.hello], environment: env).status == 0)
        let info = try ZongBinary.run(["cache", "info"], environment: env)
        #expect(info.status == 0)
        #expect(info.stdoutText.contains("cache directory: \(cache.path)/zong"), "\(info.stdoutText)")
        #expect(info.stdoutText.contains("programs: 1 executables"), "\(info.stdoutText)")
        let clean = try ZongBinary.run(["cache", "clean"], environment: env)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cache.appendingPathComponent("zong").path))
        #expect(try ZongBinary.run(["cache", "info"], environment: env).stdoutText.contains("programs: 0 executables"))
    }
}

/// Time limits (issue 19): each ends with one clear line and its own exit status.
@Suite(.serialized) struct TimeLimitTests {
    static let spin = "func main() { var i: I64 = 0; loop { i = i + 1; } }\n"

    @Test func runTimeoutStopsTheProgram() throws {
        let path = try ZongBinary.write(Self.spin)
        for interp in [false, true] {
            if interp, ProcessInfo.processInfo.environment["PATH"].map({ !$0.contains("wasmkit") }) == true,
               !FileManager.default.isExecutableFile(atPath: "/usr/local/bin/wasmkit") {
                let probe = try ZongBinary.run(["run", "--interp", path, "--timeout", "0.5"])
                if probe.status == 69 { continue }
            }
            let start = Date()
            let r = try ZongBinary.run(["run", path, "--timeout", "1"] + (interp ? ["--interp"] : []))
            #expect(r.status == 124, "\(r.stderr)")
            #expect(r.stderr.hasSuffix("zong: error: the program ran longer than the limit of 1 s (--timeout SECONDS); stopped\n"), "\(r.stderr)")
            #expect(Date().timeIntervalSince(start) < 60)
        }
    }

    @Test func benchTimeoutStopsTheRun() throws {
        let path = try ZongBinary.write(Self.spin)
        let r = try ZongBinary.run(["bench", path, "--timeout", "1", "--runs", "1", "--warmup", "0"])
        #expect(r.status == 124 || r.status == 69, "\(r.stderr)")
        if r.status == 124 { #expect(r.stderr.contains("ran longer than the limit of 1 s (--timeout SECONDS)"), "\(r.stderr)") }
    }

    @Test func compilerTimeoutIsStatus75() throws {
        let path = try ZongBinary.write("func main() { print(1); }\n")
        let out = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("p").path
        let r = try ZongBinary.run(["build", path, "-o", out, "--cc-timeout", "0.001"])
        expectOneLine(r, status: 75, "zong: error: ")
        #expect(r.stderr.contains("took longer than the limit of 0.001 s (--cc-timeout SECONDS); stopped"), "\(r.stderr)")
        #expect(try ZongBinary.run(["build", path, "-o", out, "--cc-timeout", "0"]).status == 0)
    }
}

/// Signals (issue 19): SIGINT, SIGTERM or SIGHUP while zong waits for the C compiler stop the
/// compiler and everything it started, remove every temporary file and exit 128 + the signal;
/// `--cc-timeout` stops the compiler's children too. The C compiler is a stand-in shell script
/// that waits on a `sleep` of its own, so a test sees whether the whole process group ended.
@Suite(.serialized) struct SignalTests {
    /// One build with its own temporary, cache and output directories.
    struct Setup {
        let dir: URL
        var tmp: URL { dir.appendingPathComponent("tmp") }
        var cache: URL { dir.appendingPathComponent("cache") }
        var compilerPid: URL { dir.appendingPathComponent("compiler.pid") }
        var childPid: URL { dir.appendingPathComponent("child.pid") }

        /// `stallOn` picks the compiler run that stalls: "program.c" (the program's C, after
        /// runtime-c is built and cached) or ".staging-" (the first runtime-c file).
        init(stallOn: String) throws {
            dir = ZongBinary.temporaryDirectory()
            let fm = FileManager.default
            try fm.createDirectory(at: dir.appendingPathComponent("tmp"), withIntermediateDirectories: true)
            try fm.createDirectory(at: dir.appendingPathComponent("cache"), withIntermediateDirectories: true)
            try Data("func main() { print(1); }\n".utf8).write(to: dir.appendingPathComponent("prog.zong"))
            let script = """
                #!/bin/sh
                out=; prev=
                for a in "$@"; do [ "$prev" = "-o" ] && out=$a; prev=$a; done
                case " $* " in
                *\(stallOn)*)
                    echo $$ > '\(dir.path)/compiler.pid.part'; mv '\(dir.path)/compiler.pid.part' '\(dir.path)/compiler.pid'
                    sleep 60 & echo $! > '\(dir.path)/child.pid.part'; mv '\(dir.path)/child.pid.part' '\(dir.path)/child.pid'
                    wait; exit 1;;
                esac
                : > "$out"

                """
            let cc = dir.appendingPathComponent("fake-cc").path
            try Data(script.utf8).write(to: URL(fileURLWithPath: cc))
            chmod(cc, 0o755)
        }

        /// Starts `zong build prog.zong -o out` (or `zong run prog.zong`) with the stand-in
        /// compiler, TMPDIR and XDG_CACHE_HOME inside `dir`, and SIGINT, SIGTERM and SIGHUP at
        /// their defaults whatever the test runner left them at (zong keeps a signal ignored from
        /// the start ignored).
        func start(_ extra: [String] = [], run: Bool = false) throws -> pid_t {
            guard let zong = ZongBinary.executable else { throw ZongBinary.NotBuilt() }
            var env = ProcessInfo.processInfo.environment
            env["CC"] = dir.appendingPathComponent("fake-cc").path
            env["TMPDIR"] = tmp.path
            env["XDG_CACHE_HOME"] = cache.path
            let program = dir.appendingPathComponent("prog.zong").path
            let argv = (run ? [zong, "run", program] : [zong, "build", program, "-o", dir.appendingPathComponent("out").path])
                + extra
            let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
            let cEnv: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { for p in cArgs + cEnv { free(p) } }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, dir.appendingPathComponent("stdout").path, O_WRONLY | O_CREAT, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, dir.appendingPathComponent("stderr").path, O_WRONLY | O_CREAT, 0o600)
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var signals = sigset_t()
            sigemptyset(&signals)
            for number in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&signals, number) }
            posix_spawnattr_setsigdefault(&attributes, &signals)
            var none = sigset_t()
            sigemptyset(&none)
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, zong, &actions, &attributes, cArgs, cEnv)
            #expect(spawned == 0)
            return pid
        }

        func pid(_ file: URL) -> pid_t? {
            (try? String(contentsOf: file, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }

        /// Waits until the stand-in compiler and its `sleep` have started.
        func waitForCompiler() -> (pid_t, pid_t)? {
            for _ in 0..<600 {
                if let c = pid(compilerPid), let s = pid(childPid) { return (c, s) }
                usleep(100_000)
            }
            return nil
        }

        var stderr: String { (try? String(contentsOf: dir.appendingPathComponent("stderr"), encoding: .utf8)) ?? "" }

        /// Everything left under `url`, as paths relative to it.
        func leftovers(_ url: URL) -> [String] {
            (FileManager.default.enumerator(atPath: url.path)?.allObjects as? [String]) ?? []
        }
    }

    /// zong's wait status, or nil if it has not ended within `seconds` (then it is killed).
    static func waitForExit(_ pid: pid_t, seconds: Double = 30) -> Int32? {
        var status: Int32 = 0
        for _ in 0..<Int(seconds * 100) {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { return status }
            if r < 0 && errno != EINTR { return nil }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        return nil
    }

    /// Running or stopped (not a zombie waiting for a parent that may never reap it).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return true }
        return !stat[close...].hasPrefix(") Z")
    }

    /// Whether every pid in `pids` has ended within `seconds`.
    static func allEnd(_ pids: [pid_t], within seconds: Double = 3) -> Bool {
        for _ in 0..<Int(seconds * 100) {
            if !pids.contains(where: isAlive) { return true }
            usleep(10_000)
        }
        return false
    }

    /// The signal, the compiler run that stalls, and whether the command is `zong run`.
    static let cases: [(Int32, String, Bool)] = [
        (SIGTERM, "program.c", false), (SIGINT, ".staging-", false), (SIGHUP, "program.c", false),
        (SIGINT, "program.c", false), (SIGTERM, "program.c", true), (SIGHUP, ".staging-", true),
    ]

    @Test(arguments: 0..<cases.count) func signalDuringBuildStopsEverythingAndCleansUp(_ index: Int) throws {
        let (signal, stage, run) = Self.cases[index]
        let setup = try Setup(stallOn: stage)
        defer { try? FileManager.default.removeItem(at: setup.dir) }
        let zong = try setup.start(run: run)
        guard let (compiler, child) = setup.waitForCompiler() else {
            kill(zong, SIGKILL)
            _ = Self.waitForExit(zong)
            Issue.record("the stand-in compiler never started: \(setup.stderr)")
            return
        }
        defer { kill(compiler, SIGKILL); kill(child, SIGKILL) }
        #expect(kill(zong, signal) == 0)
        let status = Self.waitForExit(zong)
        #expect(status.map { $0 & 0x7f == 0 && ($0 >> 8) & 0xff == 128 + signal } == true,
                "signal \(signal): wait status \(status.map(String.init) ?? "none"), stderr: \(setup.stderr)")
        #expect(Self.allEnd([compiler, child]), "signal \(signal): the compiler or its child is still running")
        #expect(setup.leftovers(setup.tmp).isEmpty, "signal \(signal): left in TMPDIR: \(setup.leftovers(setup.tmp))")
        let staging = setup.leftovers(setup.cache).filter { $0.contains(".staging-") }
        #expect(staging.isEmpty, "signal \(signal): left in the cache: \(staging)")
        #expect(!ReliabilityTests.looksLikeACrash(setup.stderr), "\(setup.stderr)")
    }

    /// --cc-timeout stops the compiler's whole process group, not only the compiler itself (whose
    /// children would keep the output pipe open and zong waiting).
    @Test func compilerTimeoutStopsTheCompilersChildren() throws {
        let setup = try Setup(stallOn: "program.c")
        defer { try? FileManager.default.removeItem(at: setup.dir) }
        let start = Date()
        let zong = try setup.start(["--cc-timeout", "2"])
        let status = Self.waitForExit(zong)
        let (compiler, child) = (setup.pid(setup.compilerPid), setup.pid(setup.childPid))
        defer { for pid in [compiler, child].compactMap({ $0 }) { kill(pid, SIGKILL) } }
        #expect(status.map { $0 & 0x7f == 0 && ($0 >> 8) & 0xff == 75 } == true,
                "wait status \(status.map(String.init) ?? "none"), stderr: \(setup.stderr)")
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(Self.allEnd([compiler, child].compactMap { $0 }), "the compiler or its child is still running")
        #expect(setup.leftovers(setup.tmp).isEmpty, "left in TMPDIR: \(setup.leftovers(setup.tmp))")
    }
}
