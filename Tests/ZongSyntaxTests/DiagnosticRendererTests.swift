import Foundation
import Testing
import ZongSyntax

@Suite struct DiagnosticRendererTests {
    private func render(_ text: String, _ diagnostics: [Diagnostic], color: Bool = false) -> String {
        DiagnosticRenderer(useColor: color).render(diagnostics, in: SourceFile(name: "p.zong", text: text))
    }

    @Test func caretUnderTheOffendingText() {
        let out = render("func main() {\n    print(x);\n}\n", [Diagnostic("undefined symbol 'x'", at: SourceSpan(start: 24, end: 25))])
        #expect(out == "p.zong:2:11: error: undefined symbol 'x'\n    print(x);\n          ^\n")
    }

    @Test func tabsAreCopiedSoTheCaretLinesUp() {
        let out = render("\tprint(abc);", [Diagnostic("m", at: SourceSpan(start: 7, end: 10))])
        #expect(out == "p.zong:1:8: error: m\n\tprint(abc);\n\t      ^~~\n")
    }

    @Test func lastLineWithoutNewline() {
        let out = render("a\nbc", [Diagnostic("m", at: SourceSpan(start: 3, end: 4))])
        #expect(out == "p.zong:2:2: error: m\nbc\n ^\n")
    }

    @Test func errorAtEndOfInputPointsPastTheLastCharacter() {
        let out = render("f(", [Diagnostic("m", at: SourceSpan(start: 2, end: 2))])
        #expect(out == "p.zong:1:3: error: m\nf(\n  ^\n")
    }

    @Test func columnsCountCharactersNotBytes() {
        let out = render("\"é\" @", [Diagnostic("m", at: SourceSpan(start: 5, end: 6))])
        #expect(out.hasPrefix("p.zong:1:5: error: m\n"))
        #expect(out.hasSuffix("\n    ^\n"))
    }

    @Test func twoErrorsOnOneLine() {
        let out = render("a b", [Diagnostic("one", at: SourceSpan(start: 0, end: 1)), Diagnostic("two", at: SourceSpan(start: 2, end: 3))])
        #expect(out == "p.zong:1:1: error: one\na b\n^\np.zong:1:3: error: two\na b\n  ^\n")
    }

    @Test func colourOnlyWhenAsked() {
        let d = [Diagnostic("m", at: SourceSpan(start: 0, end: 1))]
        #expect(!render("a", d).contains("\u{1B}["))
        #expect(render("a", d, color: true).contains("\u{1B}[31merror:"))
    }

    @Test func longListsAreCapped() {
        let many = (0..<60).map { _ in Diagnostic("m", at: SourceSpan(start: 0, end: 1)) }
        let text = render("a", many)
        #expect(text.hasSuffix("p.zong: error: too many errors emitted, stopping now (--error-limit 50)\n"))
        #expect(text.components(separatedBy: "error: m\n").count == 51)
        let json = DiagnosticRenderer(format: .json).render(many, in: SourceFile(name: "p.zong", text: "a"))
        #expect(json.split(separator: "\n").count == 51)
        #expect(json.hasSuffix("\"message\":\"too many errors emitted, stopping now (--error-limit 50)\"}\n"))
        #expect(DiagnosticRenderer(limit: 0).render(many, in: SourceFile(name: "p.zong", text: "a")).components(separatedBy: "error: m\n").count == 61)
    }

    /// As clang's -ferror-limit: only errors count; warnings never stop the output.
    @Test func onlyErrorsCountTowardTheLimit() {
        let span = SourceSpan(start: 0, end: 1)
        let warnings = (0..<60).map { _ in Diagnostic("w", at: span, severity: .warning) }
        let text = render("a", warnings)
        #expect(!text.contains("too many errors"))
        #expect(text.components(separatedBy: "warning: w\n").count == 61)
        let errors = (0..<3).map { _ in Diagnostic("e", at: span) }
        let mixed = DiagnosticRenderer(limit: 2).render(warnings.prefix(5) + errors + warnings.prefix(5), in: SourceFile(name: "p.zong", text: "a"))
        #expect(mixed.components(separatedBy: "warning: w\n").count == 6)
        #expect(mixed.components(separatedBy: "error: e\n").count == 3)
        #expect(mixed.hasSuffix("p.zong: error: too many errors emitted, stopping now (--error-limit 2)\n"))
    }

    @Test func jsonIsOneObjectPerDiagnostic() {
        let out = DiagnosticRenderer(format: .json).render([Diagnostic("say \"hi\"", at: SourceSpan(start: 2, end: 4))],
                                                          in: SourceFile(name: "p.zong", text: "a bcd"))
        #expect(out == "{\"file\":\"p.zong\",\"line\":1,\"column\":3,\"endLine\":1,\"endColumn\":5,\"severity\":\"error\",\"code\":null,"
                + "\"message\":\"say \\\"hi\\\"\",\"notes\":[],\"fixIts\":[]}\n")
    }

    @Test func jsonHasCodeEndNotesAndFixIts() {
        let file = SourceFile(name: "p.zong", text: "var x: I64\nx := 5\n")
        let d = Diagnostic("m", at: SourceSpan(start: 13, end: 15), code: "syntax",
                           notes: [.init("declared here", at: SourceSpan(start: 4, end: 5))],
                           fixIts: [.init(replacing: SourceSpan(start: 13, end: 15), with: "=")])
        let out = DiagnosticRenderer(format: .json).render([d], in: file)
        #expect(out == "{\"file\":\"p.zong\",\"line\":2,\"column\":3,\"endLine\":2,\"endColumn\":5,\"severity\":\"error\",\"code\":\"syntax\","
                + "\"message\":\"m\",\"notes\":[{\"line\":1,\"column\":5,\"endLine\":1,\"endColumn\":6,\"message\":\"declared here\"}],"
                + "\"fixIts\":[{\"line\":2,\"column\":3,\"endLine\":2,\"endColumn\":5,\"replacement\":\"=\"}]}\n")
        let text = DiagnosticRenderer().render([d], in: file)
        #expect(text == "p.zong:2:3: error: m\nx := 5\n  ^~\n  =\np.zong:1:5: note: declared here\nvar x: I64\n    ^\n")
    }
}

@Suite struct LongLineRenderingTests {
    @Test func longLinesAreShownAsAWindowAroundTheCaret() {
        let text = String(repeating: "a", count: 1000) + "@" + String(repeating: "b", count: 1000)
        let out = DiagnosticRenderer().render([Diagnostic("m", at: SourceSpan(start: 1000, end: 1001))],
                                              in: SourceFile(name: "p.zong", text: text))
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "p.zong:1:1001: error: m")
        #expect(lines[1].count < 200 && lines[1].hasPrefix("...") && lines[1].hasSuffix("..."))
        let caretColumn = lines[2].count - 1
        #expect(Array(lines[1])[caretColumn] == "@")
    }
}
