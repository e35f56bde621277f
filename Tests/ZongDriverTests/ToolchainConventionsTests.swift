import Foundation
import Testing

/// The conventions a command-line user expects, through the real binary: colour only where it
/// belongs (`--color`, NO_COLOR, TERM=dumb), `--debug` builds at -O0, `zong eval` prints values.
@Suite struct ToolchainConventionsTests {
    static let bad = "func main() { print(x) }\n"
    static let escape = "\u{1B}["

    static func badFile() throws -> String {
        let dir = ZongBinary.temporaryDirectory()
        let path = dir.appendingPathComponent("bad.zong").path
        try Data(bad.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs zong on a pseudo-terminal (util-linux `script`), so `auto` sees a terminal.
    static func onTerminal(_ arguments: [String], environment: [String: String?]) throws -> String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), let zong = ZongBinary.executable else { return nil }
        let command = ([zong] + arguments).map { "'\($0)'" }.joined(separator: " ")
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let r = try ZongBinary.runProgram("/usr/bin/script", ["-qec", command, "/dev/null"], environment: env)
        return r.stdoutText
    }

    @Test func colorFlag() throws {
        let file = try Self.badFile()
        let always = try ZongBinary.run(["check", file, "--color", "always"])
        #expect(always.status == 1 && always.stderr.contains(Self.escape), "\(always.stderr)")
        // An explicit choice wins over NO_COLOR.
        let forced = try ZongBinary.run(["check", file, "--color=always"], environment: ["NO_COLOR": "1"])
        #expect(forced.stderr.contains(Self.escape))
        let never = try ZongBinary.run(["check", file, "--color", "never"])
        #expect(never.status == 1 && !never.stderr.contains(Self.escape) && never.stderr.contains("error: undefined symbol 'x'"))
        // Not a terminal: auto gives no colour.
        let auto = try ZongBinary.run(["check", file])
        #expect(!auto.stderr.contains(Self.escape))
        let wrong = try ZongBinary.run(["check", file, "--color", "sometimes"])
        #expect(wrong.status == 64)
    }

    @Test func colorOnATerminal() throws {
        let file = try Self.badFile()
        guard let plain = try Self.onTerminal(["check", file], environment: ["TERM": "xterm", "NO_COLOR": nil]) else { return }
        #expect(plain.contains(Self.escape), "a terminal gets colour: \(plain)")
        // NO_COLOR set but empty means nothing (no-color.org).
        let empty = try Self.onTerminal(["check", file], environment: ["TERM": "xterm", "NO_COLOR": ""]) ?? ""
        #expect(empty.contains(Self.escape), "\(empty)")
        let noColor = try Self.onTerminal(["check", file], environment: ["TERM": "xterm", "NO_COLOR": "1"]) ?? ""
        #expect(!noColor.contains(Self.escape) && noColor.contains("undefined symbol"), "\(noColor)")
        let dumb = try Self.onTerminal(["check", file], environment: ["TERM": "dumb", "NO_COLOR": nil]) ?? ""
        #expect(!dumb.contains(Self.escape) && dumb.contains("undefined symbol"), "\(dumb)")
        let never = try Self.onTerminal(["check", file, "--color", "never"], environment: ["TERM": "xterm", "NO_COLOR": nil]) ?? ""
        #expect(!never.contains(Self.escape))
    }

    @Test(arguments: [
        ("6 * 7", "42\n"), ("3 < 4", "true\n"), ("1 == 2", "false\n"), ("var x: I64 = 5; x * x", "25\n"),
        ("var b: Boolean = true; !b", "false\n"), ("print(1)", "1\n"), ("var x: I64 = 1; x = 2", ""),
        ("var x: U8 = 200; x", "200\n"), ("0 - 9223372036854775807 - 1", "-9223372036854775808\n"),
    ])
    func evalPrintsTheValue(_ code: String, _ expected: String) throws {
        let r = try ZongBinary.run(["eval", code])
        #expect(r.status == 0 && r.stdoutText == expected, "\(code): \(r.stdoutText) \(r.stderr)")
    }

    @Test func evalValueInterpretedAndItsErrors() throws {
        let r = try ZongBinary.run(["eval", "--interp", "1 + 2 * 3"])
        #expect(r.status == 0 && r.stdoutText == "7\n", "\(r.stderr)")
        // A runtime error keeps the snippet's own location.
        let div = try ZongBinary.run(["eval", "var z: I64 = 0;\n10 / z"])
        #expect(div.status == 2 && div.stderr.contains("integer divide by zero at <eval>:2:"), "\(div.stderr)")
        // A type error is reported for the snippet as written.
        let bad = try ZongBinary.run(["eval", "1 + true"])
        #expect(bad.status == 1 && bad.stderr.contains("<eval>:1:"), "\(bad.stderr)")
    }

    /// `--debug` builds at -O0 unless a level is given (bench reports the level it built with).
    @Test func debugMeansO0() throws {
        let hello = ZongBinary.packageRoot.appendingPathComponent("Examples/hello.zong").path
        for (arguments, level) in [(["--debug"], "-O0"), ([], "-O2"), (["--debug", "-O2"], "-O2")] {
            let r = try ZongBinary.run(["bench", hello, "--runs", "1", "--warmup", "0", "--json"] + arguments)
            #expect(r.status == 0 && r.stdoutText.contains("\"\(level)\""), "\(arguments): \(r.stdoutText) \(r.stderr)")
        }
    }

    /// JSON diagnostics: one object per line with severity, code, start and end, notes, fix-its.
    @Test func jsonDiagnostics() throws {
        let dir = ZongBinary.temporaryDirectory()
        let path = dir.appendingPathComponent("j.zong").path
        try Data("func main() {\n    print(value)\n}\n".utf8).write(to: URL(fileURLWithPath: path))
        let r = try ZongBinary.run(["check", path, "--diagnostics-format", "json"])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any] ?? [:]
        #expect(object["severity"] as? String == "error")
        #expect(object["code"] as? String == "name")
        #expect(object["line"] as? Int == 2 && object["column"] as? Int == 11)
        #expect(object["endLine"] as? Int == 2 && object["endColumn"] as? Int == 16)
        #expect(object["message"] as? String == "undefined symbol 'value'")
        #expect(object["notes"] is [Any] && object["fixIts"] is [Any])
    }
}
