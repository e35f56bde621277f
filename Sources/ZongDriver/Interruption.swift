import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT, SIGTERM or SIGHUP while zong works (issue 19): zong stops every process group it
/// started (clang and whatever clang runs), removes every temporary file and directory it made,
/// and exits 128 + the signal (130, 143, 129) without a backtrace. Without this the default
/// disposition ended zong alone: clang ran on without a parent, and Swift `defer`s, which
/// never run when a signal kills the process, left megabytes of C in TMPDIR.
///
/// The handler only writes the signal's number to a pipe (write(2) is async-signal-safe); a
/// thread of its own reads it and does the work with ordinary code: signal the registered
/// groups, wait for them to end (SIGKILL after 2 s), remove the registered paths, `_exit`.
/// The thread that waits for a child sees it end, finds zong stopping, and parks until the exit,
/// so it never reports the killed compiler as an error.
///
/// While `zong run` or `zong bench` waits for its program, `SignalForwarding` replaces the
/// handler: the program gets the signal and zong reports its status, then the handler returns.
/// A signal zong was started with ignored (`nohup`, a background job's SIGINT) stays ignored.
public enum Interruption {
    private static let signals = [SIGINT, SIGTERM, SIGHUP]
    /// Guards `groups`, `paths` and `stopping`.
    private static let lock = NSLock()
    /// Process groups to stop: their leaders' pids.
    nonisolated(unsafe) private static var groups: Set<pid_t> = []
    /// Files and directories to remove, in registration order (one entry per registration).
    nonisolated(unsafe) private static var paths: [String] = []
    /// Set once a signal came: no child starts after it.
    nonisolated(unsafe) private static var stopping = false

    /// Installs the handlers and starts the thread that acts on them (once, early in main).
    public static func install() {
        // Unblocked in this thread, whose mask later threads inherit: a parent that blocks
        // them (a test runner's worker thread does) would otherwise leave zong deaf to them.
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
        stopPipe = ends[1]
        let readEnd = ends[0]
        let thread = Thread {
            var number: UInt8 = 0
            while true {
                let n = read(readEnd, &number, 1)
                if n == 1 { stop(Int32(number)) }
                if n == 0 || (n < 0 && errno != EINTR) { return }
            }
        }
        thread.start()
        for number in signals {
            var old = sigaction()
            sigaction(number, nil, &old)
            if isIgnore(old.__sigaction_handler.sa_handler) { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = requestStop
            action.sa_flags = Int32(SA_RESTART)
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
    }

    /// Whether a disposition is "ignore" (as `nohup` leaves SIGHUP), which zong keeps.
    static func isIgnore(_ handler: __sighandler_t?) -> Bool {
        guard let handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// Removes `path` (a file or a whole directory) if a signal stops zong; `forget` it once it
    /// is removed, renamed or meant to stay.
    static func removeIfStopped(_ path: String) {
        lock.lock()
        paths.append(path)
        lock.unlock()
    }

    static func forget(_ path: String) {
        lock.lock()
        if let i = paths.lastIndex(of: path) { paths.remove(at: i) }
        lock.unlock()
    }

    /// Runs `spawn`, which starts a process group leader and returns its pid (0 when it could
    /// not), and registers the group; both under the lock, so a signal cannot fall between.
    static func startGroup(_ spawn: () -> pid_t) -> pid_t {
        lock.lock()
        if stopping {
            lock.unlock()
            park()
        }
        let pid = spawn()
        if pid > 0 { groups.insert(pid) }
        lock.unlock()
        return pid
    }

    /// Once the group leader `pid` has exited (and is still a zombie, so its pid cannot be
    /// reused): runs `reap` and forgets the group, under the lock. Parks if zong is stopping.
    static func endGroup<T>(_ pid: pid_t, reap: () -> T) -> T {
        lock.lock()
        let value = reap()
        groups.remove(pid)
        let stop = stopping
        lock.unlock()
        if stop { park() }
        return value
    }

    /// Waits for the exit that the stopping thread is about to make.
    private static func park() -> Never {
        while true { pause() }
    }

    private static func stop(_ number: Int32) -> Never {
        lock.lock()
        stopping = true
        let targets = groups
        for group in targets { kill(-group, number) }
        lock.unlock()
        // The waiting threads reap the leaders. Then SIGKILL for whatever is left: a leader
        // that ignores the signal, or a child that outlives its leader. A group's id cannot
        // have been reused this soon: Linux hands pids out in increasing order, wrapping only
        // at pid_max.
        let ended = waitForGroups(seconds: 2)
        lock.lock()
        for group in targets { kill(-group, SIGKILL) }
        lock.unlock()
        if !ended { _ = waitForGroups(seconds: 1) }
        lock.lock()
        let doomed = paths
        lock.unlock()
        for path in doomed.reversed() { try? FileManager.default.removeItem(atPath: path) }
        _exit(128 + number)
    }

    /// Whether every registered group's leader has been reaped within `seconds`.
    private static func waitForGroups(seconds: Double) -> Bool {
        for _ in 0..<Int(seconds * 100) {
            lock.lock()
            let empty = groups.isEmpty
            lock.unlock()
            if empty { return true }
            usleep(10_000)
        }
        return false
    }
}

/// The pipe's write end, for the handler; -1 before `install`.
nonisolated(unsafe) private var stopPipe: Int32 = -1

private func requestStop(_ number: Int32) {
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(stopPipe, &byte, 1)
}
