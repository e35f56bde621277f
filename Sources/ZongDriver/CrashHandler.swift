import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The last resort: a fault or trap in the compiler process itself (a Swift runtime trap, an
/// out-of-range subscript, a stack overflow on the main thread) prints one fixed message and a
/// request to report it, then exits with 70 (internal error), instead of a raw backtrace and a
/// signal status. The runtime's own one-line reason ("Fatal error: ..."), when it prints one,
/// stays just above the message.
///
/// The handler only calls write(2) and _exit(2), both async-signal-safe, on bytes prepared at
/// installation; it runs on its own stack, so a stack overflow reaches it too. Child processes
/// (clang, the program, wasmkit) start with the default dispositions: exec resets handlers.
public enum CrashHandler {
    static let signals: [(Int32, String)] = [
        (SIGILL, "SIGILL"), (SIGTRAP, "SIGTRAP"), (SIGSEGV, "SIGSEGV"), (SIGBUS, "SIGBUS"), (SIGFPE, "SIGFPE"),
        (SIGABRT, "SIGABRT"),
    ]

    /// Gives the calling thread a stack of its own for the handler (each thread needs one: a
    /// thread that overflows its stack cannot run a handler on it). Kept until exit.
    static func prepareThread() {
        let stackSize = 1 << 16
        if let stack = malloc(stackSize) {
            var alternate = stack_t()
            alternate.ss_sp = stack
            alternate.ss_size = stackSize
            alternate.ss_flags = 0
            sigaltstack(&alternate, nil)
        }
    }

    /// Installs the handlers (once, early in main).
    public static func install() {
        prepareThread()
        var table: [(UnsafePointer<UInt8>, Int)?] = Array(repeating: nil, count: 65)
        for (number, name) in signals where Int(number) < table.count {
            let text = "zong: internal error: the compiler crashed (\(name))\n"
                + "zong: this is a bug in zong; please report it with the command and the input that caused it\n"
            let bytes = Array(text.utf8)
            let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
            buffer.initialize(from: bytes, count: bytes.count)
            table[Int(number)] = (UnsafePointer(buffer), bytes.count)
        }
        crashTable = table
        for (number, _) in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = crashed
            action.sa_flags = Int32(SA_ONSTACK) | Int32(bitPattern: UInt32(SA_RESETHAND))
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
    }

    /// For the tests of this handler only: `ZONG_TEST_CRASH=trap|segv|overflow` makes the
    /// process fail that way at startup (never set in normal use).
    public static func crashIfRequestedForTesting() {
        switch ProcessInfo.processInfo.environment["ZONG_TEST_CRASH"] {
        case "trap":
            let empty: [Int] = []
            _ = empty[Int(getpid() % 2 + 5)]
        case "segv":
            raise(SIGSEGV)
        case "overflow":
            print(deep(Int(getpid())))
        default: break
        }
    }

    private static func deep(_ n: Int) -> Int {
        var frame = [Int](repeating: n, count: 64)
        return frame.withUnsafeMutableBufferPointer { $0[0] + deep(n + 1) }
    }
}

/// By signal number: the message's bytes, prepared at installation.
nonisolated(unsafe) private var crashTable: [(UnsafePointer<UInt8>, Int)?] = []

private func crashed(_ number: Int32) {
    if Int(number) >= 0, Int(number) < crashTable.count, let (bytes, count) = crashTable[Int(number)] {
        _ = write(2, bytes, count)
    }
    _exit(70)
}
