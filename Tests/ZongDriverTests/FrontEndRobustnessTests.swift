import Foundation
import Testing
import ZongDriver
import ZongSyntax

/// No input may crash, hang, or take more than linear time (issue #2). Each case runs the whole
/// front end in-process: a crash would take the test runner down with it.
@Suite struct FrontEndRobustnessTests {
    private func run(_ bytes: [UInt8], _ form: SourceForm = .program) -> (messages: [String], seconds: Double) {
        let start = Date()
        let result = FrontEnd.run(SourceFile(name: "t.zong", bytes: bytes), form: form)
        return (result.diagnostics.map(\.message), Date().timeIntervalSince(start))
    }

    private func run(_ text: String) -> (messages: [String], seconds: Double) { run(Array(text.utf8)) }

    @Test(arguments: [
        ("parentheses", "func main() { print(" + String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000) + "); }"),
        ("blocks", "func main() " + String(repeating: "{", count: 100_000) + String(repeating: "}", count: 100_000)),
        ("unary minus", "func main() { var x: I64 = " + String(repeating: "- ", count: 100_000) + "1; }"),
        ("logical not", "func main() { var x: Boolean = " + String(repeating: "!", count: 100_000) + "true; }"),
        ("operator chain", "func main() { var x: I64 = " + Array(repeating: "1", count: 100_000).joined(separator: " + ") + "; }"),
        ("ifs", "func main() { " + String(repeating: "if true { ", count: 100_000) + String(repeating: "}", count: 100_000) + " }"),
    ])
    func deepNestingIsACleanError(_ name: String, _ source: String) {
        let r = run(source)
        #expect(r.messages.contains("nesting too deep"), "\(name): \(r.messages.prefix(3))")
        #expect(r.seconds < 10)
    }

    @Test func moderateNestingIsFine() {
        let source = "func main() { print(" + String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500) + "); }"
        #expect(run(source).messages.isEmpty)
    }

    @Test func thousandsOfDigits() {
        #expect(run("func main() { var x: I64 = " + String(repeating: "9", count: 5000) + "; }").messages.count == 1)
    }

    @Test func megabyteIdentifier() {
        let name = String(repeating: "a", count: 1 << 20)
        #expect(run("func main() { var \(name): I64 = 1; print(\(name)); }").messages.isEmpty)
    }

    @Test func binaryGarbageAndNULBytes() {
        var generator = SplitMix(seed: 7)
        let garbage = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        #expect(!run(garbage).messages.isEmpty)
        #expect(!run([0, 0, 0]).messages.isEmpty)
        #expect(!run(Array("func main() {\u{0} print(1); }".utf8)).messages.isEmpty)
    }

    @Test func invalidUTF8() {
        #expect(!run([0x66, 0xFF, 0xFE, 0xC3]).messages.isEmpty)
        #expect(!run(Array("print_bytes(\"".utf8) + [0xFF, 0x22, 0x29]).messages.isEmpty)
    }

    @Test(arguments: ["print(\"abc", "/* open", "}", ")", "]", "}}}}", "print(1", "func f(", "struct", "extern \"m\" {", "'"])
    func truncatedInputsEndInDiagnostics(_ source: String) {
        #expect(!run(source).messages.isEmpty)
    }

    @Test func randomTokensTerminateInLinearTime() {
        let tokens = ["func", "main", "(", ")", "{", "}", "var", "x", ":", "I64", "=", "1", ";", "if", "loop", "break",
                      "\"s\"", "[", "]", "*", "&", ".", "+", "struct", "P", "return", ",", "@", "extern", "else", "'"]
        var generator = SplitMix(seed: 42)
        let source = (0..<300_000).map { _ in tokens[Int(generator.next() % UInt64(tokens.count))] }.joined(separator: " ")
        let r = run(source)
        #expect(!r.messages.isEmpty)
        #expect(r.seconds < 20)
    }

    @Test func hundredThousandLineProgramChecksQuickly() {
        var lines = ["struct P(x: I64, y: I64);"]
        for f in 0..<5000 {
            lines.append("func f\(f)(a: I64, p: P): I64 {")
            for k in 0..<17 { lines.append("    var v\(k): I64 = a * \(k) + p.x;") }
            lines.append("    return a;")
            lines.append("}")
        }
        lines.append("func main() { print(f0(a: 1, p: P(x: 1, y: 2))); }")
        let r = run(lines.joined(separator: "\n"))
        #expect(r.messages.isEmpty)
        #expect(r.seconds < 30, "debug build took \(r.seconds) s")
    }
}

/// A small deterministic generator, so every run tests the same inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
