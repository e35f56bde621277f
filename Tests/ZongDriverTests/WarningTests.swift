import Foundation
import Testing

/// Warnings through the real binary: each kind, `-W`/`-Wno-`/`-Werror`, and no warning (and so
/// no change of output) for any example or project benchmark.
@Suite struct WarningTests {
    static func run(_ source: String, _ arguments: [String] = ["check"], extra: [String] = []) throws -> ZongBinary.Result {
        let dir = ZongBinary.temporaryDirectory()
        try Data(source.utf8).write(to: dir.appendingPathComponent("w.zong"))
        return try ZongBinary.run(arguments + ["w.zong", "--color", "never"] + extra, directory: dir)
    }

    @Test(arguments: [
        ("func main() {\n    var n: I64 = 1\n}\n", "w.zong:2:9: warning: variable 'n' is never read [-Wunused-variable]"),
        ("func f(a: I64, b: I64): I64 { return a }\nfunc main() { print(f(a: 1, b: 2)) }\n",
         "w.zong:1:16: warning: unused parameter 'b' [-Wunused-parameter]"),
        ("func main() {\n    return;\n    print(1)\n}\n", "w.zong:3:5: warning: code after 'return' is never executed [-Wunreachable-code]"),
        ("func main() {\n    loop {\n        break\n        print(1)\n    }\n}\n",
         "w.zong:4:9: warning: code after 'break' is never executed [-Wunreachable-code]"),
        ("func f(): I64* {\n    var x: I64 = 1\n    return x&\n}\nfunc main() { print(f()*) }\n",
         "w.zong:3:12: warning: returning the address of local 'x', which no longer exists when 'f' returns [-Wdangling-address]"),
        ("struct B(p: I64*)\nfunc g(b: B*) {\n    var x: I64 = 1\n    b*.p = x&\n}\nfunc main() { var b: B; g(b&) }\n",
         "w.zong:4:12: warning: storing the address of local 'x' where it outlives 'g' [-Wdangling-address]"),
        ("func main() {\n    var u: U8 = 1\n    if u < 0 { print(1) }\n}\n",
         "w.zong:3:8: warning: comparison is always false: a value of type U8 is never negative [-Wtautological-compare]"),
        ("func main() {\n    var u: U8 = 1\n    if u <= 255 { print(1) }\n}\n",
         "w.zong:3:8: warning: comparison is always true: 255 is the largest U8 [-Wtautological-compare]"),
        ("func main() {\n    var i: I8 = 1\n    if -128 > i { print(1) }\n}\n",
         "w.zong:3:8: warning: comparison is always false: -128 is the smallest I8 [-Wtautological-compare]"),
    ])
    func eachWarning(_ source: String, _ expected: String) throws {
        let r = try Self.run(source)
        // A warning does not change the exit status.
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").contains { $0 == expected }, "\(r.stderr)")
        let off = try Self.run(source, extra: ["-Wnone"])
        #expect(off.status == 0 && off.stderr.isEmpty, "\(off.stderr)")
        let error = try Self.run(source, extra: ["-Werror"])
        #expect(error.status == 1 && error.stderr.contains(": error: ") && error.stderr.contains("[-Werror,-W"), "\(error.stderr)")
    }

    @Test func optionsInOrderAndPerName() throws {
        let source = "func f(a: I64) {\n    var n: I64 = 1\n}\nfunc main() { f(a: 1) }\n"
        let both = try Self.run(source)
        #expect(both.stderr.contains("[-Wunused-variable]") && both.stderr.contains("[-Wunused-parameter]"))
        let one = try Self.run(source, extra: ["-Wno-unused-parameter"])
        #expect(one.stderr.contains("[-Wunused-variable]") && !one.stderr.contains("[-Wunused-parameter]"), "\(one.stderr)")
        let back = try Self.run(source, extra: ["-Wnone", "-Wunused-parameter"])
        #expect(!back.stderr.contains("[-Wunused-variable]") && back.stderr.contains("[-Wunused-parameter]"), "\(back.stderr)")
        // -Werror for a warning that is off changes nothing.
        let quietError = try Self.run(source, extra: ["-Wnone", "-Werror"])
        #expect(quietError.status == 0 && quietError.stderr.isEmpty)
        let unknown = try Self.run(source, extra: ["-Wbogus"])
        #expect(unknown.status == 64 && unknown.stderr.contains("unknown warning option '-Wbogus'"), "\(unknown.stderr)")
        // --quiet prints nothing but errors.
        let quiet = try Self.run(source, extra: ["--quiet"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty)
        // JSON: severity warning, the warning's name as code.
        let json = try Self.run(source, extra: ["--diagnostics-format", "json"])
        #expect(json.stderr.contains("\"severity\":\"warning\",\"code\":\"unused-variable\""), "\(json.stderr)")
    }

    /// `zong run` shows the warning and still runs the program with status 0; -Werror stops it.
    @Test func warningsDoNotStopABuild() throws {
        let source = "func main() {\n    var n: I64 = 1\n    print(2)\n}\n"
        let r = try Self.run(source, ["run"])
        #expect(r.status == 0 && r.stdoutText == "2\n" && r.stderr.contains("warning: variable 'n' is never read"), "\(r.stderr)")
        let e = try Self.run(source, ["run"], extra: ["-Werror"])
        #expect(e.status == 1 && e.stdoutText.isEmpty)
    }

    @Test func noWarningsInExamplesOrBenchmarks() throws {
        let root = ZongBinary.packageRoot
        var files: [String] = []
        for dir in ["Examples", "bench/zong"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(dir).path)) ?? []
            files += names.filter { $0.hasSuffix(".zong") }.map { root.appendingPathComponent(dir).appendingPathComponent($0).path }
        }
        #expect(files.count > 5)
        for f in files {
            let r = try ZongBinary.run(["check", f])
            #expect(r.status == 0 && r.stderr.isEmpty, "\(f): \(r.stderr)")
        }
    }
}
