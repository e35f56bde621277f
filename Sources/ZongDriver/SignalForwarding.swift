import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// While `zong run` or `zong bench` waits for its program (the native executable, wasmkit, or
/// bench's measuring helper, which passes signals on in turn), a SIGTERM, SIGINT
/// or SIGHUP sent to zong alone, as `timeout` and `kill` do, would end zong and leave the
/// program running on without a parent. Instead zong passes the signal on and keeps waiting, so
/// the program ends and zong reports its status (128 + the signal) as a shell would.
/// (A terminal's Ctrl-C reaches both already; the program then simply gets it twice.)
///
/// A plain handler, not a dispatch source: on Linux those read a signalfd, which never sees a
/// signal whose disposition is "ignore". Handlers, unlike ignored dispositions, end at exec,
/// so the child starts with the defaults whether it was spawned before or after.
/// A signal zong was started with ignored (`nohup`, a background job's SIGINT) stays ignored,
/// as a shell leaves it: the child inherited that too.
enum SignalForwarding {
    private static let candidates = [SIGTERM, SIGINT, SIGHUP]
    /// The signals whose handler `start` replaced, with the handler to restore (Interruption's).
    nonisolated(unsafe) private static var installed: [(Int32, __sighandler_t?)] = []

    /// Before spawning the child: unblocks the signals in this thread, whose mask the child
    /// inherits. A parent that blocks them (a test runner's worker thread does) would otherwise
    /// leave zong and its program deaf to every one of them.
    static func prepare() {
        var set = sigset_t()
        sigemptyset(&set)
        for number in candidates { sigaddset(&set, number) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The last signal passed on since the last `start`, or 0.
    static var forwarded: Int32 { forwardedSignal }

    /// Starts forwarding to `child`.
    static func start(to child: pid_t) {
        forwardedSignal = 0
        forwardingTarget = child
        installed = []
        for number in candidates {
            let previous = signal(number, forwardToChild)
            if Interruption.isIgnore(previous) {
                signal(number, SIG_IGN)
            } else {
                installed.append((number, previous))
            }
        }
    }

    /// Restores the previous handlers once the child has exited.
    static func stop() {
        for (number, previous) in installed { signal(number, previous) }
        installed = []
        forwardingTarget = 0
    }
}

/// The child a handler passes signals to; 0 when there is none.
nonisolated(unsafe) private var forwardingTarget: pid_t = 0

/// The signal the handler last passed on.
nonisolated(unsafe) private var forwardedSignal: Int32 = 0

/// kill(2) is async-signal-safe.
private func forwardToChild(_ number: Int32) {
    if forwardingTarget > 0 {
        forwardedSignal = number
        _ = kill(forwardingTarget, number)
    }
}
