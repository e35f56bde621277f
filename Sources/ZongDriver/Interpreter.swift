import Foundation

/// Runs a WASI module under the `wasmkit` interpreter that ships with the Swift toolchain.
/// stdin and stdout pass straight through; stderr is relayed, except that wasmkit's own trap
/// report is rewritten to zong's form (`zong: runtime error: KIND in function NAME`, exit 2),
/// so a program fails the same way interpreted as natively.
public enum Interpreter {
    public static func locate() -> String? {
        ToolLocator.find("wasmkit", override: "ZONG_WASMKIT")
    }

    /// The interpreter's path, or the one-line error that says where zong looked.
    public static func require() throws(UsageError) -> String {
        if let found = locate() { return found }
        if let value = ProcessInfo.processInfo.environment["ZONG_WASMKIT"], !value.isEmpty {
            throw UsageError("zong: error: the wasmkit interpreter was not found: ZONG_WASMKIT=\(value) is not an executable",
                             exitStatus: ExitStatus.unavailable)
        }
        throw UsageError("zong: error: the wasmkit interpreter was not found (looked on PATH and beside the Swift toolchain; set ZONG_WASMKIT)",
                         exitStatus: ExitStatus.unavailable)
    }

    /// - Parameter functionName: the name-section name of a function index, for trap reports.
    /// The host directories a program sees when run natively: "/" for absolute paths and "."
    /// for relative ones (runtime-c/wasi.c preopens the same two).
    public static let defaultDirectories = ["/", "."]

    /// The interpreter's stack. With wasmkit's default (about 3,800 calls of a small function)
    /// a recursion that natively stops at the tstack's limit (1 MiB, at least 16 bytes a frame)
    /// ran out of interpreter stack first, and the two reported different faults for one
    /// program. 16 MiB holds more frames than the tstack can; larger would only make runaway
    /// recursion slower to stop (64 MiB took 10 s, 16 MiB 2 s). The memory is touched as used.
    static let stackBytes = 16 << 20

    /// wasmkit's arguments (after its path) to run `modulePath`, for `zong run` and `zong bench` alike.
    static func commandArguments(modulePath: String, arguments: [String], directories: [String] = defaultDirectories) -> [String] {
        ["run", "--stack-size", String(stackBytes)] + directories.flatMap { ["--dir", $0] } + [modulePath] + arguments
    }

    /// - Parameter directories: the directories the program may open files in (`--dir`).
    public static func run(modulePath: String, arguments: [String], directories: [String] = defaultDirectories,
                           functionName: (Int) -> String?, timeout: Double? = nil) throws(UsageError) -> Int32 {
        let wasmkit = try require()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wasmkit)
        process.arguments = commandArguments(modulePath: modulePath, arguments: arguments, directories: directories)
        let errors = Pipe()
        process.standardError = errors
        SignalForwarding.prepare()
        do {
            try process.run()
        } catch {
            throw UsageError("zong: error: cannot start \(wasmkit): \(error.localizedDescription)", exitStatus: ExitStatus.unavailable)
        }
        SignalForwarding.start(to: process.processIdentifier)
        let watchdog = Watchdog(pid: process.processIdentifier, seconds: timeout)
        let stderrBytes = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        SignalForwarding.stop()
        if watchdog?.finish() == true {
            writeStandardError(NativeProcess.timeoutMessage(timeout ?? 0))
            return ExitStatus.programTimeout
        }
        let text = String(decoding: stderrBytes, as: UTF8.self)
        if process.terminationReason == .uncaughtSignal {
            if let crash = ExitCodeCrash.parse(text) {
                writeStandardError(crash.programOutput)
                return crash.status
            }
            writeStandardError(Array(stderrBytes))
            // Killed by a signal (SIGPIPE from `| head`, SIGTERM): 128 + the signal, as a shell
            // and `zong run` natively report it.
            return 128 + process.terminationStatus
        }
        let status = process.terminationStatus
        guard let trap = TrapReport.parse(text) else {
            writeStandardError(Array(stderrBytes))
            return status
        }
        writeStandardError(trap.programOutput)
        let name = trap.functionIndex.flatMap(functionName) ?? trap.functionName
            ?? trap.functionIndex.map { "function[\($0)]" } ?? "?"
        writeStandardError("zong: runtime error: \(TrapReport.zongKind(trap.kind)) in function \(name)\n")
        return ExitStatus.runtimeError
    }
}

/// A wasmkit bug: its WASI `proc_exit` converts the exit code (an unsigned 32-bit value) to
/// `Int32` with a trapping conversion (CLI/Commands/Run.swift, `instantiateWASI`), so a program
/// calling `proc_exit(-1)` — any code of 2^31 or more — crashes wasmkit with a Swift runtime
/// failure and a backtrace instead of exiting. Natively such a program exits with the code's
/// low byte (255 for -1). This recognizes the crash, drops wasmkit's backtrace and returns the
/// native status: the low byte of the code when the crash report's register dump shows it (rax
/// holds the value being converted), else 255.
struct ExitCodeCrash {
    var programOutput: String
    var status: Int32

    static func parse(_ text: String) -> ExitCodeCrash? {
        guard text.contains("Not enough bits to represent the passed value"), text.contains("instantiateWASI"),
              let start = text.range(of: "*** Signal ") else { return nil }
        var before = String(text[..<start.lowerBound])
        if before.hasSuffix("\n") { before.removeLast() }  // the backtracer starts on a new line
        var status: Int32 = 255
        for line in text[start.lowerBound...].split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, fields[0] == "rax", fields[1].hasPrefix("0x"),
               let value = UInt64(fields[1].dropFirst(2), radix: 16), value >= 0x8000_0000, value <= 0xffff_ffff {
                status = Int32(value & 0xff)
                break
            }
        }
        return ExitCodeCrash(programOutput: before, status: status)
    }
}

/// wasmkit's trap output: `Error: Trap: KIND` followed by a backtrace of `N: wasm function[I]`.
struct TrapReport {
    var programOutput: String
    var kind: String
    var functionIndex: Int?
    /// The frame's name when wasmkit printed one (from the module's name section).
    var functionName: String?

    static func parse(_ text: String) -> TrapReport? {
        guard let range = text.range(of: "Error: Trap: ", options: .backwards) else { return nil }
        let before = String(text[..<range.lowerBound])
        let after = text[range.upperBound...]
        let kind = after.prefix { $0 != "\n" }.trimmingCharacters(in: .whitespaces)
        var index: Int?
        var name: String?
        // The innermost frame: "    0: wasm function[12]" without a name section, "    0: fib" with one.
        let frames = after.split(separator: "\n").dropFirst()
        if let first = frames.first, let colon = first.firstIndex(of: ":"),
           first[..<colon].trimmingCharacters(in: .whitespaces) == "0" {
            let frame = first[first.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if frame.hasPrefix("wasm function[") {
                index = Int(frame.dropFirst("wasm function[".count).prefix { $0.isNumber })
            } else if !frame.isEmpty {
                name = frame
            }
        }
        return TrapReport(programOutput: before, kind: kind, functionIndex: index, functionName: name)
    }

    /// The same words the native runtime uses.
    static func zongKind(_ kind: String) -> String {
        switch kind {
        case "call stack exhausted": "stack overflow"
        default: kind
        }
    }
}
