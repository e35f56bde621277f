import Foundation
import Testing

/// docs/language.md: every ```zong block is a complete program whose output is the ```output
/// block right after it; it is run through the real binary, natively and interpreted, with
/// empty stdin. Every ```zong-error block must fail `zong check` with each `// error: MSG`
/// comment's message reported on that comment's line.
@Suite struct LanguageGuideTests {
    struct Snippet: CustomTestStringConvertible, Sendable {
        var line: Int  // of the opening fence, 1-based
        var kind: String
        var code: String
        var output: String?
        var testDescription: String { "docs/language.md:\(line)" }
    }

    static let guide = ZongBinary.packageRoot.appendingPathComponent("docs/language.md")

    /// The fenced blocks, pairing each ```zong with the ```output that follows it.
    static func parse(_ text: String) -> [Snippet] {
        var blocks: [(line: Int, info: String, body: String)] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var i = 0
        while i < lines.count {
            if lines[i].hasPrefix("```") {
                let info = String(lines[i].dropFirst(3)).trimmingCharacters(in: .whitespaces)
                let start = i
                var body: [String] = []
                i += 1
                while i < lines.count, !lines[i].hasPrefix("```") {
                    body.append(lines[i])
                    i += 1
                }
                blocks.append((start + 1, info, body.map { $0 + "\n" }.joined()))
            }
            i += 1
        }
        var snippets: [Snippet] = []
        for (index, block) in blocks.enumerated() where block.info == "zong" || block.info == "zong-error" {
            var snippet = Snippet(line: block.line, kind: block.info, code: block.body)
            if index + 1 < blocks.count, blocks[index + 1].info == "output" { snippet.output = blocks[index + 1].body }
            snippets.append(snippet)
        }
        return snippets
    }

    static let snippets: [Snippet] = parse((try? String(contentsOf: guide, encoding: .utf8)) ?? "")

    @Test func theGuideHasSnippets() {
        #expect(Self.snippets.filter { $0.kind == "zong" }.count >= 10)
        #expect(Self.snippets.contains { $0.kind == "zong-error" })
    }

    @Test func parsingPairsCodeWithItsOutput() {
        let parsed = Self.parse("text\n```zong\nprint(1);\n```\n```output\n1\n```\n```zong\nx\n```\nmore\n```output\n2\n```\n")
        #expect(parsed.count == 2)
        #expect(parsed.first?.code == "print(1);\n" && parsed.first?.output == "1\n" && parsed.first?.line == 2)
        #expect(parsed.last?.output == "2\n")  // prose between the blocks is allowed
    }

    @Test(arguments: snippets.filter { $0.kind == "zong" })
    func snippetPrintsItsOutput(_ snippet: Snippet) throws {
        let expected = try #require(snippet.output, "\(snippet.testDescription): a zong block without an output block after it")
        let path = try ZongBinary.write(snippet.code, as: "snippet.zong")
        for interp in [false, true] {
            let r = try ZongBinary.run(["run", path] + (interp ? ["--interp"] : []))
            let mode = interp ? "interpreted" : "native"
            #expect(r.status == 0, "\(snippet.testDescription) (\(mode)): status \(r.status)\n\(r.stderr)")
            #expect(r.stdoutText == expected, "\(snippet.testDescription) (\(mode))")
        }
    }

    @Test(arguments: snippets.filter { $0.kind == "zong-error" })
    func errorSnippetFailsWithItsMessage(_ snippet: Snippet) throws {
        let path = try ZongBinary.write(snippet.code, as: "snippet.zong")
        let r = try ZongBinary.run(["check", path])
        #expect(r.status == 1, "\(snippet.testDescription): zong check exited with \(r.status)")
        var claimed = 0
        for (index, line) in snippet.code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let range = line.range(of: "// error: ") else { continue }
            claimed += 1
            let message = line[range.upperBound...]
            #expect(r.stderr.contains("snippet.zong:\(index + 1):") && r.stderr.contains("error: \(message)"),
                    "\(snippet.testDescription): expected '\(message)' on line \(index + 1), got:\n\(r.stderr)")
        }
        #expect(claimed > 0, "\(snippet.testDescription): no '// error: MESSAGE' comment")
    }
}
