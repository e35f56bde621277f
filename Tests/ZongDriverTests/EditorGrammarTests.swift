import Foundation
import Testing

/// The editor grammars under editors/ load, and their patterns are valid regular expressions
/// that classify Zong's keywords and built-in types.
@Suite struct EditorGrammarTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func patterns(_ node: Any, into out: inout [(String, String)]) {
        if let dict = node as? [String: Any] {
            let name = dict["name"] as? String ?? ""
            for key in ["match", "begin", "end"] {
                if let p = dict[key] as? String { out.append((name, p)) }
            }
            for value in dict.values { patterns(value, into: &out) }
        } else if let array = node as? [Any] {
            for value in array { patterns(value, into: &out) }
        }
    }

    @Test func textMateGrammarParsesAndMatches() throws {
        let url = Self.root.appendingPathComponent("editors/vscode/syntaxes/zong.tmLanguage.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        let grammar = try #require(json as? [String: Any])
        #expect(grammar["scopeName"] as? String == "source.zong")
        var all: [(String, String)] = []
        patterns(grammar, into: &all)
        #expect(all.count > 15)
        var regexes: [(String, NSRegularExpression)] = []
        for (name, pattern) in all {
            let regex = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
            regexes.append((name, regex))
        }
        func scope(of word: String) -> String? {
            regexes.first { _, r in
                r.firstMatch(in: word, range: NSRange(location: 0, length: word.utf16.count))?.range.length == word.utf16.count
            }?.0
        }
        #expect(scope(of: "loop") == "keyword.control.zong")
        #expect(scope(of: "for") == "keyword.control.zong")
        #expect(scope(of: "0xFF_FF") == "constant.numeric.integer.zong")
        #expect(scope(of: "U64") == "support.type.builtin.zong")
        #expect(scope(of: "// note") == "comment.line.double-slash.zong")
    }

    @Test func vimSyntaxFileLoadsCleanly() throws {
        let vim = ["/usr/bin/vim", "/usr/bin/vi"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let vim else {
            print("SKIP: vim not installed; Vim syntax file not loaded")
            return
        }
        let file = Self.root.appendingPathComponent("editors/vim/syntax/zong.vim").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: vim)
        process.arguments = ["-Nu", "NONE", "-es", "-c", "syntax on", "-c", "source \(file)", "-c", "qall!"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
