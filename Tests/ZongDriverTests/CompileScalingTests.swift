import Foundation
import Testing

/// Issue 19: `zong check` is linear in every shape a program can grow in. Each shape is
/// checked at n and 4n; linear work takes about 4 times as long, quadratic work 16 times.
/// The bound (6 times, plus a little for process start-up and noise) separates the two.
@Suite(.serialized) struct CompileScalingTests {
    /// A program of shape `shape` with `n` repetitions of its growing part.
    static func program(_ shape: String, _ n: Int) -> String {
        var lines: [String] = []
        switch shape {
        case "locals":
            lines.append("func main() {\n  var s: I64 = 0;")
            for i in 0..<n { lines.append("  var v\(i): I64 = \(i);\n  s = s + v\(i);") }
            lines.append("  print(s);\n}")
        case "locals live at once":
            // Values the optimizer cannot fold (they depend on the input), all read at the end,
            // twice each (so none is computed only where it is read).
            lines.append("func main() {\n  var k: I64 = read_line().length;")
            for i in 0..<n { lines.append("  var v\(i): I64 = k + \(i);") }
            lines.append("  var s: I64 = 0;")
            for i in stride(from: n - 1, through: 0, by: -1) { lines.append("  s = s + v\(i) * v\(i);") }
            lines.append("  print(s);\n}")
        case "locals assigned in branches":
            lines.append("func main() {\n  var s: I64 = 0;")
            for i in 0..<n {
                lines.append("  var v\(i): I64;\n  if s > \(i) { v\(i) = 1; } else { v\(i) = 2; }\n  s = s + v\(i);")
            }
            lines.append("  print(s);\n}")
        case "functions":
            for i in 0..<n { lines.append("func f\(i)(x: I64): I64 { return x + \(i); }") }
            lines.append("func main() {\n  var s: I64 = 0;")
            for i in stride(from: 0, to: n, by: 10) { lines.append("  s = s + f\(i)(x: s);") }
            lines.append("  print(s);\n}")
        case "struct fields":
            lines.append("struct Big(" + (0..<n).map { "f\($0): I64" }.joined(separator: ", ") + ");")
            lines.append("func main() {\n  var b: Big;")
            for i in stride(from: 0, to: n, by: 10) { lines.append("  b.f\(i) = \(i);") }
            lines.append("  print(b.f0);\n}")
        case "scopes":
            lines.append("func main() {\n  var s: I64 = 0;")
            for i in 0..<n { lines.append("  { var t: I64 = \(i); s = s + t; }") }
            lines.append("  print(s);\n}")
        default:
            lines.append("func main() { print_bytes(\"" + String(repeating: "ab", count: n) + "\"); }")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func secondsToCheck(_ source: String) throws -> Double {
        let path = try ZongBinary.write(source)
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let start = Date()
        let r = try ZongBinary.run(["check", path])
        let seconds = Date().timeIntervalSince(start)
        #expect(r.status == 0, "\(r.stderr.prefix(500))")
        return seconds
    }

    @Test(arguments: ["locals", "locals assigned in branches", "functions", "struct fields", "scopes", "string literal"])
    func checkIsLinear(_ shape: String) throws {
        let n = 5_000
        let small = try Self.secondsToCheck(Self.program(shape, n))
        let large = try Self.secondsToCheck(Self.program(shape, 4 * n))
        print("zong check, \(shape): \(n) in \(String(format: "%.3f", small)) s, \(4 * n) in \(String(format: "%.3f", large)) s")
        #expect(large < 6 * small + 0.3, "\(shape): \(small) s for \(n), \(large) s for \(4 * n)")
    }

    /// 20,000 locals in one function: under 0.3 s in a release build; this allows for a debug
    /// build and a busy machine, and still fails the quadratic checker this replaced (2.5 s in release).
    @Test func twentyThousandLocals() throws {
        let seconds = try Self.secondsToCheck(Self.program("locals", 20_000))
        #expect(seconds < 2, "\(seconds) s")
    }

    /// `zong build` of huge functions (issue 19): 10,000 statements, each declaring a variable
    /// and assigning it in an if/else, used to take 54 s in clang at -O2 (the IR back end now
    /// shares locals between them, so W2C's C is small enough to optimize; a function that is
    /// not is compiled without optimization, OptimizationBudgetTests), and --verbose says when
    /// the C compiler starts. 100,000 sequential blocks take a few locals, not 100,000 (more
    /// than WASM engines and W2C's decoder accept).
    @Test func hugeFunctionsBuildInBoundedTime() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var blocks = ["func main() {\n  var s: I64 = 0;"]
        for i in 0..<100_000 { blocks.append("  { var t: I64; if s > \(i % 1000) { t = 1; } else { t = 2; } s = s + t; }") }
        blocks.append("  print(s);\n}\n")
        // --verbose also runs the IR verifier after every pass (60 s more on the 100k blocks in
        // a debug build), so only the first case uses it.
        let cases: [(name: String, source: String, output: String, seconds: Double, verbose: Bool)] = [
            ("10k statements", Self.program("locals assigned in branches", 10_000), "10001\n", 60, true),
            ("100k blocks", blocks.joined(separator: "\n"), "100001\n", 180, false),
        ]
        for c in cases {
            let source = dir.appendingPathComponent("huge.zong").path
            try Data(c.source.utf8).write(to: URL(fileURLWithPath: source))
            let exe = dir.appendingPathComponent("huge").path
            let start = Date()
            let r = try ZongBinary.run(["build", source, "-o", exe] + (c.verbose ? ["--verbose"] : []), timeout: 600)
            let seconds = Date().timeIntervalSince(start)
            print("zong build, \(c.name): \(String(format: "%.1f", seconds)) s")
            #expect(r.status == 0, "\(c.name): \(r.stderr.prefix(500))")
            #expect(seconds < c.seconds, "\(c.name): \(seconds) s")
            #expect(r.stderr.contains("zong: compiling ") == c.verbose, "\(r.stderr.prefix(500))")
            #expect(try ZongBinary.runProgram(exe, []).stdoutText == c.output)
        }
    }

    /// More scalar variables in scope at once than WASM engines accept is a located compile
    /// error, not W2C's "internal error" (exit 70) on the module.
    @Test func tooManyLocalsAtOnceIsACompileError() throws {
        let path = try ZongBinary.write(Self.program("locals live at once", 60_000))
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let exe = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("p").path
        let r = try ZongBinary.run(["build", path, "-o", exe])
        #expect(r.status == 1, "\(r.stderr.prefix(500))")
        #expect(r.stderr.hasPrefix(path + ":1:6: error: function 'main' needs 60,0"), "\(r.stderr.prefix(500))")
        #expect(r.stderr.contains(" local variables at once, more than the 50,000 supported; split it into smaller functions\n"),
                "\(r.stderr.prefix(500))")
    }
}
