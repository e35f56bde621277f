import Foundation
import Testing

/// Every program in Examples/ runs through the real binary, natively and under the
/// interpreter, in the Examples directory, with NAME.in as stdin and the lines of NAME.args as
/// its arguments when there are such files, and prints exactly NAME.out — or, for programs
/// whose output cannot be fixed (random numbers, the clock), lines matching the regular
/// expressions in NAME.out.pattern, one per line. It exits with the status in NAME.status (else
/// 0) and writes exactly NAME.err on stderr (else nothing).
@Suite struct ExamplesTests {
    static let directory = ZongBinary.packageRoot.appendingPathComponent("Examples")

    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".zong") }.map { String($0.dropLast(5)) }.sorted()
    }()

    enum Mode: String, CaseIterable, CustomTestStringConvertible {
        case native, interpreted
        var testDescription: String { rawValue }
    }

    private func file(_ name: String, _ suffix: String) -> URL { Self.directory.appendingPathComponent(name + suffix) }

    @Test func theExamplesAreAllThere() {
        // The README promises these; a rename must update both.
        for name in ["hello", "primes", "fizzbuzz", "quicksort", "wordcount", "ledger", "guess", "dice",
                     "wc", "hexdump", "csvsum", "hash"] {
            #expect(Self.names.contains(name), "Examples/\(name).zong is missing")
        }
        for name in Self.names {
            let fm = FileManager.default
            #expect(fm.fileExists(atPath: file(name, ".out").path) || fm.fileExists(atPath: file(name, ".out.pattern").path),
                    "Examples/\(name).zong has neither \(name).out nor \(name).out.pattern")
        }
    }

    @Test(arguments: names, Mode.allCases)
    func example(_ name: String, _ mode: Mode) throws {
        let stdin = (try? Data(contentsOf: file(name, ".in"))) ?? Data()
        var arguments = ["run", file(name, ".zong").path]
        if mode == .interpreted { arguments.append("--interp") }
        if let text = try? String(contentsOf: file(name, ".args"), encoding: .utf8) {
            arguments += ["--"] + text.split(separator: "\n").map(String.init)
        }
        let status = (try? String(contentsOf: file(name, ".status"), encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        let stderr = (try? String(contentsOf: file(name, ".err"), encoding: .utf8)) ?? ""
        let r = try ZongBinary.run(arguments, stdin: stdin, directory: Self.directory)
        #expect(r.status == status, "\(name) (\(mode)) exited with \(r.status): \(r.stderr)")
        #expect(r.stderr == stderr, "\(name) (\(mode)) stderr: \(r.stderr)")
        if let expected = try? Data(contentsOf: file(name, ".out")) {
            #expect(r.stdoutText == String(decoding: expected, as: UTF8.self), "\(name) (\(mode))")
        } else {
            let patterns = try String(contentsOf: file(name, ".out.pattern"), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                .filter { !$0.isEmpty }
            try expectShape(r.stdoutText, patterns, "\(name) (\(mode))")
        }
    }

    /// csvsum reports the first bad line on stderr with its number and exits with 1.
    @Test(arguments: [
        ("name,a,b\nx,1,2\ny,3\nz,4,5\n", "csvsum: line 3: 2 fields, expected 3\n"),
        ("name,a\nx,1\ny,1x\n", "csvsum: line 3: not an integer: 1x\n"),
        ("", "csvsum: line 1: no header line\n"),
    ], Mode.allCases)
    func csvsumReportsABadLine(_ input: (String, String), _ mode: Mode) throws {
        var arguments = ["run", file("csvsum", ".zong").path]
        if mode == .interpreted { arguments.append("--interp") }
        let r = try ZongBinary.run(arguments, stdin: Data(input.0.utf8))
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr == input.1)
        #expect(r.stdoutText.isEmpty)
    }

    private func expectShape(_ output: String, _ patterns: [String], _ what: String) throws {
        #expect(output.hasSuffix("\n"), "\(what): output does not end with a newline")
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count == patterns.count, "\(what): \(lines.count) lines, pattern has \(patterns.count):\n\(output)")
        for (line, pattern) in zip(lines, patterns) {
            let regex = try NSRegularExpression(pattern: pattern)
            let match = regex.firstMatch(in: line, range: NSRange(location: 0, length: line.utf16.count))
            #expect(match != nil, "\(what): line \"\(line)\" does not match /\(pattern)/")
        }
    }
}
