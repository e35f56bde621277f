import Foundation

/// What `zong bench` does besides compiling.
public struct BenchOptions: Sendable {
    /// Measured runs of each form.
    public var runs = 10
    /// Unmeasured runs of each form before the measured ones.
    public var warmup = 1
    /// Standard input for every run (default: /dev/null).
    public var input: String?
    public var json = false
    /// Arguments for the program.
    public var arguments: [String] = []
    /// The largest accepted --runs and --warmup.
    public static let maximumCount = 1_000_000
    public init() {}
}

/// Median, minimum and maximum of a set of samples.
public struct BenchSummary: Codable, Sendable, Equatable {
    public var median: Double
    public var min: Double
    public var max: Double

    public init(_ samples: [Double]) {
        let sorted = samples.sorted()
        guard let first = sorted.first, let last = sorted.last else {
            self.median = 0; self.min = 0; self.max = 0
            return
        }
        let mid = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        min = first
        max = last
    }
}

/// One form of the program (native or interpreted) over all measured runs.
public struct BenchSide: Codable, Sendable {
    /// Source to executable (native) or source to module (interpreted).
    public var buildSeconds: Double
    public var wallSeconds: BenchSummary
    /// User + system time of the child, from its rusage.
    public var cpuSeconds: BenchSummary
    /// Peak resident set size of the child, from its rusage.
    public var peakMemoryBytes: BenchSummary
    public var samples: [Double]

    init(buildSeconds: Double, runs: [ProcessMeasurement]) {
        self.buildSeconds = buildSeconds
        samples = runs.map(\.wallSeconds)
        wallSeconds = BenchSummary(samples)
        cpuSeconds = BenchSummary(runs.map(\.cpuSeconds))
        peakMemoryBytes = BenchSummary(runs.map { Double($0.peakMemoryBytes) })
    }
}

/// Everything `zong bench` measured; `--json` prints exactly this.
public struct BenchReport: Codable, Sendable {
    public var program: String
    public var runs: Int
    public var warmup: Int
    public var optimization: String
    public var bounds: String
    public var input: String?
    public var outputBytes: Int
    public var native: BenchSide
    public var interpreted: BenchSide
    /// Interpreted median wall time / native median wall time.
    public var speedup: Double
}

/// Where two outputs first differ.
public struct OutputDifference: Sendable, Equatable, CustomStringConvertible {
    /// Byte offset of the first difference (the shorter length when one is a prefix of the other).
    public var offset: Int
    /// 1-based line and column of `offset` in the expected output.
    public var line: Int
    public var column: Int
    public var expectedLine: String
    public var actualLine: String

    public var description: String {
        "first difference at byte \(offset) (line \(line), column \(column)): expected \(quoted(expectedLine)), got \(quoted(actualLine))"
    }

    private func quoted(_ s: String) -> String {
        var text = s.debugDescription
        if text.count > 70 { text = String(text.prefix(67)) + "...\"" }
        return text
    }
}

public enum OutputComparison {
    /// nil when the two byte strings are identical; otherwise where and how they differ.
    public static func firstDifference(expected: [UInt8], actual: [UInt8]) -> OutputDifference? {
        let common = Swift.min(expected.count, actual.count)
        var offset = 0
        while offset < common, expected[offset] == actual[offset] { offset += 1 }
        if offset == common, expected.count == actual.count { return nil }
        var line = 1, lineStart = 0
        for i in 0..<offset where expected[i] == 10 {
            line += 1
            lineStart = i + 1
        }
        func lineText(_ bytes: [UInt8]) -> String {
            guard lineStart <= bytes.count else { return "" }
            var end = lineStart
            while end < bytes.count, bytes[end] != 10 { end += 1 }
            if end < bytes.count { end += 1 }  // keep the newline: a missing one is the difference
            return String(decoding: bytes[lineStart..<end], as: UTF8.self)
        }
        return OutputDifference(offset: offset, line: line, column: offset - lineStart + 1,
                                expectedLine: lineText(expected), actualLine: lineText(actual))
    }
}

extension Driver {
    /// `zong bench FILE`: the program built natively and as a module, each run `runs` times
    /// after `warmup` unmeasured runs (alternating native and interpreted), with the same stdin.
    /// Both must print the same bytes and succeed; then a table (or JSON) on stdout.
    public func bench(path: String, bench: BenchOptions) -> Int32 {
        var pipeline = Pipeline(options: options)
        return reporting(&pipeline) { p throws(CompileFailure) in
            guard bench.runs >= 1, bench.warmup >= 0 else {
                throw .usage(UsageError("zong: error: --runs must be at least 1 and --warmup at least 0"))
            }
            // An upper bound keeps `warmup + runs` from overflowing (a trap, not a message).
            guard bench.runs <= BenchOptions.maximumCount, bench.warmup <= BenchOptions.maximumCount else {
                throw .usage(UsageError("zong: error: --runs and --warmup must be at most \(BenchOptions.maximumCount)"))
            }
            let file = try load(path)
            let wasmkit: String, helper: String
            do throws(UsageError) {
                wasmkit = try Interpreter.require()
                helper = try MeasuredProcess.helper()
            } catch { throw .usage(error) }
            if let input = bench.input {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), !isDirectory.boolValue,
                      FileManager.default.isReadableFile(atPath: input) else {
                    throw .usage(UsageError("zong: error: cannot read the input file \(input)", exitStatus: ExitStatus.noInput))
                }
            }
            let dir = Scratch.directory()
            defer { Scratch.remove(dir) }
            let progress = Progress(enabled: isatty(2) != 0 && !options.quiet && !quiet)

            // Build both forms; each build time starts from the source text.
            progress.show("building")
            let t0 = MeasuredProcess.monotonicSeconds()
            let program = try p.check(file)
            let module = try p.wasm(program)
            let bytes = p.encode(module)
            let modulePath = dir + "/program.wasm"
            try Output.write(bytes, to: modulePath)
            let moduleSeconds = MeasuredProcess.monotonicSeconds() - t0
            let executable = dir + "/program"
            try p.native(try p.c(bytes), output: executable)
            let nativeSeconds = MeasuredProcess.monotonicSeconds() - t0

            let forms: [(name: String, argv: [String])] = [
                ("native", [executable] + bench.arguments),
                ("interpreted", [wasmkit] + Interpreter.commandArguments(modulePath: modulePath, arguments: bench.arguments)),
            ]
            var reference: [UInt8]?
            var measured: [[ProcessMeasurement]] = [[], []]
            let total = bench.warmup + bench.runs
            for round in 0..<total {
                for (index, form) in forms.enumerated() {
                    let phase = round < bench.warmup ? "warm-up \(round + 1)/\(bench.warmup)"
                        : "run \(round - bench.warmup + 1)/\(bench.runs)"
                    progress.show("\(phase), \(form.name)")
                    let m: ProcessMeasurement
                    do throws(UsageError) {
                        m = try MeasuredProcess.run(form.argv, stdinPath: bench.input, scratch: dir, helper: helper,
                                                    timeout: options.programTimeout)
                    } catch {
                        progress.clear()
                        throw .usage(error)
                    }
                    guard m.status == 0 else {
                        progress.clear()
                        let signal = SignalForwarding.forwarded
                        if signal != 0 {
                            // Stopped on purpose (kill, timeout, Ctrl-C): say so and end as the signal would.
                            throw .usage(UsageError("zong: bench stopped by signal \(signal)", exitStatus: 128 + signal))
                        }
                        let lastLine = String(decoding: m.stderr, as: UTF8.self)
                            .split(separator: "\n").last.map { ": " + $0 } ?? ""
                        throw .usage(UsageError(
                            "zong: error: \(path) exited with status \(m.status) when run \(form.name == "native" ? "natively" : "interpreted")\(lastLine)",
                            exitStatus: ExitStatus.runtimeError))
                    }
                    if let reference {
                        if let diff = OutputComparison.firstDifference(expected: reference, actual: m.stdout) {
                            progress.clear()
                            throw .usage(UsageError(
                                "zong: error: \(path): the \(form.name) run printed different output from the first native run: \(diff)",
                                exitStatus: ExitStatus.compileError))
                        }
                    } else {
                        reference = m.stdout
                    }
                    if round >= bench.warmup { measured[index].append(m) }
                }
            }
            progress.clear()

            let native = BenchSide(buildSeconds: nativeSeconds, runs: measured[0])
            let interpreted = BenchSide(buildSeconds: moduleSeconds, runs: measured[1])
            let report = BenchReport(
                program: path, runs: bench.runs, warmup: bench.warmup, optimization: options.optimization,
                bounds: options.bounds.rawValue, input: bench.input, outputBytes: reference?.count ?? 0,
                native: native, interpreted: interpreted,
                speedup: native.wallSeconds.median > 0 ? interpreted.wallSeconds.median / native.wallSeconds.median : 0)
            let text = bench.json ? BenchFormat.json(report) : BenchFormat.table(report)
            do throws(UsageError) { try StandardStreams.writeStandardOutput(Array(text.utf8)) } catch { throw .usage(error) }
            return ExitStatus.success
        }
    }
}

/// A one-line progress indicator on stderr, only when stderr is a terminal.
struct Progress {
    let enabled: Bool
    func show(_ text: String) {
        if enabled { writeStandardError("\r\u{1B}[Kzong bench: \(text)") }
    }
    func clear() {
        if enabled { writeStandardError("\r\u{1B}[K") }
    }
}

public enum BenchFormat {
    public static func json(_ report: BenchReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(report) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public static func table(_ r: BenchReport) -> String {
        let warm = r.warmup == 1 ? "1 warm-up" : "\(r.warmup) warm-ups"
        var out = "zong bench \(r.program): \(r.runs) run\(r.runs == 1 ? "" : "s") of each after \(warm), "
            + "\(r.optimization), --bounds=\(r.bounds), stdin \(r.input ?? "/dev/null")\n\n"
        let header = ["", "build", "median", "min", "max", "cpu", "peak memory"]
        func row(_ name: String, _ s: BenchSide) -> [String] {
            [name, time(s.buildSeconds), time(s.wallSeconds.median), time(s.wallSeconds.min),
             time(s.wallSeconds.max), time(s.cpuSeconds.median), memory(s.peakMemoryBytes.max)]
        }
        let rows = [header, row("native", r.native), row("interpreted", r.interpreted)]
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = Swift.max(widths[i], cell.count) } }
        for row in rows {
            var line = row[0].padding(toLength: widths[0], withPad: " ", startingAt: 0)
            for i in 1..<row.count {
                line += "  " + String(repeating: " ", count: widths[i] - row[i].count) + row[i]
            }
            out += line + "\n"
        }
        out += "\n"
        let ratio = r.speedup >= 10 ? String(format: "%.0f", r.speedup) : String(format: "%.1f", r.speedup)
        out += "native is \(ratio)x faster than interpreted (median wall time); "
        out += "both printed the same \(r.outputBytes) byte\(r.outputBytes == 1 ? "" : "s")\n"
        out += "(wall time from spawn to exit; cpu = user + system; peak memory = largest resident set)\n"
        return out
    }

    static func time(_ seconds: Double) -> String {
        if seconds < 1e-3 { return String(format: "%.0f µs", seconds * 1e6) }
        if seconds < 1 { return String(format: "%.1f ms", seconds * 1e3) }
        return String(format: "%.2f s", seconds)
    }

    static func memory(_ bytes: Double) -> String {
        if bytes < 1024 * 1024 { return String(format: "%.0f KiB", bytes / 1024) }
        if bytes < 1024 * 1024 * 1024 { return String(format: "%.1f MiB", bytes / (1024 * 1024)) }
        return String(format: "%.2f GiB", bytes / (1024 * 1024 * 1024))
    }
}
