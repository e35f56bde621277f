import Foundation
import Testing
import ZongDriver

/// `zong bench` (issue 5): the real binary on tiny programs, and the pieces that decide what
/// it reports (output comparison, summaries) checked directly.
@Suite struct BenchTests {
    static let tiny = """
        func main() {
            var i: I64 = 0;
            var sum: I64 = 0;
            loop {
                if i >= 1000 { break; }
                sum = sum + i * i;
                i = i + 1;
            }
            print(sum);
        }
        """

    @Test func tableHasOneRowPerFormAndTheSpeedUp() throws {
        let path = try ZongBinary.write(Self.tiny)
        let r = try ZongBinary.run(["bench", path, "--runs", "3", "--warmup", "0"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.isEmpty, "no progress line when stderr is not a terminal: \(r.stderr)")
        let lines = r.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("zong bench \(path): 3 runs of each after 0 warm-ups") == true)
        let header = try #require(lines.first { $0.contains("median") })
        for column in ["build", "median", "min", "max", "cpu", "peak memory"] {
            #expect(header.contains(column), "missing column \(column)")
        }
        let native = try #require(lines.first { $0.hasPrefix("native ") })
        let interpreted = try #require(lines.first { $0.hasPrefix("interpreted ") })
        // Columns line up: every row is as long as the header.
        #expect(native.count == header.count && interpreted.count == header.count)
        // build, median, min, max, cpu: five times; then a memory size.
        let timePattern = try Regex(#"^native( +[0-9.]+ (µs|ms|s)){5} +[0-9.]+ (KiB|MiB|GiB)$"#)
        #expect(native.wholeMatch(of: timePattern) != nil, "row: \(native)")
        #expect(lines.contains { $0.contains("faster than interpreted") && $0.contains("same 10 bytes") },
                "summary line missing: \(r.stdoutText)")
    }

    @Test func jsonCarriesTheSameMeasurements() throws {
        let path = try ZongBinary.write(Self.tiny)
        let r = try ZongBinary.run(["bench", path, "--runs", "3", "--warmup", "1", "--json", "-O3", "--bounds=guard"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        #expect(object["runs"] as? Int == 3)
        #expect(object["warmup"] as? Int == 1)
        #expect(object["optimization"] as? String == "-O3")
        #expect(object["bounds"] as? String == "guard")
        #expect(object["output_bytes"] as? Int == 10)  // "332833500\n"
        var medians: [Double] = []
        for side in ["native", "interpreted"] {
            let s = try #require(object[side] as? [String: Any], "no \(side)")
            let samples = try #require(s["samples"] as? [Double])
            #expect(samples.count == 3)
            let wall = try #require(s["wall_seconds"] as? [String: Double])
            let median = try #require(wall["median"]), low = try #require(wall["min"]), high = try #require(wall["max"])
            #expect(low <= median && median <= high && low > 0)
            #expect(low == samples.min() && high == samples.max())
            #expect(try #require(s["build_seconds"] as? Double) > 0)
            let memory = try #require(s["peak_memory_bytes"] as? [String: Double])
            #expect(try #require(memory["max"]) > 0)
            medians.append(median)
        }
        let speedup = try #require(object["speedup"] as? Double)
        #expect(abs(speedup - medians[1] / medians[0]) < 1e-9 * speedup)
    }

    /// The native program's peak memory is its own, not the size of the zong process that
    /// started it (Linux charges exec's old address space to the child's rusage).
    @Test func nativePeakMemoryIsTheProgramsOwn() throws {
        let path = try ZongBinary.write(Self.tiny)
        let r = try ZongBinary.run(["bench", path, "--runs", "1", "--warmup", "0", "--json"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        let native = try #require(object["native"] as? [String: Any])
        let memory = try #require(native["peak_memory_bytes"] as? [String: Double])
        #expect(try #require(memory["max"]) < 8 * 1024 * 1024, "a loop of 1000 additions cannot need 8 MiB")
    }

    @Test func stdinComesFromTheInputFile() throws {
        let path = try ZongBinary.write("""
            func main() {
                var line: U8[] = read_line();
                print(line.length);
            }
            """)
        let input = try ZongBinary.write("hello\n", as: "in.txt")
        let r = try ZongBinary.run(["bench", path, "--runs", "1", "--warmup", "0", "--input", input, "--json"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        #expect(object["output_bytes"] as? Int == 2)  // "6\n"
        let missing = try ZongBinary.run(["bench", path, "--input", "/nonexistent/in.txt"])
        #expect(missing.status == 66)
        #expect(missing.stderr == "zong: error: cannot read the input file /nonexistent/in.txt\n")
    }

    /// Native and interpreted runs that print different bytes are an error, never a number.
    @Test func differentOutputsAreAnError() throws {
        let path = try ZongBinary.write("""
            extern "wasi_snapshot_preview1" {
                func clock_time_get(id: I32, precision: I64, time: I64*): I32;
            }
            func main() {
                var now: I64 = 0;
                clock_time_get(1, 1, now&);
                print(now);
            }
            """)
        let r = try ZongBinary.run(["bench", path, "--runs", "1", "--warmup", "0"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("zong: error: \(path): the interpreted run printed different output"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func aFailingProgramIsAnError() throws {
        let path = try ZongBinary.write("func main() { var s: I64[]; print(s[3]); }")
        let r = try ZongBinary.run(["bench", path, "--runs", "1", "--warmup", "0"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("exited with status 2 when run natively"))
        #expect(r.stderr.contains("index out of range"))
    }

    /// The help states the statuses `aFailingProgramIsAnError` and `differentOutputsAreAnError`
    /// check (it said 1 for both).
    @Test func helpStatesBothFailureStatuses() throws {
        let r = try ZongBinary.run(["bench", "--help"])
        let text = r.stdoutText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("exit status 2 when a run fails, 1 when the outputs differ"), "\(r.stdoutText)")
    }

    @Test func badCountsAreUsageErrors() throws {
        let path = try ZongBinary.write(Self.tiny)
        let r = try ZongBinary.run(["bench", path, "--runs", "0"])
        #expect(r.status == 64)
        #expect(r.stderr == "zong: error: --runs must be at least 1 and --warmup at least 0\n")
    }

    /// Huge counts are refused before anything is built (their sum used to overflow: a trap).
    @Test func hugeCountsAreUsageErrorsNotACrash() throws {
        let path = try ZongBinary.write(Self.tiny)
        for args in [["--runs", "9223372036854775807", "--warmup", "1"], ["--runs", "1", "--warmup", "9223372036854775807"]] {
            let r = try ZongBinary.run(["bench", path] + args)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(r.stderr == "zong: error: --runs and --warmup must be at most 1000000\n")
            #expect(r.stdout.isEmpty)
        }
    }

    // MARK: the comparison itself

    @Test func identicalOutputsHaveNoDifference() {
        #expect(OutputComparison.firstDifference(expected: [], actual: []) == nil)
        let bytes = Array("1\n2\n3\n".utf8)
        #expect(OutputComparison.firstDifference(expected: bytes, actual: bytes) == nil)
    }

    @Test func aChangedByteIsFoundWithItsLineAndColumn() throws {
        let d = try #require(OutputComparison.firstDifference(expected: Array("10\n20\n30\n".utf8),
                                                              actual: Array("10\n21\n30\n".utf8)))
        #expect(d.offset == 4 && d.line == 2 && d.column == 2)
        #expect(d.expectedLine == "20\n" && d.actualLine == "21\n")
        #expect(d.description.contains("line 2, column 2"))
    }

    @Test func aMissingTailIsADifference() throws {
        let shorter = try #require(OutputComparison.firstDifference(expected: Array("a\nb\n".utf8), actual: Array("a\nb".utf8)))
        #expect(shorter.offset == 3 && shorter.line == 2)
        #expect(shorter.expectedLine == "b\n" && shorter.actualLine == "b")
        let longer = try #require(OutputComparison.firstDifference(expected: Array("a\n".utf8), actual: Array("a\nextra\n".utf8)))
        #expect(longer.offset == 2 && longer.line == 2 && longer.expectedLine == "" && longer.actualLine == "extra\n")
        // Only one byte apart anywhere still counts: a single flipped bit in a long output.
        var big = [UInt8](repeating: 65, count: 100_000)
        var flipped = big
        flipped[99_999] ^= 1
        #expect(OutputComparison.firstDifference(expected: big, actual: flipped)?.offset == 99_999)
        big[0] = 66
        #expect(OutputComparison.firstDifference(expected: big, actual: flipped)?.offset == 0)
    }

    @Test func summariesUseTheMedianNotTheMean() {
        let odd = BenchSummary([5, 1, 100])
        #expect(odd.median == 5 && odd.min == 1 && odd.max == 100)
        let even = BenchSummary([4, 1, 3, 2])
        #expect(even.median == 2.5 && even.min == 1 && even.max == 4)
        #expect(BenchSummary([]).median == 0)
    }
}
