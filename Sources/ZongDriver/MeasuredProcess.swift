import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of a child process as the operating system saw it: wall time around the child
/// (spawn to reaped), CPU time and peak resident memory from the child's own `rusage`
/// (`wait4`), its exit status and everything it printed.
public struct ProcessMeasurement: Sendable {
    public var wallSeconds: Double
    public var cpuSeconds: Double
    public var peakMemoryBytes: Int
    /// The exit status, or 128 + the signal number when a signal ended the child.
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]
}

/// Runs a program and measures it as the operating system sees it.
///
/// Linux charges a child the peak memory of the process it was spawned from (exec records the
/// old address space's high-water mark in the child's rusage), so a child of zong would report
/// at least zong's own resident size. A tiny C helper, built once with the C compiler and
/// cached, therefore sits in between: zong spawns it (`posix_spawn`, stdin from a file or
/// /dev/null, stdout and stderr to files), it forks and execs the program and reaps it with
/// `wait4`, and it writes the wall time around the program (spawn to reaped, CLOCK_MONOTONIC),
/// the wait status and the program's rusage to a result file. No timers run in zong or in
/// the measured program.
public enum MeasuredProcess {
    static let helperSource = """
        #define _GNU_SOURCE
        #include <errno.h>
        #include <signal.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/resource.h>
        #include <sys/wait.h>
        #include <time.h>
        #include <unistd.h>
        /* zong-measure RESULT PROGRAM ARGS...: runs PROGRAM, writes
           "wall_ns wait_status maxrss_kb utime_us stime_us" to RESULT.
           SIGTERM, SIGINT and SIGHUP are passed on to PROGRAM (unless they were ignored),
           so that stopping zong stops what it measures; they stay blocked from before the
           fork until the handlers are in place. */
        static volatile pid_t child;
        static void forward(int sig) { if (child > 0) kill(child, sig); }
        int main(int argc, char **argv) {
            if (argc < 3) return 64;
            static const int passed[] = {SIGTERM, SIGINT, SIGHUP};
            sigset_t block, old;
            sigemptyset(&block);
            for (int k = 0; k < 3; k++) sigaddset(&block, passed[k]);
            sigprocmask(SIG_BLOCK, &block, &old);
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            pid_t pid = fork();
            if (pid < 0) { perror("zong-measure: fork"); return 71; }
            if (pid == 0) {
                sigprocmask(SIG_SETMASK, &old, NULL);
                execv(argv[2], argv + 2);
                fprintf(stderr, "zong: error: cannot start %s: %s\\n", argv[2], strerror(errno));
                _exit(127);
            }
            child = pid;
            for (int k = 0; k < 3; k++) {
                struct sigaction previous, sa;
                if (sigaction(passed[k], NULL, &previous) == 0 && previous.sa_handler == SIG_IGN) continue;
                memset(&sa, 0, sizeof sa);
                sa.sa_handler = forward;
                sigemptyset(&sa.sa_mask);
                sigaction(passed[k], &sa, NULL);
            }
            sigprocmask(SIG_SETMASK, &old, NULL);
            int status = 0;
            struct rusage ru;
            while (wait4(pid, &status, 0, &ru) < 0) {
                if (errno != EINTR) { perror("zong-measure: wait4"); return 71; }
            }
            clock_gettime(CLOCK_MONOTONIC, &t1);
            long long ns = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
            FILE *f = fopen(argv[1], "w");
            if (!f) { perror("zong-measure: result file"); return 73; }
            fprintf(f, "%lld %d %ld %lld %lld\\n", ns, status, ru.ru_maxrss,
                    (long long)ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec,
                    (long long)ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec);
            return fclose(f) == 0 ? 0 : 73;
        }

        """

    /// The helper executable: built on first use under the cache directory, keyed by its source
    /// and the compiler.
    public static func helper() throws(UsageError) -> String {
        let compiler: [String]
        do {
            compiler = try findCCompiler()
        } catch {
            throw UsageError("zong: error: \(error)", exitStatus: ExitStatus.unavailable)
        }
        var key = ProgramCache.Hash()
        key.add(Array(helperSource.utf8))
        key.add(Array(compiler.joined(separator: " ").utf8))
        let dir = ProgramCache.root + "/tools"
        let path = dir + "/zong-measure-" + key.hex
        if FileManager.default.isExecutableFile(atPath: path) { return path }
        let fail = { (why: String) in UsageError("zong: error: cannot build the measuring helper: \(why)", exitStatus: ExitStatus.unavailable) }
        do {
            try makeDirectories(dir, what: "cache directory")
        } catch {
            throw UsageError("zong: error: \(error) (set XDG_CACHE_HOME to a writable directory)", exitStatus: ExitStatus.cantCreate)
        }
        let stem = path + ".\(getpid())"
        Interruption.removeIfStopped(stem + ".c")
        Interruption.removeIfStopped(stem)
        defer {
            try? FileManager.default.removeItem(atPath: stem + ".c")
            Interruption.forget(stem + ".c")
            Interruption.forget(stem)
        }
        guard FileManager.default.createFile(atPath: stem + ".c", contents: Data(helperSource.utf8)) else {
            throw fail("cannot write \(stem).c")
        }
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(compiler + ["-O2", "-static", "-o", stem, stem + ".c"])
        } catch {
            throw fail("cannot run \(compiler[0])")
        }
        guard result.exitStatus == 0 else {
            try? FileManager.default.removeItem(atPath: stem)
            let text = String(decoding: result.output, as: UTF8.self)
            throw fail(text.split(separator: "\n").first.map(String.init) ?? "the C compiler failed")
        }
        if rename(stem, path) != 0 && !FileManager.default.isExecutableFile(atPath: path) {
            throw fail("cannot write \(path)")
        }
        return path
    }

    /// Runs `argv` (argv[0] an absolute path) through `helper`.
    public static func run(_ argv: [String], stdinPath: String?, scratch: String, helper: String,
                           timeout: Double? = nil) throws(UsageError) -> ProcessMeasurement {
        let outPath = scratch + "/stdout", errPath = scratch + "/stderr", resultPath = scratch + "/result"
        unlink(resultPath)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var cArgs: [UnsafeMutablePointer<CChar>?] = ([helper, resultPath] + argv).map { strdup($0) }
        cArgs.append(nil)
        defer { for p in cArgs { free(p) } }

        var pid: pid_t = 0
        SignalForwarding.prepare()
        let spawned = posix_spawn(&pid, helper, &actions, nil, cArgs, environ)
        guard spawned == 0 else {
            throw UsageError("zong: error: cannot start \(helper): \(String(cString: strerror(spawned)))",
                             exitStatus: ExitStatus.unavailable)
        }
        // A signal to zong goes to the helper, which passes it on to the program.
        SignalForwarding.start(to: pid)
        defer { SignalForwarding.stop() }
        // The helper passes SIGTERM on to the program.
        let watchdog = Watchdog(pid: pid, seconds: timeout)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR {
                throw UsageError("zong: error: lost track of \(helper): \(String(cString: strerror(errno)))",
                                 exitStatus: ExitStatus.software)
            }
        }
        if watchdog?.finish() == true {
            throw UsageError(String(NativeProcess.timeoutMessage(timeout ?? 0).dropLast()), exitStatus: ExitStatus.programTimeout)
        }
        let result = FileManager.default.contents(atPath: resultPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let fields = result.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int64($0) }
        guard status == 0, fields.count == 5 else {
            throw UsageError("zong: error: the measuring helper \(helper) failed (wait status \(status))",
                             exitStatus: ExitStatus.software)
        }
        let wait = Int32(truncatingIfNeeded: fields[1])
        let signal = wait & 0x7f
        let exitStatus: Int32 = signal == 0 ? (wait >> 8) & 0xff : 128 + signal
        #if os(Linux)
        let peak = Int(fields[2]) * 1024  // kilobytes on Linux
        #else
        let peak = Int(fields[2])
        #endif
        let out = FileManager.default.contents(atPath: outPath).map { [UInt8]($0) } ?? []
        let err = FileManager.default.contents(atPath: errPath).map { [UInt8]($0) } ?? []
        return ProcessMeasurement(wallSeconds: Double(fields[0]) / 1e9, cpuSeconds: Double(fields[3] + fields[4]) / 1e6,
                                  peakMemoryBytes: peak, status: exitStatus, stdout: out, stderr: err)
    }

    static func monotonicSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
