import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a tool to completion (the C compiler, the linker) in a process group of its own, with
/// stdin from /dev/null and stdout and stderr captured together.
///
/// Its own group, so that stopping it stops everything it started too (clang runs the linker;
/// a stand-in compiler may run anything): `--cc-timeout` and a signal to zong (`Interruption`)
/// signal the whole group. Foundation's Process cannot set the group on Linux, hence
/// posix_spawn. A tool in a background group must not touch the terminal: it would get SIGTTIN;
/// stdin is /dev/null and its output goes to a pipe. That is why only tools run this way: the
/// program `zong run` starts stays in zong's group, reading the terminal, and gets the signals
/// from `SignalForwarding` (and a terminal's Ctrl-C directly).
enum ChildProcess {
    struct Result {
        /// The exit status, when the tool exited.
        var exitStatus: Int32
        /// The signal that ended the tool, or 0.
        var signal: Int32
        /// stdout and stderr, interleaved.
        var output: Data
        /// The time limit stopped it.
        var timedOut: Bool
    }

    struct CannotStart: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `command` (`command[0]` an absolute path), stopping its group after `timeout` seconds.
    static func run(_ command: [String], timeout: Double? = nil) throws(CannotStart) -> Result {
        guard let path = command.first else { throw CannotStart(description: "no command") }
        var ends: [Int32] = [-1, -1]
        // (Glibc's module does not offer pipe2.) Close-on-exec: no other child may hold the
        // write end, or the read below would wait for that child too.
        guard pipe(&ends) == 0 else { throw CannotStart(description: String(cString: strerror(errno))) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let (readEnd, writeEnd) = (ends[0], ends[1])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        // Defaults for every signal and none blocked, whatever zong was started with (as
        // Foundation's Process does), so that a group signal ends the tool.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let cArgs: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var failure: Int32 = 0
        let pid = Interruption.startGroup {
            var pid: pid_t = 0
            failure = posix_spawn(&pid, path, &actions, &attributes, cArgs, environ)
            return failure == 0 ? pid : 0
        }
        close(writeEnd)
        guard pid > 0 else {
            close(readEnd)
            throw CannotStart(description: String(cString: strerror(failure)))
        }
        let watchdog = Watchdog(pid: pid, seconds: timeout, group: true)

        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = read(readEnd, &buffer, buffer.count)
            if n > 0 {
                output.append(contentsOf: buffer[0..<n])
            } else if n == 0 || errno != EINTR {
                break
            }
        }
        close(readEnd)
        // Wait without reaping: the group's id stays the leader's until the watchdog is done
        // and the group is forgotten.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        let timedOut = watchdog?.finish() == true
        let status: Int32 = Interruption.endGroup(pid) {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return status
        }
        let signal = status & 0x7f
        return Result(exitStatus: signal == 0 ? (status >> 8) & 0xff : 128 + signal, signal: signal,
                      output: output, timedOut: timedOut)
    }
}
